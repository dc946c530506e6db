/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace.c - the recorder's public face: open, start, spike, stop, close, stats. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>

#include "ftrace-internal.h"

/* check_opts - what open refuses before it touches anything. */
static int check_opts(struct rtlab_ctx *ctx, const char *db_path,
		      const struct rtlab_ftrace_opts *o)
{
	if (!o || !o->nevents || !o->events)
		return rtlab_err(ctx, -EINVAL, "ftrace: no event to record");
	if (o->npids > RTLAB_FTRACE_MAX_PIDS)
		return rtlab_err(ctx, -EINVAL, "ftrace: more than %d pids to filter on",
				 RTLAB_FTRACE_MAX_PIDS);
	if (o->npids && !o->pids)
		return rtlab_err(ctx, -EINVAL, "ftrace: pid list missing");
	if (!db_path || strlen(db_path) >= PATH_MAX)
		return rtlab_err(ctx, -EINVAL, "ftrace: bad run store path");
	if (access(db_path, W_OK) < 0) {
		int r = -errno;

		return rtlab_err(ctx, r, "ftrace: %s: %s", db_path, strerror(-r));
	}
	return 0;
}

/* rtlab_ftrace_open - check, set the instance up, open the store connection. */
int rtlab_ftrace_open(struct rtlab_ctx *ctx, const char *db_path,
		      const struct rtlab_ftrace_opts *opts, struct rtlab_ftrace **ret)
{
	struct rtlab_ftrace *f;
	int r = check_opts(ctx, db_path, opts);

	if (r < 0)
		return r;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->ctx = ctx;
	f->wake_fd = -1;
	f->spool.fd = -1;
	f->over_min = UINT64_MAX;
	f->keep_ns = opts->keep_ns;
	f->defer_parse = opts->defer_parse;
	rtlab_strlcpy(f->db_path, db_path, sizeof(f->db_path));
	rtlab_strlcpy(f->reason, opts->reason ? opts->reason : "spike", sizeof(f->reason));
	r = ftrace_db_open(ctx, db_path, true, &f->db);
	if (r >= 0)
		r = ftrace_setup(f, opts);
	if (r >= 0) {
		f->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		r = f->wake_fd < 0 ? -errno : 0;
	}
	if (r < 0) {
		rtlab_ftrace_close(f);
		return r;
	}
	*ret = f;
	return 0;
}

/* start_thread - the reader, at normal priority (on @cpu when >= 0). */
static int start_thread(struct rtlab_ftrace *f, int cpu)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int r;

	r = -pthread_attr_init(&attr);
	if (r < 0)
		return r;
	(void)pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
	(void)pthread_attr_setschedpolicy(&attr, SCHED_OTHER);
	if (cpu >= 0 && cpu < CPU_SETSIZE) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		(void)pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	}
	r = -pthread_create(&f->thread, &attr, ftrace_reader, f);
	pthread_attr_destroy(&attr);
	return r;
}

/* rtlab_ftrace_start - events on, the reader running. */
int rtlab_ftrace_start(struct rtlab_ftrace *f, int cpu)
{
	int r;

	if (f->started)
		return -EALREADY;
	r = ftrace_enable(f);
	if (r < 0)
		return r;
	r = start_thread(f, cpu);
	if (r < 0) {
		ftrace_instance_disable(f->inst_dir);
		return rtlab_err(f->ctx, r, "ftrace: cannot start the recorder thread: %s",
				 strerror(-r));
	}
	f->started = true;
	return 0;
}

/* atomic_min / atomic_max - lock-free bounds of the spikes past the array. */
static void atomic_min(uint64_t *p, uint64_t v)
{
	uint64_t cur = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (v < cur && !__atomic_compare_exchange_n(p, &cur, v, true, __ATOMIC_RELAXED,
						       __ATOMIC_RELAXED))
		;
}

static void atomic_max(uint64_t *p, uint64_t v)
{
	uint64_t cur = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (v > cur && !__atomic_compare_exchange_n(p, &cur, v, true, __ATOMIC_RELAXED,
						       __ATOMIC_RELAXED))
		;
}

/* rtlab_ftrace_spike - a slot by fetch-and-add, its time by a release store. */
void rtlab_ftrace_spike(struct rtlab_ftrace *f, uint64_t t_ns)
{
	uint64_t i = __atomic_fetch_add(&f->nspikes, 1, __ATOMIC_RELAXED);

	if (!t_ns)
		t_ns = 1;
	if (i < RTLAB_FTRACE_MAX_SPIKES) {
		__atomic_store_n(&f->spike[i], t_ns, __ATOMIC_RELEASE);
		return;
	}
	atomic_min(&f->over_min, t_ns);
	atomic_max(&f->over_max, t_ns);
}

/* cmp_window - qsort order: by start. */
static int cmp_window(const void *a, const void *b)
{
	const struct ftrace_window *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* build_windows - every spike's [t - keep, t + keep], sorted and merged. */
static int build_windows(struct rtlab_ftrace *f)
{
	uint64_t n = __atomic_load_n(&f->nspikes, __ATOMIC_ACQUIRE), k = f->keep_ns;
	size_t m = 0;

	if (n > RTLAB_FTRACE_MAX_SPIKES)
		n = RTLAB_FTRACE_MAX_SPIKES + 1;
	f->win = calloc(n ? n : 1, sizeof(*f->win));
	if (!f->win)
		return -ENOMEM;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t lo = i < RTLAB_FTRACE_MAX_SPIKES ? f->spike[i] : f->over_min;
		uint64_t hi = i < RTLAB_FTRACE_MAX_SPIKES ? f->spike[i] : f->over_max;

		if (!lo)
			continue;
		f->win[m++] = (struct ftrace_window){ lo > k ? lo - k : 0, hi + k };
	}
	qsort(f->win, m, sizeof(*f->win), cmp_window);
	f->nwin = 0;
	for (size_t i = 0; i < m; i++) {
		if (f->nwin && f->win[i].lo <= f->win[f->nwin - 1].hi) {
			if (f->win[i].hi > f->win[f->nwin - 1].hi)
				f->win[f->nwin - 1].hi = f->win[i].hi;
			continue;
		}
		f->win[f->nwin++] = f->win[i];
	}
	return 0;
}

/* cpu_now - this thread's CPU time. */
static uint64_t cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return rtlab_ns_from_ts(&ts);
}

/* rtlab_ftrace_stop - off, last drain, join, store the pages, parse them unless deferred. */
int rtlab_ftrace_stop(struct rtlab_ftrace *f)
{
	uint64_t one = 1, t0;
	int r, r2;

	if (!f->started || f->stopped)
		return 0;
	f->stopped = true;
	ftrace_instance_disable(f->inst_dir);
	__atomic_store_n(&f->quit, 1, __ATOMIC_RELEASE);
	(void)!write(f->wake_fd, &one, sizeof(one));
	pthread_join(f->thread, NULL);
	t0 = cpu_now();
	r = f->reader_err;
	if (r < 0)
		rtlab_log(f->ctx, RTLAB_LOG_ERROR, "ftrace: reading the buffers failed: %s "
			  "(the pages read so far are stored)", strerror(-r));
	if (f->keep_ns) {
		r2 = build_windows(f);
		if (r2 < 0)
			return r2;
	}
	r2 = ftrace_store_all(f, f->db);
	if (r >= 0)
		r = r2;
	if (r2 >= 0 && !f->defer_parse) {
		r2 = rtlab_ftrace_materialize(f->db_path, f->ctx, &f->st.events_stored);
		if (r >= 0)
			r = r2;
	}
	f->st.spikes = __atomic_load_n(&f->nspikes, __ATOMIC_RELAXED);
	f->st.stop_cpu_ns = cpu_now() - t0;
	return r;
}

/* rtlab_ftrace_close - stop, tear down, free. */
struct rtlab_ftrace *rtlab_ftrace_close(struct rtlab_ftrace *f)
{
	if (!f)
		return NULL;
	if (f->started && !f->stopped)
		(void)rtlab_ftrace_stop(f);
	ftrace_teardown(f);
	ftrace_db_close(f->db);
	if (f->kb)
		kbuffer_free(f->kb);
	tep_free(f->tep);
	ftrace_spool_free(&f->spool);
	if (f->wake_fd >= 0)
		(void)close(f->wake_fd);
	free(f->fds);
	for (size_t i = 0; i < f->nevs; i++)
		free(f->evs[i].format);
	free(f->evs);
	free(f->header_page);
	free(f->win);
	free(f->page);
	free(f);
	return NULL;
}

/* rtlab_ftrace_stats - a copy of the counters. */
void rtlab_ftrace_stats(const struct rtlab_ftrace *f, struct rtlab_ftrace_stats *ret)
{
	*ret = f->st;
	ret->spikes = __atomic_load_n(&f->nspikes, __ATOMIC_RELAXED);
}

/* rtlab_ftrace_instance - the instance's name. */
const char *rtlab_ftrace_instance(const struct rtlab_ftrace *f)
{
	return f->name;
}

/* rtlab_ftrace_event_counts - per event type. */
int rtlab_ftrace_event_counts(const struct rtlab_ftrace *f, struct rtlab_ftrace_count *ret,
			      size_t max, size_t *ret_n)
{
	for (size_t i = 0; i < f->nevs && i < max; i++) {
		rtlab_strlcpy(ret[i].event, f->evs[i].full, sizeof(ret[i].event));
		ret[i].count = f->evs[i].count;
	}
	*ret_n = f->nevs;
	return 0;
}
