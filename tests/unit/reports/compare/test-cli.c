/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-cli.c - "rtlab compare": exit statuses, messages, the table, --json, --junit. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/compare.h>

#include "../../../../cli/compare.h"
#include "runs.h"

#define ARGS_MAX 12

/* What one command printed and returned. */
struct cli_run {
	int status;
	char out[32768];
	char err[4096];
};

static char junit[80];

/* cleanup - remove both runs and the JUnit file. */
static void cleanup(void)
{
	test_runs_remove();
	if (junit[0])
		unlink(junit);
}

/* slurp - what @f holds into @buf. */
static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* run_cli - "rtlab compare ARGS..." (NULL-terminated) with stdout and stderr captured. */
static void run_cli(struct cli_run *res, const char *const *args)
{
	char *argv[ARGS_MAX + 2] = { strdup("compare") };
	FILE *out = tmpfile(), *err = tmpfile();
	int argc = 1, saved_out = dup(1), saved_err = dup(2);

	cr_assert(out && err && saved_out >= 0 && saved_err >= 0);
	for (; args[argc - 1]; argc++) {
		cr_assert_lt(argc, ARGS_MAX);
		argv[argc] = strdup(args[argc - 1]);
	}
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(out), 1);
	dup2(fileno(err), 2);
	res->status = cmd_compare(argc, argv, NULL);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	slurp(out, res->out, sizeof(res->out));
	slurp(err, res->err, sizeof(res->err));
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

/* runs - BASE fast at scale 100, NEW fast at @scale (complete). */
static void runs(uint64_t scale, const char *name)
{
	const struct test_task b[] = { { name, 1000, 100, 0, 0 } };
	const struct test_task h[] = { { name, 1000, scale, 0, 0 } };

	test_run(test_base, NULL, b, 1, RTLAB_RUN_COMPLETE);
	test_run(test_head, NULL, h, 1, RTLAB_RUN_COMPLETE);
}

TestSuite(cli, .fini = cleanup);

/* Same figures: exit 0, the default gate named, the table of the task and of all. */
Test(cli, pass_default_gate)
{
	struct cli_run r;

	runs(100, "fast");
	run_cli(&r, (const char *[]){ test_base, test_head, NULL });
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert_str_empty(r.err);
	cr_assert(strstr(r.out, "thresholds: p99=+10%,max=+25%,misses=0,lost=0 (default: NEW's "
				"scenario has no [gate])"), "%s", r.out);
	cr_assert(strstr(r.out, "\ntask fast  (samples: BASE 1000, NEW 1000)\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\nall tasks  (samples: BASE 1000, NEW 1000)\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\n  p99.9         99.90us      99.90us         +0ns     +0.0%\n"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "result: pass: 4 checks\n"), "%s", r.out);
}

/* A broken threshold: exit 1, the failed check spelled out. */
Test(cli, regression)
{
	struct cli_run r;

	runs(120, "fast");
	run_cli(&r, (const char *[]){ "--threshold", "p99=+10%,max<=1ms", test_base, test_head,
				      NULL });
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "\n  p99           99.00us     118.80us     +19.80us    +20.0%  "
				"FAIL\n"), "%s", r.out);
	cr_assert(strstr(r.out, "\n  max          100.00us     120.00us     +20.00us    +20.0%  "
				"pass\n"), "%s", r.out);
	cr_assert(strstr(r.out, "FAIL  fast: p99=+10%: NEW 118.80us > limit 108.90us = BASE "
				"99.00us +10%\n"), "%s", r.out);
	cr_assert(strstr(r.out, "result: regression: 1 of 2 checks failed\n"), "%s", r.out);
}

/* A bad threshold: exit 2 and one line naming the option, the item and the problem. */
Test(cli, bad_threshold)
{
	struct cli_run r;

	runs(100, "fast");
	run_cli(&r, (const char *[]){ test_base, test_head, "-t", "p99=+x", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert_str_empty(r.out);
	cr_assert_str_eq(r.err, "rtlab compare: --threshold: 'p99=+x': a relative threshold is a "
				"signed percentage (e.g. +10% or -5%)\n");
}

/* Inputs that are not comparable: exit 2 with the reason. */
Test(cli, bad_runs)
{
	struct cli_run r;

	runs(100, "fast");
	run_cli(&r, (const char *[]){ test_base, "/nonexistent/run", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "rtlab compare: NEW '/nonexistent/run': not a run (no run.db)\n");
	test_run_set(test_head, "UPDATE run SET status = 'interrupted'");
	run_cli(&r, (const char *[]){ test_base, test_head, NULL });
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "is interrupted: a gate needs a complete run"), "%s", r.err);
}

/* Command-line mistakes: exit 2; --help: exit 0. */
Test(cli, usage)
{
	struct cli_run r;

	run_cli(&r, (const char *[]){ NULL });
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "two runs are needed: BASE and NEW"), "%s", r.err);
	run_cli(&r, (const char *[]){ "a", "b", "c", NULL });
	cr_assert_eq(r.status, 2);
	run_cli(&r, (const char *[]){ "--bogus", "a", "b", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "rtlab compare: unknown option '--bogus'\n");
	run_cli(&r, (const char *[]){ "a", "b", "--junit", NULL });
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "rtlab compare: --junit needs a value\n");
	run_cli(&r, (const char *[]){ "--help", NULL });
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "usage: rtlab compare BASE NEW"), "%s", r.out);
	cr_assert(strstr(r.out, RTLAB_COMPARE_DEFAULT_GATE), "%s", r.out);
}

/* --json prints only JSON; the exit status is still the verdict. */
Test(cli, json)
{
	struct cli_run r;
	json_error_t jerr;
	json_t *o;

	runs(120, "fast");
	run_cli(&r, (const char *[]){ "--json", test_base, test_head, NULL });
	cr_assert_eq(r.status, 1);
	o = json_loads(r.out, 0, &jerr);
	cr_assert_not_null(o, "%s: %s", jerr.text, r.out);
	cr_assert_str_eq(json_string_value(json_object_get(o, "result")), "regression");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "thresholds"),
							   "source")), "default");
	json_decref(o);
}

/* --junit writes the report, and a report with an error when the comparison fails. */
Test(cli, junit_file)
{
	struct cli_run r;
	char xml[8192];
	FILE *f;

	runs(120, "fast");
	snprintf(junit, sizeof(junit), "%s.xml", test_head);
	run_cli(&r, (const char *[]){ "--junit", junit, test_base, test_head, NULL });
	cr_assert_eq(r.status, 1);
	f = fopen(junit, "r");
	cr_assert_not_null(f);
	slurp(f, xml, sizeof(xml));
	cr_assert(strstr(xml, "<testsuite name=\"rtlab compare\" tests=\"4\" failures=\"1\""),
		  "%s", xml);
	run_cli(&r, (const char *[]){ "--junit", junit, test_base, "/nonexistent", NULL });
	cr_assert_eq(r.status, 2);
	f = fopen(junit, "r");
	cr_assert_not_null(f);
	slurp(f, xml, sizeof(xml));
	cr_assert(strstr(xml, "errors=\"1\""), "%s", xml);
	cr_assert(strstr(xml, "<error type=\"error\" message=\"NEW &apos;/nonexistent&apos;: not "
			      "a run (no run.db)\">"), "%s", xml);
	run_cli(&r, (const char *[]){ "--junit", "/nonexistent/dir/r.xml", test_base, test_head,
				      NULL });
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--junit: '/nonexistent/dir/r.xml': No such file or directory"),
		  "%s", r.err);
}

/* Facts that differ are shown as a warning block; names from the runs are escaped. */
Test(cli, facts_and_escaping)
{
	struct cli_run r;

	runs(100, "\x1b[31mred");
	test_run_set(test_head, "UPDATE run SET kernel = '6.1.0-rt-test'");
	run_cli(&r, (const char *[]){ test_base, test_head, NULL });
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "\nwarning: the runs were made on different machines or "
				"setups:\n  kernel         BASE: "), "%s", r.out);
	cr_assert(strstr(r.out, "\n                 NEW:  6.1.0-rt-test\n"), "%s", r.out);
	cr_assert(strstr(r.out, "task \\x1b[31mred  (samples"), "%s", r.out);
	cr_assert_null(strchr(r.out, 0x1b));
}

/* The gate of NEW's scenario is named with its line. */
Test(cli, scenario_gate)
{
	static const char gated[] = TEST_SCENARIO "[gate]\nmax = 1ms\n";
	const struct test_task t[] = { { "fast", 1000, 100, 0, 0 } };
	struct cli_run r;

	test_run(test_base, NULL, t, 1, RTLAB_RUN_COMPLETE);
	test_run(test_head, gated, t, 1, RTLAB_RUN_COMPLETE);
	run_cli(&r, (const char *[]){ test_base, test_head, NULL });
	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "thresholds: max<=1ms (the [gate] of NEW's scenario, line 6)\n"),
		  "%s", r.out);
}
