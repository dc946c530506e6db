/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-cli.c - "rtlab analyze" (cli/cmd-analyze.c) run in-process on the
 * fixture scenarios: exit statuses, the text output, the JSON output, and
 * the messages for bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <jansson.h>

#include "analyze.h"
#include "cli.h"

/* redirect - capture what the command prints. */
static void redirect(void)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
}

TestSuite(analyze_cli, .init = redirect);

/* analyze - run "rtlab analyze [ARG] [FILE]" (@file in the scenario fixtures; NULL: none). */
static int analyze(const char *arg, const char *file)
{
	char path[4096], cmd[] = "analyze", opt[64];
	char *argv[4] = { cmd };
	struct rtlab_ctx *ctx = rtlab_ctx_new();
	int argc = 1, r;

	cr_assert_not_null(ctx);
	rtlab_ctx_set_log_fn(ctx, cli_log, NULL, RTLAB_LOG_WARN);
	if (arg) {
		snprintf(opt, sizeof(opt), "%s", arg);
		argv[argc++] = opt;
	}
	if (file) {
		snprintf(path, sizeof(path), "%s/scenarios/%s", FIXTURES_DIR, file);
		argv[argc++] = path;
	}
	r = cmd_analyze(argc, argv, ctx);
	fflush(stdout);
	fflush(stderr);
	rtlab_ctx_free(ctx);
	return r;
}

/* slurp - what was captured from @f, NUL-terminated (free it). */
static char *slurp(FILE *f)
{
	size_t len = 0, cap = 4096, n;
	char *buf = malloc(cap);

	cr_assert_not_null(buf);
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			buf = realloc(buf, cap *= 2);
			cr_assert_not_null(buf);
		}
	}
	buf[len] = '\0';
	return buf;
}

/* expect_in - the captured stream contains @want. */
static void expect_in(FILE *stream, const char *want)
{
	char *out = slurp(stream);

	cr_assert(strstr(out, want), "want '%s' in:\n%s", want, out);
	free(out);
}

Test(analyze_cli, schedulable_set)
{
	char *out;

	cr_assert_eq(analyze(NULL, "analysis-rta.ini"), EXIT_OK);
	out = slurp(cr_get_redirected_stdout());
	cr_assert(strstr(out, "scenario 'rta-classic': 3 tasks, 0 mutexes"), "%s", out);
	cr_assert(strstr(out, "CPU 0: 3 FIFO/RR tasks, U = 0.929; 0 DEADLINE tasks, U = 0.000"),
		  "%s", out);
	cr_assert(strstr(out, "  Liu-Layland     unknown: U = 0.929 > 0.780"), "%s", out);
	cr_assert(strstr(out, "t3   fifo       10    0        20 ms        20 ms         5 ms"
			 "         0 ns        20 ms  schedulable"), "%s", out);
	cr_assert(strstr(out, "\nt3: worst-case response time 20 ms <= deadline 20 ms: its own "
			 "5 ms + preempted by t1 9 ms (3 jobs),\n  t2 6 ms (2 jobs)\n"), "%s", out);
	cr_assert(strstr(out, "3 analysed tasks: all proven schedulable"), "%s", out);
	free(out);
}

Test(analyze_cli, set_that_misses)
{
	char *out;

	cr_assert_eq(analyze(NULL, "analysis-miss.ini"), EXIT_FAIL);
	out = slurp(cr_get_redirected_stdout());
	cr_assert(strstr(out, "t3: can miss its deadline: the response time reaches 21 ms > "
			 "deadline 20 ms"), "%s", out);
	cr_assert(strstr(out, "t3   fifo       10    0        20 ms        20 ms         6 ms"
			 "         0 ns      >=21 ms  can miss"), "%s", out);
	cr_assert(strstr(out, "3 analysed tasks: 1 can miss a deadline or is not proven to meet "
			 "it"), "%s", out);
	free(out);
}

/* A control sequence from the file reaches the terminal escaped, once. */
Test(analyze_cli, escaped_message)
{
	char *err;

	cr_assert_eq(analyze(NULL, "analysis-escape.ini"), EXIT_USAGE);
	err = slurp(cr_get_redirected_stderr());
	cr_assert(strstr(err, "analysis-escape.ini:4: "), "%s", err);
	cr_assert(strstr(err, "red\\x1b[31m"), "%s", err);
	cr_assert_null(strchr(err, '\x1b'));
	free(err);
}

Test(analyze_cli, inversion)
{
	cr_assert_eq(analyze(NULL, "analysis-inversion.ini"), EXIT_FAIL);
	expect_in(cr_get_redirected_stdout(), "high: unbounded priority inversion possible: low "
		  "holds log while mid can preempt");
}

/* stdout_json - what the command printed, parsed as JSON (json_decref() it). */
static json_t *stdout_json(void)
{
	char *out = slurp(cr_get_redirected_stdout());
	json_error_t e;
	json_t *root = json_loads(out, 0, &e);

	cr_assert_not_null(root, "%s: %s", e.text, out);
	free(out);
	return root;
}

/* task_int - an integer member of the task at @i in the JSON output. */
static json_int_t task_int(json_t *root, size_t i, const char *key)
{
	return json_integer_value(json_object_get(json_array_get(json_object_get(root, "tasks"), i),
						  key));
}

/* With inheritance, high waits for low once (2 ms) and mid once, by push-through (2 ms). */
Test(analyze_cli, inheritance)
{
	json_t *root, *high;

	cr_assert_eq(analyze("--json", "analysis-inherit.ini"), EXIT_OK);
	root = stdout_json();
	high = json_array_get(json_object_get(root, "tasks"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(high, "name")), "high");
	cr_assert_str_eq(json_string_value(json_object_get(high, "blocker")), "low");
	cr_assert_eq(task_int(root, 0, "blocking_ns"), 2000000);
	cr_assert_eq(task_int(root, 0, "response_ns"), 3000000);
	cr_assert_eq(task_int(root, 1, "blocking_ns"), 2000000);
	cr_assert_eq(task_int(root, 1, "response_ns"), 7000000);
	cr_assert_str_eq(json_string_value(json_object_get(root, "verdict")), "schedulable");
	json_decref(root);
}

Test(analyze_cli, json_classic)
{
	json_t *root, *cpu, *ll;

	cr_assert_eq(analyze("--json", "analysis-rta.ini"), EXIT_OK);
	root = stdout_json();
	cpu = json_array_get(json_object_get(root, "cpus"), 0);
	cr_assert_eq(json_integer_value(json_object_get(cpu, "cpu")), 0);
	ll = json_object_get(json_object_get(cpu, "fifo_rr"), "liu_layland");
	cr_assert_str_eq(json_string_value(json_object_get(ll, "verdict")), "unknown");
	cr_assert_eq(task_int(root, 2, "response_ns"), 20000000);
	cr_assert_eq(task_int(root, 2, "wcet_ns"), 5000000);
	cr_assert_eq(task_int(root, 2, "line"), 22);
	cr_assert_eq(json_integer_value(json_object_get(root, "analysed")), 3);
	cr_assert_eq(json_integer_value(json_object_get(root, "not_proven")), 0);
	json_decref(root);
}

/* The DEADLINE tasks pass on one CPU (EDF) and on several (global EDF); "other" is skipped. */
Test(analyze_cli, deadline_tasks)
{
	char *out;

	cr_assert_eq(analyze(NULL, "analysis-deadline.ini"), EXIT_OK);
	out = slurp(cr_get_redirected_stdout());
	cr_assert(strstr(out, "idle: policy other has no real-time guarantee to check"), "%s", out);
	cr_assert(strstr(out, "3 analysed tasks: all proven schedulable"), "%s", out);
	free(out);
}

Test(analyze_cli, workload_needs_runtime)
{
	cr_assert_eq(analyze(NULL, "analysis-workload.ini"), EXIT_USAGE);
	expect_in(cr_get_redirected_stderr(), "analysis-workload.ini:13: task 'w': its work is a "
		  "workload whose duration is not known in advance: give 'runtime = DURATION'");
}

Test(analyze_cli, bad_input)
{
	cr_assert_eq(analyze(NULL, "bad-unknown-key.ini"), EXIT_USAGE);
	cr_assert_eq(analyze(NULL, "no-such-file.ini"), EXIT_USAGE);
	cr_assert_eq(analyze(NULL, NULL), EXIT_USAGE);
	cr_assert_eq(analyze("--frobnicate", "analysis-rta.ini"), EXIT_USAGE);
	cr_assert_eq(analyze("-x", "analysis-rta.ini"), EXIT_USAGE);
	expect_in(cr_get_redirected_stderr(), "rtlab analyze: unknown option '-x'");
}

Test(analyze_cli, help)
{
	cr_assert_eq(analyze("--help", NULL), EXIT_OK);
	expect_in(cr_get_redirected_stdout(), "usage: rtlab analyze [--json] FILE");
}
