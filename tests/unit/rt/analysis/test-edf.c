/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-edf.c - DEADLINE tasks: EDF on one CPU (utilization and processor
 * demand), and the sufficient tests for tasks that may run on several CPUs
 * (global EDF and global deadline-monotonic).
 */
#include <stdint.h>

#include "an-test.h"

/* Deadlines = periods: U <= 1 decides, exactly, even at U = 1. */
Test(edf, utilization)
{
	const struct rtlab_an_task under[] = { dl("a", 1, 4, 4), dl("b", 2, 6, 6) };
	const struct rtlab_an_task full[] = { dl("a", 2, 4, 4), dl("b", 3, 6, 6) };
	const struct rtlab_an_task over[] = { dl("a", 3, 4, 4), dl("b", 3, 6, 6) };
	struct rtlab_analysis *a = analyse(under, 2, NULL, 0, 0);

	cr_assert_eq(a->cpus[0].edf, RTLAB_AN_SCHEDULABLE);
	cr_assert_eq(a->cpus[0].edf_test, RTLAB_AN_TEST_EDF_UTIL);
	cr_assert_float_eq(a->cpus[0].util_dl, 0.25 + 1.0 / 3, 1e-12);
	cr_assert_eq(a->tasks[1].verdict, RTLAB_AN_SCHEDULABLE);
	cr_assert_eq(a->tasks[1].test, RTLAB_AN_TEST_EDF_UTIL);
	rtlab_analysis_free(a);

	a = analyse(full, 2, NULL, 0, 0);
	cr_assert_eq(a->cpus[0].edf, RTLAB_AN_SCHEDULABLE, "%s", a->cpus[0].edf_reason);
	cr_assert_str_eq(a->cpus[0].edf_reason, "U = 1.000 <= 1 with deadlines equal to periods: "
			 "EDF meets every deadline (exact test)");
	rtlab_analysis_free(a);

	a = analyse(over, 2, NULL, 0, 0);
	cr_assert_eq(a->cpus[0].edf, RTLAB_AN_MISS);
	cr_assert_eq(a->verdict, RTLAB_AN_MISS);
	cr_assert_eq(a->missing, 2);
	rtlab_analysis_free(a);
}

/* D < T: U = 0.4 passes, but both jobs are due at 3 ms and need 4 ms. */
Test(edf, demand_fails_utilization_passes)
{
	const struct rtlab_an_task t[] = { dl("a", 2, 3, 10), dl("b", 2, 3, 10) };
	struct rtlab_analysis *a = analyse(t, 2, NULL, 0, 0);

	cr_assert_eq(a->cpus[0].edf, RTLAB_AN_MISS);
	cr_assert_eq(a->cpus[0].edf_test, RTLAB_AN_TEST_EDF_DEMAND);
	cr_assert_eq(a->cpus[0].edf_horizon_ns, 4 * MS);
	cr_assert_eq(a->cpus[0].edf_points, 1);
	cr_assert_str_eq(a->cpus[0].edf_reason, "processor demand exceeds the time at t = 3 ms (a "
			 "deadline of a): the jobs due by then need 4 ms of CPU > 3 ms, so one of "
			 "them misses, although U = 0.400 <= 1");
	cr_assert(strstr(a->tasks[0].reason, "first exceeded at this task's deadline"), "%s",
		  a->tasks[0].reason);
	cr_assert_null(strstr(a->tasks[1].reason, "first exceeded"));
	rtlab_analysis_free(a);
}

/* D < T the other way: the density test fails (1.167 > 1), the demand test proves it. */
Test(edf, demand_passes_density_fails)
{
	const struct rtlab_an_task t[] = { dl("a", 1, 2, 4), dl("b", 2, 3, 6) };
	struct rtlab_analysis *a = analyse(t, 2, NULL, 0, 0);

	cr_assert_eq(a->cpus[0].edf, RTLAB_AN_SCHEDULABLE, "%s", a->cpus[0].edf_reason);
	cr_assert_eq(a->cpus[0].edf_test, RTLAB_AN_TEST_EDF_DEMAND);
	/* Busy period: w = 3 -> 1 + 2 = 3; deadlines 2 and 3 are checked. */
	cr_assert_eq(a->cpus[0].edf_horizon_ns, 3 * MS);
	cr_assert_eq(a->cpus[0].edf_points, 2);
	cr_assert(strstr(a->cpus[0].edf_reason, "sum of densities 1.167"), "%s",
		  a->cpus[0].edf_reason);
	rtlab_analysis_free(a);
}

/* A miss after two good deadlines: 2 and 6 pass, at 7 the jobs due need 8 ms (U = 0.925). */
Test(edf, demand_fails_later)
{
	const struct rtlab_an_task t[] = { dl("a", 2, 2, 4), dl("b", 3, 7, 8), dl("c", 1, 7, 20) };
	struct rtlab_analysis *a = analyse(t, ARRAY_SIZE(t), NULL, 0, 0);

	/* Busy period: w = 6 -> 4 + 3 + 1 = 8 -> 8. */
	cr_assert_eq(a->cpus[0].edf, RTLAB_AN_MISS, "%s", a->cpus[0].edf_reason);
	cr_assert_eq(a->cpus[0].edf_horizon_ns, 8 * MS);
	cr_assert_eq(a->cpus[0].edf_points, 3);
	cr_assert(strstr(a->cpus[0].edf_reason, "at t = 7 ms (a deadline of b): the jobs due by "
			 "then need 8 ms of CPU > 7 ms"), "%s", a->cpus[0].edf_reason);
	rtlab_analysis_free(a);
}

/* Two CPUs, global EDF: the Goossens-Funk-Baruah bound, and the overload check. */
Test(edf, global_edf)
{
	struct rtlab_an_task ok[] = { dl("a", 1, 4, 4), dl("b", 1, 4, 4), dl("c", 1, 4, 4) };
	struct rtlab_an_task dhall[] = { dl("a", 3, 4, 4), dl("b", 3, 4, 4), dl("c", 1, 4, 4) };
	struct rtlab_an_task over[] = { dl("a", 3, 4, 4), dl("b", 3, 4, 4), dl("c", 3, 4, 4) };
	struct rtlab_analysis *a;

	for (size_t i = 0; i < 3; i++)
		ok[i].cpu = dhall[i].cpu = over[i].cpu = -1;
	a = analyse(ok, 3, NULL, 0, 2);
	cr_assert_eq(a->ncpus, 1);
	cr_assert_eq(a->cpus[0].cpu, -1);
	cr_assert_eq(a->cpus[0].ncpus, 2);
	cr_assert_eq(a->cpus[0].edf, RTLAB_AN_SCHEDULABLE, "%s", a->cpus[0].edf_reason);
	cr_assert_eq(a->cpus[0].edf_test, RTLAB_AN_TEST_GLOBAL_EDF);
	cr_assert_eq(a->tasks[2].test, RTLAB_AN_TEST_GLOBAL_EDF);
	cr_assert_eq(a->tasks[2].response_ns, 0);
	rtlab_analysis_free(a);

	/* U = 1.75 <= 2, but 1.75 > 2 - 1 * 0.75 = 1.25: not proven. */
	a = analyse(dhall, 3, NULL, 0, 2);
	cr_assert_eq(a->cpus[0].edf, RTLAB_AN_UNKNOWN);
	cr_assert_str_eq(a->cpus[0].edf_reason, "sum of densities (wcet/deadline) 1.750 > 1.250 = "
			 "m - (m - 1) max density with m = 2 CPUs and the largest density 0.750 "
			 "(a): the global EDF density (Goossens-Funk-Baruah) test fails; it is "
			 "only sufficient, so this does not prove a miss either");
	cr_assert_eq(a->verdict, RTLAB_AN_UNKNOWN);
	rtlab_analysis_free(a);

	a = analyse(over, 3, NULL, 0, 2);
	cr_assert_eq(a->cpus[0].edf, RTLAB_AN_MISS);
	cr_assert(strstr(a->cpus[0].edf_reason, "total utilization 2.250 > 2 CPUs"), "%s",
		  a->cpus[0].edf_reason);
	rtlab_analysis_free(a);
}

/* Two CPUs, global fixed priorities: the Bertogna-Cirinei-Lipari bound needs DM order. */
Test(edf, global_deadline_monotonic)
{
	struct rtlab_an_task t[] = { fifo("a", 30, 1, 4), fifo("b", 20, 1, 5),
				     fifo("c", 10, 1, 6) };
	struct rtlab_analysis *a;

	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		t[i].cpu = -1;
	a = analyse(t, ARRAY_SIZE(t), NULL, 0, 2);
	cr_assert_eq(a->cpus[0].fp, RTLAB_AN_SCHEDULABLE, "%s", a->cpus[0].fp_reason);
	cr_assert_eq(a->cpus[0].fp_test, RTLAB_AN_TEST_GLOBAL_DM);
	cr_assert_eq(a->cpus[0].ll, RTLAB_AN_NOT_ANALYSED);
	cr_assert_eq(a->tasks[0].verdict, RTLAB_AN_SCHEDULABLE);
	rtlab_analysis_free(a);

	t[0].priority = 5;	/* the shortest deadline now has the lowest priority */
	a = analyse(t, ARRAY_SIZE(t), NULL, 0, 2);
	cr_assert_eq(a->cpus[0].fp, RTLAB_AN_UNKNOWN);
	cr_assert(strstr(a->cpus[0].fp_reason, "not deadline-monotonic"), "%s",
		  a->cpus[0].fp_reason);
	rtlab_analysis_free(a);
}

/* Pinned and global tasks together: one entry per CPU, then the global group. */
Test(edf, cpus_listed_in_order)
{
	struct rtlab_an_task t[] = { fifo("a", 10, 1, 10), fifo("b", 10, 1, 10), dl("c", 1, 5, 5),
				     fifo("d", 10, 1, 10) };
	struct rtlab_analysis *a;

	t[0].cpu = 3;
	t[1].cpu = 1;
	t[2].cpu = -1;
	t[3].cpu = 3;
	a = analyse(t, ARRAY_SIZE(t), NULL, 0, 4);
	cr_assert_eq(a->ncpus, 3);
	cr_assert_eq(a->cpus[0].cpu, 1);
	cr_assert_eq(a->cpus[1].cpu, 3);
	cr_assert_eq(a->cpus[1].nfp, 2);
	cr_assert_eq(a->cpus[2].cpu, -1);
	cr_assert_eq(a->cpus[2].ndl, 1);
	/* c may run on CPU 3 too (jitter 4 ms): R = 1 + 1 (d) + ceil((R + 4) / 5) = 4. */
	cr_assert_eq(a->tasks[0].response_ns, 4 * MS, "%s", a->tasks[0].reason);
	rtlab_analysis_free(a);
}
