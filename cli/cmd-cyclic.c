/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-cyclic.c - "rtlab cyclic": run the measurement, show it live, report it. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cyclic.h"

#define LIVE_REFRESH_NS (100 * RTLAB_NSEC_PER_MSEC)
#define QUIET_REFRESH_NS (250 * RTLAB_NSEC_PER_MSEC)

struct run {
	struct rtlab_ctx *ctx;
	struct cyclic_opts o;
	struct cyclic_result res;
	struct rtlab_cyclic *c;
	struct rtlab_dma_latency *dma;
	struct cyclic_trace trace;	/* -b: the kernel trace around the break */
	sigset_t sigs;
	bool live;
	char cmdline[4096];
};

/* join_cmdline - "rtlab cyclic ARGS" for the JSON file. */
static void join_cmdline(char *buf, size_t size, int argc, char **argv)
{
	size_t len = (size_t)snprintf(buf, size, "rtlab");

	for (int i = 0; i < argc && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, " %s", argv[i]);
}

/* block_signals - SIGINT/SIGTERM/SIGHUP are taken by sigtimedwait() in the main loop. */
static void block_signals(struct run *run)
{
	sigemptyset(&run->sigs);
	sigaddset(&run->sigs, SIGINT);
	sigaddset(&run->sigs, SIGTERM);
	sigaddset(&run->sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &run->sigs, NULL);
}

/* setup - memory locking, cpu_dma_latency, the threads. */
static int setup(struct run *run)
{
	struct cyclic_opts *o = &run->o;

	int r;

	if (o->mlock && rtlab_mem_lock(run->ctx, RTLAB_MLOCK_CURRENT | RTLAB_MLOCK_FUTURE) < 0)
		return EXIT_FAIL;
	run->c = rtlab_cyclic_new(run->ctx, &o->cfg);
	if (!run->c)
		return errno == EINVAL ? EXIT_USAGE : EXIT_FAIL;
	r = cyclic_trace_open(run->ctx, o, run->cmdline, &run->trace);
	if (r < 0)
		return r == -EINVAL ? EXIT_USAGE : EXIT_FAIL;
	run->res.dma_latency_us = -1;
	if (o->latency) {
		run->dma = rtlab_dma_latency_hold(run->ctx, o->latency_us);
		if (run->dma) {
			run->res.dma_latency_us = o->latency_us;
			printf("# /dev/cpu_dma_latency set to %dus\n", o->latency_us);
		} else {
			fprintf(stderr, "rtlab cyclic: warning: cpu_dma_latency not held; deep "
				"C-states may add wake-up latency\n");
		}
	}
	return EXIT_OK;
}

/* steal_now - steal time of the measured CPUs, if /proc/stat has it. */
static bool steal_now(struct run *run, uint64_t *ret)
{
	return rtlab_steal_read(run->ctx, &run->res.cpus, ret) == 0;
}

/* print_progress - the live lines and, with -D, a progress line. */
static void print_progress(struct run *run, bool redraw)
{
	double done = (double)(rtlab_now_ns() - run->res.start_ns) / 1e9;

	if (redraw && run->o.duration_ns)
		fputs("\033[1A", stdout);
	cyclic_print_live(stdout, run->c, &run->o, redraw);
	if (run->o.duration_ns)
		printf("\033[2Kprogress: %.1f / %.1f s\n", done, (double)run->o.duration_ns / 1e9);
	fflush(stdout);
}

/* main_loop - wait for the end: loops done, duration over, or a signal. */
static void main_loop(struct run *run)
{
	uint64_t step = run->live ? LIVE_REFRESH_NS : QUIET_REFRESH_NS;
	uint64_t end = run->o.duration_ns ? run->res.start_ns + run->o.duration_ns : 0;
	bool drawn = false;

	for (;;) {
		struct timespec ts = { .tv_sec = (time_t)(step / RTLAB_NSEC_PER_SEC),
				       .tv_nsec = (long)(step % RTLAB_NSEC_PER_SEC) };
		int sig = sigtimedwait(&run->sigs, NULL, &ts);

		if (sig > 0) {
			run->res.interrupted = true;
			break;
		}
		if (rtlab_cyclic_wait(run->c, 0))
			break;
		if (end && rtlab_now_ns() >= end)
			break;
		if (run->live) {
			print_progress(run, drawn);
			drawn = true;
		}
	}
	rtlab_cyclic_stop(run->c);
	run->res.live_shown = drawn;
}

/* measure - start, run, stop. */
static int measure(struct run *run)
{
	uint64_t steal0 = 0, steal1 = 0;
	int r;

	rtlab_cyclic_cpus(run->c, &run->res.cpus);
	run->res.steal_known = steal_now(run, &steal0);
	clock_gettime(CLOCK_REALTIME, &run->res.start_wall);
	run->res.start_ns = rtlab_now_ns();
	r = rtlab_cyclic_start(run->c);
	if (r < 0)
		return r == -EINVAL ? EXIT_USAGE : EXIT_FAIL;
	if (run->o.mainaffinity)
		(void)rtlab_affinity_set(run->ctx, 0, &run->o.main_cpus);
	main_loop(run);
	r = rtlab_cyclic_join(run->c);
	run->res.end_ns = rtlab_now_ns();
	if (run->res.live_shown)
		print_progress(run, true);
	clock_gettime(CLOCK_REALTIME, &run->res.end_wall);
	if (run->res.steal_known && steal_now(run, &steal1))
		run->res.steal_ns = steal1 > steal0 ? steal1 - steal0 : 0;
	else
		run->res.steal_known = false;
	rtlab_cyclic_break_info(run->c, &run->res.brk);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}

/* report - the summary and the JSON file. */
static int report(struct run *run)
{
	char err[512], esc[1024];

	cyclic_print_summary(stdout, run->c, &run->o, &run->res);
	if (!run->o.json_path)
		return EXIT_OK;
	if (cyclic_write_json(run->o.json_path, run->c, &run->o, &run->res, err, sizeof(err)) < 0) {
		fprintf(stderr, "rtlab cyclic: %s\n", cli_escape(err, esc, sizeof(esc)));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* teardown - undo everything setup() did. */
static void teardown(struct run *run)
{
	/* After a failure before the end, the instance still goes away. */
	run->trace.f = rtlab_ftrace_close(run->trace.f);
	run->trace.st = rtlab_store_close(run->trace.st);
	run->c = rtlab_cyclic_free(run->c);
	run->dma = rtlab_dma_latency_release(run->dma);
	if (run->o.mlock)
		(void)rtlab_mem_unlock(run->ctx);
}

/* cmd_cyclic - entry point. */
int cmd_cyclic(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct run *run = calloc(1, sizeof(*run));
	char err[512];
	int r;

	if (!run)
		return EXIT_FAIL;
	run->ctx = ctx;
	if (cyclic_opts_parse(argc, argv, ctx, &run->o, err, sizeof(err)) < 0) {
		free(run);
		fprintf(stderr, "rtlab cyclic: %s\n", err);
		return EXIT_USAGE;
	}
	if (run->o.help) {
		free(run);
		cyclic_usage(stdout);
		return EXIT_OK;
	}
	join_cmdline(run->cmdline, sizeof(run->cmdline), argc, argv);
	run->res.cmdline = run->cmdline;
	run->live = !run->o.quiet && isatty(STDOUT_FILENO);
	block_signals(run);
	r = setup(run);
	if (r == EXIT_OK)
		r = measure(run);
	if (run->res.end_ns) {
		int rr = report(run);

		r = r == EXIT_OK ? rr : r;
		if (run->c && cyclic_trace_close(&run->trace, run->c, &run->o,
						 run->res.interrupted) < 0 && r == EXIT_OK)
			r = EXIT_FAIL;
	}
	teardown(run);
	free(run);
	return r;
}
