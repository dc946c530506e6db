/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-bpf.c - "rtlab bpf TOOL": run one eBPF tool for a while, print or store its histograms. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <rtlab/bpf.h>

#include "bpf-print.h"
#include "cli.h"

#define DEFAULT_TOP 5

struct bpf_cmd_opts {
	enum rtlab_bpf_tool tool;
	struct rtlab_bpf_opts lib;
	uint64_t duration_ns;		/* 0: until SIGINT/SIGTERM */
	size_t top;
	bool json;
	const char *out_dir;
};

/* usage - the help of "rtlab bpf". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab bpf runqlat|syscalls|offcpu|irqtime [--duration D] [--pid P]\n"
		"                 [--per-cpu | --per-pid] [--ns] [--top N] [--json]\n"
		"                 [-o RUN_DIR]\n\n"
		"Aggregate kernel events in eBPF maps (tracepoints only) until the duration\n"
		"ends or SIGINT/SIGTERM, then print log2 histograms:\n"
		"  runqlat   wake-up to run latency (one histogram, per CPU or per process)\n"
		"  syscalls  latency of each system call\n"
		"  offcpu    off-CPU time per thread and state (S sleep, D disk, R preempted...)\n"
		"  irqtime   time in hard IRQ handlers per IRQ and in soft IRQs per vector\n\n"
		"options:\n"
		"  -d, --duration D  stop after D (\"10\", \"10s\", \"500ms\"; default: Ctrl-C)\n"
		"  -p, --pid P       only the threads of process P (not irqtime)\n"
		"  -C, --per-cpu     runqlat: a histogram per CPU\n"
		"  -P, --per-pid     runqlat: a histogram per process\n"
		"  -n, --ns          log2 slots of nanoseconds instead of microseconds\n"
		"  -t, --top N       histograms of the N keys with the most time (default %d)\n"
		"  -j, --json        print JSON instead of text\n"
		"  -o, --output DIR  also store the histograms into the run DIR (run.db; a new\n"
		"                    run is created if DIR has none)\n"
		"  -h, --help        show this help\n\n"
		"Needs CAP_BPF and CAP_PERFMON (or root).  Exit status: 0 done, 1 failed (BPF\n"
		"not allowed, load error), 2 bad options or no eBPF support in this build.\n",
		DEFAULT_TOP);
}

/* parse_value - the argument of option @c into @o. */
static int parse_value(int c, const char *arg, struct bpf_cmd_opts *o)
{
	char esc[256];
	uint64_t v;
	int pid;

	cli_escape(arg, esc, sizeof(esc));
	switch (c) {
	case 'd':
		if (rtlab_parse_duration_ns(arg, RTLAB_NSEC_PER_SEC, &o->duration_ns) < 0 ||
		    !o->duration_ns)
			return cli_usage_error("bpf", "--duration: '%s' is not a duration", esc);
		return EXIT_OK;
	case 'p':
		if (rtlab_parse_int(arg, &pid) < 0 || pid <= 0)
			return cli_usage_error("bpf", "--pid: '%s' is not a process id", esc);
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return cli_usage_error("bpf", "--pid: no process %d", pid);
		o->lib.pid = pid;
		return EXIT_OK;
	case 't':
		if (rtlab_parse_u64(arg, &v) < 0 || v > 100000)
			return cli_usage_error("bpf", "--top: '%s' is not a count (0-100000)", esc);
		o->top = (size_t)v;
		return EXIT_OK;
	default:
		o->out_dir = arg;
		return EXIT_OK;
	}
}

/* set_key - --per-cpu / --per-pid, once. */
static int set_key(struct bpf_cmd_opts *o, enum rtlab_bpf_key k)
{
	if (o->lib.runqlat_key != RTLAB_BPF_KEY_ALL && o->lib.runqlat_key != k)
		return cli_usage_error("bpf", "--per-cpu and --per-pid exclude each other");
	o->lib.runqlat_key = k;
	return EXIT_OK;
}

/* bad_option - name what getopt_long() refused. */
static int bad_option(int c, const char *arg)
{
	char esc[256];

	cli_escape(arg, esc, sizeof(esc));
	if (c == ':')
		return cli_usage_error("bpf", "option '%s' needs a value", esc);
	return cli_usage_error("bpf", "unknown option '%s'", esc);
}

/* parse_flags - the options after the tool name. */
static int parse_flags(int argc, char **argv, struct bpf_cmd_opts *o, bool *help)
{
	static const struct option longopts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "pid", required_argument, NULL, 'p' },
		{ "per-cpu", no_argument, NULL, 'C' },
		{ "per-pid", no_argument, NULL, 'P' },
		{ "ns", no_argument, NULL, 'n' },
		{ "top", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r = EXIT_OK;

	opterr = 0;
	optind = 0;
	while (r == EXIT_OK && (c = getopt_long(argc, argv, "+:d:p:CPnt:jo:h", longopts,
						NULL)) != -1) {
		if (c == 'h') {
			*help = true;
			return EXIT_OK;
		} else if (c == 'C' || c == 'P') {
			r = set_key(o, c == 'C' ? RTLAB_BPF_KEY_CPU : RTLAB_BPF_KEY_PID);
		} else if (c == 'n') {
			o->lib.ns_slots = true;
		} else if (c == 'j') {
			o->json = true;
		} else if (c == '?' || c == ':') {
			r = bad_option(c, argv[optind - 1]);
		} else {
			r = parse_value(c, optarg, o);
		}
	}
	if (r == EXIT_OK && optind < argc)
		r = bad_option('?', argv[optind]);
	return r;
}

/* parse_opts - "TOOL [options]" into @o; options may also come before the tool. */
static int parse_opts(int argc, char **argv, struct bpf_cmd_opts *o, bool *help)
{
	char esc[256];
	unsigned mask;
	int r;

	o->top = DEFAULT_TOP;
	if (argc >= 2 && argv[1][0] != '-') {
		cli_escape(argv[1], esc, sizeof(esc));
		if (rtlab_bpf_tools_parse(argv[1], &mask, NULL, 0) < 0 || (mask & (mask - 1)))
			return cli_usage_error("bpf", "unknown tool '%s' (runqlat, syscalls,"
					       " offcpu, irqtime)", esc);
		o->lib.tools = mask;
		o->tool = (enum rtlab_bpf_tool)__builtin_ctz(mask);
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	r = parse_flags(argc, argv, o, help);
	if (r != EXIT_OK || *help)
		return r;
	if (!o->lib.tools)
		return cli_usage_error("bpf", "no tool given (runqlat, syscalls, offcpu, irqtime)");
	if (o->lib.runqlat_key != RTLAB_BPF_KEY_ALL && o->tool != RTLAB_BPF_RUNQLAT)
		return cli_usage_error("bpf", "--per-cpu/--per-pid are runqlat options");
	if (o->lib.pid && o->tool == RTLAB_BPF_IRQTIME)
		return cli_usage_error("bpf", "--pid does not apply to irqtime");
	return EXIT_OK;
}

/* wait_end - until the duration passed or a stop signal came; true if a signal ended it. */
static bool wait_end(const sigset_t *stop, uint64_t duration_ns)
{
	uint64_t end = rtlab_now_ns() + duration_ns;

	for (;;) {
		uint64_t now = rtlab_now_ns(), left = duration_ns ? end - now : RTLAB_NSEC_PER_SEC;
		struct timespec ts = { .tv_sec = (time_t)(left / RTLAB_NSEC_PER_SEC),
				       .tv_nsec = (long)(left % RTLAB_NSEC_PER_SEC) };

		if (duration_ns && now >= end)
			return false;
		if (sigtimedwait(stop, NULL, &ts) >= 0)
			return true;
	}
}

/* new_run - make @dir a run (folder and run.db) if it has no run.db; 0 or -errno. */
static int new_run(const char *dir, const char *tool, uint64_t duration_ns, bool interrupted)
{
	struct rtlab_run_info info = { .name = tool, .duration_ns = duration_ns };
	char path[PATH_MAX];
	struct rtlab_store *st;
	int r;

	if (snprintf(path, sizeof(path), "%s/run.db", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (!access(path, F_OK))
		return 0;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	r = rtlab_store_create(dir, &st);
	if (r < 0)
		return r;
	r = rtlab_store_begin(st, &info);
	if (r == 0)
		r = rtlab_store_end(st, interrupted ? RTLAB_RUN_INTERRUPTED : RTLAB_RUN_COMPLETE);
	rtlab_store_close(st);
	return r;
}

/* output - print (text or JSON) and store the histograms of the tool. */
static int output(struct rtlab_bpf *b, const struct bpf_cmd_opts *o, uint64_t ran_ns,
		  bool interrupted)
{
	uint64_t lost = rtlab_bpf_lost(b, o->tool);
	struct rtlab_bpf_hist *h;
	char esc[PATH_MAX];
	size_t n;
	int r = rtlab_bpf_read(b, o->tool, &h, &n);

	if (r < 0)
		return EXIT_FAIL;
	if (lost)
		fprintf(stderr, "rtlab bpf: %llu events lost: a map was full\n",
			(unsigned long long)lost);
	if (o->json) {
		json_t *j = bpf_json(o->tool, h, n, ran_ns, lost);

		if (!j || json_dumpf(j, stdout, JSON_INDENT(2)) < 0)
			r = -ENOMEM;
		json_decref(j);
		fputc('\n', stdout);
	} else {
		bpf_print_text(stdout, h, n, o->top);
	}
	if (r == 0 && o->out_dir) {
		r = new_run(o->out_dir, rtlab_bpf_tool_name(o->tool), o->duration_ns, interrupted);
		if (r == 0)
			r = rtlab_bpf_store_hists(o->out_dir, h, n);
		if (r == 0)
			r = rtlab_bpf_store_lost(o->out_dir, o->tool, lost);
		if (r < 0)
			fprintf(stderr, "rtlab bpf: storing into '%s' failed: %s\n",
				cli_escape(o->out_dir, esc, sizeof(esc)), strerror(-r));
	}
	free(h);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}

/* run_tool - load, attach, wait, detach, print. */
static int run_tool(struct rtlab_ctx *ctx, const struct bpf_cmd_opts *o)
{
	struct rtlab_bpf *b = NULL;
	sigset_t stop, old;
	bool interrupted;
	uint64_t t0;
	int r;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	r = rtlab_bpf_open(ctx, &o->lib, &b);
	if (r == 0)
		r = rtlab_bpf_start(b);
	if (r < 0) {
		rtlab_bpf_close(b);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return EXIT_FAIL;
	}
	t0 = rtlab_now_ns();
	interrupted = wait_end(&stop, o->duration_ns);
	rtlab_bpf_stop(b);
	r = output(b, o, rtlab_now_ns() - t0, interrupted);
	rtlab_bpf_close(b);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* cmd_bpf - "rtlab bpf TOOL [options]". */
int cmd_bpf(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct bpf_cmd_opts o = { 0 };
	bool help = false;
	char why[512];
	int r;

	r = parse_opts(argc, argv, &o, &help);
	if (help) {
		usage(stdout);
		return EXIT_OK;
	}
	if (r != EXIT_OK)
		return r;
	r = rtlab_bpf_check(why, sizeof(why));
	if (r == -ENOTSUP) {
		fprintf(stderr, "rtlab bpf: %s\n", why);
		return EXIT_USAGE;
	}
	if (r < 0) {
		fprintf(stderr, "rtlab bpf: BPF is not allowed: %s\n", why);
		return EXIT_FAIL;
	}
	return run_tool(ctx, &o);
}
