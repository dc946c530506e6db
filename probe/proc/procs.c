/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * procs.c - the procs family: processes and threads by state, pid and thread
 * limits, from a walk of /proc (slow: not in the default set).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe-internal.h"
#include "proc/proc-parse.h"

#define PF_KTHREAD 0x00200000	/* include/linux/sched.h */

struct procs_state {
	struct rtlab_proc_walker *w;	/* created at the first collection */
	struct rtlab_proc_table t;
	struct probe_src pid_max, threads_max;
};

/* procs_open - the state; the walker waits for the first collection. */
static int procs_open(struct rtlab_probe *p, void **state)
{
	struct procs_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->pid_max, "/proc/sys/kernel/pid_max");
	probe_src_init(&s->threads_max, "/proc/sys/kernel/threads-max");
	*state = s;
	return 0;
}

/* procs_close - the walker, the table, the sources. */
static void procs_close(void *state)
{
	struct procs_state *s = state;

	rtlab_proc_walker_free(s->w);
	rtlab_proc_table_release(&s->t);
	probe_src_close(&s->pid_max);
	probe_src_close(&s->threads_max);
	free(s);
}

/* procs_mark - the walk's fields of @pr in state @st. */
static void procs_mark(struct rtlab_probe_procs *pr, uint8_t st)
{
	PV_NA(pr->pids, st);
	PV_NA(pr->threads, st);
	PV_NA(pr->kernel_threads, st);
	for (size_t i = 0; i < RTLAB_PROC_NSTATES; i++) {
		PV_NA(pr->state[i], st);
		PV_NA(pr->thread_state[i], st);
	}
}

/* procs_limit - one of /proc/sys/kernel/{pid_max,threads-max}. */
static void procs_limit(struct probe_cx *cx, struct probe_src *src, struct rtlab_pu64 *out)
{
	ssize_t n = probe_src_read(cx->p, src);
	struct rtlab_pi64 v;

	if (n < 0) {
		PV_NA(*out, probe_st_from_errno((int)n));
		probe_why(cx, "%s: %s", src->path, strerror((int)-n));
	} else if (proc_i64_parse(src->buf, (size_t)n, &v) < 0 || v.v < 0) {
		PV_NA(*out, RTLAB_PV_MALFORMED);
		probe_why(cx, "%s:1: malformed", src->path);
	} else {
		PV_SET(*out, (uint64_t)v.v);
	}
}

/* procs_walk - walk /proc (threads' states too) into the counts. */
static int procs_walk(struct probe_cx *cx, struct procs_state *s)
{
	struct rtlab_probe_procs *pr = &cx->d->procs;
	uint64_t kthreads = 0;
	int r = s->w ? 0 : rtlab_proc_walker_new(cx->p, &s->w);

	if (r == 0)
		r = rtlab_proc_walk(s->w, RTLAB_PROC_W_THREADS, &s->t);
	if (r < 0) {
		procs_mark(pr, probe_st_from_errno(r));
		probe_why(cx, "/proc: %s", strerror(-r));
		return r;
	}
	if (s->t.why[0])
		probe_why(cx, "%s", s->t.why);
	for (size_t i = 0; i < s->t.count; i++) {
		const struct rtlab_proc_stat *st = &s->t.procs[i].stat;

		if (st->flags.st == RTLAB_PV_OK && (st->flags.v & PF_KTHREAD))
			kthreads++;
	}
	PV_SET(pr->pids, s->t.count);
	pr->threads = s->t.threads;
	PV_SET(pr->kernel_threads, kthreads);
	for (size_t i = 0; i < RTLAB_PROC_NSTATES; i++) {
		PV_SET(pr->state[i], s->t.by_state[i]);
		pr->thread_state[i] = s->t.thread_by_state[i];
	}
	return 0;
}

/* procs_collect - the walk, then the limits. */
static int procs_collect(struct probe_cx *cx, void *state)
{
	struct procs_state *s = state;
	int r = procs_walk(cx, s);

	procs_limit(cx, &s->pid_max, &cx->d->procs.pid_max);
	procs_limit(cx, &s->threads_max, &cx->d->procs.threads_max);
	return r;
}

static const struct rtlab_metric m_pids = { "node_processes_pids", "Number of PIDs.",
					    RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_threads = { "node_processes_threads",
					       "Allocated threads in system.",
					       RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_max_processes = { "node_processes_max_processes",
						     "Number of max PIDs limit.",
						     RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_max_threads = { "node_processes_max_threads",
						   "Limit of threads in the system.",
						   RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_state = { "node_processes_state",
					     "Number of processes in each state.",
					     RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_threads_state = { "node_processes_threads_state",
						     "Number of threads in each state.",
						     RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_kernel = {
	"rtlab_processes_kernel_threads", "Processes that are kernel threads (PF_KTHREAD).",
	RTLAB_METRIC_GAUGE
};

/*
 * procs_emit_states - one sample per state seen (as node_exporter), or, if the
 * counts are unavailable, every state with the reason's state.
 */
static void procs_emit_states(struct probe_emit *e, const struct rtlab_metric *m,
			      const char *label, const struct rtlab_pu64 *counts)
{
	static const char letters[RTLAB_PROC_NSTATES][2] = { "R", "S", "D", "T", "t", "X", "Z",
							     "P", "I", "K", "W", "x", "N", "?" };

	for (size_t i = 0; i < RTLAB_PROC_NSTATES; i++) {
		if (counts[i].st == RTLAB_PV_OK && counts[i].v == 0)
			continue;
		pe_emitl(e, m, mv_u64(counts[i]), { label, letters[i] });
	}
}

/* procs_emit - node_exporter's processes collector names. */
static void procs_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_procs *pr = &d->procs;

	pe_emit(e, &m_max_processes, mv_u64(pr->pid_max));
	pe_emit(e, &m_max_threads, mv_u64(pr->threads_max));
	pe_emit(e, &m_pids, mv_u64(pr->pids));
	procs_emit_states(e, &m_state, "state", pr->state);
	pe_emit(e, &m_threads, mv_u64(pr->threads));
	procs_emit_states(e, &m_threads_state, "thread_state", pr->thread_state);
	pe_emit(e, &m_kernel, mv_u64(pr->kernel_threads));
}

const struct probe_family probe_fam_procs = {
	.name = "procs",
	.id = RTLAB_PF_PROCS,
	.slow = true,
	.open = procs_open,
	.close = procs_close,
	.collect = procs_collect,
	.emit = procs_emit,
};
