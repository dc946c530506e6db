/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Schedulability analysis: can a set of periodic tasks meet every deadline,
 * before any of them runs?
 *
 * The model is plain data (no scenario file needed): tasks with a policy, a
 * priority, a period, a relative deadline (<= period), a worst-case
 * execution time (WCET), the one CPU they are pinned to (or -1: they may run
 * on several CPUs), and at most one mutex held for @hold_ns per job.
 *
 * What is computed (docs/analysis.md explains each test and its limits):
 * - per CPU: the utilization of its FIFO/RR tasks and of its DEADLINE tasks,
 *   whether the priorities are rate- or deadline-monotonic, the Liu-Layland
 *   bound n(2^(1/n) - 1) and its verdict (a sufficient test only);
 * - per FIFO/RR task pinned to a CPU: the exact response-time analysis
 *   R = C + B + sum ceil((R + J)/T) C over the tasks that can preempt it,
 *   with the blocking term B of its mutexes (priority inheritance: the
 *   smaller of the per-task and per-mutex bounds; priority ceiling: one
 *   critical section; no protocol: unbounded as soon as a medium-priority
 *   task can preempt the holder);
 * - per CPU with DEADLINE tasks pinned to it: EDF, U <= 1 when deadlines
 *   equal periods, else the processor-demand test up to the busy period;
 * - for the tasks that may run on several CPUs: exact tests do not apply;
 *   the sufficient density tests of global EDF (Goossens-Funk-Baruah) and
 *   global deadline-monotonic (Bertogna-Cirinei-Lipari) are given as such.
 * Every verdict comes with a sentence saying why (which task misses, its
 * response time against its deadline, which task preempts or blocks it).
 *
 * Times are nanoseconds.  Work is bounded: the iterations stop after a fixed
 * count and the verdict then says the analysis gave up.
 */
#ifndef RTLAB_ANALYSIS_H
#define RTLAB_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rtlab/core.h>
#include <rtlab/mutex.h>
#include <rtlab/sched.h>

#define RTLAB_AN_NAME_MAX 64		/* task and mutex names, bytes with NUL */
#define RTLAB_AN_REASON_MAX 1024	/* one verdict's explanation, bytes with NUL */
#define RTLAB_AN_RTA_MAX_ITER 1000000U	/* response-time iterations per task */
#define RTLAB_AN_DBF_MAX_POINTS 1000000U /* deadlines checked by the demand test per CPU */

/* One periodic task. */
struct rtlab_an_task {
	char name[RTLAB_AN_NAME_MAX];
	enum rtlab_policy policy;	/* FIFO/RR: fixed priority; DEADLINE: EDF; others: none */
	int priority;			/* FIFO/RR: 1..99; ignored otherwise */
	uint64_t period_ns;		/* > 0 */
	uint64_t deadline_ns;		/* relative, <= period_ns; 0: = period_ns */
	uint64_t wcet_ns;		/* worst-case execution time per job (DEADLINE: runtime) */
	int cpu;			/* the one CPU it is pinned to; -1: may run on several */
	int mutex;			/* index in the mutex array; -1: none */
	uint64_t hold_ns;		/* of wcet_ns, how long a job holds the mutex at most */
};

/* One mutex shared by tasks. */
struct rtlab_an_mutex {
	char name[RTLAB_AN_NAME_MAX];
	enum rtlab_mutex_protocol protocol;
	int ceiling;			/* RTLAB_MUTEX_PROTECT: 1..99, >= its users' priorities */
};

/* What rtlab_analyze() looks at. */
struct rtlab_an_set {
	const struct rtlab_an_task *tasks;
	size_t ntasks;			/* >= 1 */
	const struct rtlab_an_mutex *mutexes;
	size_t nmutexes;
	unsigned global_cpus;		/* CPUs shared by the tasks with cpu = -1 (>= 2 if any) */
};

enum rtlab_an_verdict {
	RTLAB_AN_SCHEDULABLE,		/* proven: never misses a deadline */
	RTLAB_AN_UNKNOWN,		/* not proven: a sufficient test failed, or it gave up */
	RTLAB_AN_MISS,			/* can miss a deadline (exact or necessary test) */
	RTLAB_AN_NOT_ANALYSED,		/* no real-time guarantee to check (SCHED_OTHER...) */
	_RTLAB_AN_VERDICT_MAX,
};

enum rtlab_an_test {
	RTLAB_AN_TEST_NONE,
	RTLAB_AN_TEST_RTA,		/* response times, fixed priorities, one CPU (exact) */
	RTLAB_AN_TEST_EDF_UTIL,		/* EDF with deadlines = periods: U <= 1 (exact) */
	RTLAB_AN_TEST_EDF_DEMAND,	/* EDF, deadlines < periods: processor demand (exact) */
	RTLAB_AN_TEST_GLOBAL_EDF,	/* global EDF: Goossens-Funk-Baruah bound (sufficient) */
	RTLAB_AN_TEST_GLOBAL_DM,	/* global DM: Bertogna-Cirinei-Lipari bound (sufficient) */
	_RTLAB_AN_TEST_MAX,
};

/* How the blocking term of a fixed-priority task was bounded. */
enum rtlab_an_blocking {
	RTLAB_AN_BLOCK_NONE,		/* no lower-priority task can block it */
	RTLAB_AN_BLOCK_PER_TASK,	/* sum of one critical section per lower-priority task */
	RTLAB_AN_BLOCK_PER_MUTEX,	/* sum of one critical section per mutex */
	RTLAB_AN_BLOCK_CEILING,		/* priority ceiling: one critical section */
	RTLAB_AN_BLOCK_UNBOUNDED,	/* unbounded priority inversion */
	_RTLAB_AN_BLOCK_MAX,
};

/* The result for one task (same index as the input). */
struct rtlab_an_task_result {
	enum rtlab_an_verdict verdict;
	enum rtlab_an_test test;
	uint64_t response_ns;		/* RTA: worst-case response time; on a miss, the first
					 * iterate above the deadline; UINT64_MAX: unbounded;
					 * 0: not computed (EDF, global, not analysed) */
	uint64_t blocking_ns;		/* B: by lower-priority tasks that may run on its CPU */
	uint64_t remote_ns;		/* waiting for its mutex held on other CPUs */
	enum rtlab_an_blocking blocking;
	int blocker;			/* task of the longest blocking critical section, -1 */
	unsigned iterations;		/* RTA iterations done */
	char reason[RTLAB_AN_REASON_MAX];	/* why, in words */
};

/* The result for one CPU, or (cpu = -1) for the tasks that may run on several. */
struct rtlab_an_cpu {
	int cpu;			/* CPU number, -1: the tasks that may run on several CPUs */
	unsigned ncpus;			/* 1, or global_cpus for cpu = -1 */
	unsigned nfp, ndl;		/* FIFO/RR and DEADLINE tasks */
	double util_fp, util_dl;	/* sum of wcet/period of each kind */
	double ll_bound;		/* n(2^(1/n) - 1) for n = nfp; 0 without FIFO/RR tasks */
	bool rm_ordered;		/* a shorter period always has a higher priority */
	bool dm_ordered;		/* a shorter deadline always has a higher priority */
	enum rtlab_an_verdict ll;	/* Liu-Layland (NOT_ANALYSED where it does not apply) */
	enum rtlab_an_verdict fp;	/* the FIFO/RR tasks: worst of their verdicts */
	enum rtlab_an_test fp_test;
	enum rtlab_an_verdict edf;	/* the DEADLINE tasks */
	enum rtlab_an_test edf_test;
	uint64_t edf_horizon_ns;	/* demand test: deadlines checked up to this time */
	uint64_t edf_points;		/* demand test: deadlines checked */
	enum rtlab_an_verdict verdict;	/* worst of fp and edf */
	char ll_reason[RTLAB_AN_REASON_MAX];
	char fp_reason[RTLAB_AN_REASON_MAX];
	char edf_reason[RTLAB_AN_REASON_MAX];
	char note[RTLAB_AN_REASON_MAX];	/* assumptions that apply to this CPU, or "" */
};

struct rtlab_analysis {
	struct rtlab_an_task_result *tasks;	/* ntasks results, in input order */
	size_t ntasks;
	struct rtlab_an_cpu *cpus;	/* the CPUs with pinned tasks ascending, then cpu = -1 */
	size_t ncpus;
	enum rtlab_an_verdict verdict;	/* worst over the analysed tasks */
	unsigned analysed;		/* tasks not NOT_ANALYSED */
	unsigned missing;		/* tasks whose verdict is MISS or UNKNOWN */
};

/**
 * rtlab_an_task_check - check one task against the model: a name, a known
 * policy, FIFO/RR priority 1..99, period > 0, deadline <= period, WCET <=
 * deadline (FIFO/RR/DEADLINE), cpu >= -1, a mutex index below @nmutexes,
 * hold <= WCET, and for a PROTECT mutex a FIFO/RR task whose priority is
 * not above the ceiling.  Returns 0, or -EINVAL with a sentence in @err
 * (which does not repeat the task's name).
 */
RTLAB_API int rtlab_an_task_check(const struct rtlab_an_task *task,
				  const struct rtlab_an_mutex *mutexes, size_t nmutexes, char *err,
				  size_t errsize);

/**
 * rtlab_analyze - analyse @set.  Checks every mutex and task first
 * (rtlab_an_task_check()); an empty set, or tasks with cpu = -1 and
 * global_cpus < 2, are refused too.
 * Returns 0 with *@ret set (free with rtlab_analysis_free()), -EINVAL with
 * "task 2 't3': ..." or "mutex 0 'm': ..." in @err, or -ENOMEM.
 */
RTLAB_API int rtlab_analyze(const struct rtlab_an_set *set, struct rtlab_analysis **ret, char *err,
			    size_t errsize);

/** rtlab_analysis_free - free @a (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_analysis *rtlab_analysis_free(struct rtlab_analysis *a);

/** rtlab_an_verdict_name - "schedulable", "unknown", "can miss", "not analysed", or NULL. */
RTLAB_API const char *rtlab_an_verdict_name(enum rtlab_an_verdict v);

/** rtlab_an_test_name - a short name of the test ("response time", "EDF demand", ...), or NULL. */
RTLAB_API const char *rtlab_an_test_name(enum rtlab_an_test t);

/** rtlab_an_blocking_name - "none", "per task", "per mutex", "ceiling", "unbounded", or NULL. */
RTLAB_API const char *rtlab_an_blocking_name(enum rtlab_an_blocking b);

/**
 * rtlab_an_format_ns - write @ns exactly in the largest fitting unit
 * ("20 ms", "1.5 ms", "250 us", "7 ns", "2.000001 s") into @buf.
 * Returns @buf (truncated if @size is too small).
 */
RTLAB_API const char *rtlab_an_format_ns(uint64_t ns, char *buf, size_t size);

#endif /* RTLAB_ANALYSIS_H */
