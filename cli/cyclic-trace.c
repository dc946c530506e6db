/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cyclic-trace.c - rtlab cyclic -b: the kernel trace around the break, kept
 * in a run folder (run.db) with the threads and the break's latency, so that
 * 'rtlab report DIR' can say why the spike happened.  cyclictest's -b only
 * stops the tracer; here the instance is private and always removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cyclic.h"

#define TRACE_EVENTS_MAX 64

/* split_events - @list (commas) into @ev pointing into @buf; the count, or -EINVAL. */
static int split_events(const char *list, char *buf, size_t size, const char **ev)
{
	int n = 0;

	snprintf(buf, size, "%s", list);
	for (char *save = NULL, *e = strtok_r(buf, ",", &save); e;
	     e = strtok_r(NULL, ",", &save)) {
		while (*e == ' ')
			e++;
		if (!*e || n == TRACE_EVENTS_MAX)
			return -EINVAL;
		ev[n++] = e;
	}
	return n ? n : -EINVAL;
}

/* begin_run - the run folder and its run.db; 0 or -errno (printed). */
static int begin_run(const struct cyclic_opts *o, const char *cmdline, struct cyclic_trace *t)
{
	struct rtlab_run_info info = { .name = "cyclic", .scenario = cmdline,
				       .scenario_len = strlen(cmdline),
				       .duration_ns = o->duration_ns };
	char esc[512];
	int r;

	if (o->trace_dir) {
		snprintf(t->dir, sizeof(t->dir), "%s", o->trace_dir);
		r = mkdir(t->dir, 0755) < 0 && errno != EEXIST ? -errno : 0;
	} else {
		r = rtlab_run_dir_make("runs", "cyclic", t->dir, sizeof(t->dir));
	}
	if (r == 0)
		r = rtlab_store_create(t->dir, &t->st);
	if (r == 0)
		r = rtlab_store_begin(t->st, &info);
	if (r < 0)
		fprintf(stderr, "rtlab cyclic: %s/run.db: %s\n",
			cli_escape(t->dir, esc, sizeof(esc)), strerror(-r));
	return r;
}

/* cyclic_trace_open - the run folder and the recorder, started (see cyclic.h). */
int cyclic_trace_open(struct rtlab_ctx *ctx, const struct cyclic_opts *o, const char *cmdline,
		      struct cyclic_trace *t)
{
	const char *ev[TRACE_EVENTS_MAX];
	char buf[sizeof(o->trace_events)], why[256];
	struct rtlab_ftrace_opts fo = { .events = ev, .keep_ns = o->trace_window_ns,
					.reason = "breaktrace" };
	int n, r;

	memset(t, 0, sizeof(*t));
	if (!o->cfg.break_ns || o->no_trace)
		return 0;
	if (rtlab_ftrace_usable(ctx, why, sizeof(why)) < 0) {
		fprintf(stderr, "rtlab cyclic: warning: -b without a trace: %s\n", why);
		return 0;
	}
	n = split_events(o->trace_events, buf, sizeof(buf), ev);
	if (n < 0) {
		fprintf(stderr, "rtlab cyclic: --trace-events: an empty event or more than %d\n",
			TRACE_EVENTS_MAX);
		return -EINVAL;
	}
	fo.nevents = (size_t)n;
	r = begin_run(o, cmdline, t);
	if (r == 0)
		r = rtlab_ftrace_open(ctx, rtlab_store_path(t->st), &fo, &t->f);
	if (r == 0)
		r = rtlab_ftrace_start(t->f, -1);
	if (r == -EINVAL)
		fprintf(stderr, "rtlab cyclic: --trace-events: an event this kernel does not have "
			"(see above)\n");
	else if (r < 0)
		fprintf(stderr, "rtlab cyclic: trace: %s\n", strerror(-r));
	if (r < 0) {
		t->f = rtlab_ftrace_close(t->f);
		t->st = rtlab_store_close(t->st);
	}
	return r;
}

/* store_threads - a task row per thread, with its counters and thread id. */
static int store_threads(struct cyclic_trace *t, struct rtlab_cyclic *c, uint32_t *ids)
{
	for (unsigned int i = 0; i < rtlab_cyclic_nthreads(c); i++) {
		struct rtlab_task *task = rtlab_cyclic_task(c, i);
		const struct rtlab_task_config *cfg = rtlab_task_config(task);
		struct rtlab_task_stats s;
		struct rtlab_store_task row = {
			.name = rtlab_task_name(task),
			.policy = rtlab_policy_name(cfg->sched.policy),
			.priority = cfg->sched.priority, .period_ns = cfg->period_ns,
			.deadline_ns = cfg->period_ns, .cpus = "",
		};
		struct rtlab_store_task_end e;
		int r;

		rtlab_task_stats(task, &s);
		e = (struct rtlab_store_task_end){ s.jobs, s.overruns, s.misses, s.min_ns,
						   s.max_ns, s.sum_ns, s.tid };
		r = rtlab_store_add_task(t->st, &row, &ids[i]);
		if (r == 0)
			r = rtlab_store_end_task(t->st, ids[i], &e);
		if (r < 0)
			return r;
	}
	return 0;
}

/* store_break - the break's latency row (the spike the report explains). */
static int store_break(struct cyclic_trace *t, const struct rtlab_cyclic_break *b, uint32_t id)
{
	struct rtlab_writer *w;
	struct rtlab_ring *ring;
	int r = rtlab_writer_new(t->st, 0, &w);

	if (r < 0)
		return r;
	r = rtlab_writer_ring(w, id, 1024, &ring);
	if (r == 0)
		r = rtlab_writer_start(w, -1);
	if (r == 0 && !rtlab_ring_latency(ring, b->at_ns, b->cpu, b->latency_ns))
		r = -ENOBUFS;
	if (r == 0)
		r = rtlab_writer_stop(w);
	rtlab_writer_free(w);
	return r;
}

/* cyclic_trace_close - mark, stop, store, tell where (see cyclic.h). */
int cyclic_trace_close(struct cyclic_trace *t, struct rtlab_cyclic *c, const struct cyclic_opts *o,
		       bool interrupted)
{
	struct rtlab_cyclic_break b;
	struct rtlab_ftrace_stats s;
	uint32_t *ids;
	char esc[512];
	int r;

	(void)o;
	if (!t->f)
		return 0;
	rtlab_cyclic_break_info(c, &b);
	if (b.hit)
		rtlab_ftrace_spike(t->f, b.at_ns);
	r = rtlab_ftrace_stop(t->f);
	rtlab_ftrace_stats(t->f, &s);
	ids = calloc(rtlab_cyclic_nthreads(c) + 1, sizeof(*ids));
	if (!ids)
		r = r ? r : -ENOMEM;
	if (ids && store_threads(t, c, ids) < 0)
		r = r ? r : -EIO;
	if (ids && b.hit && store_break(t, &b, ids[b.thread]) < 0)
		r = r ? r : -EIO;
	free(ids);
	if (rtlab_store_end(t->st, interrupted ? RTLAB_RUN_INTERRUPTED : RTLAB_RUN_COMPLETE) < 0)
		r = r ? r : -EIO;
	cli_escape(t->dir, esc, sizeof(esc));
	if (b.hit)
		printf("# breaktrace: %llu events within %.0f ms of the break kept in %s/run.db; "
		       "'rtlab report %s' says why\n", (unsigned long long)s.events_stored,
		       (double)o->trace_window_ns / 1e6, esc, esc);
	else
		printf("# breaktrace: no latency above the threshold, no trace kept (%s/run.db)\n",
		       esc);
	if (r < 0)
		fprintf(stderr, "rtlab cyclic: trace: %s\n", strerror(-r));
	t->f = rtlab_ftrace_close(t->f);
	t->st = rtlab_store_close(t->st);
	return r;
}
