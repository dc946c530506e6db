/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Cyclic timer-latency measurement, cyclictest's method: N periodic tasks
 * with no job body, each measuring its wake-up latency, with cyclictest's
 * thread placement (round-robin over an affinity list), interval distance,
 * priorities and break-on-latency.  Built on rtlab_task.
 */
#ifndef RTLAB_CYCLIC_H
#define RTLAB_CYCLIC_H

#include <rtlab/core.h>
#include <rtlab/sched.h>
#include <rtlab/task.h>

struct rtlab_cyclic;

struct rtlab_cyclic_config {
	unsigned int threads;		/* >= 1 */
	bool pin;			/* pin thread i to the i-th CPU of affinity (round-robin) */
	cpu_set_t affinity;		/* CPUs to use when pin is set */
	uint64_t interval_ns;		/* period of thread 0 */
	uint64_t distance_ns;		/* thread i runs at interval_ns + i * distance_ns */
	uint64_t loops;			/* jobs per thread; 0: until stopped */
	struct rtlab_sched_attr sched;	/* policy and priority of every thread; for DEADLINE,
					 * runtime_ns (period and deadline come from the
					 * thread's interval) */
	bool priospread;		/* thread i gets priority - i (floor 1) */
	unsigned int hist_us;		/* 1 us linear histogram of that many buckets; 0: off */
	uint64_t break_ns;		/* stop every thread at the first latency above; 0: off */
};

struct rtlab_cyclic_break {
	bool hit;
	unsigned int thread;
	pid_t tid;
	int cpu;
	uint64_t latency_ns;
	uint64_t job_index;
	uint64_t at_ns;			/* when that job woke (CLOCK_MONOTONIC) */
};

/**
 * rtlab_cyclic_new - validate @cfg and create the tasks (not started).
 * Returns NULL with errno set; the bad field is logged.
 */
RTLAB_API struct rtlab_cyclic *rtlab_cyclic_new(struct rtlab_ctx *ctx, const struct rtlab_cyclic_config *cfg);

/**
 * rtlab_cyclic_start - start every thread, all aligned on one start time.
 * On failure, the threads already started are stopped and joined.
 */
RTLAB_API int rtlab_cyclic_start(struct rtlab_cyclic *c);

/** rtlab_cyclic_stop - ask every thread to stop (async-signal-safe). */
RTLAB_API void rtlab_cyclic_stop(struct rtlab_cyclic *c);

/**
 * rtlab_cyclic_wait - wait up to @timeout_ns for every thread to finish;
 * a break in one thread stops the others.  Returns 1 when all have finished,
 * 0 on timeout.
 */
RTLAB_API int rtlab_cyclic_wait(struct rtlab_cyclic *c, uint64_t timeout_ns);

/** rtlab_cyclic_join - join every thread; returns the first thread error or 0. */
RTLAB_API int rtlab_cyclic_join(struct rtlab_cyclic *c);

/** rtlab_cyclic_free - stop, join and free; returns NULL. */
RTLAB_API struct rtlab_cyclic *rtlab_cyclic_free(struct rtlab_cyclic *c);

/** rtlab_cyclic_nthreads - the number of threads. */
RTLAB_API unsigned int rtlab_cyclic_nthreads(const struct rtlab_cyclic *c);

/** rtlab_cyclic_task - thread @i's task (NULL out of range). */
RTLAB_API struct rtlab_task *rtlab_cyclic_task(const struct rtlab_cyclic *c, unsigned int i);

/** rtlab_cyclic_break_info - which thread broke, if one did. */
RTLAB_API void rtlab_cyclic_break_info(const struct rtlab_cyclic *c, struct rtlab_cyclic_break *ret);

/**
 * rtlab_cyclic_cpus - the CPUs the threads run on (the pinned ones, or all
 * online CPUs when not pinned), for steal accounting.
 */
RTLAB_API void rtlab_cyclic_cpus(const struct rtlab_cyclic *c, cpu_set_t *ret);

/**
 * rtlab_cyclic_percentile - percentile @q of the samples of every thread
 * together (see rtlab_hist_percentile()).
 */
RTLAB_API uint64_t rtlab_cyclic_percentile(const struct rtlab_cyclic *c, double q);

/** rtlab_cyclic_count - the samples of every thread together. */
RTLAB_API uint64_t rtlab_cyclic_count(const struct rtlab_cyclic *c);

#endif /* RTLAB_CYCLIC_H */
