/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cyclic.h - rtlab cyclic: options, printing and JSON (cyclictest-compatible). */
#ifndef RTLAB_CLI_CYCLIC_H
#define RTLAB_CLI_CYCLIC_H

#include <stdio.h>
#include <time.h>

#include <rtlab/rtlab.h>

#define CYCLIC_DEFAULT_OVERFLOW_US 1000u
/* What -b records by default: enough to say who held the CPU and why the wake-up was late. */
#define CYCLIC_TRACE_EVENTS \
	"sched:sched_switch,sched:sched_waking,sched:sched_wakeup,irq:irq_handler_entry," \
	"irq:irq_handler_exit,irq:softirq_entry,irq:softirq_exit"
#define CYCLIC_TRACE_EVENTS_SHORT "sched switch/waking/wakeup, hard and soft IRQs"
#define CYCLIC_TRACE_WINDOW_NS (10 * RTLAB_NSEC_PER_MSEC)

struct cyclic_opts {
	struct rtlab_cyclic_config cfg;	/* what the library runs */
	uint64_t duration_ns;		/* -D; 0: until -l or a signal */
	bool mlock;			/* -m */
	bool quiet;			/* -q */
	bool nsecs;			/* -N */
	bool histogram;			/* -h or -H given: print the 1 us histogram */
	bool histofall;			/* -H: plus a summary column */
	bool latency;			/* hold cpu_dma_latency (default on) */
	int32_t latency_us;		/* --latency value */
	bool mainaffinity;		/* --mainaffinity given */
	cpu_set_t main_cpus;
	const char *json_path;		/* --json */
	char trace_events[1024];	/* -b: --trace-events, joined by commas */
	uint64_t trace_window_ns;	/* -b: --trace-window */
	const char *trace_dir;		/* -b: --trace-dir; NULL: runs/cyclic-<UTC> */
	bool no_trace;			/* -b: --no-trace */
	bool help;
};

/* The -b trace of a run: a run folder with the task, its break and the trace around it. */
struct cyclic_trace {
	struct rtlab_store *st;
	struct rtlab_ftrace *f;
	char dir[4096];
};

/*
 * cyclic_trace_open - with -b (and not --no-trace): the run folder, its
 * run.db and the ftrace recorder, started.  When tracing is not possible
 * here a warning says why and the run goes on without it (returns 0, f
 * NULL).  Returns -EINVAL for events this kernel does not have (the message
 * is printed), another -errno for other failures.
 */
int cyclic_trace_open(struct rtlab_ctx *ctx, const struct cyclic_opts *o, const char *cmdline,
		      struct cyclic_trace *t);

/*
 * cyclic_trace_close - mark the break (if one happened), stop, store the
 * trace kept around it, the threads and the break's latency row, print where
 * it went, remove the instance.  Returns 0 or -errno.
 */
int cyclic_trace_close(struct cyclic_trace *t, struct rtlab_cyclic *c, const struct cyclic_opts *o,
		       bool interrupted);

/*
 * cyclic_opts_parse - parse rtlab cyclic's command line (cyclictest's
 * options and meanings) into @ret.  CPU lists are checked against the online
 * CPUs of @ctx.  On a bad option returns -EINVAL with one line naming it in
 * @err.
 */
int cyclic_opts_parse(int argc, char **argv, struct rtlab_ctx *ctx, struct cyclic_opts *ret,
		      char *err, size_t errsize);

/* cyclic_usage - the --help text. */
void cyclic_usage(FILE *out);

/* What a finished (or interrupted) run measured, besides the tasks. */
struct cyclic_result {
	struct timespec start_wall, end_wall;
	uint64_t start_ns, end_ns;
	bool steal_known;
	uint64_t steal_ns;
	cpu_set_t cpus;
	bool interrupted;
	struct rtlab_cyclic_break brk;
	const char *cmdline;
	int32_t dma_latency_us;		/* < 0: not held */
	bool live_shown;		/* the final T: lines are already on the terminal */
};

/* cyclic_print_live - the live T: lines (@redraw moves the cursor up first). */
void cyclic_print_live(FILE *out, struct rtlab_cyclic *c, const struct cyclic_opts *o, bool redraw);

/* cyclic_print_summary - the final output: T: lines, histogram, rtlab's extra lines. */
void cyclic_print_summary(FILE *out, struct rtlab_cyclic *c, const struct cyclic_opts *o,
			  const struct cyclic_result *res);

/* cyclic_write_json - the --json file (cyclictest's layout, clean keys, percentiles). */
int cyclic_write_json(const char *path, struct rtlab_cyclic *c, const struct cyclic_opts *o,
		      const struct cyclic_result *res, char *err, size_t errsize);

#endif /* RTLAB_CLI_CYCLIC_H */
