/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-cli-report.c - "rtlab report": exit statuses, messages, the paths it prints. */
#include "cli.h"
#include "report.h"

#include "test-run.h"

/* Where the command's stdout and stderr go in a test. */
struct captured {
	char dir[64];
	char out[128], err[128];
};

/* capture - send stdout and stderr to files in a new folder (each test is its own process). */
static void capture(struct captured *c)
{
	tmp_dir(c->dir, sizeof(c->dir));
	snprintf(c->out, sizeof(c->out), "%s/stdout", c->dir);
	snprintf(c->err, sizeof(c->err), "%s/stderr", c->dir);
	cr_assert_not_null(freopen(c->out, "w", stdout));
	cr_assert_not_null(freopen(c->err, "w", stderr));
}

/* report - run "rtlab report" with @args (NULL-terminated); its exit status. */
static int report(char **args)
{
	struct rtlab_ctx *ctx = rtlab_ctx_new();
	char *argv[16] = { "report" };
	int argc = 1, r;

	while (args[argc - 1])
		argv[argc] = args[argc - 1], argc++;
	optind = 0;
	r = cmd_report(argc, argv, ctx);
	fflush(stdout);
	fflush(stderr);
	rtlab_ctx_free(ctx);
	return r;
}

/* small_run - a run folder in @dir with a few samples. */
static void small_run(const char *dir)
{
	struct rtlab_store *st = run_new(dir, "small", "[scenario]\nname = small\n");
	struct sample s[3] = { { T0_NS + 1000, 0, 5000 }, { T0_NS + 2000, 0, 7000 },
			       { T0_NS + 3000, 1, 6000 } };

	samples_put(st, task_new(st, "t"), s, 3, NULL, 0);
	run_end(st, dir, RTLAB_RUN_COMPLETE, SEC_NS);
}

/* A run: exit 0, and the paths written, report.html first. */
Test(cli_report, prints_the_paths_written)
{
	struct captured c;
	char run[128], want[512], *out;

	if (!have_gnuplot())
		cr_skip_test("gnuplot is not installed (package gnuplot-nox)");
	capture(&c);
	snprintf(run, sizeof(run), "%s/run", c.dir);
	cr_assert_eq(mkdir(run, 0755), 0);
	small_run(run);
	cr_assert_eq(report((char *[]){ run, NULL }), EXIT_OK);
	out = slurp(c.out);
	snprintf(want, sizeof(want), "%1$s/report.html\n%1$s/summary.txt\n%1$s/hist-task1.png\n",
		 run);
	cr_assert(strncmp(out, want, strlen(want)) == 0, "%s", out);
	cr_assert(strstr(out, "/percentiles.png\n"), "%s", out);
	free(out);
	rm_tree(c.dir);
}

/* Not a run: exit 2 and "RUN: not a run (no run.db)". */
Test(cli_report, not_a_run_is_bad_input)
{
	struct captured c;
	char want[256], *err;

	capture(&c);
	cr_assert_eq(report((char *[]){ c.dir, NULL }), EXIT_USAGE);
	err = slurp(c.err);
	snprintf(want, sizeof(want), "rtlab report: %s: not a run (no run.db)\n", c.dir);
	cr_assert_str_eq(err, want);
	free(err);
	rm_tree(c.dir);
}

/* gnuplot missing from PATH: exit 1, the package named. */
Test(cli_report, gnuplot_missing_fails)
{
	struct captured c;
	char run[128], *err;

	capture(&c);
	snprintf(run, sizeof(run), "%s/run", c.dir);
	cr_assert_eq(mkdir(run, 0755), 0);
	small_run(run);
	cr_assert_eq(setenv("PATH", c.dir, 1), 0);
	cr_assert_eq(report((char *[]){ run, NULL }), EXIT_FAIL);
	err = slurp(c.err);
	cr_assert(strstr(err, "gnuplot-nox"), "%s", err);
	free(err);
	rm_tree(c.dir);
}

/* Options: bounds, missing values and operands are bad input; --help is not. */
Test(cli_report, options)
{
	struct captured c;
	char *err;

	capture(&c);
	cr_assert_eq(report((char *[]){ NULL }), EXIT_USAGE);
	cr_assert_eq(report((char *[]){ "a", "b", NULL }), EXIT_USAGE);
	cr_assert_eq(report((char *[]){ "--spikes", "0", "x", NULL }), EXIT_USAGE);
	cr_assert_eq(report((char *[]){ "-n", "1001", "x", NULL }), EXIT_USAGE);
	cr_assert_eq(report((char *[]){ "--max-points", "ten", "x", NULL }), EXIT_USAGE);
	cr_assert_eq(report((char *[]){ "x", "-o", NULL }), EXIT_USAGE);
	cr_assert_eq(report((char *[]){ "--bogus", "x", NULL }), EXIT_USAGE);
	cr_assert_eq(report((char *[]){ "--help", NULL }), EXIT_OK);
	err = slurp(c.err);
	cr_assert(strstr(err, "a run folder RUN is needed"), "%s", err);
	cr_assert(strstr(err, "one run folder RUN only"), "%s", err);
	cr_assert(strstr(err, "--spikes: '0' is not a number from 1 to 1000"), "%s", err);
	cr_assert(strstr(err, "--spikes: '1001' is not a number from 1 to 1000"), "%s", err);
	cr_assert(strstr(err, "--max-points: 'ten' is not a number from 100 to 10000000"), "%s",
		  err);
	cr_assert(strstr(err, "-o needs a value"), "%s", err);
	cr_assert(strstr(err, "unknown option '--bogus'"), "%s", err);
	free(err);
	rm_tree(c.dir);
}
