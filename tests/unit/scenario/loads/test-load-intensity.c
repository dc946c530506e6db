/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-load-intensity.c - a worker at intensity N% uses N% of a CPU (within
 * 15 points), measured by the CPU time of the worker thread.  Around each
 * measurement a worker runs at 100%: if it cannot get nearly a whole CPU,
 * the machine is too busy to tell, and after three tries the test is skipped.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "load-test.h"

#define RUN_NS (300 * MSEC)
#define TOLERANCE_PCT 15.0

/* share - the share (percent) of one CPU per worker, by CPU time or by working time. */
static double share(enum rtlab_load_kind kind, unsigned threads, unsigned pct, bool by_cpu)
{
	struct rtlab_load_config cfg = { .name = "share", .kind = kind, .threads = threads,
					 .intensity_pct = pct };
	struct rtlab_load_stats st;
	struct rtlab_load *l = new_load(NULL, &cfg);

	sleep_ns(RUN_NS);
	cr_assert_eq(rtlab_load_join(l), 0);
	rtlab_load_stats(l, &st);
	rtlab_load_free(l);
	cr_assert_gt(st.elapsed_ns, 0);
	return 100.0 * (double)(by_cpu ? st.cpu_ns : st.work_ns) /
	       ((double)st.elapsed_ns * threads);
}

/* quiet - whether a cpu worker at 100% gets at least 90% of a CPU now. */
static bool quiet(double *ret_full)
{
	*ret_full = share(RTLAB_LOAD_CPU, 1, 100, true);
	return *ret_full >= 90.0;
}

/*
 * check_share - the share measured at @pct is within the tolerance.  A
 * measurement is only judged when the machine was quiet just before and, for
 * a miss, just after it too; after three busy attempts the test is skipped.
 */
static void check_share(enum rtlab_load_kind kind, unsigned threads, unsigned pct, bool by_cpu)
{
	double full = 0, got = 0;

	for (int attempt = 0; attempt < 3; attempt++) {
		if (!quiet(&full))
			continue;
		got = share(kind, threads, pct, by_cpu);
		if (got > pct - TOLERANCE_PCT && got < pct + TOLERANCE_PCT)
			return;
		cr_assert(!quiet(&full), "intensity %u%%: the workers used %.1f%% (%s)", pct, got,
			  by_cpu ? "CPU time" : "working time");
	}
	cr_skip_test("the machine is too loaded: a worker at 100%% got %.0f%% of a CPU", full);
}

ParameterizedTestParameters(load_intensity, cpu_share)
{
	static unsigned params[] = { 25, 50, 75 };

	return cr_make_param_array(unsigned, params, sizeof(params) / sizeof(params[0]));
}

/* A cpu worker at N% uses N% of a CPU, +/- 15 points. */
ParameterizedTest(unsigned *pct, load_intensity, cpu_share, .timeout = 30)
{
	check_share(RTLAB_LOAD_CPU, 1, *pct, true);
}

/* The working part of the windows follows the intensity too (wall time, two workers). */
Test(load_intensity, work_time, .timeout = 30)
{
	check_share(RTLAB_LOAD_SYSCALL, 2, 40, false);
}
