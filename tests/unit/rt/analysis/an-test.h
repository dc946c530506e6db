/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* an-test.h - building task sets for the schedulability analysis tests. */
#ifndef RTLAB_AN_TEST_H
#define RTLAB_AN_TEST_H

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rtlab/analysis.h>

#define MS RTLAB_NSEC_PER_MSEC
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* task - a task of @policy pinned to CPU 0, no mutex; deadline = period. */
static inline struct rtlab_an_task task(const char *name, enum rtlab_policy policy, int prio,
					uint64_t wcet, uint64_t period)
{
	struct rtlab_an_task t = {
		.policy = policy,
		.priority = prio,
		.period_ns = period,
		.wcet_ns = wcet,
		.cpu = 0,
		.mutex = -1,
	};

	snprintf(t.name, sizeof(t.name), "%s", name);
	return t;
}

/* fifo - a SCHED_FIFO task on CPU 0 with times in ms. */
static inline struct rtlab_an_task fifo(const char *name, int prio, uint64_t c_ms, uint64_t t_ms)
{
	return task(name, RTLAB_POLICY_FIFO, prio, c_ms * MS, t_ms * MS);
}

/* dl - a SCHED_DEADLINE task on CPU 0 with times in ms. */
static inline struct rtlab_an_task dl(const char *name, uint64_t c_ms, uint64_t d_ms, uint64_t t_ms)
{
	struct rtlab_an_task t = task(name, RTLAB_POLICY_DEADLINE, 0, c_ms * MS, t_ms * MS);

	t.deadline_ns = d_ms * MS;
	return t;
}

/* mutex - a mutex of @protocol (and @ceiling for protect). */
static inline struct rtlab_an_mutex mutex(const char *name, enum rtlab_mutex_protocol protocol,
					  int ceiling)
{
	struct rtlab_an_mutex m = { .protocol = protocol, .ceiling = ceiling };

	snprintf(m.name, sizeof(m.name), "%s", name);
	return m;
}

/* analyse - rtlab_analyze() that must succeed; the error text is shown if it does not. */
static inline struct rtlab_analysis *analyse(const struct rtlab_an_task *tasks, size_t ntasks,
					     const struct rtlab_an_mutex *mutexes, size_t nmutexes,
					     unsigned global_cpus)
{
	struct rtlab_an_set set = {
		.tasks = tasks,
		.ntasks = ntasks,
		.mutexes = mutexes,
		.nmutexes = nmutexes,
		.global_cpus = global_cpus,
	};
	struct rtlab_analysis *a = NULL;
	char err[512] = "";
	int r = rtlab_analyze(&set, &a, err, sizeof(err));

	cr_assert_eq(r, 0, "rtlab_analyze: %d: %s", r, err);
	cr_assert_not_null(a);
	return a;
}

#endif /* RTLAB_AN_TEST_H */
