/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-run.c - "rtlab run FILE": validate a scenario, run it into a run folder, say where. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <rtlab/run.h>
#include <rtlab/scenario.h>

#include "cli.h"

struct run_opts {
	const char *file;
	const char *runs_dir;
	uint64_t duration_ns;
	bool no_mlock;
};

/* A thread that turns SIGINT/SIGTERM/SIGHUP into a stop of the run. */
struct sig_watch {
	struct rtlab_run *run;
	sigset_t set;
	atomic_bool done;
	atomic_int signo;
};

/* usage - the help of "rtlab run". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab run FILE [-o RUNS_DIR] [--duration D]\n\n"
		"Run the scenario FILE (see docs/scenarios.md): its real-time tasks, mutexes and\n"
		"loads, recording latencies, deadline misses and probe samples on one clock into\n"
		"RUNS_DIR/<name>-<UTC time>/run.db.  The scenario is checked first; a problem is\n"
		"reported as FILE:LINE and nothing runs.  Ctrl-C or SIGTERM ends the run early:\n"
		"what was measured is stored and the run is marked interrupted.\n\n"
		"options:\n"
		"  -o, --output RUNS_DIR  where run folders go (default: runs)\n"
		"  -D, --duration D       run for D instead of the scenario's duration (e.g. 10s)\n"
		"      --no-mlock         do not lock memory\n"
		"  -h, --help             show this help\n\n"
		"The run folder is printed first; then 'rtlab report RUN' makes the report.\n"
		"Exit status: 0 the run is stored (complete or interrupted), 1 it failed, 2 bad\n"
		"input.\n");
}

/* parse_opts - options into @o; EXIT_OK to go on, else the exit status. */
static int parse_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, 'D' },
		{ "no-mlock", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:D:h", longs, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->runs_dir = optarg;
			break;
		case 'D':
			if (rtlab_parse_duration_ns(optarg, RTLAB_NSEC_PER_SEC, &o->duration_ns) < 0 ||
			    !o->duration_ns)
				return cli_usage_error("run", "--duration: '%s' is not a duration "
						       "(e.g. 10s, 500ms)",
						       cli_escape(optarg, esc, sizeof(esc)));
			break;
		case 'M':
			o->no_mlock = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case ':':
			return cli_usage_error("run", "%s needs a value",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		default:
			return cli_usage_error("run", "unknown option '%s'",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("run", optind == argc ? "a scenario FILE is needed" :
						       "one scenario FILE only");
	o->file = argv[optind];
	return EXIT_OK;
}

/* sig_main - wait for a stop signal and stop the run, until told the run is over. */
static void *sig_main(void *arg)
{
	struct sig_watch *w = arg;
	const struct timespec tick = { 0, 100000000 };

	while (!atomic_load(&w->done)) {
		int s = sigtimedwait(&w->set, NULL, &tick);

		if (s > 0) {
			atomic_store(&w->signo, s);
			rtlab_run_stop(w->run);
		}
	}
	return NULL;
}

/* load_scenario - parse and validate; the scenario, or NULL with the message printed. */
static struct rtlab_scenario *load_scenario(const char *file)
{
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX], esc[RTLAB_SCENARIO_ERR_MAX * 4];
	int r = rtlab_scenario_parse_file(file, &sc, err, sizeof(err));

	if (r == 0)
		r = rtlab_scenario_validate(sc, err, sizeof(err));
	if (r == 0)
		return sc;
	fprintf(stderr, "rtlab run: %s\n", cli_escape(err, esc, sizeof(esc)));
	rtlab_scenario_free(sc);
	return NULL;
}

/* execute - set up, run with the signal watcher, report where and how it ended. */
static int execute(struct rtlab_ctx *ctx, const struct rtlab_scenario *sc,
		   const struct run_opts *o)
{
	struct rtlab_run_opts ro = { .runs_dir = o->runs_dir, .duration_ns = o->duration_ns,
				     .no_mlock = o->no_mlock };
	struct sig_watch w = { .done = false };
	char err[512], esc[2048];
	struct rtlab_run *run;
	pthread_t th;
	int r;

	r = rtlab_run_new(ctx, sc, &ro, &run, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "rtlab run: %s\n", cli_escape(err, esc, sizeof(esc)));
		return EXIT_FAIL;
	}
	printf("run folder: %s\n", cli_escape(rtlab_run_dir(run), esc, sizeof(esc)));
	fflush(stdout);
	w.run = run;
	sigemptyset(&w.set);
	sigaddset(&w.set, SIGINT);
	sigaddset(&w.set, SIGTERM);
	sigaddset(&w.set, SIGHUP);
	if (pthread_create(&th, NULL, sig_main, &w) != 0) {
		rtlab_run_free(run);
		return EXIT_FAIL;
	}
	r = rtlab_run_exec(run, err, sizeof(err));
	atomic_store(&w.done, true);
	pthread_join(th, NULL);
	if (r < 0)
		fprintf(stderr, "rtlab run: %s\n", cli_escape(err, esc, sizeof(esc)));
	printf("run %s%s%s: %s\n", rtlab_run_status_name(rtlab_run_status(run)),
	       atomic_load(&w.signo) ? " by " : "",
	       atomic_load(&w.signo) ? strsignal(atomic_load(&w.signo)) : "",
	       cli_escape(rtlab_run_dir(run), esc, sizeof(esc)));
	printf("report: rtlab report %s\n", esc);
	rtlab_run_free(run);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}

/* cmd_run - "rtlab run FILE [-o RUNS_DIR] [--duration D]". */
int cmd_run(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct run_opts o = { .runs_dir = NULL };
	struct rtlab_scenario *sc;
	sigset_t set;
	int r = parse_opts(argc, argv, &o);

	if (r != EXIT_OK)
		return r < 0 ? EXIT_OK : r;
	sc = load_scenario(o.file);
	if (!sc)
		return EXIT_USAGE;
	/* Every thread the run starts inherits this mask: the signals go to the watcher. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	r = execute(ctx, sc, &o);
	rtlab_scenario_free(sc);
	return r;
}
