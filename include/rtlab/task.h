/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Periodic real-time tasks.
 *
 * A task is one thread that, every period, sleeps with an absolute
 * clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) until its programmed wake
 * time, then runs its job.  Definitions (the same as cyclictest's):
 * - wake-up latency = actual wake time - programmed wake time;
 * - a job *misses its deadline* when it finishes after programmed wake time
 *   + relative deadline (no heuristic margin);
 * - an *overrun* is a job that ends after the next programmed wake time: the
 *   periods that have already started are skipped (not run late, not run in
 *   a burst) and counted, and the task resumes at the next period boundary.
 *
 * A first wake time that is already past when the thread is ready is moved
 * forward by whole periods (no late first sample).  A stop request is seen
 * at the next wake-up, so stopping takes at most one period.
 *
 * The RT thread never allocates, locks, prints or writes files: it updates
 * its own histogram and counters, read by other threads with relaxed atomic
 * loads (rtlab_task_stats()).
 */
#ifndef RTLAB_TASK_H
#define RTLAB_TASK_H

#include <sys/types.h>

#include <rtlab/core.h>
#include <rtlab/hist.h>
#include <rtlab/sched.h>

struct rtlab_task;

/** What one job knows about itself; passed to the job function. */
struct rtlab_job {
	uint64_t index;		/* 0-based job number (skipped periods not counted) */
	uint64_t wake_ns;	/* programmed wake time (absolute, monotonic) */
	uint64_t actual_ns;	/* actual wake time */
	uint64_t latency_ns;	/* actual_ns - wake_ns */
	uint64_t deadline_ns;	/* absolute deadline of this job */
};

/**
 * rtlab_job_fn - the job body, run in the RT thread once per period.
 * Return 0 to continue, > 0 to stop the task cleanly after this job.
 * It must follow the RT rules (no allocation, no blocking I/O).
 */
typedef int (*rtlab_job_fn)(struct rtlab_task *task, const struct rtlab_job *job, void *userdata);

struct rtlab_task_config {
	const char *name;		/* copied; at most 15 chars are used as thread name */
	struct rtlab_sched_attr sched;	/* applied by the thread to itself before the first job */
	const cpu_set_t *affinity;	/* NULL: inherit */
	uint64_t period_ns;		/* required, > 0 */
	uint64_t deadline_ns;		/* relative deadline; 0: = period_ns */
	uint64_t start_ns;		/* absolute first wake time; 0: now + period */
	uint64_t loops;			/* jobs to run; 0: until stopped */
	uint64_t break_ns;		/* stop the task at the first latency > break_ns; 0: off */
	size_t stack_prefault;		/* bytes of stack to prefault; 0: 64 KiB */
	size_t stack_size;		/* thread stack size; 0: 256 KiB */
	unsigned int linear_us;		/* if > 0, also keep a 1 us-per-bucket histogram of
					 * linear_us buckets (cyclictest -h) */
	unsigned int outliers_max;	/* job indexes of linear-histogram overflows kept */
	rtlab_job_fn fn;		/* NULL: no job body (pure latency measurement) */
	void *userdata;
	/* called in the task's thread when it ends, for any reason, after its last job */
	void (*on_exit)(struct rtlab_task *task, void *userdata);
};

/** A consistent-enough snapshot of a task's counters. */
struct rtlab_task_stats {
	pid_t tid;			/* kernel thread id, 0 before the thread started */
	int cpu;			/* CPU of the last job */
	uint64_t jobs;			/* jobs completed */
	uint64_t overruns;		/* periods skipped because a job ran into them */
	uint64_t misses;		/* jobs that finished after their deadline */
	uint64_t last_miss_ns;		/* absolute time the last missed job finished */
	uint64_t act_ns;		/* latency of the last job */
	uint64_t min_ns, max_ns;	/* exact */
	uint64_t sum_ns;
	uint64_t max_job_index;		/* job index where max_ns was seen */
	uint64_t last_job_end_ns;	/* when the last job finished */
	bool running;			/* thread is alive and has not stopped */
	bool broke;			/* stopped by break_ns */
	uint64_t broke_at_ns;		/* when the job that broke woke (CLOCK_MONOTONIC) */
	int error;			/* -errno if the thread failed to start (set-up error) */
};

/**
 * rtlab_task_new - create a task (the thread is not started).
 * Validates @cfg (period, deadline <= period for FIFO/RR/OTHER, scheduling
 * attributes, online affinity; DEADLINE with a restricted affinity is refused,
 * as the kernel refuses it) and allocates its histograms.
 * Returns the task or NULL with errno set (the reason is logged).
 */
RTLAB_API struct rtlab_task *rtlab_task_new(struct rtlab_ctx *ctx, const struct rtlab_task_config *cfg);

/**
 * rtlab_task_start - start the thread.  It sets its own scheduling
 * attributes and affinity, prefaults its stack, and waits for the first wake
 * time.  Returns 0 once the thread has applied its attributes, or the -errno
 * of that step (e.g. -EPERM, -EBUSY), logged, with the thread joined.
 */
RTLAB_API int rtlab_task_start(struct rtlab_task *task);

/**
 * rtlab_task_set_start - set the absolute first wake time (before
 * rtlab_task_start(); used to align several tasks).  Returns 0 or -EBUSY.
 */
RTLAB_API int rtlab_task_set_start(struct rtlab_task *task, uint64_t start_ns);

/** rtlab_task_stop - ask the task to stop after its current job (async-signal-safe). */
RTLAB_API void rtlab_task_stop(struct rtlab_task *task);

/**
 * rtlab_task_join - wait for the thread to end (after stop, loops or break).
 * Returns 0, or the thread's error.
 */
RTLAB_API int rtlab_task_join(struct rtlab_task *task);

/** rtlab_task_free - join if needed, free; returns NULL. */
RTLAB_API struct rtlab_task *rtlab_task_free(struct rtlab_task *task);

/** rtlab_task_stats - snapshot of the counters (any thread). */
RTLAB_API void rtlab_task_stats(const struct rtlab_task *task, struct rtlab_task_stats *ret);

/** rtlab_task_hist - the task's latency histogram (read-only for others). */
RTLAB_API const struct rtlab_hist *rtlab_task_hist(const struct rtlab_task *task);

/**
 * rtlab_task_linear - the 1 us histogram (NULL without linear_us): @ret_n
 * buckets, bucket i counting latencies in [i, i+1) us; @ret_overflow counts
 * latencies >= linear_us.
 */
RTLAB_API const uint64_t *rtlab_task_linear(const struct rtlab_task *task, unsigned int *ret_n,
					    uint64_t *ret_overflow);

/** rtlab_task_outliers - the job indexes of the first linear-histogram overflows. */
RTLAB_API const uint64_t *rtlab_task_outliers(const struct rtlab_task *task, unsigned int *ret_n);

/** rtlab_task_name - the name given in the configuration. */
RTLAB_API const char *rtlab_task_name(const struct rtlab_task *task);

/** rtlab_task_config - the configuration the task was created with. */
RTLAB_API const struct rtlab_task_config *rtlab_task_config(const struct rtlab_task *task);

#endif /* RTLAB_TASK_H */
