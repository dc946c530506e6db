/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd-probe.c - "rtlab probe": what the kernel knows, as a table, JSON or
 * Prometheus text, once or every INTERVAL; and the dispatch to the views
 * (serve, families, sockets, proc, top).
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe-cli.h"
#include "probe-cmds.h"

enum format {
	FMT_TABLE,
	FMT_JSON,
	FMT_PROM,
};

struct probe_opts {
	uint64_t families;
	enum format format;
	bool format_set, family_set, all;
	uint64_t watch_ns;	/* 0: once */
	uint64_t count;		/* readings with --watch, 0: until stopped */
	const char *root;
};

static int cmd_families(int argc, char **argv, struct rtlab_ctx *ctx);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv, struct rtlab_ctx *ctx);
	const char *summary;
} views[] = {
	{ "families", cmd_families, "the families: fast or slow, collected by default or not" },
	{ "proc", probe_cmd_proc, "one process, every field" },
	{ "record", probe_cmd_record, "sample families into a SQLite run store" },
	{ "serve", probe_cmd_serve, "serve /metrics over HTTP for Prometheus" },
	{ "sockets", probe_cmd_sockets, "the socket table with owning processes" },
	{ "top", probe_cmd_top, "a refreshing process table" },
};

/* usage - the help of "rtlab probe". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab probe [--family LIST | --all] [--json | --prom | --table]\n"
		"                   [--watch INTERVAL [--count N]] [--root DIR]\n"
		"       rtlab probe VIEW [ARGS]\n\n"
		"What the kernel knows about this machine: CPU, load, pressure, memory, disks,\n"
		"file systems, network, sockets, processes, temperatures, power, GPUs, limits,\n"
		"containers, cloud.  Values that cannot be read show why (n/a (reason)); rates\n"
		"and percentages need two readings and appear from the second one (--watch).\n\n"
		"options:\n"
		"  -f, --family LIST    families to collect, e.g. cpu,mem (default: default)\n"
		"  -a, --all            every family, the process walk included\n"
		"  -t, --table          a table per family, values in human units (default)\n"
		"  -j, --json           one JSON object (one per line with --watch), exact values\n"
		"  -p, --prom           Prometheus text format (blocks separated by a blank line)\n"
		"  -w, --watch INTERVAL read again every INTERVAL (e.g. 1s, 500ms) until stopped;\n"
		"                       slow families too (see 'rtlab probe families')\n"
		"  -n, --count N        with --watch: stop after N readings\n"
		"  -r, --root DIR       read /proc, /sys, ... below DIR (a captured tree)\n"
		"  -h, --help           show this help\n\nviews:\n");
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		fprintf(out, "  %-10s %s\n", views[i].name, views[i].summary);
	fprintf(out, "\nSee 'rtlab probe VIEW --help'.  Exit status: 0 when something was\n"
		     "collected (family errors are shown, not fatal), 1 when nothing could be,\n"
		     "2 for bad options.\n");
}

/* set_format - one output format only. */
static int set_format(struct probe_opts *o, enum format f)
{
	if (o->format_set && o->format != f)
		return cli_usage_error("probe", "--table, --json and --prom exclude each other");
	o->format = f;
	o->format_set = true;
	return EXIT_OK;
}

/* parse_count - --count N, N >= 1. */
static int parse_count(const char *s, uint64_t *ret)
{
	char esc[256];

	if (rtlab_parse_u64(s, ret) == 0 && *ret > 0)
		return EXIT_OK;
	return cli_usage_error("probe", "--count: '%s' is not a number above 0",
			       cli_escape(s, esc, sizeof(esc)));
}

/* parse_one - option @c with @arg into @o. */
static int parse_one(int c, const char *arg, struct probe_opts *o)
{
	switch (c) {
	case 'f':
		o->family_set = true;
		return probe_opt_families("probe", arg, &o->families);
	case 'a':
		o->all = true;
		return EXIT_OK;
	case 't':
		return set_format(o, FMT_TABLE);
	case 'j':
		return set_format(o, FMT_JSON);
	case 'p':
		return set_format(o, FMT_PROM);
	case 'w':
		return probe_opt_duration("probe", "--watch", arg, &o->watch_ns);
	case 'n':
		return parse_count(arg, &o->count);
	default:
		o->root = arg;
		return probe_opt_root("probe", arg);
	}
}

/* parse_opts - the command line into @o; EXIT_OK, or EXIT_USAGE after one line. */
static int parse_opts(int argc, char **argv, struct probe_opts *o, bool *help)
{
	static const struct option longopts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "table", no_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "prom", no_argument, NULL, 'p' },
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'n' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c, r = EXIT_OK;

	opterr = 0;
	optind = 0;
	while (r == EXIT_OK &&
	       (c = getopt_long(argc, argv, "+:f:atjpw:n:r:h", longopts, NULL)) != -1) {
		if (c == 'h') {
			*help = true;
			return EXIT_OK;
		}
		if (c == ':' || c == '?')
			return probe_bad_option("probe", c, argv[optind - 1], optopt);
		r = parse_one(c, optarg, o);
	}
	if (r != EXIT_OK)
		return r;
	if (optind < argc)
		return cli_usage_error("probe", "unknown view or argument '%s'; see 'rtlab probe "
				       "--help'", cli_escape(argv[optind], esc, sizeof(esc)));
	if (o->all && o->family_set)
		return cli_usage_error("probe", "--all and --family exclude each other");
	if (o->count && !o->watch_ns)
		return cli_usage_error("probe", "--count needs --watch");
	if (o->all)
		o->families = RTLAB_PROBE_ALL;
	return EXIT_OK;
}

/* anything_collected - some requested family was collected without error. */
static bool anything_collected(const struct rtlab_probe_data *d, uint64_t families)
{
	for (unsigned int f = 0; f < RTLAB_PF__COUNT; f++)
		if ((families & RTLAB_PF_BIT(f)) && d->t_ns[f] && !d->err[f])
			return true;
	return false;
}

/* print_reading - one reading in the chosen format; 0 or -ENOMEM. */
static int print_reading(const struct probe_opts *o, const struct rtlab_probe_data *d,
			 struct rtlab_buf *b, unsigned long long n)
{
	int r;

	if (o->format == FMT_TABLE) {
		if (o->watch_ns && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		else if (n)
			fputc('\n', stdout);
		r = probe_table_print(stdout, d, o->families);
	} else {
		rtlab_buf_reset(b);
		if (o->format == FMT_JSON)
			r = rtlab_probe_json(d, o->families, b) ||
			    rtlab_buf_append(b, "\n", 1) ? -ENOMEM : 0;
		else
			r = rtlab_probe_prom(d, o->families, b);
		if (!r) {
			if (n && o->format == FMT_PROM)
				fputc('\n', stdout);
			fwrite(b->data, 1, b->len, stdout);
		}
	}
	fflush(stdout);
	return r;
}

/* wait_until - sleep until @deadline (CLOCK_MONOTONIC ns); false if a stop signal came. */
static bool wait_until(uint64_t deadline, const sigset_t *stop)
{
	for (;;) {
		uint64_t now = rtlab_now_ns();
		struct timespec ts;

		if (now >= deadline)
			return true;
		ts.tv_sec = (time_t)((deadline - now) / RTLAB_NSEC_PER_SEC);
		ts.tv_nsec = (long)((deadline - now) % RTLAB_NSEC_PER_SEC);
		if (sigtimedwait(stop, NULL, &ts) >= 0)
			return false;
		if (errno != EAGAIN && errno != EINTR)
			return true;
	}
}

/* run - collect and print once, or every --watch interval. */
static int run(const struct probe_opts *o, struct rtlab_ctx *ctx)
{
	/* Each reading shown is a fresh one, slow families included. */
	struct rtlab_probe_opts po = { .root = o->root, .ttl_slow_ns = o->watch_ns ? 1 : 0 };
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p = NULL;
	struct rtlab_buf b = { 0 };
	uint64_t next = rtlab_now_ns();
	int r = d ? rtlab_probe_new(ctx, &po, &p) : -ENOMEM;
	bool ok = false;
	sigset_t stop;

	if (o->watch_ns)
		probe_stop_signals(&stop);
	for (unsigned long long n = 0; r == 0; n++) {
		r = rtlab_probe_collect(p, o->families, d);
		if (!r)
			r = print_reading(o, d, &b, n);
		ok = r == 0 && anything_collected(d, o->families);
		if (r || !o->watch_ns || (o->count && n + 1 >= o->count))
			break;
		next += o->watch_ns;
		/* Readings slower than the interval: start the beat again, no catching up. */
		if (next < rtlab_now_ns())
			next = rtlab_now_ns();
		if (!wait_until(next, &stop))
			break;
	}
	if (r < 0)
		fprintf(stderr, "rtlab probe: %s\n", strerror(-r));
	rtlab_buf_free(&b);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	return ok ? EXIT_OK : EXIT_FAIL;
}

/* cmd_families - "rtlab probe families": name, TTL class, default or not. */
static int cmd_families(int argc, char **argv, struct rtlab_ctx *ctx)
{
	(void)ctx;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: rtlab probe families\n\nList the probe's families: fast ones are "
		       "collected afresh on each call, slow\nones at most every 5 s ('rtlab probe "
		       "--watch' reads them every time); 'default'\nfamilies are collected unless "
		       "--family says otherwise.\n");
		return EXIT_OK;
	}
	if (argc > 1) {
		char esc[256];

		return cli_usage_error("probe families", "unexpected argument '%s'",
				       cli_escape(argv[1], esc, sizeof(esc)));
	}
	printf("%-12s %-5s %s\n", "FAMILY", "TTL", "DEFAULT");
	for (unsigned int f = 0; f < RTLAB_PF__COUNT; f++)
		printf("%-12s %-5s %s\n", rtlab_probe_family_name(f),
		       rtlab_probe_family_is_slow(f) ? "slow" : "fast",
		       RTLAB_PROBE_DEFAULT & RTLAB_PF_BIT(f) ? "yes" : "no");
	return EXIT_OK;
}

/* cmd_probe - "rtlab probe [OPTIONS]" or "rtlab probe VIEW [ARGS]". */
int cmd_probe(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct probe_opts o = { .families = RTLAB_PROBE_DEFAULT };
	bool help = false;
	int r;

	for (size_t i = 0; argc > 1 && i < sizeof(views) / sizeof(views[0]); i++) {
		if (strcmp(argv[1], views[i].name) != 0)
			continue;
		return views[i].fn(argc - 1, argv + 1, ctx);
	}
	r = parse_opts(argc, argv, &o, &help);
	if (r != EXIT_OK || help) {
		if (help)
			usage(stdout);
		return r;
	}
	return run(&o, ctx);
}
