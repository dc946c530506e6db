/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cyclic-opts.c - rtlab cyclic's options: cyclictest's names and meanings, validated. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cyclic.h"

#define MAX_INTERVAL_US (3600ULL * 1000000ULL)
#define MAX_HIST_US (10u << 20)

enum {
	OPT_POLICY = 256,
	OPT_LATENCY,
	OPT_NO_LATENCY,
	OPT_MAINAFFINITY,
	OPT_JSON,
	OPT_PRIOSPREAD,
	OPT_DL_RUNTIME,
	OPT_TRACE_EVENTS,
	OPT_TRACE_WINDOW,
	OPT_TRACE_DIR,
	OPT_NO_TRACE,
	OPT_HELP,
};

static const struct option long_options[] = {
	{ "affinity", optional_argument, NULL, 'a' },
	{ "breaktrace", required_argument, NULL, 'b' },
	{ "distance", required_argument, NULL, 'd' },
	{ "duration", required_argument, NULL, 'D' },
	{ "histogram", required_argument, NULL, 'h' },
	{ "histofall", required_argument, NULL, 'H' },
	{ "interval", required_argument, NULL, 'i' },
	{ "loops", required_argument, NULL, 'l' },
	{ "mlockall", no_argument, NULL, 'm' },
	{ "nsecs", no_argument, NULL, 'N' },
	{ "priority", required_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "smp", no_argument, NULL, 'S' },
	{ "threads", optional_argument, NULL, 't' },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "latency", required_argument, NULL, OPT_LATENCY },
	{ "no-latency", no_argument, NULL, OPT_NO_LATENCY },
	{ "default-system", no_argument, NULL, OPT_NO_LATENCY },
	{ "mainaffinity", required_argument, NULL, OPT_MAINAFFINITY },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "priospread", no_argument, NULL, OPT_PRIOSPREAD },
	{ "dl-runtime", required_argument, NULL, OPT_DL_RUNTIME },
	{ "trace-events", required_argument, NULL, OPT_TRACE_EVENTS },
	{ "trace-window", required_argument, NULL, OPT_TRACE_WINDOW },
	{ "trace-dir", required_argument, NULL, OPT_TRACE_DIR },
	{ "no-trace", no_argument, NULL, OPT_NO_TRACE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* What was given explicitly, to resolve defaults after the whole line is read. */
struct seen {
	bool priority, policy, distance, threads_all, affinity_all, smp, trace_opt;
	int priority_value;
	uint64_t dl_runtime_ns;
	unsigned int threads;
};

struct parser {
	struct rtlab_ctx *ctx;
	struct cyclic_opts *o;
	struct seen seen;
	char *err;
	size_t errsize;
	cpu_set_t online;
};

/* fail - write the one-line error and return -EINVAL. */
__attribute__((format(printf, 2, 3))) static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errsize, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* opt_name - "-i/--interval" for error messages. */
static const char *opt_name(int c, char *buf, size_t size)
{
	for (const struct option *o = long_options; o->name; o++)
		if (o->val == c) {
			if (c < 256)
				snprintf(buf, size, "-%c/--%s", c, o->name);
			else
				snprintf(buf, size, "--%s", o->name);
			return buf;
		}
	snprintf(buf, size, "-%c", c);
	return buf;
}

/* number - a positive (or zero when @zero_ok) integer within @max. */
static int number(struct parser *p, int c, const char *arg, uint64_t max, bool zero_ok,
		  const char *unit, uint64_t *ret)
{
	char name[32], esc[64];
	int r = rtlab_parse_u64(arg, ret);

	opt_name(c, name, sizeof(name));
	cli_escape(arg, esc, sizeof(esc));
	if (r == -EINVAL)
		return fail(p, "%s: '%s' is not a %snumber%s%s", name, esc,
			    zero_ok ? "" : "positive ", *unit ? " of " : "", unit);
	if (r < 0 || *ret > max)
		return fail(p, "%s: '%s' is too large (at most %llu%s%s)", name, esc,
			    (unsigned long long)max, *unit ? " " : "", unit);
	if (!zero_ok && *ret == 0)
		return fail(p, "%s: must be greater than 0", name);
	return 0;
}

/* cpulist - a CPU list whose CPUs are all online. */
static int cpulist(struct parser *p, int c, const char *arg, cpu_set_t *ret)
{
	char name[32], esc[64], online[128];
	size_t pos = 0;
	int r;

	opt_name(c, name, sizeof(name));
	cli_escape(arg, esc, sizeof(esc));
	r = rtlab_cpulist_parse(arg, ret, &pos);
	if (r == -ERANGE)
		return fail(p, "%s: '%s' names a CPU above %d", name, esc, CPU_SETSIZE - 1);
	if (r < 0)
		return fail(p, "%s: '%s' is not a CPU list (error at offset %zu)", name, esc, pos);
	if (CPU_COUNT(ret) == 0)
		return fail(p, "%s: the CPU list is empty", name);
	rtlab_cpulist_format(&p->online, online, sizeof(online));
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, ret) && !CPU_ISSET(cpu, &p->online))
			return fail(p, "%s: CPU %d is not online (online: %s)", name, cpu, online);
	return 0;
}

/* optional_arg - the argument of an optional-argument option: "-t4", "-t 4", "--threads=4". */
static const char *optional_arg(int argc, char **argv)
{
	if (optarg)
		return optarg;
	if (optind < argc && argv[optind] && isdigit((unsigned char)argv[optind][0]))
		return argv[optind++];
	return NULL;
}

/* parse_sched_opt - the scheduling and measurement options. */
static int parse_sched_opt(struct parser *p, int c, const char *arg)
{
	struct cyclic_opts *o = p->o;
	uint64_t v;
	char esc[64];
	int r, prio;

	switch (c) {
	case 'p':
		r = rtlab_parse_int(arg, &prio);
		if (r < 0 || prio < 0 || prio > 99)
			return fail(p, "-p/--priority: '%s' is out of range (1..99 for fifo/rr, "
				    "0 for other)", cli_escape(arg, esc, sizeof(esc)));
		p->seen.priority = true;
		p->seen.priority_value = prio;
		return 0;
	case OPT_POLICY:
		if (rtlab_policy_from_name(arg, &o->cfg.sched.policy) < 0)
			return fail(p, "--policy: '%s' is not a policy (other, normal, batch, idle, "
				    "fifo, rr, deadline)", cli_escape(arg, esc, sizeof(esc)));
		p->seen.policy = true;
		return 0;
	case OPT_DL_RUNTIME:
		r = number(p, c, arg, MAX_INTERVAL_US, false, "microseconds", &v);
		p->seen.dl_runtime_ns = v * RTLAB_NSEC_PER_USEC;
		return r;
	case OPT_PRIOSPREAD:
		o->cfg.priospread = true;
		return 0;
	}
	return 1;
}

/* parse_measure_opt - interval, loops, duration, histogram, break. */
static int parse_measure_opt(struct parser *p, int c, const char *arg)
{
	struct cyclic_opts *o = p->o;
	char esc[64];
	uint64_t v;
	int r;

	switch (c) {
	case 'i':
		r = number(p, c, arg, MAX_INTERVAL_US, false, "microseconds", &v);
		o->cfg.interval_ns = v * RTLAB_NSEC_PER_USEC;
		return r;
	case 'd':
		r = number(p, c, arg, MAX_INTERVAL_US, true, "microseconds", &v);
		o->cfg.distance_ns = v * RTLAB_NSEC_PER_USEC;
		p->seen.distance = true;
		return r;
	case 'l':
		return number(p, c, arg, UINT64_MAX / 2, true, "loops", &o->cfg.loops);
	case 'D':
		r = rtlab_parse_duration_ns(arg, RTLAB_NSEC_PER_SEC, &o->duration_ns);
		if (r < 0 || o->duration_ns == 0)
			return fail(p, "-D/--duration: '%s' is not a positive duration (e.g. 30, "
				    "30s, 5m, 2h, 1d)", cli_escape(arg, esc, sizeof(esc)));
		return 0;
	case 'h':
	case 'H':
		r = number(p, c, arg, MAX_HIST_US, false, "microseconds", &v);
		o->cfg.hist_us = (unsigned int)v;
		o->histogram = true;
		o->histofall = o->histofall || c == 'H';
		return r;
	case 'b':
		r = number(p, c, arg, MAX_INTERVAL_US, false, "microseconds", &v);
		o->cfg.break_ns = v * RTLAB_NSEC_PER_USEC;
		return r;
	}
	return 1;
}

/* parse_placement_opt - threads, affinity, smp, main affinity. */
static int parse_placement_opt(struct parser *p, int c, int argc, char **argv)
{
	struct cyclic_opts *o = p->o;
	const char *arg;
	uint64_t v;
	int r;

	switch (c) {
	case 't':
		arg = optional_arg(argc, argv);
		if (!arg) {
			p->seen.threads_all = true;
			return 0;
		}
		r = number(p, c, arg, 4096, false, "threads", &v);
		p->seen.threads = (unsigned int)v;
		return r;
	case 'a':
		arg = optional_arg(argc, argv);
		if (!arg) {
			p->seen.affinity_all = true;
			return 0;
		}
		o->cfg.pin = true;
		return cpulist(p, c, arg, &o->cfg.affinity);
	case 'S':
		p->seen.smp = true;
		return 0;
	case OPT_MAINAFFINITY:
		o->mainaffinity = true;
		return cpulist(p, c, optarg, &o->main_cpus);
	}
	return 1;
}

/* parse_trace_opt - what breaktrace records: --trace-events/-window/-dir, --no-trace. */
static int parse_trace_opt(struct parser *p, int c, const char *arg)
{
	struct cyclic_opts *o = p->o;
	char esc[128];
	uint64_t v;

	switch (c) {
	case OPT_TRACE_EVENTS:
		if (!*arg || strlen(arg) >= sizeof(o->trace_events))
			return fail(p, "--trace-events: give events joined by commas "
				    "(e.g. sched:*,irq:*)");
		snprintf(o->trace_events, sizeof(o->trace_events), "%s", arg);
		break;
	case OPT_TRACE_WINDOW:
		if (rtlab_parse_duration_ns(arg, RTLAB_NSEC_PER_MSEC, &v) < 0 ||
		    v < RTLAB_NSEC_PER_MSEC || v > 60 * RTLAB_NSEC_PER_SEC)
			return fail(p, "--trace-window: '%s' is not a duration of 1ms to 60s",
				    cli_escape(arg, esc, sizeof(esc)));
		o->trace_window_ns = v;
		break;
	case OPT_TRACE_DIR:
		if (!*arg)
			return fail(p, "--trace-dir: the folder name is empty");
		o->trace_dir = arg;
		break;
	case OPT_NO_TRACE:
		o->no_trace = true;
		break;
	default:
		return 1;
	}
	p->seen.trace_opt = true;
	return 0;
}

/* parse_output_opt - everything else. */
static int parse_output_opt(struct parser *p, int c, const char *arg)
{
	struct cyclic_opts *o = p->o;
	char esc[64];
	int r, v;

	switch (c) {
	case 'm':
		o->mlock = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case 'N':
		o->nsecs = true;
		return 0;
	case OPT_LATENCY:
		r = rtlab_parse_int(arg, &v);
		if (r < 0 || v < 0)
			return fail(p, "--latency: '%s' is not a latency in microseconds (>= 0)",
				    cli_escape(arg, esc, sizeof(esc)));
		o->latency = true;
		o->latency_us = v;
		return 0;
	case OPT_NO_LATENCY:
		o->latency = false;
		return 0;
	case OPT_JSON:
		if (!*arg)
			return fail(p, "--json: the file name is empty");
		o->json_path = arg;
		return 0;
	case OPT_HELP:
		o->help = true;
		return 0;
	}
	return parse_trace_opt(p, c, arg);
}

/* resolve_trace - the trace options go with -b; its defaults. */
static int resolve_trace(struct parser *p)
{
	struct cyclic_opts *o = p->o;

	if (p->seen.trace_opt && !o->cfg.break_ns)
		return fail(p, "--trace-events, --trace-window, --trace-dir and --no-trace go "
			    "with -b/--breaktrace");
	if (!o->trace_events[0])
		snprintf(o->trace_events, sizeof(o->trace_events), "%s", CYCLIC_TRACE_EVENTS);
	if (!o->trace_window_ns)
		o->trace_window_ns = CYCLIC_TRACE_WINDOW_NS;
	return 0;
}

/* resolve_sched - policy and priority from -p/--policy, as cyclictest does. */
static int resolve_sched(struct parser *p)
{
	struct rtlab_sched_attr *s = &p->o->cfg.sched;
	int prio = p->seen.priority_value;

	if (!p->seen.policy)
		s->policy = p->seen.priority && prio > 0 ? RTLAB_POLICY_FIFO : RTLAB_POLICY_OTHER;
	switch (s->policy) {
	case RTLAB_POLICY_FIFO:
	case RTLAB_POLICY_RR:
		if (p->seen.priority && prio == 0)
			return fail(p, "-p/--priority: 0 is out of range for --policy %s (1..99)",
				    rtlab_policy_name(s->policy));
		s->priority = p->seen.priority ? prio : 1;
		break;
	case RTLAB_POLICY_DEADLINE:
		if (p->seen.priority && prio != 0)
			return fail(p, "-p/--priority: --policy deadline takes no priority "
				    "(SCHED_DEADLINE threads are ordered by deadline)");
		break;
	default:
		if (p->seen.priority && prio != 0)
			return fail(p, "-p/--priority: --policy %s takes priority 0",
				    rtlab_policy_name(s->policy));
		break;
	}
	if (s->policy != RTLAB_POLICY_DEADLINE && p->seen.dl_runtime_ns)
		return fail(p, "--dl-runtime: only meaningful with --policy deadline");
	return 0;
}

/* resolve_deadline - SCHED_DEADLINE runtime: given, or half the interval (max 500 us). */
static int resolve_deadline(struct parser *p)
{
	struct rtlab_cyclic_config *cfg = &p->o->cfg;
	uint64_t runtime = p->seen.dl_runtime_ns;

	if (cfg->sched.policy != RTLAB_POLICY_DEADLINE)
		return 0;
	if (!runtime) {
		runtime = cfg->interval_ns / 2;
		if (runtime > 500 * RTLAB_NSEC_PER_USEC)
			runtime = 500 * RTLAB_NSEC_PER_USEC;
	}
	if (runtime > cfg->interval_ns)
		return fail(p, "--dl-runtime: %llu us exceeds the interval (%llu us)",
			    (unsigned long long)(runtime / RTLAB_NSEC_PER_USEC),
			    (unsigned long long)(cfg->interval_ns / RTLAB_NSEC_PER_USEC));
	if (runtime < 1024)
		return fail(p, "--dl-runtime: below the kernel's minimum (1024 ns)");
	if (cfg->pin)
		return fail(p, "-a/--affinity: SCHED_DEADLINE threads cannot be pinned (the "
			    "kernel requires their affinity to span the root domain)");
	cfg->sched.runtime_ns = runtime;
	return 0;
}

/* resolve - defaults that depend on several options. */
static int resolve(struct parser *p)
{
	struct cyclic_opts *o = p->o;
	struct rtlab_cyclic_config *cfg = &o->cfg;
	unsigned int ncpus = (unsigned int)CPU_COUNT(&p->online);

	if (p->seen.smp) {
		p->seen.threads_all = p->seen.threads_all || !p->seen.threads;
		if (!cfg->pin)
			p->seen.affinity_all = true;
	}
	if (p->seen.affinity_all && !cfg->pin) {
		cfg->pin = true;
		cfg->affinity = p->online;
	}
	if (p->seen.threads)
		cfg->threads = p->seen.threads;
	else if (p->seen.threads_all)
		cfg->threads = cfg->pin ? (unsigned int)CPU_COUNT(&cfg->affinity) : ncpus;
	if (!p->seen.distance)
		cfg->distance_ns = o->histogram ? 0 : 500 * RTLAB_NSEC_PER_USEC;
	if (!o->histogram)
		cfg->hist_us = CYCLIC_DEFAULT_OVERFLOW_US;
	if (resolve_sched(p) < 0 || resolve_trace(p) < 0)
		return -EINVAL;
	/* cyclictest 2.x pins thread N to CPU N even without -a; DEADLINE threads cannot be */
	if (!cfg->pin && cfg->sched.policy != RTLAB_POLICY_DEADLINE) {
		cfg->pin = true;
		cfg->affinity = p->online;
	}
	return resolve_deadline(p);
}

/* defaults - cyclictest's defaults. */
static void defaults(struct cyclic_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->cfg.threads = 1;
	o->cfg.interval_ns = 1000 * RTLAB_NSEC_PER_USEC;
	o->latency = true;
	o->latency_us = 0;
}

/* dispatch - one option. */
static int dispatch(struct parser *p, int c, int argc, char **argv)
{
	int r;

	r = parse_sched_opt(p, c, optarg);
	if (r <= 0)
		return r;
	r = parse_measure_opt(p, c, optarg);
	if (r <= 0)
		return r;
	r = parse_placement_opt(p, c, argc, argv);
	if (r <= 0)
		return r;
	return parse_output_opt(p, c, optarg);
}

/* cyclic_opts_parse - the whole command line. */
int cyclic_opts_parse(int argc, char **argv, struct rtlab_ctx *ctx, struct cyclic_opts *ret,
		      char *err, size_t errsize)
{
	struct parser p = { .ctx = ctx, .o = ret, .err = err, .errsize = errsize };
	char esc[64];
	int c, r;

	defaults(ret);
	if (rtlab_cpus_online(ctx, &p.online) < 0)
		return fail(&p, "cannot read the online CPUs");
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:a::b:d:D:h:H:i:l:mNp:qSt::", long_options,
				NULL)) != -1) {
		if (c == '?')
			return fail(&p, "unknown option '%s'",
				    cli_escape(argv[optind - 1], esc, sizeof(esc)));
		if (c == ':')
			return fail(&p, "option '%s' needs a value",
				    cli_escape(argv[optind - 1], esc, sizeof(esc)));
		r = dispatch(&p, c, argc, argv);
		if (r < 0)
			return r;
	}
	if (optind < argc)
		return fail(&p, "unexpected argument '%s'", cli_escape(argv[optind], esc,
								      sizeof(esc)));
	if (ret->help)
		return 0;
	return resolve(&p);
}

/* cyclic_usage - help text. */
void cyclic_usage(FILE *out)
{
	fputs("usage: rtlab cyclic [OPTIONS]\n"
	      "\n"
	      "Measure timer wake-up latency the way cyclictest does: threads sleep until an\n"
	      "absolute time (clock_nanosleep, CLOCK_MONOTONIC) and record how late they wake.\n"
	      "Options and output follow cyclictest's, so scripts keep working.\n"
	      "\n"
	      "  -p, --priority=PRIO     SCHED_FIFO priority 1..99 of the threads (0: SCHED_OTHER)\n"
	      "      --policy=NAME       other|normal|batch|idle|fifo|rr|deadline\n"
	      "      --dl-runtime=US     SCHED_DEADLINE runtime (default: interval/2, max 500)\n"
	      "      --priospread        thread N runs at PRIO - N\n"
	      "  -i, --interval=US       interval of thread 0 in us (default 1000)\n"
	      "  -d, --distance=US       interval distance between threads (default 500; 0 with -h)\n"
	      "  -l, --loops=N           wake-ups per thread (default 0: endless)\n"
	      "  -D, --duration=TIME     run time: 30, 30s, 5m, 2h, 1d\n"
	      "  -t, --threads[=N]       N threads; without N, one per CPU (default 1)\n"
	      "  -a, --affinity[=LIST]   pin threads round-robin to LIST (default, as cyclictest:\n"
	      "                          thread N on the N-th online CPU; deadline: not pinned)\n"
	      "  -S, --smp               -t -a: one pinned thread per CPU, same priority\n"
	      "      --mainaffinity=LIST run the main (reporting) thread on LIST\n"
	      "  -m, --mlockall          lock current and future memory\n"
	      "  -h, --histogram=US      print a 1 us histogram up to US after the run\n"
	      "  -H, --histofall=US      same, with a summary column\n"
	      "  -b, --breaktrace=US     stop at the first latency above US, report thread/CPU,\n"
	      "                          and keep the kernel trace around it in a run folder\n"
	      "      --trace-events=LIST with -b: the events (default " CYCLIC_TRACE_EVENTS_SHORT ")\n"
	      "      --trace-window=TIME with -b: trace kept before and after it (default 10ms)\n"
	      "      --trace-dir=DIR     with -b: the run folder (default runs/cyclic-<UTC time>)\n"
	      "      --no-trace          with -b: stop without recording a trace\n"
	      "      --latency=US        hold /dev/cpu_dma_latency at US (default 0)\n"
	      "      --no-latency, --default-system   do not touch /dev/cpu_dma_latency\n"
	      "  -q, --quiet             print only the final summary\n"
	      "  -N, --nsecs             print latencies in ns instead of us\n"
	      "      --json=FILE         write the results as JSON (cyclictest's layout)\n"
	      "      --help              show this help\n"
	      "\n"
	      "Besides cyclictest's lines, the summary adds '# '-prefixed lines with\n"
	      "percentiles, overruns, overflows (wake-ups later than the histogram range,\n"
	      "1000 us without -h) and the CPU steal time accrued during the run: on a VM,\n"
	      "host preemption shows up as multi-millisecond spikes together with steal.\n"
	      "With -b, 'rtlab report DIR' says why the spike happened (docs/ftrace.md).\n"
	      "Exit status: 0 done (also after Ctrl-C/SIGTERM), 1 failure, 2 bad options.\n",
	      out);
}
