/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-record.c - "rtlab probe record FILE": probe samples into a run store until told to stop. */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "probe-cli.h"

#define CMD "probe record"

struct record_opts {
	const char *db;
	uint64_t families;
	uint64_t interval_ns;
	uint64_t duration_ns;	/* 0: until SIGINT/SIGTERM */
	const char *root;
};

/* usage - the help of "rtlab probe record". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab probe record FILE [--family LIST] [--interval DURATION]\n"
		"                          [--duration DURATION] [--root DIR]\n\n"
		"Sample the probe's families every INTERVAL into the SQLite file FILE (created\n"
		"if missing; tables probe_metric, probe_sample, probe_problem), with\n"
		"CLOCK_MONOTONIC times, until DURATION has passed or SIGINT/SIGTERM.  What\n"
		"was sampled until then is kept.\n\n"
		"options:\n"
		"  -f, --family LIST       families to record (default: default)\n"
		"  -i, --interval DURATION between samples (default 1s; e.g. 100ms)\n"
		"  -D, --duration DURATION stop after DURATION (default: until a signal)\n"
		"  -r, --root DIR          read /proc, /sys, ... below DIR (a captured tree)\n"
		"  -h, --help              show this help\n\n"
		"Exit status: 0 when it recorded, 1 if FILE could not be written, 2 for bad\n"
		"options.\n");
}

/* parse_opts - the command line into @o; EXIT_OK, or EXIT_USAGE after one line. */
static int parse_opts(int argc, char **argv, struct record_opts *o, bool *help)
{
	static const struct option longopts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'D' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c, r = EXIT_OK;

	opterr = 0;
	optind = 0;
	while (r == EXIT_OK && (c = getopt_long(argc, argv, ":f:i:D:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			r = probe_opt_families(CMD, optarg, &o->families);
			break;
		case 'i':
			r = probe_opt_duration(CMD, "--interval", optarg, &o->interval_ns);
			break;
		case 'D':
			r = probe_opt_duration(CMD, "--duration", optarg, &o->duration_ns);
			break;
		case 'r':
			o->root = optarg;
			r = probe_opt_root(CMD, optarg);
			break;
		case 'h':
			*help = true;
			return EXIT_OK;
		default:
			return probe_bad_option(CMD, c, argv[optind - 1], optopt);
		}
	}
	if (r != EXIT_OK)
		return r;
	if (optind >= argc)
		return cli_usage_error(CMD, "no FILE to record into (see --help)");
	o->db = argv[optind++];
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'",
				       cli_escape(argv[optind], esc, sizeof(esc)));
	return EXIT_OK;
}

/* wait_stop - until @duration_ns has passed (0: forever) or a signal of @set came. */
static void wait_stop(const sigset_t *set, uint64_t duration_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(duration_ns / 1000000000),
			       .tv_nsec = (long)(duration_ns % 1000000000) };
	int r;

	do {
		r = duration_ns ? sigtimedwait(set, NULL, &ts) : sigwaitinfo(set, NULL);
	} while (r < 0 && errno == EINTR);
}

/* probe_cmd_record - record until the duration ends or a stop signal. */
int probe_cmd_record(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct record_opts o = { .families = RTLAB_PROBE_DEFAULT };
	struct rtlab_probe_recorder_opts ro;
	struct rtlab_probe_recorder *rec = NULL;
	struct rtlab_probe_opts po = { 0 };
	struct rtlab_probe *p = NULL;
	bool help = false;
	char esc[512];
	sigset_t set;
	int r;

	r = parse_opts(argc, argv, &o, &help);
	if (r != EXIT_OK || help) {
		if (help)
			usage(stdout);
		return r;
	}
	po.root = o.root;
	ro = (struct rtlab_probe_recorder_opts){ .families = o.families,
						 .interval_ns = o.interval_ns };
	/* Blocked before the recorder's thread starts, so that it inherits the mask. */
	probe_stop_signals(&set);
	if (rtlab_probe_new(ctx, &po, &p) < 0 ||
	    rtlab_probe_recorder_open(ctx, p, o.db, &ro, &rec) < 0) {
		rtlab_probe_free(p);
		return EXIT_FAIL;	/* the library has said why */
	}
	r = rtlab_probe_recorder_start(rec);
	if (r == 0) {
		fprintf(stderr, "recording into %s\n", cli_escape(o.db, esc, sizeof(esc)));
		wait_stop(&set, o.duration_ns);
		r = rtlab_probe_recorder_stop(rec);
	}
	fprintf(stderr, "%llu samples recorded into %s\n",
		(unsigned long long)rtlab_probe_recorder_samples(rec),
		cli_escape(o.db, esc, sizeof(esc)));
	rtlab_probe_recorder_close(rec);
	rtlab_probe_free(p);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}
