/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-compare.c - verdicts of two synthetic runs: pass, regressions, bounds, gate, facts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rtlab/compare.h>

#include "runs.h"

/* fast: p99 99us, max 100us; slow: p99 495us, max 500us. */
#define FAST(scale) { "fast", 1000, (scale), 0, 0 }
#define SLOW { "slow", 500, 1000, 0, 0 }

/* runs - BASE with fast (scale 100) and slow, NEW with fast at @scale and slow. */
static void runs(uint64_t scale)
{
	const struct test_task b[] = { FAST(100), SLOW }, h[] = { FAST(scale), SLOW };

	test_run(test_base, NULL, b, 2, RTLAB_RUN_COMPLETE);
	test_run(test_head, NULL, h, 2, RTLAB_RUN_COMPLETE);
}

/* compare - BASE against NEW with @spec (NULL: the gate or the default); must succeed. */
static struct rtlab_compare *compare(const char *spec)
{
	struct rtlab_compare *c;
	char err[512] = "";

	cr_assert_eq(test_compare(spec, &c, err, sizeof(err)), 0, "%s", err);
	return c;
}

/* compare_error - the same, expected to fail: its -errno, the message in @err. */
static int compare_error(const char *spec, char *err, size_t size)
{
	struct rtlab_compare *c;
	int r = test_compare(spec, &c, err, size);

	cr_assert_null(c);
	return r;
}

/* check_of - the check of @metric on task @task (NULL if none). */
static const struct rtlab_compare_check *check_of(const struct rtlab_compare *c, const char *task,
						  enum rtlab_compare_metric metric)
{
	for (size_t i = 0; i < c->nchecks; i++)
		if (strcmp(c->rows[c->checks[i].row].head->name, task) == 0 &&
		    c->checks[i].th->metric == metric)
			return &c->checks[i];
	return NULL;
}

TestSuite(compare, .fini = test_runs_remove);

/* Identical runs pass the default gate: four checks per task, "all" not gated. */
Test(compare, identical_pass_default_gate)
{
	struct rtlab_compare *c;
	char text[128];

	runs(100);
	c = compare(NULL);
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_PASS);
	cr_assert_eq(c->source, RTLAB_THRESHOLDS_DEFAULT);
	cr_assert(strstr(rtlab_compare_source_text(c), "no [gate]"));
	cr_assert_gt(rtlab_thresholds_format(c->thresholds, text, sizeof(text)), 0);
	cr_assert_str_eq(text, RTLAB_COMPARE_DEFAULT_GATE);
	cr_assert_eq(c->nrows, 3);
	cr_assert_str_eq(c->rows[2].head->name, "all");
	cr_assert_eq(c->nchecks, 8);
	cr_assert_eq(c->failures, 0);
	cr_assert_eq(c->nfacts, 0, "same machine, same scenario");
	cr_assert_eq(c->nwarnings, 0);
	cr_assert_eq(c->rows[0].verdict[RTLAB_COMPARE_P99], 0);
	cr_assert_eq(c->rows[0].verdict[RTLAB_COMPARE_P50], -1, "not gated");
	cr_assert_eq(c->rows[2].verdict[RTLAB_COMPARE_P99], -1, "all is not gated by default");
	rtlab_compare_free(c);
}

/* NEW 20% slower on fast: p99=+10% fails on fast only, with the exact limit. */
Test(compare, regression_on_p99)
{
	struct rtlab_compare *c;
	const struct rtlab_compare_check *k;
	char text[256];

	runs(120);
	c = compare("p99=+10%");
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_REGRESSION);
	cr_assert_eq(c->nchecks, 2);
	cr_assert_eq(c->failures, 1);
	k = check_of(c, "fast", RTLAB_COMPARE_P99);
	cr_assert_not_null(k);
	cr_assert_not(k->pass);
	cr_assert_float_eq(k->base, 99000, 1e-6);
	cr_assert_float_eq(k->value, 118800, 1e-6);
	cr_assert_float_eq(k->limit, 108900, 1e-6);
	cr_assert_eq(c->rows[0].verdict[RTLAB_COMPARE_P99], 1);
	cr_assert(check_of(c, "slow", RTLAB_COMPARE_P99)->pass);
	cr_assert_str_eq(rtlab_compare_check_text(k, text, sizeof(text)),
			 "NEW 118.80us > limit 108.90us = BASE 99.00us +10%");
	rtlab_compare_free(c);
}

/* "-5%" demands an improvement: 2% better fails, 10% better passes. */
Test(compare, improvement_demanded)
{
	struct rtlab_compare *c;

	runs(98);
	c = compare("fast.p99=-5%");
	cr_assert_eq(c->nchecks, 1);
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_REGRESSION);
	cr_assert_float_eq(c->checks[0].limit, 94050, 1e-6);
	rtlab_compare_free(c);
	test_runs_remove();
	runs(90);
	c = compare("fast.p99=-5%");
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_PASS);
	rtlab_compare_free(c);
}

/* Absolute bounds hold on NEW whatever BASE was; the bound itself passes. */
Test(compare, absolute_bound)
{
	struct rtlab_compare *c;
	char text[256];

	runs(100);
	c = compare("fast.max<=100us");
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_PASS, "max 100us <= 100us");
	rtlab_compare_free(c);
	c = compare("max<=499us");
	cr_assert_eq(c->nchecks, 2);
	cr_assert_eq(c->failures, 1);
	cr_assert_not(check_of(c, "slow", RTLAB_COMPARE_MAX)->pass);
	cr_assert_str_eq(rtlab_compare_check_text(check_of(c, "slow", RTLAB_COMPARE_MAX), text,
						  sizeof(text)), "NEW 500.00us > limit 499.00us");
	rtlab_compare_free(c);
	c = compare("all.p99<=490us");
	cr_assert_eq(c->nchecks, 1);
	cr_assert_str_eq(c->rows[c->checks[0].row].head->name, "all");
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_PASS, "all p99: 1485th of 1500");
	rtlab_compare_free(c);
}

/* Deadline misses and lost records are absolute counts on NEW. */
Test(compare, misses_and_lost)
{
	const struct test_task b[] = { FAST(100) };
	const struct test_task h[] = { { "fast", 1000, 100, 3, 0 } };
	const struct test_task h2[] = { { "fast", 1000, 100, 0, 5 } };
	struct rtlab_compare *c;

	test_run(test_base, NULL, b, 1, RTLAB_RUN_COMPLETE);
	test_run(test_head, NULL, h, 1, RTLAB_RUN_COMPLETE);
	c = compare("misses=0");
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_REGRESSION);
	cr_assert_float_eq(c->checks[0].value, 3, 1e-9);
	rtlab_compare_free(c);
	c = compare("misses<=3");
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_PASS);
	rtlab_compare_free(c);
	test_run_remove(test_head);
	test_run(test_head, NULL, h2, 1, RTLAB_RUN_COMPLETE);
	c = compare(NULL);
	cr_assert_eq(c->failures, 1, "the default gate has lost=0");
	cr_assert_not(check_of(c, "fast", RTLAB_COMPARE_LOST)->pass);
	rtlab_compare_free(c);
}

/* Without thresholds, the [gate] of NEW's scenario is the gate (absolute). */
Test(compare, gate_of_new_scenario)
{
	static const char gated[] = TEST_SCENARIO "[gate]\np99 = 50us\nmisses = 0\n";
	const struct test_task t[] = { FAST(100) };
	struct rtlab_compare *c;
	char text[128];

	test_run(test_base, NULL, t, 1, RTLAB_RUN_COMPLETE);
	test_run(test_head, gated, t, 1, RTLAB_RUN_COMPLETE);
	c = compare(NULL);
	cr_assert_eq(c->source, RTLAB_THRESHOLDS_GATE);
	cr_assert_eq(c->gate_line, 6);
	cr_assert_gt(rtlab_thresholds_format(c->thresholds, text, sizeof(text)), 0);
	cr_assert_str_eq(text, "p99<=50us,misses=0");
	cr_assert_eq(c->nchecks, 2);
	cr_assert_eq(c->failures, 1, "p99 99us > 50us");
	cr_assert_eq(c->nfacts, 1, "the scenarios differ");
	cr_assert_str_eq(c->facts[0].name, "scenario_hash");
	rtlab_compare_free(c);
	c = compare("p99=+0%");
	cr_assert_eq(c->source, RTLAB_THRESHOLDS_GIVEN, "given thresholds win over the gate");
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_PASS);
	rtlab_compare_free(c);
}

/* A [gate] that does not parse is an error naming the line. */
Test(compare, gate_that_does_not_parse)
{
	static const char bad[] = TEST_SCENARIO "[gate]\np99 = fast\n";
	const struct test_task t[] = { FAST(100) };
	char err[512];

	test_run(test_base, NULL, t, 1, RTLAB_RUN_COMPLETE);
	test_run(test_head, bad, t, 1, RTLAB_RUN_COMPLETE);
	cr_assert_eq(compare_error(NULL, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "NEW's scenario:7"), "%s", err);
	cr_assert(strstr(err, "give the thresholds"), "%s", err);
}

/* Runs from different machines: each fact that differs is listed with both values. */
Test(compare, differing_facts)
{
	struct rtlab_compare *c;
	const char *names[3];

	runs(100);
	test_run_set(test_head, "UPDATE run SET kernel = '6.1.0-rt-test', cpu_model = 'Other CPU',"
			   " ncpus = ncpus + 62");
	c = compare(NULL);
	cr_assert_eq(c->nfacts, 3);
	for (size_t i = 0; i < 3; i++)
		names[i] = c->facts[i].name;
	cr_assert_str_eq(names[0], "kernel");
	cr_assert_str_eq(c->facts[0].head, "6.1.0-rt-test");
	cr_assert_neq(strcmp(c->facts[0].base, c->facts[0].head), 0);
	cr_assert_str_eq(names[1], "cpu_model");
	cr_assert_str_eq(c->facts[1].head, "Other CPU");
	cr_assert_str_eq(names[2], "ncpus");
	cr_assert_eq(atoi(c->facts[2].head) - atoi(c->facts[2].base), 62);
	rtlab_compare_free(c);
}

/* NEW must be complete; an interrupted BASE is compared with a warning, an incomplete one not. */
Test(compare, run_status)
{
	const struct test_task t[] = { FAST(100) };
	struct rtlab_compare *c;
	char err[512];

	test_run(test_base, NULL, t, 1, RTLAB_RUN_COMPLETE);
	test_run(test_head, NULL, t, 1, RTLAB_RUN_INTERRUPTED);
	cr_assert_eq(compare_error(NULL, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "is interrupted: a gate needs a complete run"), "%s", err);
	test_run_set(test_head, "UPDATE run SET status = 'incomplete'");
	cr_assert_eq(compare_error(NULL, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "is incomplete"), "%s", err);
	test_run_set(test_head, "UPDATE run SET status = 'complete'");
	test_run_set(test_base, "UPDATE run SET status = 'interrupted'");
	c = compare(NULL);
	cr_assert_eq(c->nwarnings, 1);
	cr_assert(strstr(c->warnings[0], "was interrupted"), "%s", c->warnings[0]);
	rtlab_compare_free(c);
	test_run_set(test_base, "UPDATE run SET status = 'incomplete'");
	cr_assert_eq(compare_error(NULL, err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "BASE"), "%s", err);
	cr_assert(strstr(err, "never stored"), "%s", err);
}

/* A gated latency figure of a task without samples is an error, not a pass. */
Test(compare, no_samples)
{
	const struct test_task b[] = { FAST(100) }, h[] = { { "fast", 0, 100, 0, 0 } };
	struct rtlab_compare *c;
	char err[512];

	test_run(test_base, NULL, b, 1, RTLAB_RUN_COMPLETE);
	test_run(test_head, NULL, h, 1, RTLAB_RUN_COMPLETE);
	cr_assert_eq(compare_error("p99=+10%", err, sizeof(err)), -ENODATA);
	cr_assert_str_eq(err, "NEW has no latency samples for task 'fast': 'p99=+10%' cannot "
			      "be checked");
	c = compare("misses=0");
	cr_assert_eq(rtlab_compare_result(c), RTLAB_COMPARE_PASS, "counts need no samples");
	rtlab_compare_free(c);
	cr_assert_eq(compare_error(NULL, err, sizeof(err)), -ENODATA);
}

/* Paths that are not runs. */
Test(compare, not_a_run)
{
	struct rtlab_compare *c = NULL;
	char err[512];

	runs(100);
	cr_assert_eq(rtlab_compare_runs("/nonexistent/run", test_head, NULL, &c, err, sizeof(err)),
		     -ENOENT);
	cr_assert_str_eq(err, "BASE '/nonexistent/run': not a run (no run.db)");
	test_run_set(test_head, "DROP TABLE schema_version");
	cr_assert_eq(compare_error(NULL, err, sizeof(err)), -EPROTO);
	cr_assert(strstr(err, "NEW '"), "%s", err);
	cr_assert(strstr(err, "not a run store"), "%s", err);
	cr_assert_null(c);
}

/* Tasks of one run only: warned; absolute thresholds still hold on NEW's. */
Test(compare, tasks_in_one_run)
{
	const struct test_task b[] = { FAST(100), { "gone", 10, 100, 0, 0 } };
	const struct test_task h[] = { FAST(100), { "extra", 10, 100, 2, 0 } };
	struct rtlab_compare *c;
	char err[512];

	test_run(test_base, NULL, b, 2, RTLAB_RUN_COMPLETE);
	test_run(test_head, NULL, h, 2, RTLAB_RUN_COMPLETE);
	c = compare("p99=+10%,misses=0");
	cr_assert_eq(c->nwarnings, 2);
	cr_assert(strstr(c->warnings[0], "task 'extra' is only in NEW"), "%s", c->warnings[0]);
	cr_assert(strstr(c->warnings[1], "task 'gone' is only in BASE"), "%s", c->warnings[1]);
	cr_assert_null(c->rows[1].base);
	cr_assert_eq(c->nchecks, 3, "p99 on fast, misses on fast and extra");
	cr_assert_null(check_of(c, "extra", RTLAB_COMPARE_P99));
	cr_assert_not(check_of(c, "extra", RTLAB_COMPARE_MISSES)->pass);
	rtlab_compare_free(c);
	cr_assert_eq(compare_error("extra.p99=+1%", err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "threshold 'extra.p99=+1%': BASE has no task 'extra' to compare "
			      "with");
	cr_assert_eq(compare_error("gone.p99<=1ms", err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "threshold 'gone.p99<=1ms': NEW has no task 'gone'");
}

/* Nothing in common to compare relatively: an error, not a silent pass. */
Test(compare, nothing_checked)
{
	const struct test_task b[] = { FAST(100) }, h[] = { { "other", 10, 100, 0, 0 } };
	char err[512];

	test_run(test_base, NULL, b, 1, RTLAB_RUN_COMPLETE);
	test_run(test_head, NULL, h, 1, RTLAB_RUN_COMPLETE);
	cr_assert_eq(compare_error("p99=+10%", err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "no threshold could be checked"), "%s", err);
}
