/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rt-watchdog.c - a thread that watches periodic tasks and plain threads for
 * deadline misses, stalls and runaways, from outside (nothing is added to
 * the watched threads' hot path).
 *
 * Every check_interval_ns the watchdog takes each watch in turn:
 * - misses: the task's miss counter has grown: on_miss with the new count;
 * - stall: a running task completed no job for stall_ns, counted from its
 *   last completed job, or before the first from the later of the moment
 *   the watchdog first saw it running and its configured start time:
 *   on_stall once, again only after a job has completed;
 * - runaway: with runaway_ns set, the watched thread is sampled from
 *   /proc/self/task/TID: state (stat), CPU time (schedstat, else stat
 *   utime + stime) and, for threads added by tid, voluntary context
 *   switches (status).  A window opens at a sample in state R and is reset
 *   by any sample not in state R, by a completed job (tasks), or by a
 *   voluntary context switch (threads added by tid: "running without
 *   sleeping").  When a window reaches runaway_ns and the CPU time grew by
 *   at least 90 % of it, a SCHED_FIFO/RR thread is demoted to SCHED_OTHER
 *   nice 0, counted, logged and reported through on_demote.
 *
 * Locking: the watch list is protected by a priority-inheritance mutex
 * (the watchdog runs at FIFO 99; whoever adds a watch may be lower).  Watch
 * objects are allocated one by one and never move, so the watchdog thread
 * reads the list under the lock and then works on a watch without it: only
 * that thread changes a watch once it is published.  Callbacks run without
 * the lock held.  Counters have one writer (the watchdog thread) and are
 * read with relaxed atomic loads.
 *
 * Tasks and threads must outlive their watch: stop the watchdog before
 * freeing a watched task (there is no removal).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rtlab/watchdog.h>

#include "rt-internal.h"

#define WD_DEFAULT_INTERVAL_NS (10 * RTLAB_NSEC_PER_MSEC)
#define WD_PRIORITY 99
#define WD_RUNAWAY_CPU_PCT 90

/* One sample of a watched thread, from /proc. */
struct proc_sample {
	char state;
	uint64_t cpu_ns;
	uint64_t nvcsw;
};

struct watch {
	struct rtlab_task *task;	/* NULL: a thread added by tid */
	pid_t tid;			/* fixed for tid watches; from the stats for tasks */
	char name[32];			/* "tid N" for tid watches */
	bool gone;			/* tid watch: the thread has exited */
	uint64_t misses_seen;
	uint64_t seen_ns;		/* task first seen running */
	bool stalled;			/* stall reported, waiting for a job */
	uint64_t stall_jobs;		/* jobs when the stall was reported */
	/* runaway window */
	bool win_open;
	uint64_t win_start_ns, win_cpu_ns, win_jobs, win_nvcsw;
};

struct rtlab_watchdog {
	struct rtlab_ctx *ctx;
	struct rtlab_watchdog_config cfg;
	pthread_mutex_t lock;		/* PI: watches, n, cap, stop */
	pthread_cond_t wake;		/* CLOCK_MONOTONIC: stop requests */
	struct watch **watches;
	size_t n, cap;
	bool stop;
	bool started;
	pthread_t thread;
	/* written by the watchdog thread only */
	uint64_t checks, misses_reported, stalls, demotions;
};

/* parse_stat - state and utime + stime (clock ticks) from a /proc/.../stat line. */
static int parse_stat(const char *buf, char *ret_state, uint64_t *ret_ticks)
{
	unsigned long long utime, stime;
	const char *p = strrchr(buf, ')');
	char state;

	/* After the comm: 3 state, 4..13, 14 utime, 15 stime. */
	if (!p || sscanf(p + 1, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu", &state,
			 &utime, &stime) != 3)
		return -EINVAL;
	*ret_state = state;
	*ret_ticks = utime + stime;
	return 0;
}

/* parse_nvcsw - the voluntary_ctxt_switches line of /proc/.../status. */
static int parse_nvcsw(const char *buf, uint64_t *ret)
{
	static const char key[] = "\nvoluntary_ctxt_switches:";
	const char *p = strstr(buf, key);
	unsigned long long v;

	if (!p || sscanf(p + sizeof(key) - 1, " %llu", &v) != 1)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* read_task_file - /proc/self/task/TID/@file, falling back to /proc/TID/@file. */
static int read_task_file(const struct rtlab_ctx *ctx, pid_t tid, const char *file, char *buf,
			  size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", (int)tid, file);
	n = rtlab_read_file(ctx, path, buf, size);
	if (n == -ENOENT) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)tid, file);
		n = rtlab_read_file(ctx, path, buf, size);
	}
	return n < 0 ? (int)n : 0;
}

/* sample_thread - state, CPU time and (if @want_nvcsw) voluntary switches of @tid. */
static int sample_thread(const struct rtlab_ctx *ctx, pid_t tid, bool want_nvcsw,
			 struct proc_sample *ret)
{
	unsigned long long run_ns;
	uint64_t ticks;
	char buf[2048];
	int r;

	r = read_task_file(ctx, tid, "stat", buf, sizeof(buf));
	if (r < 0)
		return r;
	r = parse_stat(buf, &ret->state, &ticks);
	if (r < 0)
		return r;
	/* schedstat (ns) needs CONFIG_SCHED_INFO; else clock ticks. */
	if (read_task_file(ctx, tid, "schedstat", buf, sizeof(buf)) == 0 &&
	    sscanf(buf, "%llu", &run_ns) == 1)
		ret->cpu_ns = run_ns;
	else
		ret->cpu_ns = ticks * (RTLAB_NSEC_PER_SEC / (uint64_t)sysconf(_SC_CLK_TCK));
	ret->nvcsw = 0;
	if (!want_nvcsw)
		return 0;
	r = read_task_file(ctx, tid, "status", buf, sizeof(buf));
	return r < 0 ? r : parse_nvcsw(buf, &ret->nvcsw);
}

/* rtlab_watchdog_new - copy and check @cfg; the thread is started later. */
struct rtlab_watchdog *rtlab_watchdog_new(struct rtlab_ctx *ctx,
					  const struct rtlab_watchdog_config *cfg)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	struct rtlab_watchdog *wd;

	if (!cfg) {
		errno = -rtlab_err(ctx, -EINVAL, "watchdog: no configuration");
		return NULL;
	}
	wd = calloc(1, sizeof(*wd));
	if (!wd) {
		errno = -rtlab_err(ctx, -ENOMEM, "watchdog: out of memory");
		return NULL;
	}
	wd->ctx = ctx;
	wd->cfg = *cfg;
	if (!wd->cfg.check_interval_ns)
		wd->cfg.check_interval_ns = WD_DEFAULT_INTERVAL_NS;
	(void)pthread_mutexattr_init(&ma);
	(void)pthread_mutexattr_setprotocol(&ma, PTHREAD_PRIO_INHERIT);
	(void)pthread_mutex_init(&wd->lock, &ma);
	(void)pthread_mutexattr_destroy(&ma);
	(void)pthread_condattr_init(&ca);
	(void)pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	(void)pthread_cond_init(&wd->wake, &ca);
	(void)pthread_condattr_destroy(&ca);
	return wd;
}

/* add_watch - publish @w (allocated by the caller) unless already watched; 0 or -errno. */
static int add_watch(struct rtlab_watchdog *wd, struct watch *w)
{
	int r = 0;

	pthread_mutex_lock(&wd->lock);
	for (size_t i = 0; i < wd->n; i++)
		if ((w->task && wd->watches[i]->task == w->task) ||
		    (!w->task && !wd->watches[i]->task && wd->watches[i]->tid == w->tid)) {
			r = rtlab_err(wd->ctx, -EEXIST, "watchdog: %s is already watched",
				      w->task ? rtlab_task_name(w->task) : w->name);
			goto out;
		}
	if (wd->n == wd->cap) {
		size_t cap = wd->cap ? 2 * wd->cap : 8;
		struct watch **p = realloc(wd->watches, cap * sizeof(*p));

		if (!p) {
			r = rtlab_err(wd->ctx, -ENOMEM, "watchdog: out of memory");
			goto out;
		}
		wd->watches = p;
		wd->cap = cap;
	}
	wd->watches[wd->n++] = w;
out:
	pthread_mutex_unlock(&wd->lock);
	return r;
}

/* rtlab_watchdog_add_task - watch @task for misses, stalls and runaway. */
int rtlab_watchdog_add_task(struct rtlab_watchdog *wd, struct rtlab_task *task)
{
	struct watch *w;
	int r;

	if (!task)
		return rtlab_err(wd->ctx, -EINVAL, "watchdog: no task");
	w = calloc(1, sizeof(*w));
	if (!w)
		return rtlab_err(wd->ctx, -ENOMEM, "watchdog: out of memory");
	w->task = task;
	rtlab_strlcpy(w->name, rtlab_task_name(task), sizeof(w->name));
	r = add_watch(wd, w);
	if (r < 0)
		free(w);
	return r;
}

/* rtlab_watchdog_add_tid - watch thread @tid for runaway only. */
int rtlab_watchdog_add_tid(struct rtlab_watchdog *wd, pid_t tid)
{
	struct proc_sample s;
	struct watch *w;
	int r;

	if (tid <= 0)
		return rtlab_err(wd->ctx, -EINVAL, "watchdog: bad thread id %d", (int)tid);
	r = sample_thread(wd->ctx, tid, true, &s);
	if (r < 0)
		return rtlab_err(wd->ctx, r == -ENOENT ? -ESRCH : r, "watchdog: cannot read "
				 "thread %d in /proc: %s", (int)tid, strerror(-r));
	w = calloc(1, sizeof(*w));
	if (!w)
		return rtlab_err(wd->ctx, -ENOMEM, "watchdog: out of memory");
	w->tid = tid;
	snprintf(w->name, sizeof(w->name), "tid %d", (int)tid);
	r = add_watch(wd, w);
	if (r < 0)
		free(w);
	return r;
}

/* event_for - an event about @w at @now. */
static struct rtlab_watchdog_event event_for(const struct watch *w, pid_t tid, uint64_t now)
{
	return (struct rtlab_watchdog_event){
		.task = w->task,
		.tid = tid,
		.name = w->task ? rtlab_task_name(w->task) : w->name,
		.now_ns = now,
	};
}

/* bump - add @n to a single-writer counter. */
static void bump(uint64_t *counter, uint64_t n)
{
	rtlab_store_u64(counter, rtlab_load_u64(counter) + n);
}

/* check_misses - report misses counted since the last report. */
static void check_misses(struct rtlab_watchdog *wd, struct watch *w,
			 const struct rtlab_task_stats *st, uint64_t now)
{
	struct rtlab_watchdog_event ev;

	if (st->misses <= w->misses_seen)
		return;
	ev = event_for(w, st->tid, now);
	ev.misses = st->misses;
	ev.new_misses = st->misses - w->misses_seen;
	w->misses_seen = st->misses;
	bump(&wd->misses_reported, ev.new_misses);
	if (wd->cfg.on_miss)
		wd->cfg.on_miss(&ev, wd->cfg.userdata);
}

/* task_idle_ns - time since @w's last completed job (or since it could have completed one). */
static uint64_t task_idle_ns(const struct watch *w, const struct rtlab_task_stats *st,
			     uint64_t now)
{
	uint64_t ref = st->last_job_end_ns;

	if (st->jobs == 0) {
		ref = w->seen_ns;
		if (rtlab_task_config(w->task)->start_ns > ref)
			ref = rtlab_task_config(w->task)->start_ns;
	}
	return now > ref ? now - ref : 0;
}

/* check_stall - report a task that completed no job for stall_ns, once per stall. */
static void check_stall(struct rtlab_watchdog *wd, struct watch *w,
			const struct rtlab_task_stats *st, uint64_t now)
{
	struct rtlab_watchdog_event ev;
	uint64_t idle;

	if (w->stalled && st->jobs != w->stall_jobs)
		w->stalled = false;
	if (w->stalled || !wd->cfg.stall_ns)
		return;
	idle = task_idle_ns(w, st, now);
	if (idle < wd->cfg.stall_ns)
		return;
	w->stalled = true;
	w->stall_jobs = st->jobs;
	bump(&wd->stalls, 1);
	rtlab_log(wd->ctx, RTLAB_LOG_WARN, "watchdog: %s (tid %d) stalled: no job completed for "
		  "%llu ms", rtlab_task_name(w->task), (int)st->tid,
		  (unsigned long long)(idle / RTLAB_NSEC_PER_MSEC));
	ev = event_for(w, st->tid, now);
	ev.idle_ns = idle;
	if (wd->cfg.on_stall)
		wd->cfg.on_stall(&ev, wd->cfg.userdata);
}

/* demote - SCHED_OTHER nice 0 for a runaway; true if done. */
static bool demote(struct rtlab_watchdog *wd, struct watch *w, pid_t tid, uint64_t now,
		   uint64_t idle)
{
	struct rtlab_sched_attr other = { .policy = RTLAB_POLICY_OTHER };
	struct rtlab_sched_attr cur;
	struct rtlab_watchdog_event ev;

	if (rtlab_sched_get(wd->ctx, tid, &cur) < 0 ||
	    (cur.policy != RTLAB_POLICY_FIFO && cur.policy != RTLAB_POLICY_RR))
		return false;
	if (rtlab_sched_set(wd->ctx, tid, &other) < 0)
		return false;
	bump(&wd->demotions, 1);
	rtlab_log(wd->ctx, RTLAB_LOG_WARN, "watchdog: %s%s%d%s ran %llu ms without "
		  "%s at SCHED_%s priority %d: demoted to SCHED_OTHER",
		  w->task ? w->name : "", w->task ? " (tid " : "thread ", (int)tid,
		  w->task ? ")" : "",
		  (unsigned long long)(idle / RTLAB_NSEC_PER_MSEC),
		  w->task ? "completing a job" : "sleeping",
		  cur.policy == RTLAB_POLICY_FIFO ? "FIFO" : "RR", cur.priority);
	ev = event_for(w, tid, now);
	ev.idle_ns = idle;
	if (wd->cfg.on_demote)
		wd->cfg.on_demote(&ev, wd->cfg.userdata);
	return true;
}

/*
 * check_runaway - sample @tid and move @w's window; demote when it has run
 * for runaway_ns (no job, or no sleep for tid watches) at >= 90 % CPU.
 * @jobs: the task's completed jobs (0 for tid watches).  Returns -errno when
 * the thread cannot be read (gone).
 */
static int check_runaway(struct rtlab_watchdog *wd, struct watch *w, pid_t tid, uint64_t jobs,
			 uint64_t idle, uint64_t now)
{
	struct proc_sample s;
	uint64_t win;
	int r;

	r = sample_thread(wd->ctx, tid, !w->task, &s);
	if (r < 0) {
		w->win_open = false;
		return r;
	}
	if (!w->win_open || s.state != 'R' || jobs != w->win_jobs || s.nvcsw != w->win_nvcsw) {
		w->win_open = s.state == 'R';
		w->win_start_ns = now;
		w->win_cpu_ns = s.cpu_ns;
		w->win_jobs = jobs;
		w->win_nvcsw = s.nvcsw;
		return 0;
	}
	win = now - w->win_start_ns;
	if (win < wd->cfg.runaway_ns ||
	    (s.cpu_ns - w->win_cpu_ns) * 100 < win * WD_RUNAWAY_CPU_PCT)
		return 0;
	if (demote(wd, w, tid, now, w->task ? idle : win))
		w->win_open = false;
	return 0;
}

/* check_task - one look at a task watch. */
static void check_task(struct rtlab_watchdog *wd, struct watch *w, uint64_t now)
{
	struct rtlab_task_stats st;

	rtlab_task_stats(w->task, &st);
	if (st.tid == 0)
		return;
	if (st.tid != w->tid) {
		/* first sight of this thread */
		w->tid = st.tid;
		w->seen_ns = now;
		w->win_open = false;
	}
	check_misses(wd, w, &st, now);
	if (!st.running) {
		w->win_open = false;
		return;
	}
	check_stall(wd, w, &st, now);
	if (wd->cfg.runaway_ns)
		(void)check_runaway(wd, w, st.tid, st.jobs, task_idle_ns(w, &st, now), now);
}

/* check_tid - one look at a thread added by tid. */
static void check_tid(struct rtlab_watchdog *wd, struct watch *w, uint64_t now)
{
	if (w->gone || !wd->cfg.runaway_ns)
		return;
	if (check_runaway(wd, w, w->tid, 0, 0, now) < 0) {
		w->gone = true;
		rtlab_log(wd->ctx, RTLAB_LOG_DEBUG, "watchdog: thread %d is gone", (int)w->tid);
	}
}

/* check_all - one pass over the watches; the lock is held only to read the list. */
static void check_all(struct rtlab_watchdog *wd)
{
	uint64_t now;

	for (size_t i = 0;; i++) {
		struct watch *w = NULL;

		pthread_mutex_lock(&wd->lock);
		if (i < wd->n)
			w = wd->watches[i];
		pthread_mutex_unlock(&wd->lock);
		if (!w)
			break;
		now = rtlab_now_ns();
		if (w->task)
			check_task(wd, w, now);
		else
			check_tid(wd, w, now);
	}
	bump(&wd->checks, 1);
}

/* raise_self - SCHED_FIFO 99 if allowed, else keep the inherited policy (debug log). */
static void raise_self(struct rtlab_watchdog *wd)
{
	struct sched_param sp = { .sched_priority = WD_PRIORITY };
	int r;

	(void)pthread_setname_np(pthread_self(), "rtlab-watchdog");
	/* Not rtlab_sched_set(): a refusal is expected and must not be logged as an error. */
	r = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	if (r)
		rtlab_log(wd->ctx, RTLAB_LOG_DEBUG, "watchdog: cannot run at SCHED_FIFO %d (%s); "
			  "staying at the inherited policy", WD_PRIORITY, strerror(r));
}

/* watchdog_main - check, then sleep until the next check or a stop request. */
static void *watchdog_main(void *arg)
{
	struct rtlab_watchdog *wd = arg;
	uint64_t next = rtlab_now_ns();
	struct timespec ts;
	bool stop;

	raise_self(wd);
	for (;;) {
		check_all(wd);
		next += wd->cfg.check_interval_ns;
		if (next < rtlab_now_ns())
			next = rtlab_now_ns();
		ts = rtlab_ts_from_ns(next);
		pthread_mutex_lock(&wd->lock);
		while (!wd->stop && pthread_cond_timedwait(&wd->wake, &wd->lock, &ts) == 0)
			;
		stop = wd->stop;
		pthread_mutex_unlock(&wd->lock);
		if (stop)
			break;
	}
	return NULL;
}

/* rtlab_watchdog_start - start the watchdog thread. */
int rtlab_watchdog_start(struct rtlab_watchdog *wd)
{
	int r;

	if (wd->started)
		return rtlab_err(wd->ctx, -EALREADY, "watchdog: already started");
	wd->stop = false;
	r = -pthread_create(&wd->thread, NULL, watchdog_main, wd);
	if (r < 0)
		return rtlab_err(wd->ctx, r, "watchdog: cannot create its thread: %s",
				 strerror(-r));
	wd->started = true;
	return 0;
}

/* rtlab_watchdog_stop - wake the thread with the stop flag set, and join it. */
int rtlab_watchdog_stop(struct rtlab_watchdog *wd)
{
	int r;

	if (!wd->started)
		return 0;
	pthread_mutex_lock(&wd->lock);
	wd->stop = true;
	pthread_cond_signal(&wd->wake);
	pthread_mutex_unlock(&wd->lock);
	r = -pthread_join(wd->thread, NULL);
	if (r < 0)
		return rtlab_err(wd->ctx, r, "watchdog: cannot join its thread: %s", strerror(-r));
	wd->started = false;
	return 0;
}

/* rtlab_watchdog_stats - relaxed snapshot of the counters. */
void rtlab_watchdog_stats(const struct rtlab_watchdog *wd, struct rtlab_watchdog_stats *ret)
{
	ret->checks = rtlab_load_u64(&wd->checks);
	ret->misses_reported = rtlab_load_u64(&wd->misses_reported);
	ret->stalls = rtlab_load_u64(&wd->stalls);
	ret->demotions = rtlab_load_u64(&wd->demotions);
}

/* rtlab_watchdog_free - stop, then free the watches. */
struct rtlab_watchdog *rtlab_watchdog_free(struct rtlab_watchdog *wd)
{
	if (!wd)
		return NULL;
	(void)rtlab_watchdog_stop(wd);
	for (size_t i = 0; i < wd->n; i++)
		free(wd->watches[i]);
	free(wd->watches);
	pthread_cond_destroy(&wd->wake);
	pthread_mutex_destroy(&wd->lock);
	free(wd);
	return NULL;
}
