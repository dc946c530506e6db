/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-cyclic-opts.c - rtlab cyclic's option parsing: cyclictest meanings and every refusal. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cyclic.h"

static struct rtlab_ctx *ctx;
static char root[] = "/tmp/rtlab-opts-XXXXXX";

/* setup - a fake root with 4 online CPUs (0-3). */
static void setup(void)
{
	char path[256];
	FILE *f;

	cr_assert_not_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/sys", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/devices", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/devices/system", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/online", root);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("0-3\n", f);
	fclose(f);
	ctx = rtlab_ctx_new();
	cr_assert_eq(rtlab_ctx_set_root(ctx, root), 0);
}

/* teardown - remove the fake root. */
static void teardown(void)
{
	char cmd[300];

	rtlab_ctx_free(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(opts, .init = setup, .fini = teardown);

/* parse - split @line on spaces and parse it; returns the parser's result. */
static int parse(const char *line, struct cyclic_opts *o, char *err, size_t errsize)
{
	static char buf[512];
	char *argv[64], *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "cyclic %s", line);
	for (char *tok = strtok_r(buf, " ", &save); tok && argc < 63;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	err[0] = '\0';
	return cyclic_opts_parse(argc, argv, ctx, o, err, errsize);
}

Test(opts, defaults_are_cyclictests)
{
	struct cyclic_opts o;
	char err[256];

	cr_assert_eq(parse("", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.cfg.threads, 1);
	cr_expect_eq(o.cfg.interval_ns, 1000000);
	cr_expect_eq(o.cfg.distance_ns, 500000);
	cr_expect_eq(o.cfg.loops, 0);
	cr_expect_eq(o.cfg.sched.policy, RTLAB_POLICY_OTHER);
	cr_expect(o.latency, "cpu_dma_latency is held by default, as cyclictest does");
	cr_expect_eq(o.latency_us, 0);
	cr_expect(o.cfg.pin, "cyclictest 2.x pins thread N to CPU N without -a");
	cr_expect_eq(CPU_COUNT(&o.cfg.affinity), 4);
	cr_expect_not(o.histogram);
	cr_expect_eq(o.cfg.hist_us, CYCLIC_DEFAULT_OVERFLOW_US);
}

Test(opts, priority_implies_fifo)
{
	struct cyclic_opts o;
	char err[256];

	cr_assert_eq(parse("-m -p 95 -i 250 -l 2000 -q", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.cfg.sched.policy, RTLAB_POLICY_FIFO);
	cr_expect_eq(o.cfg.sched.priority, 95);
	cr_expect_eq(o.cfg.interval_ns, 250000);
	cr_expect_eq(o.cfg.loops, 2000);
	cr_expect(o.mlock);
	cr_expect(o.quiet);
}

Test(opts, long_forms_and_rr)
{
	struct cyclic_opts o;
	char err[256];

	cr_assert_eq(parse("--priority=50 --policy=rr --interval=500 --loops=10 --nsecs "
			   "--json=/tmp/x.json --latency=10", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.cfg.sched.policy, RTLAB_POLICY_RR);
	cr_expect_eq(o.cfg.sched.priority, 50);
	cr_expect(o.nsecs);
	cr_expect_str_eq(o.json_path, "/tmp/x.json");
	cr_expect_eq(o.latency_us, 10);
}

Test(opts, threads_and_affinity)
{
	struct cyclic_opts o;
	char err[256];

	cr_assert_eq(parse("-t -a", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.cfg.threads, 4, "-t without N: one thread per online CPU");
	cr_expect(o.cfg.pin);
	cr_expect_eq(CPU_COUNT(&o.cfg.affinity), 4);

	cr_assert_eq(parse("-t 3 -a 1-2", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.cfg.threads, 3, "-t 3 with a separate argument");
	cr_expect(CPU_ISSET(1, &o.cfg.affinity) && CPU_ISSET(2, &o.cfg.affinity));
	cr_expect_eq(CPU_COUNT(&o.cfg.affinity), 2);

	cr_assert_eq(parse("-t2 -a3", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.cfg.threads, 2);
	cr_expect(CPU_ISSET(3, &o.cfg.affinity));

	cr_assert_eq(parse("-a 2 -t", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.cfg.threads, 1, "-t without N under -a LIST: one per listed CPU");
}

Test(opts, smp)
{
	struct cyclic_opts o;
	char err[256];

	cr_assert_eq(parse("-S -p 80", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.cfg.threads, 4);
	cr_expect(o.cfg.pin);
	cr_expect_not(o.cfg.priospread);
	cr_expect_eq(o.cfg.sched.priority, 80);
}

Test(opts, histogram_and_duration)
{
	struct cyclic_opts o;
	char err[256];

	cr_assert_eq(parse("-h 200 -D 5m", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect(o.histogram);
	cr_expect_not(o.histofall);
	cr_expect_eq(o.cfg.hist_us, 200);
	cr_expect_eq(o.cfg.distance_ns, 0, "-h puts every thread on the same interval");
	cr_expect_eq(o.duration_ns, 300ULL * 1000000000ULL);

	cr_assert_eq(parse("-H 50 -D 2h -d 100", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect(o.histofall);
	cr_expect_eq(o.cfg.distance_ns, 100000, "an explicit -d wins over -h");
	cr_expect_eq(o.duration_ns, 7200ULL * 1000000000ULL);

	cr_assert_eq(parse("-D 1d", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.duration_ns, 86400ULL * 1000000000ULL);
	cr_assert_eq(parse("-D 30", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.duration_ns, 30ULL * 1000000000ULL, "no suffix means seconds");
}

Test(opts, breaktrace_mainaffinity_nolatency)
{
	struct cyclic_opts o;
	char err[256];

	cr_assert_eq(parse("-b 100 --mainaffinity 0 --default-system", &o, err, sizeof(err)), 0,
		     "%s", err);
	cr_expect_eq(o.cfg.break_ns, 100000);
	cr_expect(o.mainaffinity);
	cr_expect(CPU_ISSET(0, &o.main_cpus));
	cr_expect_not(o.latency);
	cr_expect_str_eq(o.trace_events, CYCLIC_TRACE_EVENTS);
	cr_expect_eq(o.trace_window_ns, CYCLIC_TRACE_WINDOW_NS);
	cr_assert_eq(parse("-b 50 --trace-events sched:* --trace-window 2ms --trace-dir d --no-trace",
			   &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_str_eq(o.trace_events, "sched:*");
	cr_expect_eq(o.trace_window_ns, 2000000);
	cr_expect_str_eq(o.trace_dir, "d");
	cr_expect(o.no_trace);
}

Test(opts, deadline)
{
	struct cyclic_opts o;
	char err[256];

	cr_assert_eq(parse("--policy deadline -i 2000", &o, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(o.cfg.sched.policy, RTLAB_POLICY_DEADLINE);
	cr_expect_eq(o.cfg.sched.runtime_ns, 500000, "default runtime: interval/2 capped at 500 us");
	cr_expect_not(o.cfg.pin, "SCHED_DEADLINE threads are not pinned by default");
	cr_assert_eq(parse("--policy deadline -i 400 --dl-runtime 100", &o, err, sizeof(err)), 0,
		     "%s", err);
	cr_expect_eq(o.cfg.sched.runtime_ns, 100000);
}

/* Arrays, not pointers: Criterion runs each parameter in a fresh process image. */
struct bad_case {
	char line[64];
	char needle[48];	/* the error must name this */
};

static const struct bad_case bad_cases[] = {
	{ "-i 0", "-i/--interval" },
	{ "-i -5", "-i/--interval" },
	{ "-i abc", "-i/--interval" },
	{ "-l -1", "-l/--loops" },
	{ "-p 100", "-p/--priority" },
	{ "-p -1", "-p/--priority" },
	{ "--policy fifo -p 0", "-p/--priority" },
	{ "--policy other -p 5", "-p/--priority" },
	{ "--policy deadline -p 5", "-p/--priority" },
	{ "--policy fifos", "--policy" },
	{ "-a 7", "CPU 7 is not online" },
	{ "-a 1-9", "CPU 4 is not online" },
	{ "-a 1-", "-a/--affinity" },
	{ "--mainaffinity 9", "--mainaffinity" },
	{ "-t 0", "-t/--threads" },
	{ "-t 99999", "-t/--threads" },
	{ "-D 0", "-D/--duration" },
	{ "-D 10x", "-D/--duration" },
	{ "-D -3", "-D/--duration" },
	{ "-h 0", "-h/--histogram" },
	{ "-h", "needs a value" },
	{ "-b 0", "-b/--breaktrace" },
	{ "--trace-window 5ms", "go with -b/--breaktrace" },
	{ "--no-trace", "go with -b/--breaktrace" },
	{ "-b 10 --trace-window 0", "is not a duration of 1ms to 60s" },
	{ "-b 10 --trace-window 2m", "--trace-window" },
	{ "-b 10 --trace-events=", "--trace-events" },
	{ "-b 10 --trace-dir=", "--trace-dir" },
	{ "--latency -3", "--latency" },
	{ "--json=", "--json" },
	{ "--bogus", "unknown option '--bogus'" },
	{ "-Z", "unknown option" },
	{ "extra", "unexpected argument 'extra'" },
	{ "--dl-runtime 10", "--dl-runtime" },
	{ "--policy deadline -i 100 --dl-runtime 200", "--dl-runtime" },
	{ "--policy deadline -a 0", "-a/--affinity" },
};

ParameterizedTestParameters(opts, refused)
{
	return cr_make_param_array(struct bad_case, bad_cases,
				   sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(const struct bad_case *bc, opts, refused)
{
	struct cyclic_opts o;
	char err[256];

	cr_assert_eq(parse(bc->line, &o, err, sizeof(err)), -EINVAL, "'%s' was accepted", bc->line);
	cr_expect_not_null(strstr(err, bc->needle), "'%s': error '%s' does not name '%s'",
			   bc->line, err, bc->needle);
	cr_expect_null(strchr(err, '\n'), "the error is one line");
}

Test(opts, hostile_argument_is_escaped)
{
	struct cyclic_opts o;
	char err[256];
	char *argv[] = { "cyclic", "-i", "\033[2J1", NULL };

	cr_assert_eq(cyclic_opts_parse(3, argv, ctx, &o, err, sizeof(err)), -EINVAL);
	cr_expect_null(strchr(err, '\033'), "terminal escape reached the message: %s", err);
	cr_expect_not_null(strstr(err, "\\x1b"), "%s", err);
}

/* Text from the system: valid UTF-8 stays, controls and every invalid form are \xHH. */
Test(escape, invalid_utf8_and_controls_are_escaped)
{
	char buf[256];

	cr_assert_str_eq(cli_escape("caf\xc3\xa9 ok", buf, sizeof(buf)), "caf\xc3\xa9 ok");
	cr_assert_str_eq(cli_escape("\x1b[31m", buf, sizeof(buf)), "\\x1b[31m");
	cr_assert_str_eq(cli_escape("\xc2\x9b" "2J", buf, sizeof(buf)), "\\xc2\\x9b2J");
	cr_assert_str_eq(cli_escape("\xed\xa0\x80", buf, sizeof(buf)), "\\xed\\xa0\\x80");
	cr_assert_str_eq(cli_escape("\xc0\xaf", buf, sizeof(buf)), "\\xc0\\xaf");
	cr_assert_str_eq(cli_escape("\xe0\x80\xaf", buf, sizeof(buf)), "\\xe0\\x80\\xaf");
	cr_assert_str_eq(cli_escape("\xf4\x90\x80\x80", buf, sizeof(buf)), "\\xf4\\x90\\x80\\x80");
	cr_assert_str_eq(cli_escape("\xe2\x82", buf, sizeof(buf)), "\\xe2\\x82");
	cr_assert_str_eq(cli_escape("a\\b", buf, sizeof(buf)), "a\\x5cb");
}
