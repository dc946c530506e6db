/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-report.c - "rtlab report RUN": report.html, summary.txt and PNG plots, then their paths. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rtlab/ftrace.h>
#include <rtlab/report.h>

#include "cli.h"
#include "report.h"

/* A numeric option and its bounds. */
struct num_opt {
	int id;			/* its getopt value */
	const char *name;
	uint64_t min, max;
};

enum { OPT_SPIKES = 's', OPT_MAX_POINTS = 'P', OPT_EXPLAIN = 'e', OPT_WINDOW = 'w',
       OPT_JSON = 'j' };

static const struct num_opt num_opts[] = {
	{ OPT_SPIKES, "--spikes", 1, 1000 },
	{ OPT_MAX_POINTS, "--max-points", 100, 10000000 },
	{ OPT_EXPLAIN, "--explain", 1, 100 },
};

/* The bounds of --window. */
#define WINDOW_MIN_NS RTLAB_NSEC_PER_USEC
#define WINDOW_MAX_NS (10 * RTLAB_NSEC_PER_SEC)

/* usage - the help of "rtlab report". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab report RUN [-o DIR] [--spikes N] [--max-points N] [--explain N]\n"
		"                        [--window D] [--json]\n\n"
		"Make the report of the run folder RUN (made by 'rtlab run') from its run.db:\n"
		"  report.html   one self-contained page: run facts, latency per task, the top\n"
		"                spikes with the probe values around them, plots (inline SVG),\n"
		"                events, the scenario\n"
		"  summary.txt   the facts, latency figures and spikes as plain text\n"
		"  spikes.json   with --json: the explained spikes, their verdicts and time lines\n"
		"  *.png         each plot: histograms, latency over time, percentiles,\n"
		"                deadline misses, probe metrics\n"
		"Plots are drawn by gnuplot (package gnuplot-nox), found on PATH.\n\n"
		"options:\n"
		"  -o, --output DIR     write into DIR (made if missing) instead of RUN\n"
		"  -n, --spikes N       rows of the spike table (default 10, 1-1000)\n"
		"      --max-points N   latency samples a time plot shows one by one; more are\n"
		"                       reduced to min/p99/max per time bucket (default 5000)\n"
		"      --explain N      spikes explained with a verdict from the trace events\n"
		"                       and the steal time of their CPU (default 5, 1-100)\n"
		"      --window D       time line kept before each explained spike: 500us, 5ms...\n"
		"                       (default max(2 ms, 2 x its latency); 1us-10s)\n"
		"      --json           also write spikes.json\n"
		"  -h, --help           show this help\n\n"
		"Exit status: 0 the report is written, 1 it could not be (gnuplot missing or\n"
		"failing, a file not written), 2 bad input (RUN is not a run).\n");
}

/* set_num - a bounded numeric option into @ret; EXIT_OK or EXIT_USAGE. */
static int set_num(int id, const char *arg, unsigned *ret)
{
	char esc[256];
	uint64_t v;

	for (size_t i = 0; i < sizeof(num_opts) / sizeof(num_opts[0]); i++) {
		const struct num_opt *o = &num_opts[i];

		if (o->id != id)
			continue;
		if (rtlab_parse_u64(arg, &v) < 0 || v < o->min || v > o->max)
			return cli_usage_error("report", "%s: '%s' is not a number from %llu to "
					       "%llu", o->name, cli_escape(arg, esc, sizeof(esc)),
					       (unsigned long long)o->min,
					       (unsigned long long)o->max);
		*ret = (unsigned)v;
	}
	return EXIT_OK;
}

/* set_window - --window into @o; EXIT_OK or EXIT_USAGE. */
static int set_window(const char *arg, struct rtlab_report_opts *o)
{
	char esc[256];

	if (rtlab_parse_duration_ns(arg, RTLAB_NSEC_PER_SEC, &o->window_ns) < 0 ||
	    o->window_ns < WINDOW_MIN_NS || o->window_ns > WINDOW_MAX_NS)
		return cli_usage_error("report", "--window: '%s' is not a duration from 1us to "
				       "10s", cli_escape(arg, esc, sizeof(esc)));
	return EXIT_OK;
}

/* parse_opts - options into @o, the run into *@ret_run; EXIT_OK, -1 (help shown), or a status. */
static int parse_opts(int argc, char **argv, struct rtlab_report_opts *o, const char **ret_run)
{
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "spikes", required_argument, NULL, OPT_SPIKES },
		{ "max-points", required_argument, NULL, OPT_MAX_POINTS },
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c, r = EXIT_OK;

	opterr = 0;
	while (r == EXIT_OK && (c = getopt_long(argc, argv, ":o:n:h", longs, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->out_dir = optarg;
			break;
		case 'n':
		case OPT_SPIKES:
			r = set_num(OPT_SPIKES, optarg, &o->spikes);
			break;
		case OPT_MAX_POINTS:
			r = set_num(OPT_MAX_POINTS, optarg, &o->max_points);
			break;
		case OPT_EXPLAIN:
			r = set_num(OPT_EXPLAIN, optarg, &o->explain);
			break;
		case OPT_WINDOW:
			r = set_window(optarg, o);
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case ':':
			return cli_usage_error("report", "%s needs a value",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		default:
			return cli_usage_error("report", "unknown option '%s'",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		}
	}
	if (r != EXIT_OK)
		return r;
	if (optind != argc - 1)
		return cli_usage_error("report", optind == argc ? "a run folder RUN is needed" :
								  "one run folder RUN only");
	*ret_run = argv[optind];
	return EXIT_OK;
}

/*
 * materialize - a trace recorded raw (rtlab ftrace record) is parsed into
 * trace_event once, before the report reads it for the spike verdicts.
 */
static int materialize(const char *run, struct rtlab_ctx *ctx)
{
	char db[PATH_MAX], esc[PATH_MAX * 4];
	struct stat st;
	int r;

	if (stat(run, &st) < 0)
		return EXIT_OK;	/* rtlab_report_open() says what is wrong */
	if (snprintf(db, sizeof(db), S_ISDIR(st.st_mode) ? "%s/run.db" : "%s", run) >=
	    (int)sizeof(db))
		return EXIT_OK;
	r = rtlab_ftrace_materialize(db, ctx, NULL);
	if (r == 0 || r == -ENOENT || r == -EPROTO)
		return EXIT_OK;
	fprintf(stderr, "rtlab report: %s: the stored trace cannot be parsed: %s\n",
		cli_escape(db, esc, sizeof(esc)), strerror(-r));
	return r == -EBADMSG ? EXIT_USAGE : EXIT_FAIL;
}

/* cmd_report - open the run (bad input: 2), write the report (failure: 1), print the paths. */
int cmd_report(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct rtlab_report_opts o = { .out_dir = NULL };
	struct rtlab_report *rep = NULL;
	char err[1024], esc[PATH_MAX * 4];
	const char *run = NULL;
	int r = parse_opts(argc, argv, &o, &run);

	if (r != EXIT_OK)
		return r < 0 ? EXIT_OK : r;
	r = materialize(run, ctx);
	if (r != EXIT_OK)
		return r;
	r = rtlab_report_open(run, &rep, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "rtlab report: %s\n", cli_escape(err, esc, sizeof(esc)));
		/* Not a run is bad input; anything else is a failure to read it. */
		return r == -ENOENT || r == -EPROTO || r == -ENOTDIR ? EXIT_USAGE : EXIT_FAIL;
	}
	if (rtlab_report_write(rep, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "rtlab report: %s\n", cli_escape(err, esc, sizeof(esc)));
		rtlab_report_free(rep);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < rtlab_report_nfiles(rep); i++)
		printf("%s\n", cli_escape(rtlab_report_file(rep, i), esc, sizeof(esc)));
	rtlab_report_free(rep);
	return EXIT_OK;
}
