/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-rta.c - fixed priorities on one CPU: utilization, Liu-Layland,
 * rate-monotonic order, exact response times of textbook task sets, and the
 * blocking terms of inheritance, ceiling and plain mutexes.
 */
#include <stdint.h>

#include "an-test.h"

/* Liu & Layland's bound n(2^(1/n) - 1) for n = 1, 2, 3 and a set below it. */
Test(rta, liu_layland_below_bound)
{
	const struct rtlab_an_task one[] = { fifo("a", 10, 1, 2) };
	const struct rtlab_an_task two[] = { fifo("a", 20, 1, 4), fifo("b", 10, 2, 5) };
	const struct rtlab_an_task three[] = { fifo("a", 30, 1, 4), fifo("b", 20, 1, 5),
					       fifo("c", 10, 2, 10) };
	struct rtlab_analysis *a1 = analyse(one, 1, NULL, 0, 0);
	struct rtlab_analysis *a2 = analyse(two, 2, NULL, 0, 0);
	struct rtlab_analysis *a3 = analyse(three, 3, NULL, 0, 0);

	cr_assert_float_eq(a1->cpus[0].ll_bound, 1.0, 1e-12);
	cr_assert_float_eq(a2->cpus[0].ll_bound, 0.8284271247461901, 1e-12);
	cr_assert_float_eq(a3->cpus[0].ll_bound, 0.7797631496846196, 1e-12);
	cr_assert_float_eq(a3->cpus[0].util_fp, 0.65, 1e-12);
	cr_assert_eq(a3->cpus[0].nfp, 3);
	cr_assert(a3->cpus[0].rm_ordered);
	cr_assert(a3->cpus[0].dm_ordered);
	cr_assert_eq(a1->cpus[0].ll, RTLAB_AN_SCHEDULABLE);
	cr_assert_eq(a2->cpus[0].ll, RTLAB_AN_SCHEDULABLE);
	cr_assert_eq(a3->cpus[0].ll, RTLAB_AN_SCHEDULABLE, "%s", a3->cpus[0].ll_reason);
	cr_assert_str_eq(a3->cpus[0].ll_reason, "U = 0.650 <= 0.780 = n(2^(1/n) - 1) for n = 3: "
			 "schedulable under rate-monotonic priorities (a sufficient test)");
	cr_assert_eq(a3->verdict, RTLAB_AN_SCHEDULABLE);
	rtlab_analysis_free(a1);
	rtlab_analysis_free(a2);
	rtlab_analysis_free(a3);
}

/* The classic response-time example: T = (7, 12, 20), C = (3, 3, 5) gives R = (3, 6, 20). */
Test(rta, classic_example)
{
	const struct rtlab_an_task t[] = { fifo("t1", 30, 3, 7), fifo("t2", 20, 3, 12),
					   fifo("t3", 10, 5, 20) };
	const uint64_t expect[] = { 3 * MS, 6 * MS, 20 * MS };
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		cr_assert_eq(a->tasks[i].verdict, RTLAB_AN_SCHEDULABLE, "%s", a->tasks[i].reason);
		cr_assert_eq(a->tasks[i].test, RTLAB_AN_TEST_RTA);
		cr_assert_eq(a->tasks[i].response_ns, expect[i], "R%zu = %lu", i + 1,
			     (unsigned long)a->tasks[i].response_ns);
		cr_assert_eq(a->tasks[i].blocking_ns, 0);
		cr_assert_eq(a->tasks[i].blocking, RTLAB_AN_BLOCK_NONE);
	}
	cr_assert_str_eq(a->tasks[2].reason, "worst-case response time 20 ms <= deadline 20 ms: "
			 "its own 5 ms + preempted by t1 9 ms (3 jobs), t2 6 ms (2 jobs)");
	/* U = 0.929 is above the bound 0.780: Liu-Layland cannot tell, the RTA can. */
	cr_assert_eq(a->cpus[0].ll, RTLAB_AN_UNKNOWN);
	cr_assert_float_eq(a->cpus[0].util_fp, 3.0 / 7 + 0.25 + 0.25, 1e-12);
	cr_assert_eq(a->cpus[0].fp, RTLAB_AN_SCHEDULABLE);
	cr_assert_eq(a->verdict, RTLAB_AN_SCHEDULABLE);
	cr_assert_eq(a->analysed, 3);
	cr_assert_eq(a->missing, 0);
	rtlab_analysis_free(a);
}

/* A harmonic set at U = 1, far above the Liu-Layland bound, that RTA proves schedulable. */
Test(rta, harmonic_full_utilization)
{
	const struct rtlab_an_task t[] = { fifo("a", 30, 2, 4), fifo("b", 20, 2, 8),
					   fifo("c", 10, 4, 16) };
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	cr_assert_float_eq(a->cpus[0].util_fp, 1.0, 1e-12);
	cr_assert_eq(a->cpus[0].ll, RTLAB_AN_UNKNOWN, "%s", a->cpus[0].ll_reason);
	cr_assert_eq(a->tasks[0].response_ns, 2 * MS);
	cr_assert_eq(a->tasks[1].response_ns, 4 * MS);
	cr_assert_eq(a->tasks[2].response_ns, 16 * MS);
	cr_assert_eq(a->verdict, RTLAB_AN_SCHEDULABLE);
	rtlab_analysis_free(a);
}

/* One more ms for t3 and it misses: R3 iterates 6, 12, 15, 21 > 20. */
Test(rta, set_that_misses)
{
	const struct rtlab_an_task t[] = { fifo("t1", 30, 3, 7), fifo("t2", 20, 3, 12),
					   fifo("t3", 10, 6, 20) };
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	cr_assert_eq(a->tasks[0].verdict, RTLAB_AN_SCHEDULABLE);
	cr_assert_eq(a->tasks[1].verdict, RTLAB_AN_SCHEDULABLE);
	cr_assert_eq(a->tasks[2].verdict, RTLAB_AN_MISS);
	cr_assert_eq(a->tasks[2].response_ns, 21 * MS);
	cr_assert_eq(a->tasks[2].iterations, 3);
	cr_assert_str_eq(a->tasks[2].reason, "can miss its deadline: the response time reaches "
			 "21 ms > deadline 20 ms: its own 6 ms + preempted by t1 9 ms (3 jobs), t2 "
			 "6 ms (2 jobs)");
	cr_assert_eq(a->cpus[0].fp, RTLAB_AN_MISS);
	cr_assert_eq(a->verdict, RTLAB_AN_MISS);
	cr_assert_eq(a->missing, 1);
	cr_assert(strstr(a->cpus[0].fp_reason, "t3 (can miss)"), "%s", a->cpus[0].fp_reason);
	rtlab_analysis_free(a);
}

/* Priorities against the periods: not rate-monotonic, Liu-Layland does not apply. */
Test(rta, not_rate_monotonic)
{
	const struct rtlab_an_task t[] = { fifo("slow", 30, 1, 10), fifo("fast", 20, 1, 5) };
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	cr_assert_not(a->cpus[0].rm_ordered);
	cr_assert_not(a->cpus[0].dm_ordered);
	cr_assert_eq(a->cpus[0].ll, RTLAB_AN_NOT_ANALYSED);
	cr_assert(strstr(a->cpus[0].ll_reason, "fast has a shorter period than slow"), "%s",
		  a->cpus[0].ll_reason);
	cr_assert_eq(a->tasks[1].response_ns, 2 * MS);
	rtlab_analysis_free(a);
}

/*
 * Blocking on one CPU: H (30) shares m1 with L1 (10); M (20) shares m2 with L2 (5).
 * Ceilings: m1 = 30, m2 = 20.  With inheritance M can be blocked by L1 (push-through on
 * m1) and by L2 (direct, on m2): B = 2 + 3 = 5; with ceilings, by one of them: B = 3.
 */
static void blocking_set(enum rtlab_mutex_protocol protocol, struct rtlab_analysis **ret)
{
	struct rtlab_an_task t[] = { fifo("H", 30, 2, 10), fifo("M", 20, 4, 20),
				     fifo("L1", 10, 4, 40), fifo("L2", 5, 6, 80) };
	const struct rtlab_an_mutex m[] = { mutex("m1", protocol, 30), mutex("m2", protocol, 20) };
	const int use[] = { 0, 1, 0, 1 };
	const uint64_t hold[] = { 1 * MS, 1 * MS, 2 * MS, 3 * MS };

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		t[i].mutex = use[i];
		t[i].hold_ns = hold[i];
	}
	*ret = analyse(t, ARRAY_SIZE(t), m, ARRAY_SIZE(m), 0);
}

Test(rta, inheritance_blocking)
{
	struct rtlab_analysis *a;

	blocking_set(RTLAB_MUTEX_INHERIT, &a);
	cr_assert_eq(a->tasks[0].blocking_ns, 2 * MS);
	cr_assert_eq(a->tasks[0].blocker, 2);
	cr_assert_eq(a->tasks[0].response_ns, 4 * MS);
	cr_assert_eq(a->tasks[1].blocking_ns, 5 * MS);
	cr_assert_eq(a->tasks[1].blocking, RTLAB_AN_BLOCK_PER_MUTEX);
	cr_assert_eq(a->tasks[1].blocker, 3);
	cr_assert_eq(a->tasks[1].response_ns, 13 * MS);
	cr_assert_eq(a->tasks[2].blocking_ns, 3 * MS);
	cr_assert_eq(a->tasks[2].response_ns, 15 * MS);
	cr_assert_eq(a->tasks[3].blocking_ns, 0);
	cr_assert_eq(a->tasks[3].response_ns, 18 * MS);
	cr_assert(strstr(a->tasks[1].reason, "+ blocked 5 ms by lower-priority tasks holding "
			 "mutexes (longest: L2 holding m2 for 3 ms; bound: one critical section "
			 "per mutex)"), "%s", a->tasks[1].reason);
	cr_assert_eq(a->cpus[0].ll, RTLAB_AN_NOT_ANALYSED);
	rtlab_analysis_free(a);
}

Test(rta, ceiling_blocking)
{
	struct rtlab_analysis *a;

	blocking_set(RTLAB_MUTEX_PROTECT, &a);
	cr_assert_eq(a->tasks[0].blocking_ns, 2 * MS);
	cr_assert_eq(a->tasks[0].blocking, RTLAB_AN_BLOCK_CEILING);
	cr_assert_eq(a->tasks[1].blocking_ns, 3 * MS);
	cr_assert_eq(a->tasks[1].blocking, RTLAB_AN_BLOCK_CEILING);
	cr_assert_eq(a->tasks[1].response_ns, 9 * MS);
	cr_assert_eq(a->tasks[2].blocking_ns, 3 * MS);
	cr_assert_eq(a->tasks[3].blocking_ns, 0);
	rtlab_analysis_free(a);
}

/* A ceiling set above every user makes a task that never takes the mutex wait for it. */
Test(rta, ceiling_above_users)
{
	struct rtlab_an_task t[] = { fifo("hi", 50, 1, 10), fifo("lo", 10, 4, 40) };
	const struct rtlab_an_mutex m[] = { mutex("m", RTLAB_MUTEX_PROTECT, 60) };
	struct rtlab_analysis *a;

	t[1].mutex = 0;
	t[1].hold_ns = 2 * MS;
	a = analyse(t, ARRAY_SIZE(t), m, 1, 0);
	cr_assert_eq(a->tasks[0].blocking_ns, 2 * MS);
	cr_assert_eq(a->tasks[0].response_ns, 3 * MS);
	rtlab_analysis_free(a);
}

/* A plain mutex: H waits for L while M runs, without bound; without M it is one section. */
Test(rta, plain_mutex_inversion)
{
	struct rtlab_an_task t[] = { fifo("H", 30, 1, 10), fifo("M", 20, 2, 20),
				     fifo("L", 10, 3, 40) };
	const struct rtlab_an_mutex m[] = { mutex("m", RTLAB_MUTEX_NONE, 0) };
	struct rtlab_analysis *a;

	t[0].mutex = t[2].mutex = 0;
	t[0].hold_ns = 1 * MS;
	t[2].hold_ns = 2 * MS;
	a = analyse(t, ARRAY_SIZE(t), m, 1, 0);
	cr_assert_eq(a->tasks[0].verdict, RTLAB_AN_MISS);
	cr_assert_eq(a->tasks[0].blocking, RTLAB_AN_BLOCK_UNBOUNDED);
	cr_assert_eq(a->tasks[0].response_ns, UINT64_MAX);
	cr_assert(strstr(a->tasks[0].reason, "unbounded priority inversion possible: L holds m "
			 "while M can preempt"), "%s", a->tasks[0].reason);
	/* M itself does not take m: L cannot block it. */
	cr_assert_eq(a->tasks[1].blocking_ns, 0);
	rtlab_analysis_free(a);

	/* M on another CPU cannot preempt L: bounded by L's section. */
	t[1].cpu = 1;
	a = analyse(t, ARRAY_SIZE(t), m, 1, 0);
	cr_assert_eq(a->tasks[0].verdict, RTLAB_AN_SCHEDULABLE, "%s", a->tasks[0].reason);
	cr_assert_eq(a->tasks[0].blocking_ns, 2 * MS);
	cr_assert_eq(a->tasks[0].response_ns, 3 * MS);
	rtlab_analysis_free(a);
}

/* A SCHED_OTHER holder of a plain mutex can be delayed by any process. */
Test(rta, plain_mutex_other_holder)
{
	struct rtlab_an_task t[] = { fifo("rt", 50, 1, 10),
				     task("batch", RTLAB_POLICY_OTHER, 0, 5 * MS, 100 * MS) };
	const struct rtlab_an_mutex m[] = { mutex("log", RTLAB_MUTEX_NONE, 0) };
	struct rtlab_analysis *a;

	t[0].mutex = t[1].mutex = 0;
	t[0].hold_ns = t[1].hold_ns = 1 * MS;
	a = analyse(t, ARRAY_SIZE(t), m, 1, 0);
	cr_assert_eq(a->tasks[0].verdict, RTLAB_AN_MISS);
	cr_assert(strstr(a->tasks[0].reason, "batch holds log and runs as other"), "%s",
		  a->tasks[0].reason);
	cr_assert_eq(a->tasks[1].verdict, RTLAB_AN_NOT_ANALYSED);
	cr_assert_eq(a->analysed, 1);
	rtlab_analysis_free(a);
}

/* Waiting for a mutex held on another CPU: X (higher, CPU 1) twice or more, Y (lower) once. */
Test(rta, remote_blocking)
{
	struct rtlab_an_task t[] = { fifo("H", 30, 2, 10), fifo("X", 40, 1, 5),
				     fifo("Y", 10, 3, 50) };
	const struct rtlab_an_mutex m[] = { mutex("m", RTLAB_MUTEX_INHERIT, 0) };
	const uint64_t hold[] = { 1 * MS, 1 * MS, 2 * MS };
	struct rtlab_analysis *a;

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		t[i].mutex = 0;
		t[i].hold_ns = hold[i];
		t[i].cpu = i == 0 ? 0 : 1;
	}
	a = analyse(t, ARRAY_SIZE(t), m, 1, 0);
	cr_assert_eq(a->ncpus, 2);
	cr_assert_eq(a->tasks[0].blocking_ns, 0);
	cr_assert_eq(a->tasks[0].remote_ns, 5 * MS);
	cr_assert_eq(a->tasks[0].response_ns, 7 * MS);
	cr_assert(strstr(a->tasks[0].reason, "+ waits 5 ms for m held on other CPUs"), "%s",
		  a->tasks[0].reason);
	rtlab_analysis_free(a);
}

/* A DEADLINE task preempts FIFO tasks: it counts with jitter period - runtime. */
Test(rta, deadline_task_interferes)
{
	const struct rtlab_an_task t[] = { fifo("f", 50, 2, 10), dl("d", 1, 5, 5) };
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	cr_assert_eq(a->tasks[0].response_ns, 4 * MS, "%s", a->tasks[0].reason);
	cr_assert_eq(a->cpus[0].ll, RTLAB_AN_NOT_ANALYSED);
	cr_assert_float_eq(a->cpus[0].util_dl, 0.2, 1e-12);
	rtlab_analysis_free(a);
}

/* A task that may run anywhere counts on each CPU, with jitter deadline - wcet. */
Test(rta, global_task_interferes)
{
	struct rtlab_an_task t[] = { fifo("pinned", 10, 2, 10), fifo("roamer", 20, 1, 5) };
	struct rtlab_analysis *a;

	t[1].cpu = -1;
	a = analyse(t, ARRAY_SIZE(t), NULL, 0, 2);
	cr_assert_eq(a->ncpus, 2);
	cr_assert_eq(a->cpus[0].cpu, 0);
	cr_assert_eq(a->cpus[1].cpu, -1);
	/* R = 2 + ceil((R + 4) / 5) * 1: 2 -> 4 -> 4. */
	cr_assert_eq(a->tasks[0].response_ns, 4 * MS, "%s", a->tasks[0].reason);
	cr_assert(strstr(a->cpus[0].note, "may run on any CPU"), "%s", a->cpus[0].note);
	rtlab_analysis_free(a);
}

/* A slowly converging iteration is cut off: the verdict says it gave up. */
Test(rta, gives_up)
{
	const uint64_t t_hp = 10 * MS;
	struct rtlab_an_task t[] = {
		task("hp", RTLAB_POLICY_FIFO, 20, t_hp - 1, t_hp),
		task("slow", RTLAB_POLICY_FIFO, 10, 2 * MS, 100000ULL * RTLAB_NSEC_PER_SEC),
	};
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	cr_assert_eq(a->tasks[1].verdict, RTLAB_AN_UNKNOWN);
	cr_assert_eq(a->tasks[1].iterations, RTLAB_AN_RTA_MAX_ITER);
	cr_assert(strstr(a->tasks[1].reason, "gave up after 1000000 iterations"), "%s",
		  a->tasks[1].reason);
	cr_assert_eq(a->verdict, RTLAB_AN_UNKNOWN);
	cr_assert_eq(a->missing, 1);
	rtlab_analysis_free(a);
}

/* A job with no work (a pure latency probe) waits only for the ones that preempt it. */
Test(rta, zero_wcet)
{
	const struct rtlab_an_task t[] = { fifo("hp", 20, 3, 10), fifo("probe", 10, 0, 10) };
	const struct rtlab_an_task alone[] = { fifo("probe", 10, 0, 10) };
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	cr_assert_eq(a->tasks[1].response_ns, 3 * MS);
	rtlab_analysis_free(a);
	a = analyse(alone, 1, NULL, 0, 0);
	cr_assert_eq(a->tasks[0].response_ns, 0);
	cr_assert_eq(a->tasks[0].verdict, RTLAB_AN_SCHEDULABLE);
	rtlab_analysis_free(a);
}
