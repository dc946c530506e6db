/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-input.c - what the analysis refuses (each with its reason), the
 * names of verdicts, tests and bounds, and the exact duration formatting.
 */
#include <errno.h>
#include <stdint.h>

#include "an-test.h"

#include <criterion/parameterized.h>

#define US RTLAB_NSEC_PER_USEC

/* What a case changes in a good task. */
enum field { F_NONE, F_PERIOD, F_WCET, F_DEADLINE, F_PRIO, F_POLICY, F_CPU, F_MUTEX, F_HOLD,
	     F_NAME };

/* One refused task: up to two changes (plain data: each test runs in a new process). */
struct bad_task {
	enum field f1;
	int64_t v1;
	enum field f2;
	int64_t v2;
	char want[128];		/* a fragment of the message */
};

/* change - set one field of @t. */
static void change(struct rtlab_an_task *t, enum field f, int64_t v)
{
	if (f == F_PERIOD)
		t->period_ns = (uint64_t)v;
	else if (f == F_WCET)
		t->wcet_ns = (uint64_t)v;
	else if (f == F_DEADLINE)
		t->deadline_ns = (uint64_t)v;
	else if (f == F_PRIO)
		t->priority = (int)v;
	else if (f == F_POLICY)
		t->policy = (enum rtlab_policy)v;
	else if (f == F_CPU)
		t->cpu = (int)v;
	else if (f == F_MUTEX)
		t->mutex = (int)v;
	else if (f == F_HOLD)
		t->hold_ns = (uint64_t)v;
	else if (f == F_NAME)
		t->name[0] = '\0';
}

ParameterizedTestParameters(input, bad_task)
{
	static struct bad_task cases[] = {
		{ F_PERIOD, 0, F_NONE, 0, "task 0 't': period is zero" },
		{ F_WCET, 11 * MS, F_NONE, 0, "task 0 't': WCET 11 ms is longer than its deadline "
					       "10 ms: it misses even alone on a CPU" },
		{ F_DEADLINE, 2 * MS, F_WCET, 2500 * US, "WCET 2.5 ms is longer than its deadline "
							  "2 ms" },
		{ F_DEADLINE, 20 * MS, F_NONE, 0, "deadline 20 ms is longer than its period "
						  "10 ms" },
		{ F_PRIO, 0, F_NONE, 0, "priority 0 is not in 1..99" },
		{ F_PRIO, 100, F_NONE, 0, "priority 100 is not in 1..99" },
		{ F_POLICY, _RTLAB_POLICY_MAX, F_NONE, 0, "unknown policy" },
		{ F_CPU, -2, F_NONE, 0, "cpu -2 is neither a CPU number nor -1" },
		{ F_MUTEX, 1, F_NONE, 0, "mutex index 1 is not one of the 1 mutexes" },
		{ F_MUTEX, 0, F_HOLD, 2 * MS, "holds mutex 'm' for 2 ms, longer than its WCET "
					      "1 ms" },
		{ F_NAME, 0, F_NONE, 0, "task 0 '': a task needs a name" },
		{ F_CPU, -1, F_NONE, 0, "tasks may run on several CPUs (cpu = -1) but the set says "
					"they share 1" },
	};

	return cr_make_param_array(struct bad_task, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct bad_task *c, input, bad_task)
{
	const struct rtlab_an_mutex m = mutex("m", RTLAB_MUTEX_INHERIT, 0);
	struct rtlab_an_task t = fifo("t", 10, 1, 10);
	struct rtlab_an_set set = { .tasks = &t, .ntasks = 1, .mutexes = &m, .nmutexes = 1,
				    .global_cpus = 1 };
	struct rtlab_analysis *a = NULL;
	char err[512] = "";

	change(&t, c->f1, c->v1);
	change(&t, c->f2, c->v2);
	cr_assert_eq(rtlab_analyze(&set, &a, err, sizeof(err)), -EINVAL);
	cr_assert_null(a);
	cr_assert(strstr(err, c->want), "got '%s', want '%s'", err, c->want);
}

/* An empty set, a NULL set, and a mutex that is wrong in itself. */
Test(input, empty_and_bad_mutex)
{
	const struct rtlab_an_task t[] = { fifo("t", 10, 1, 10) };
	const struct rtlab_an_mutex m[] = { mutex("pc", RTLAB_MUTEX_PROTECT, 0) };
	struct rtlab_an_set set = { .tasks = t, .ntasks = 0 };
	struct rtlab_analysis *a = NULL;
	char err[512] = "";

	cr_assert_eq(rtlab_analyze(&set, &a, err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "no task to analyse");
	cr_assert_eq(rtlab_analyze(NULL, &a, err, sizeof(err)), -EINVAL);
	set.ntasks = 1;
	set.mutexes = m;
	set.nmutexes = 1;
	cr_assert_eq(rtlab_analyze(&set, &a, err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "mutex 0 'pc': ceiling 0 is not in 1..99");
	cr_assert_null(a);
}

/* The ceiling protocol: only FIFO/RR tasks, none above the ceiling. */
Test(input, ceiling_rules)
{
	const struct rtlab_an_mutex m[] = { mutex("pc", RTLAB_MUTEX_PROTECT, 20) };
	struct rtlab_an_task t = fifo("t", 30, 1, 10);
	char err[512] = "";

	t.mutex = 0;
	cr_assert_eq(rtlab_an_task_check(&t, m, 1, err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "priority 30 is above the ceiling 20 of mutex 'pc'");
	t.priority = 20;
	cr_assert_eq(rtlab_an_task_check(&t, m, 1, err, sizeof(err)), 0);
	t = dl("d", 1, 10, 10);
	t.mutex = 0;
	cr_assert_eq(rtlab_an_task_check(&t, m, 1, err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "uses mutex 'pc' (protect) but is deadline: the priority ceiling "
			 "protocol applies to fifo/rr tasks only");
}

/* Tasks without a real-time policy are listed but not analysed; their WCET is not checked. */
Test(input, other_tasks_not_analysed)
{
	const struct rtlab_an_task t[] = {
		task("bg", RTLAB_POLICY_OTHER, 0, 50 * MS, 10 * MS),
		task("batch", RTLAB_POLICY_BATCH, 0, 1 * MS, 10 * MS),
	};
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	cr_assert_eq(a->ncpus, 0);
	cr_assert_eq(a->analysed, 0);
	cr_assert_eq(a->verdict, RTLAB_AN_NOT_ANALYSED);
	cr_assert_str_eq(a->tasks[0].reason, "policy other has no real-time guarantee to check");
	cr_assert_eq(a->tasks[1].verdict, RTLAB_AN_NOT_ANALYSED);
	rtlab_analysis_free(a);
	cr_assert_null(rtlab_analysis_free(NULL));
}

/* Durations print exactly, in the largest unit they reach. */
Test(input, format_ns)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} cases[] = {
		{ 0, "0 ns" },
		{ 7, "7 ns" },
		{ 999, "999 ns" },
		{ 1000, "1 us" },
		{ 250 * US, "250 us" },
		{ 1500 * US, "1.5 ms" },
		{ 20 * MS, "20 ms" },
		{ 20 * MS + 1, "20.000001 ms" },
		{ 2 * RTLAB_NSEC_PER_SEC + 1000, "2.000001 s" },
		{ 61 * RTLAB_NSEC_PER_SEC, "61 s" },
	};
	char buf[32];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cr_assert_str_eq(rtlab_an_format_ns(cases[i].ns, buf, sizeof(buf)), cases[i].want);
	cr_assert_str_eq(rtlab_an_format_ns(1500 * US, buf, 4), "1.5");
}

/* Every enum value has a name; out-of-range values have none. */
Test(input, names)
{
	cr_assert_str_eq(rtlab_an_verdict_name(RTLAB_AN_SCHEDULABLE), "schedulable");
	cr_assert_str_eq(rtlab_an_verdict_name(RTLAB_AN_MISS), "can miss");
	cr_assert_str_eq(rtlab_an_verdict_name(RTLAB_AN_UNKNOWN), "unknown");
	cr_assert_str_eq(rtlab_an_verdict_name(RTLAB_AN_NOT_ANALYSED), "not analysed");
	cr_assert_null(rtlab_an_verdict_name(_RTLAB_AN_VERDICT_MAX));
	for (int i = 0; i < _RTLAB_AN_TEST_MAX; i++)
		cr_assert_not_null(rtlab_an_test_name(i));
	cr_assert_null(rtlab_an_test_name(_RTLAB_AN_TEST_MAX));
	for (int i = 0; i < _RTLAB_AN_BLOCK_MAX; i++)
		cr_assert_not_null(rtlab_an_blocking_name(i));
	cr_assert_str_eq(rtlab_an_blocking_name(RTLAB_AN_BLOCK_CEILING), "ceiling");
	cr_assert_null(rtlab_an_blocking_name(-1));
}

/* Huge numbers saturate instead of wrapping: the task is reported as missing. */
Test(input, saturation)
{
	const uint64_t big = UINT64_MAX / 2;
	struct rtlab_an_task t[] = {
		task("a", RTLAB_POLICY_FIFO, 20, big, UINT64_MAX),
		task("b", RTLAB_POLICY_FIFO, 10, big, UINT64_MAX),
		task("c", RTLAB_POLICY_FIFO, 5, big, UINT64_MAX),
	};
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	cr_assert_eq(a->tasks[0].response_ns, big);
	cr_assert_eq(a->tasks[1].response_ns, 2 * big);
	cr_assert_eq(a->tasks[2].verdict, RTLAB_AN_MISS);
	cr_assert_eq(a->tasks[2].response_ns, UINT64_MAX);
	rtlab_analysis_free(a);
}
