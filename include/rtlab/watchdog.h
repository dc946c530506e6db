/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Watchdog: a thread that watches periodic tasks (rtlab_task) and plain
 * threads, from outside the RT threads, so that nothing is added to their
 * hot path.
 * - deadline misses: each new miss counted by a task is reported once
 *   through on_miss;
 * - stalls: a task that completed no job for stall_ns is reported through
 *   on_stall (once per stall; again after it has recovered);
 * - runaways: a SCHED_FIFO/RR thread that has been running (state R, and
 *   consuming CPU at least 90 % of the time) without completing a job for
 *   runaway_ns is demoted to SCHED_OTHER, and on_demote is called.  This is
 *   what keeps a bad task from freezing the machine.
 *
 * The watchdog thread runs as SCHED_FIFO at priority 99 when it may (so that
 * a runaway cannot starve it), otherwise at its inherited policy (logged).
 * Callbacks run in the watchdog thread.
 */
#ifndef RTLAB_WATCHDOG_H
#define RTLAB_WATCHDOG_H

#include <sys/types.h>

#include <rtlab/core.h>
#include <rtlab/task.h>

struct rtlab_watchdog;

struct rtlab_watchdog_event {
	struct rtlab_task *task;	/* NULL for a thread added by tid */
	pid_t tid;
	const char *name;		/* task name, or "tid N" */
	uint64_t now_ns;		/* when the watchdog saw it */
	uint64_t misses;		/* on_miss: total misses so far */
	uint64_t new_misses;		/* on_miss: misses since the last report */
	uint64_t idle_ns;		/* on_stall/on_demote: time since the last completed job */
};

typedef void (*rtlab_watchdog_fn)(const struct rtlab_watchdog_event *ev, void *userdata);

struct rtlab_watchdog_config {
	uint64_t check_interval_ns;	/* 0: 10 ms */
	uint64_t stall_ns;		/* 0: off */
	uint64_t runaway_ns;		/* 0: off */
	rtlab_watchdog_fn on_miss;
	rtlab_watchdog_fn on_stall;
	rtlab_watchdog_fn on_demote;
	void *userdata;
};

struct rtlab_watchdog_stats {
	uint64_t checks;
	uint64_t misses_reported;
	uint64_t stalls;
	uint64_t demotions;
};

/** rtlab_watchdog_new - create a stopped watchdog; NULL with errno set. */
RTLAB_API struct rtlab_watchdog *rtlab_watchdog_new(struct rtlab_ctx *ctx,
						    const struct rtlab_watchdog_config *cfg);

/**
 * rtlab_watchdog_add_task - watch @task (before or after start); 0 or -errno.
 * There is no removal: a watched task must outlive the watchdog (stop or
 * free the watchdog before freeing its tasks).
 */
RTLAB_API int rtlab_watchdog_add_task(struct rtlab_watchdog *wd, struct rtlab_task *task);

/**
 * rtlab_watchdog_add_tid - watch a plain thread for runaway only: it is a
 * runaway when it has been running continuously for runaway_ns.
 */
RTLAB_API int rtlab_watchdog_add_tid(struct rtlab_watchdog *wd, pid_t tid);

/** rtlab_watchdog_start - start the watchdog thread; 0 or -errno. */
RTLAB_API int rtlab_watchdog_start(struct rtlab_watchdog *wd);

/** rtlab_watchdog_stop - stop and join the watchdog thread; 0 or -errno. */
RTLAB_API int rtlab_watchdog_stop(struct rtlab_watchdog *wd);

/** rtlab_watchdog_stats - counters so far. */
RTLAB_API void rtlab_watchdog_stats(const struct rtlab_watchdog *wd, struct rtlab_watchdog_stats *ret);

/** rtlab_watchdog_free - stop if needed and free; returns NULL. */
RTLAB_API struct rtlab_watchdog *rtlab_watchdog_free(struct rtlab_watchdog *wd);

#endif /* RTLAB_WATCHDOG_H */
