/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-run.c - running scenarios into run.db: tasks, mutex, load, probe, stop, misses. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/run.h>
#include <rtlab/sched.h>

#include "../../run-db.h"

/* need_rt - skip without the right to use SCHED_FIFO. */
static void need_rt(void)
{
	if (rtlab_cap_have(RTLAB_CAP_SYS_NICE) != 1)
		cr_skip_test("no CAP_SYS_NICE: %s", rtlab_cap_grant_hint(RTLAB_CAP_SYS_NICE));
}

/* scenario - @text parsed and validated. */
static struct rtlab_scenario *scenario(const char *text)
{
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX];

	cr_assert_eq(rtlab_scenario_parse_text("test.ini", text, strlen(text), &sc, err,
					       sizeof(err)), 0, "%s", err);
	cr_assert_eq(rtlab_scenario_validate(sc, err, sizeof(err)), 0, "%s", err);
	return sc;
}

/* run_it - set up and run @sc into @runs; the run (ended). */
static struct rtlab_run *run_it(const struct rtlab_scenario *sc, const char *runs)
{
	struct rtlab_run_opts o = { .runs_dir = runs };
	struct rtlab_run *run;
	char err[512];

	cr_assert_eq(rtlab_run_new(NULL, sc, &o, &run, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rtlab_run_exec(run, err, sizeof(err)), 0, "%s", err);
	return run;
}

static const char two_tasks[] =
	"[scenario]\nname = two-tasks\nduration = 1s\nseed = 42\n"
	"[task fast]\npolicy = fifo\npriority = 80\nperiod = 1ms\nwork = 100us\ncpu = 0\n"
	"mutex = m\nhold = 50us\n"
	"[task slow]\npolicy = fifo\npriority = 70\nperiod = 2ms\nwork = memory:16KiB\n"
	"mutex = m\ncallback = syscall:5\n"
	"[mutex m]\nprotocol = inherit\n"
	"[load spin]\nkind = cpu\nthreads = 1\nintensity = 50\n"
	"[record]\nprobe = 100ms\nfamilies = load,mem\n";

/* Two tasks sharing a PI mutex, a load and the probe: everything lands in run.db. */
Test(run, tasks_mutex_load_and_probe_in_one_store, .timeout = 60)
{
	struct rtlab_scenario *sc;
	struct rtlab_run *run;
	char runs[64], dir[PATH_MAX], text[128];
	int64_t fast, slow;

	need_rt();
	sc = scenario(two_tasks);
	temp_dir(runs, sizeof(runs), "runs");
	run = run_it(sc, runs);
	snprintf(dir, sizeof(dir), "%s", rtlab_run_dir(run));
	cr_assert(strstr(dir, "/two-tasks-"), "%s", dir);
	cr_assert_eq(rtlab_run_status(run), RTLAB_RUN_COMPLETE);
	rtlab_run_free(run);

	cr_assert_str_eq(db_text(dir, "SELECT status FROM run", text, sizeof(text)), "complete");
	cr_assert_eq(db_i64(dir, "SELECT seed FROM run"), 42);
	fast = db_i64(dir, "SELECT count(*) FROM latency JOIN task ON task.id = latency.task"
			  " WHERE task.name = 'fast'");
	slow = db_i64(dir, "SELECT count(*) FROM latency JOIN task ON task.id = latency.task"
			  " WHERE task.name = 'slow'");
	/* 1 s at 1 ms and 2 ms: within 5 %. */
	cr_assert(fast >= 950 && fast <= 1050, "fast: %lld jobs", (long long)fast);
	cr_assert(slow >= 475 && slow <= 525, "slow: %lld jobs", (long long)slow);
	cr_assert_eq(db_i64(dir, "SELECT sum(jobs) FROM task"), fast + slow);
	cr_assert_eq(db_i64(dir, "SELECT sum(count) FROM hist"), fast + slow);
	cr_assert_eq(db_i64(dir, "SELECT sum(lost) FROM task"), 0);
	/* Each task ran as a thread of its own, whose id is stored to find it in trace events. */
	cr_assert_eq(db_i64(dir, "SELECT count(DISTINCT tid) FROM task WHERE tid > 0"), 2);
	{
		char q[96];

		snprintf(q, sizeof(q), "SELECT count(*) FROM task WHERE tid = %d", (int)getpid());
		cr_assert_eq(db_i64(dir, q), 0, "a task's tid is the process id");
	}
	/* Response times: at least the latency plus the busy work (100 us for fast). */
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM latency WHERE response_ns IS NULL"), 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM latency WHERE task = (SELECT id FROM task"
			       " WHERE name = 'fast') AND response_ns < latency_ns + 100000"), 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM latency WHERE cpu != 0 AND task ="
			       " (SELECT id FROM task WHERE name = 'fast')"), 0, "fast is on CPU 0");
	cr_assert_eq(db_i64(dir, "SELECT max(latency_ns) FROM latency WHERE task ="
			       " (SELECT id FROM task WHERE name = 'fast')"),
		     db_i64(dir, "SELECT max_ns FROM task WHERE name = 'fast'"));
	cr_assert_gt(db_i64(dir, "SELECT ops FROM load WHERE name = 'spin'"), 0);
	cr_assert_geq(db_i64(dir, "SELECT count(DISTINCT t_ns) FROM probe_sample"), 8);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM probe_sample WHERE t_ns < (SELECT start_ns"
			       " FROM run) OR t_ns > (SELECT end_ns FROM run)"), 0, "one clock");
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM probe_metric WHERE family NOT IN"
			       " ('load', 'mem')"), 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM event WHERE kind IN ('start', 'end')"), 2);
	cr_assert(strstr(db_text(dir, "SELECT scenario FROM run", text, sizeof(text)),
			 "[scenario]"));
	rtlab_scenario_free(sc);
	rmtree(runs);
}

/* stopper - stop the run after 300 ms. */
static void *stopper(void *arg)
{
	usleep(300000);
	rtlab_run_stop(arg);
	return NULL;
}

/* A stop ends the run early, interrupted, with what was measured stored. */
Test(run, stop_ends_interrupted, .timeout = 60)
{
	static const char text[] = "[scenario]\nname = long\nduration = 30s\n"
				   "[task t]\nperiod = 1ms\npriority = 60\n";
	struct rtlab_run_opts o = { 0 };
	struct rtlab_scenario *sc;
	struct rtlab_run *run;
	char runs[64], dir[PATH_MAX], err[512], buf[64];
	uint64_t t0;
	pthread_t th;

	need_rt();
	sc = scenario(text);
	temp_dir(runs, sizeof(runs), "runs");
	o.runs_dir = runs;
	cr_assert_eq(rtlab_run_new(NULL, sc, &o, &run, err, sizeof(err)), 0, "%s", err);
	t0 = rtlab_now_ns();
	pthread_create(&th, NULL, stopper, run);
	cr_assert_eq(rtlab_run_exec(run, err, sizeof(err)), 0, "%s", err);
	pthread_join(th, NULL);
	cr_assert_lt(rtlab_now_ns() - t0, 3000000000u, "the stop was not seen in time");
	cr_assert_eq(rtlab_run_status(run), RTLAB_RUN_INTERRUPTED);
	snprintf(dir, sizeof(dir), "%s", rtlab_run_dir(run));
	rtlab_run_free(run);
	cr_assert_str_eq(db_text(dir, "SELECT status FROM run", buf, sizeof(buf)), "interrupted");
	cr_assert_gt(db_i64(dir, "SELECT count(*) FROM latency"), 30);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM latency"), db_i64(dir, "SELECT jobs FROM task"));
	rtlab_scenario_free(sc);
	rmtree(runs);
}

/* Jobs longer than their period miss their deadlines: counted and stored one by one. */
Test(run, misses_are_recorded, .timeout = 60)
{
	static const char text[] = "[scenario]\nname = late\nduration = 500ms\n"
				   "[task t]\nperiod = 2ms\npriority = 50\nwork = 3ms\ncpu = 0\n";
	struct rtlab_scenario *sc;
	struct rtlab_run *run;
	char runs[64], dir[PATH_MAX];

	need_rt();
	sc = scenario(text);
	temp_dir(runs, sizeof(runs), "runs");
	run = run_it(sc, runs);
	snprintf(dir, sizeof(dir), "%s", rtlab_run_dir(run));
	rtlab_run_free(run);
	cr_assert_gt(db_i64(dir, "SELECT misses FROM task"), 50);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM miss"), db_i64(dir, "SELECT misses FROM task"));
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM miss WHERE end_ns <= deadline_ns"), 0);
	cr_assert_gt(db_i64(dir, "SELECT count(*) FROM event WHERE kind = 'miss'"), 0,
		     "the watchdog reported no miss");
	rtlab_scenario_free(sc);
	rmtree(runs);
}

/* SCHED_DEADLINE tasks run under their runtime, deadline and period. */
Test(run, deadline_task, .timeout = 60)
{
	static const char text[] = "[scenario]\nname = dl\nduration = 500ms\n"
				   "[task d]\npolicy = deadline\nruntime = 300us\nperiod = 1ms\n"
				   "work = 100us\n";
	struct rtlab_run_opts o = { 0 };
	struct rtlab_scenario *sc;
	struct rtlab_run *run;
	char runs[64], dir[PATH_MAX], err[512], buf[32];
	int r;

	need_rt();
	sc = scenario(text);
	temp_dir(runs, sizeof(runs), "runs");
	o.runs_dir = runs;
	cr_assert_eq(rtlab_run_new(NULL, sc, &o, &run, err, sizeof(err)), 0, "%s", err);
	r = rtlab_run_exec(run, err, sizeof(err));
	if (r == -EBUSY || r == -EPERM) {
		rtlab_run_free(run);
		rmtree(runs);
		cr_skip_test("SCHED_DEADLINE refused here: %s", err);
	}
	cr_assert_eq(r, 0, "%s", err);
	snprintf(dir, sizeof(dir), "%s", rtlab_run_dir(run));
	rtlab_run_free(run);
	cr_assert_str_eq(db_text(dir, "SELECT policy FROM task", buf, sizeof(buf)), "deadline");
	cr_assert_eq(db_i64(dir, "SELECT runtime_ns FROM task"), 300000);
	cr_assert_gt(db_i64(dir, "SELECT jobs FROM task"), 400);
	rtlab_scenario_free(sc);
	rmtree(runs);
}

/* A runs folder that cannot be made: the reason, and nothing left behind. */
Test(run, unusable_runs_dir)
{
	static const char text[] = "[scenario]\nname = x\nduration = 1s\n"
				   "[task t]\nperiod = 1ms\n";
	struct rtlab_run_opts o = { .runs_dir = "/proc/rtlab-no-such-place" };
	struct rtlab_scenario *sc = scenario(text);
	struct rtlab_run *run = NULL;
	char err[512] = "";

	cr_assert_lt(rtlab_run_new(NULL, sc, &o, &run, err, sizeof(err)), 0);
	cr_assert_null(run);
	cr_assert(strstr(err, "/proc/rtlab-no-such-place"), "%s", err);
	rtlab_scenario_free(sc);
}

/* per_cpu: one copy of the task on each CPU of its list (or every online CPU), pinned. */
Test(run, per_cpu_copies, .timeout = 60)
{
	static const char text[] = "[scenario]\nname = percpu\nduration = 300ms\n"
				   "[task c]\npriority = 90\nperiod = 1ms\nper_cpu = yes\n";
	struct rtlab_scenario *sc;
	struct rtlab_run *run;
	char runs[64], dir[PATH_MAX], sql[160];
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	need_rt();
	sc = scenario(text);
	cr_assert(sc->tasks[0].per_cpu);
	temp_dir(runs, sizeof(runs), "runs");
	run = run_it(sc, runs);
	snprintf(dir, sizeof(dir), "%s", rtlab_run_dir(run));
	rtlab_run_free(run);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM task"), n);
	for (long c = 0; c < n; c++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM latency JOIN task ON task.id ="
			 " latency.task WHERE task.name = 'c/cpu%ld' AND latency.cpu = %ld", c, c);
		cr_assert_gt(db_i64(dir, sql), 250, "cpu %ld", c);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM latency JOIN task ON task.id ="
			 " latency.task WHERE task.name = 'c/cpu%ld' AND latency.cpu != %ld", c, c);
		cr_assert_eq(db_i64(dir, sql), 0, "cpu %ld: not pinned", c);
	}
	rtlab_scenario_free(sc);
	rmtree(runs);
}

/* The duration counts from the tasks' first wake-up, however long the loads take to start. */
Test(run, duration_counts_from_the_tasks_start, .timeout = 60)
{
	static const char text[] = "[scenario]\nname = slowload\nduration = 500ms\n"
				   "[task t]\npriority = 70\nperiod = 1ms\n"
				   "[load hb]\nkind = hackbench\nthreads = 2\nintensity = 10\n"
				   "[load io]\nkind = io\nsize = 64MiB\nintensity = 10\n"
				   "[load mem]\nkind = memory\nsize = 256MiB\nintensity = 10\n";
	struct rtlab_scenario *sc;
	struct rtlab_run *run;
	char runs[64], dir[PATH_MAX];
	int64_t jobs;

	need_rt();
	sc = scenario(text);
	temp_dir(runs, sizeof(runs), "runs");
	run = run_it(sc, runs);
	snprintf(dir, sizeof(dir), "%s", rtlab_run_dir(run));
	rtlab_run_free(run);
	jobs = db_i64(dir, "SELECT jobs FROM task");
	cr_assert(jobs >= 490 && jobs <= 510, "%lld jobs in a 500 ms run", (long long)jobs);
	rtlab_scenario_free(sc);
	rmtree(runs);
}
