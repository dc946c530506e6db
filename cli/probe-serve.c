/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-serve.c - "rtlab probe serve": /metrics over HTTP until SIGINT or SIGTERM. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <string.h>

#include "probe-cli.h"

#define CMD "probe serve"

struct serve_opts {
	const char *listen;
	uint64_t families;
	uint64_t cache_ns;
	const char *root;
};

/* usage - the help of "rtlab probe serve". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab probe serve [--listen ADDR] [--family LIST] [--cache DURATION]\n"
		"                         [--root DIR]\n\n"
		"Serve the probe's metrics in the Prometheus text format at http://ADDR/metrics\n"
		"(and an index at /) until SIGINT or SIGTERM.  Each scrape collects afresh;\n"
		"scrapes that arrive together share one collection.  Slow families keep their\n"
		"TTL (5 s).  The server's own metrics (rtlab_probe_*) come last.\n\n"
		"options:\n"
		"  -l, --listen ADDR     HOST:PORT, [IPv6]:PORT, or :PORT for every address\n"
		"                        (default %s: this machine only)\n"
		"  -f, --family LIST     families to serve (default: default; see 'rtlab probe\n"
		"                        families')\n"
		"  -c, --cache DURATION  re-serve a collection younger than DURATION (e.g. 1s;\n"
		"                        default: none)\n"
		"  -r, --root DIR        read /proc, /sys, ... below DIR (a captured tree)\n"
		"  -h, --help            show this help\n\n"
		"Exit status: 0 after SIGINT or SIGTERM, 1 if the server could not start\n"
		"(address in use...), 2 for bad options.\n",
		RTLAB_PROBE_LISTEN_DEFAULT);
}

/* parse_opts - the command line into @o; EXIT_OK, or EXIT_USAGE after one line. */
static int parse_opts(int argc, char **argv, struct serve_opts *o, bool *help)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "family", required_argument, NULL, 'f' },
		{ "cache", required_argument, NULL, 'c' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rtlab_listen_addr a;
	char esc[256];
	int c, r = EXIT_OK;

	opterr = 0;
	optind = 0;
	while (r == EXIT_OK && (c = getopt_long(argc, argv, "+:l:f:c:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			o->listen = optarg;
			if (rtlab_listen_parse(optarg, &a) < 0)
				r = cli_usage_error(CMD, "--listen: '%s' is not HOST:PORT, "
					       "[IPv6]:PORT or :PORT", cli_escape(optarg, esc,
										  sizeof(esc)));
			break;
		case 'f':
			r = probe_opt_families(CMD, optarg, &o->families);
			break;
		case 'c':
			r = probe_opt_duration(CMD, "--cache", optarg, &o->cache_ns);
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
	if (r == EXIT_OK && optind < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'",
				       cli_escape(argv[optind], esc, sizeof(esc)));
	return r;
}

/* probe_cmd_serve - start, wait for a stop signal, stop. */
int probe_cmd_serve(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct serve_opts o = { .families = RTLAB_PROBE_DEFAULT };
	struct rtlab_probe_opts po = { 0 };
	struct rtlab_probe_server_opts so = { 0 };
	struct rtlab_probe_server *srv;
	bool help = false;
	char esc[256];
	sigset_t set;
	int r, sig;

	r = parse_opts(argc, argv, &o, &help);
	if (r != EXIT_OK || help) {
		if (help)
			usage(stdout);
		return r;
	}
	po.root = o.root;
	so = (struct rtlab_probe_server_opts){ .listen = o.listen, .families = o.families,
					       .cache_ns = o.cache_ns, .probe = &po };
	/*
	 * One allocator arena: scrapes are serialized, and glibc would otherwise
	 * give each HTTP thread an arena of its own that keeps its pages.
	 */
	mallopt(M_ARENA_MAX, 1);
	/* Blocked before the server's threads start, so that they inherit the mask. */
	probe_stop_signals(&set);
	r = rtlab_probe_server_start(ctx, &so, &srv);
	if (r < 0)
		return EXIT_FAIL;	/* the library has said why */
	fprintf(stderr, "serving http://%s/metrics\n",
		cli_escape(rtlab_probe_server_addr(srv), esc, sizeof(esc)));
	do {
		r = sigwait(&set, &sig);
	} while (r == EINTR);
	rtlab_probe_server_stop(srv);
	return EXIT_OK;
}
