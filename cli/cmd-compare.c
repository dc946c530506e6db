/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-compare.c - "rtlab compare BASE NEW": the table, the warnings, the gate's verdict. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rtlab/compare.h>

#include "compare.h"

struct compare_opts {
	const char *base, *head;
	const char *spec;	/* --threshold */
	const char *junit;	/* --junit FILE */
	bool json;
};

/* usage - the help of "rtlab compare". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab compare BASE NEW [--threshold SPEC] [--junit FILE] [--json]\n\n"
		"Compare run NEW with run BASE (run folders or run.db files): for each task both\n"
		"runs have, and for all tasks, min, p50, p90, p99, p99.9, max, mean, misses, lost\n"
		"and jobs side by side with their deltas; then check NEW against thresholds.\n"
		"Facts that differ between the runs (kernel, preemption, CPU, governor, ...) are\n"
		"shown as a warning.  NEW must be a complete run; BASE may be interrupted.\n\n"
		"options:\n"
		"  -t, --threshold SPEC  comma-separated thresholds, checked on every task:\n"
		"                          p99=+10%%    NEW may be up to 10%% worse than BASE\n"
		"                          p99=-5%%     NEW must be at least 5%% better\n"
		"                          max<=200us  an absolute bound on NEW\n"
		"                          misses=0    an absolute count\n"
		"                          fast.p99=+10%%  for task 'fast' only (all.p99: over\n"
		"                                          all tasks)\n"
		"                        metrics: min mean p50 p90 p99 p99.9 max misses lost.\n"
		"                        Default: the [gate] of NEW's scenario, else\n"
		"                        %s\n"
		"  -j, --junit FILE      write a JUnit XML report, one testcase per check\n"
		"      --json            print the comparison as JSON instead of the table\n"
		"  -h, --help            show this help\n\n"
		"Exit status: 0 every check passed, 1 a threshold was broken (regression),\n"
		"2 an error (bad options, a path that is not a run, NEW not complete, a gated\n"
		"task without samples).  See docs/compare.md.\n", RTLAB_COMPARE_DEFAULT_GATE);
}

/* parse_opts - options into @o; EXIT_OK to go on, -1 after --help, else the exit status. */
static int parse_opts(int argc, char **argv, struct compare_opts *o)
{
	static const struct option longs[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "junit", required_argument, NULL, 'j' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:j:h", longs, NULL)) != -1) {
		if (c == 't') {
			o->spec = optarg;
		} else if (c == 'j') {
			o->junit = optarg;
		} else if (c == 'J') {
			o->json = true;
		} else if (c == 'h') {
			usage(stdout);
			return -1;
		} else {
			return cli_usage_error("compare", c == ':' ? "%s needs a value" :
						  "unknown option '%s'",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("compare", "two runs are needed: BASE and NEW (see "
				       "'rtlab compare --help')");
	o->base = argv[optind];
	o->head = argv[optind + 1];
	return EXIT_OK;
}

/* write_file - @text into @path; 0 or -errno. */
static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int r = 0;

	if (!f)
		return -errno;
	if (fputs(text, f) == EOF)
		r = -errno;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	return r;
}

/* junit_write - @xml into the --junit file; 0, or -errno with the error printed. */
static int junit_write(const struct compare_opts *o, const char *xml)
{
	char esc[1024];
	int r = write_file(o->junit, xml);

	if (r < 0)
		fprintf(stderr, "rtlab compare: --junit: '%s': %s\n",
			cli_escape(o->junit, esc, sizeof(esc)), strerror(-r));
	return r;
}

/* fail - print "rtlab compare: @what@msg", write a JUnit error if asked; EXIT_USAGE. */
static int fail(const struct compare_opts *o, const char *what, const char *msg)
{
	char esc[2048], full[1536];
	char *xml;

	snprintf(full, sizeof(full), "%s%s", what, msg);
	fprintf(stderr, "rtlab compare: %s\n", cli_escape(full, esc, sizeof(esc)));
	if (o->junit && rtlab_compare_junit_error(full, time(NULL), &xml) == 0) {
		(void)junit_write(o, xml);
		free(xml);
	}
	return EXIT_USAGE;
}

/* print_run - "ROLE  PATH  (status, name, start, host)", every part escaped. */
static void print_run(const char *role, const char *path, const struct rtlab_run_summary *s)
{
	const char *parts[] = { path, s->status, s->name, s->start_utc, s->hostname };
	char esc[1024];

	printf("%-4s ", role);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		printf("%s%s", i == 0 ? " " : i == 1 ? "  (" : ", ",
		       cli_escape(parts[i], esc, sizeof(esc)));
	printf(")\n");
}

/* print_runs - the two runs, the facts that differ, the warnings, the thresholds. */
static void print_runs(const struct rtlab_compare *c)
{
	char esc[4096], th[4096];

	print_run("BASE", c->base_path, &c->base);
	print_run("NEW", c->head_path, &c->head);
	if (c->nfacts)
		printf("\nwarning: the runs were made on different machines or setups:\n");
	for (size_t i = 0; i < c->nfacts; i++) {
		printf("  %-14s BASE: %s\n", c->facts[i].name,
		       cli_escape(c->facts[i].base, esc, sizeof(esc)));
		printf("  %-14s NEW:  %s\n", "", cli_escape(c->facts[i].head, esc, sizeof(esc)));
	}
	for (size_t i = 0; i < c->nwarnings; i++)
		printf("%swarning: %s\n", i ? "" : "\n",
		       cli_escape(c->warnings[i], esc, sizeof(esc)));
	if (rtlab_thresholds_format(c->thresholds, th, sizeof(th)) < 0)
		snprintf(th + sizeof(th) - 4, 4, "...");
	printf("\nthresholds: %s (%s", th, rtlab_compare_source_text(c));
	if (c->source == RTLAB_THRESHOLDS_GATE)
		printf(", line %u", c->gate_line);
	printf(")\n");
}

/* print_row - one task's table: BASE, NEW, delta, delta %, verdict per metric. */
static void print_row(const struct rtlab_compare_row *row, bool all)
{
	static const char *const verdicts[] = { "pass", "FAIL" };
	char esc[256], v[4][32];

	printf("\n%s %s  (samples: ", all ? "all" : "task",
	       all ? "tasks" : cli_escape(row->head->name, esc, sizeof(esc)));
	if (row->base)
		printf("BASE %llu, ", (unsigned long long)row->base->samples);
	printf("NEW %llu)\n  %-8s %12s %12s %12s %9s  %s\n",
	       (unsigned long long)row->head->samples, "metric", "BASE", "NEW", "delta", "delta%",
	       "verdict");
	for (int i = 0; i < _RTLAB_COMPARE_METRIC_MAX; i++) {
		enum rtlab_compare_metric m = (enum rtlab_compare_metric)i;
		double h = rtlab_compare_metric_value(row->head, m);
		double b = row->base ? rtlab_compare_metric_value(row->base, m) : 0;

		snprintf(v[0], sizeof(v[0]), "-");
		snprintf(v[2], sizeof(v[2]), "-");
		snprintf(v[3], sizeof(v[3]), "-");
		if (row->base) {
			rtlab_compare_format(m, b, false, v[0], sizeof(v[0]));
			rtlab_compare_format(m, h - b, true, v[2], sizeof(v[2]));
			if (b != 0)
				snprintf(v[3], sizeof(v[3]), "%+.1f%%", (h - b) / b * 100);
		}
		printf("  %-8s %12s %12s %12s %9s%s%s\n", rtlab_compare_metric_name(m), v[0],
		       rtlab_compare_format(m, h, false, v[1], sizeof(v[1])), v[2], v[3],
		       row->verdict[m] < 0 ? "" : "  ",
		       row->verdict[m] < 0 ? "" : verdicts[row->verdict[m]]);
	}
}

/* print_result - the failed checks, then the verdict. */
static void print_result(const struct rtlab_compare *c)
{
	char esc[256], text[256];

	printf("\n");
	for (size_t i = 0; i < c->nchecks; i++) {
		const struct rtlab_compare_check *k = &c->checks[i];
		/* The task is named first: its threshold without "TASK.". */
		size_t skip = k->th->task[0] ? strlen(k->th->task) + 1 : 0;

		if (k->pass)
			continue;
		printf("FAIL  %s: %s: %s\n",
		       cli_escape(c->rows[k->row].head->name, esc, sizeof(esc)), k->th->text + skip,
		       rtlab_compare_check_text(k, text, sizeof(text)));
	}
	if (c->failures)
		printf("result: regression: %zu of %zu checks failed\n", c->failures, c->nchecks);
	else
		printf("result: pass: %zu checks\n", c->nchecks);
}

/* output - the JUnit file if asked, then the JSON or the table. */
static int output(const struct compare_opts *o, const struct rtlab_compare *c)
{
	char *text;
	int r;

	if (o->junit) {
		r = rtlab_compare_junit(c, time(NULL), &text);
		if (r < 0)
			return fail(o, "--junit: ", strerror(-r));
		r = junit_write(o, text);
		free(text);
		if (r < 0)
			return EXIT_USAGE;
	}
	if (o->json) {
		r = rtlab_compare_json(c, &text);
		if (r < 0)
			return fail(o, "--json: ", strerror(-r));
		printf("%s\n", text);
		free(text);
		return rtlab_compare_result(c);
	}
	print_runs(c);
	for (size_t i = 0; i < c->nrows; i++)
		print_row(&c->rows[i], i + 1 == c->nrows);
	print_result(c);
	return rtlab_compare_result(c);
}

/* cmd_compare - "rtlab compare BASE NEW [--threshold SPEC] [--junit FILE] [--json]". */
int cmd_compare(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct compare_opts o = { .json = false };
	struct rtlab_thresholds *th = NULL;
	struct rtlab_compare *c = NULL;
	char err[1024];
	int r = parse_opts(argc, argv, &o);

	(void)ctx;
	if (r != EXIT_OK)
		return r < 0 ? EXIT_OK : r;
	if (o.spec && rtlab_thresholds_parse(o.spec, &th, err, sizeof(err)) < 0)
		return fail(&o, "--threshold: ", err);
	r = rtlab_compare_runs(o.base, o.head, th, &c, err, sizeof(err));
	rtlab_thresholds_free(th);
	if (r < 0)
		return fail(&o, "", err);
	r = output(&o, c);
	rtlab_compare_free(c);
	return r;
}
