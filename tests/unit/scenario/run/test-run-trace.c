/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-run-trace.c - a scenario recorded with ftrace: the trace lands in
 * run.db on the latency's clock, the instance goes away, and the spikes that
 * a higher-priority SCHED_FIFO disturber on the measured CPU causes are
 * blamed on it by the report's correlation.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/capability.h>

#include <criterion/criterion.h>

#include <rtlab/rtlab.h>

#include "../../run-db.h"

/* need_trace - skip without SCHED_FIFO or a usable tracefs. */
static void need_trace(void)
{
	char why[256];

	if (rtlab_cap_have(RTLAB_CAP_SYS_NICE) != 1)
		cr_skip_test("no CAP_SYS_NICE: %s", rtlab_cap_grant_hint(RTLAB_CAP_SYS_NICE));
	if (rtlab_ftrace_usable(NULL, why, sizeof(why)) < 0)
		cr_skip_test("tracefs cannot be used here: %s", why);
}

/* run_text - parse, validate and run @text into a new folder below @runs; the run folder. */
static void run_text(const char *text, const char *runs, char *dir, size_t size)
{
	struct rtlab_scenario *sc = NULL;
	struct rtlab_run_opts o = { .runs_dir = runs };
	struct rtlab_run *run;
	char err[RTLAB_SCENARIO_ERR_MAX];

	cr_assert_eq(rtlab_scenario_parse_text("t.ini", text, strlen(text), &sc, err,
					       sizeof(err)), 0, "%s", err);
	cr_assert_eq(rtlab_scenario_validate(sc, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rtlab_run_new(NULL, sc, &o, &run, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rtlab_run_exec(run, err, sizeof(err)), 0, "%s", err);
	snprintf(dir, size, "%s", rtlab_run_dir(run));
	rtlab_run_free(run);
	rtlab_scenario_free(sc);
}

/* own_instances - tracefs instances named after this process. */
static int own_instances(void)
{
	char prefix[32];
	DIR *d = opendir("/sys/kernel/tracing/instances");
	struct dirent *e;
	int n = 0;

	snprintf(prefix, sizeof(prefix), "rtlab-%d-", (int)getpid());
	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

/*
 * measured (FIFO 80, 1 ms) and disturber (FIFO 90, 20 ms, 400 µs of work)
 * share CPU 1 and start aligned: every 20 ms the disturber runs first and
 * the measured thread waits about 400 µs for the CPU.
 */
static const char disturbed[] =
	"[scenario]\nname = disturbed\nduration = 2s\n"
	"[task measured]\npolicy = fifo\npriority = 80\nperiod = 1ms\ncpu = 1\n"
	"[task disturber]\npolicy = fifo\npriority = 90\nperiod = 20ms\nwork = 400us\ncpu = 1\n"
	"[record]\nprobe = 100ms\nfamilies = cpu\n"
	"ftrace = sched:sched_switch, sched:sched_waking, sched:sched_wakeup, irq:*\n";

/* The disturber is named as the cause of the measured task's spikes. */
Test(run_trace, disturber_is_blamed, .timeout = 120)
{
	char runs[256], dir[4096], err[256];
	struct rtlab_corr_opts co = { .spikes = 20 };
	struct rtlab_corr *c = NULL;
	size_t blamed = 0, disturbed_spikes = 0, len = 0;
	char others[2048] = "";

	need_trace();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("needs 2 CPUs (the scenario uses CPU 1)");
	temp_dir(runs, sizeof(runs), "run-trace");
	run_text(disturbed, runs, dir, sizeof(dir));
	cr_assert_eq(own_instances(), 0, "the tracefs instance is still there");
	cr_assert_gt(db_i64(dir, "SELECT count(*) FROM trace_event WHERE event = "
			    "'sched:sched_switch'"), 100);
	/* One clock: the events span the latency rows. */
	cr_assert_leq(db_i64(dir, "SELECT min(t_ns) FROM trace_event"),
		      db_i64(dir, "SELECT min(t_ns) FROM latency"));
	cr_assert_geq(db_i64(dir, "SELECT max(t_ns) FROM trace_event"),
		      db_i64(dir, "SELECT max(t_ns) FROM latency") - 2000000);
	cr_assert_eq(rtlab_corr_run(dir, &co, &c, err, sizeof(err)), 0, "%s", err);
	cr_assert(c->traced);
	for (size_t i = 0; i < c->n; i++) {
		const struct rtlab_corr_spike *s = &c->spikes[i];

		/* The disturber's 400 µs of work; a host stall is longer or elsewhere. */
		if (strcmp(s->task_name, "measured") != 0 || s->latency_ns < 250000 ||
		    s->latency_ns > 700000)
			continue;
		disturbed_spikes++;
		if (s->cause == RTLAB_CAUSE_TASK && strstr(s->verdict, "disturber"))
			blamed++;
		else if (len < sizeof(others))
			len += (size_t)snprintf(others + len, sizeof(others) - len, "\n  %s",
						s->verdict);
	}
	cr_assert_geq(disturbed_spikes, 5, "only %zu spikes of the disturber's size",
		      disturbed_spikes);
	cr_assert_geq(blamed * 10, disturbed_spikes * 9, "%zu of %zu blamed on the disturber; "
		      "the others:%s", blamed, disturbed_spikes, others);
	rtlab_corr_free(c);
	rmtree(runs);
}

/* breaktrace: only windows around spikes are kept, each a trace_window row. */
Test(run_trace, breaktrace_keeps_windows, .timeout = 120)
{
	char runs[256], dir[4096];
	static const char text[] =
		"[scenario]\nname = bt\nduration = 2s\n"
		"[task measured]\npolicy = fifo\npriority = 80\nperiod = 1ms\ncpu = 1\n"
		"[task disturber]\npolicy = fifo\npriority = 90\nperiod = 500ms\nwork = 300us\n"
		"cpu = 1\n"
		"[record]\nftrace = sched:sched_switch, sched:sched_wakeup\n"
		"breaktrace = 200us\nbreaktrace_window = 2ms\n";
	int64_t windows, outside;

	need_trace();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("needs 2 CPUs (the scenario uses CPU 1)");
	temp_dir(runs, sizeof(runs), "run-trace");
	run_text(text, runs, dir, sizeof(dir));
	cr_assert_eq(own_instances(), 0, "the tracefs instance is still there");
	windows = db_i64(dir, "SELECT count(*) FROM trace_window");
	cr_assert_geq(windows, 1, "no window kept, though the disturber ran 4 times");
	cr_assert_gt(db_i64(dir, "SELECT count(*) FROM trace_event"), 0);
	outside = db_i64(dir, "SELECT count(*) FROM trace_event e WHERE NOT EXISTS (SELECT 1 FROM "
			 "trace_window w WHERE e.t_ns BETWEEN w.start_ns AND w.end_ns)");
	cr_assert_eq(outside, 0, "%lld events outside every window", (long long)outside);
	/* Every spike at or above the threshold is inside a window. */
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM latency l WHERE latency_ns >= 200000 AND "
			    "NOT EXISTS (SELECT 1 FROM trace_window w WHERE l.t_ns BETWEEN "
			    "w.start_ns AND w.end_ns)"), 0);
	rmtree(runs);
}

/* [record] bpf: the tools' histograms are stored with the run. */
Test(run_trace, bpf_histograms_stored, .timeout = 120)
{
	char runs[256], dir[4096], why[256];
	static const char text[] =
		"[scenario]\nname = bpf\nduration = 1s\n"
		"[task measured]\npolicy = fifo\npriority = 80\nperiod = 1ms\ncpu = 1\n"
		"[record]\nbpf = runqlat, irqtime\n";

	if (rtlab_cap_have(RTLAB_CAP_SYS_NICE) != 1)
		cr_skip_test("no CAP_SYS_NICE: %s", rtlab_cap_grant_hint(RTLAB_CAP_SYS_NICE));
	if (rtlab_bpf_check(why, sizeof(why)) < 0)
		cr_skip_test("eBPF cannot be used here: %s", why);
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("needs 2 CPUs (the scenario uses CPU 1)");
	temp_dir(runs, sizeof(runs), "run-bpf");
	run_text(text, runs, dir, sizeof(dir));
	/* The measured thread alone wakes 1000 times on CPU 1. */
	cr_assert_geq(db_i64(dir, "SELECT count FROM bpf_total WHERE tool = 'runqlat' AND "
			     "key = 'cpu1'"), 900);
	cr_assert_eq(db_i64(dir, "SELECT sum(count) FROM bpf_hist WHERE tool = 'runqlat' AND "
			    "key = 'cpu1'"),
		     db_i64(dir, "SELECT count FROM bpf_total WHERE tool = 'runqlat' AND "
			    "key = 'cpu1'"));
	cr_assert_gt(db_i64(dir, "SELECT count(*) FROM bpf_total WHERE tool = 'irqtime'"), 0);
	rmtree(runs);
}

/* Without the capabilities BPF needs, the run goes on without its eBPF tools and says why. */
Test(run_trace, bpf_not_allowed_run_goes_on, .timeout = 60)
{
	char runs[256], dir[4096], text[128];
	cap_value_t drop[] = { CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN };
	static const char sc[] =
		"[scenario]\nname = nobpf\nduration = 300ms\n"
		"[task t]\npolicy = other\nperiod = 10ms\n"
		"[record]\nbpf = runqlat\n";
	cap_t caps = cap_get_proc();

	cr_assert_not_null(caps);
	cr_assert_eq(cap_set_flag(caps, CAP_EFFECTIVE, 3, drop, CAP_CLEAR), 0);
	cr_assert_eq(cap_set_proc(caps), 0, "%s", strerror(errno));
	cap_free(caps);
	temp_dir(runs, sizeof(runs), "run-nobpf");
	run_text(sc, runs, dir, sizeof(dir));
	cr_assert_str_eq(db_text(dir, "SELECT status FROM run", text, sizeof(text)), "complete");
	cr_assert_geq(db_i64(dir, "SELECT count(*) FROM latency"), 20);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM event WHERE kind = 'note' AND text LIKE "
			    "'eBPF tools not recorded: %CAP_%'"), 1,
		     "%s", db_text(dir, "SELECT group_concat(text, ' | ') FROM event", text,
				   sizeof(text)));
	rmtree(runs);
}
