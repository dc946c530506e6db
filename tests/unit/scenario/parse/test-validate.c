/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-validate.c - the checks of a scenario as a whole: against a made-up
 * machine (rtlab_scenario_check), against a captured tree
 * (rtlab_scenario_machine_read) and against this machine
 * (rtlab_scenario_validate, with CPU 0 and a CPU that cannot be online).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "test-scenario.h"

/* A case: the machine (CPUs 0..ncpus-1, RT runtime), the text, the message ("": valid). */
struct check_case {
	int ncpus;
	long long rt_runtime_us;
	char text[480];
	char want[224];
};

#define M4 4, 950000
#define DL(name, runtime, period) \
	"[task " name "]\npolicy = deadline\nruntime = " runtime "\nperiod = " period "\n"

ParameterizedTestParameters(validate, rules)
{
	static struct check_case cases[] = {
		{ M4, TASK, "" },
		{ M4, HEAD "[load l]\nkind = cpu\n", "" },
		{ M4, HEAD, "t.ini:1: nothing to run: the scenario has no [task] and no [load]" },
		{ M4, "[gate]\nmax = 1ms\n[scenario]\nduration = 1s\n",
		  "t.ini:3: nothing to run: the scenario has no [task] and no [load]" },
		/* CPUs */
		{ M4, TASK "cpu = 0-3\n", "" },
		{ M4, TASK "cpu = 7\n", "t.ini:5: CPU 7 of task 't1' is not online (online: 0-3)" },
		{ M4, TASK "cpu = 1023\n", "t.ini:5: CPU 1023 of task 't1' is not online" },
		{ M4, HEAD "[load l]\nkind = cpu\ncpu = 2-5\n",
		  "t.ini:5: CPU 4 of load 'l' is not online (online: 0-3)" },
		/* Mutexes, ceilings, hold times */
		{ M4, TASK "mutex = m9\n",
		  "t.ini:5: task 't1' takes mutex 'm9', which no [mutex m9] defines" },
		{ M4, TASK "mutex = m\nwork = 100us\nhold = 50us\n[mutex m]\n", "" },
		{ M4, HEAD "[mutex m]\nprotocol = protect\nceiling = 80\n"
		  "[task t]\nperiod = 1ms\nmutex = m\n", "" },
		{ M4, HEAD "[mutex m]\nprotocol = protect\nceiling = 50\n"
		  "[task t]\nperiod = 1ms\nmutex = m\n",
		  "t.ini:5: ceiling 50 of mutex 'm' is below the priority 80 of task 't' (line 6), "
		  "which takes it" },
		{ M4, HEAD "[mutex m]\nprotocol = protect\nceiling = 50\n"
		  "[task t]\npolicy = other\nperiod = 1ms\nmutex = m\n",
		  "t.ini:9: mutex 'm' has protocol protect, which only fifo and rr tasks can take; "
		  "task 't' is other" },
		{ M4, TASK "hold = 10us\n", "t.ini:5: hold needs a mutex (mutex = NAME)" },
		{ M4, TASK "work = 100us\nmutex = m\nhold = 200us\n[mutex m]\n",
		  "t.ini:7: hold 200us is longer than the work 100us" },
		{ M4, TASK "work = memory:1MiB\nmutex = m\nhold = 2us\n[mutex m]\n",
		  "t.ini:7: hold is for busy work (work = DURATION); a workload is done wholly "
		  "under the mutex" },
		{ M4, TASK "mutex = m\nhold = 2us\n[mutex m]\n",
		  "t.ini:6: hold is for busy work (work = DURATION)" },
		/* Deadlines of fifo/rr/other tasks */
		{ M4, TASK "deadline = 1ms\n", "" },
		{ M4, TASK "deadline = 2ms\n",
		  "t.ini:5: deadline 2ms is longer than the period 1ms" },
		{ M4, TASK "policy = other\ndeadline = 1001us\n",
		  "t.ini:6: deadline 1001us is longer than the period 1ms" },
		/* SCHED_DEADLINE parameters */
		{ M4, HEAD DL("d", "300us", "1ms") "deadline = 500us\n", "" },
		{ M4, HEAD DL("d", "1000ns", "1ms"),
		  "t.ini:5: runtime 1us is below the kernel's minimum for deadline tasks, 1024ns" },
		{ M4, HEAD DL("d", "600us", "1ms") "deadline = 500us\n",
		  "t.ini:5: runtime 600us is longer than the deadline 500us (a deadline task needs "
		  "runtime <= deadline <= period)" },
		{ M4, HEAD DL("d", "100us", "1ms") "deadline = 2ms\n",
		  "t.ini:7: deadline 2ms is longer than the period 1ms" },
		{ M4, HEAD DL("d", "10us", "50us"),
		  "t.ini:6: period 50us is below the kernel's minimum for deadline tasks, 100us "
		  "(/proc/sys/kernel/sched_deadline_period_min_us)" },
		{ M4, HEAD DL("d", "10ms", "5s"),
		  "t.ini:6: period 5s is above the kernel's maximum for deadline tasks, "
		  "4194304us" },
		{ M4, HEAD DL("d", "100us", "1ms") "cpu = 0\n",
		  "t.ini:7: a deadline task must be allowed on every online CPU" },
		{ M4, HEAD DL("d", "100us", "1ms") "cpu = 0-3\n", "" },
		{ M4, HEAD DL("d", "100us", "1ms") "per_cpu = yes\n",
		  "t.ini:3: per_cpu pins a copy of the task to each CPU, and SCHED_DEADLINE tasks "
		  "cannot be pinned" },
		{ M4, TASK "per_cpu = yes\n", "" },
		/* SCHED_DEADLINE bandwidth, per CPU and in all */
		{ M4, HEAD DL("d1", "500us", "1ms") DL("d2", "500us", "1ms"), "" },
		{ M4, HEAD DL("d1", "600us", "1ms") DL("d2", "600us", "1ms"),
		  "t.ini:9: with task 'd2', the deadline tasks that can run on CPU 0 need 120% of "
		  "it (runtime/period summed; at most 100%)" },
		{ 1, 950000, HEAD DL("d1", "960us", "1ms"),
		  "t.ini:5: with task 'd1', the deadline tasks need 96% of one CPU in all; the "
		  "kernel admits 95% (1 CPUs x sched_rt_runtime_us 950000 / sched_rt_period_us "
		  "1000000)" },
		{ 1, -1, HEAD DL("d1", "960us", "1ms"), "" },
		{ 2, 0, HEAD DL("d1", "10us", "1ms"),
		  "t.ini:5: with task 'd1', the deadline tasks need 1% of one CPU in all; the "
		  "kernel admits 0% " },
		/* Without bandwidth control, deadline tasks may be pinned: per CPU sums. */
		{ 2, -1, HEAD DL("d1", "600us", "1ms") "cpu = 0\n"
		  DL("d2", "600us", "1ms") "cpu = 1\n", "" },
		{ 2, -1, HEAD DL("d1", "600us", "1ms") "cpu = 1\n"
		  DL("d2", "600us", "1ms") "cpu = 1\n",
		  "t.ini:10: with task 'd2', the deadline tasks that can run on CPU 1 need 120% of "
		  "it" },
		{ 2, -1, HEAD DL("d1", "600us", "1ms") "cpu = 1\n" DL("d2", "600us", "1ms"),
		  "t.ini:10: with task 'd2', the deadline tasks that can run on CPU 1 need 120% of "
		  "it" },
		/* The problem on the earliest line is reported. */
		{ M4, TASK "mutex = m9\ncpu = 7\n", "t.ini:5: task 't1' takes mutex 'm9'" },
		{ M4, TASK "cpu = 7\nmutex = m9\n", "t.ini:5: CPU 7 of task 't1' is not online" },
		{ M4, HEAD "[load l]\nkind = io\ncpu = 9\n[task t]\nperiod = 1ms\ncpu = 8\n",
		  "t.ini:5: CPU 9 of load 'l' is not online" },
	};

	return cr_make_param_array(struct check_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct check_case *c, validate, rules)
{
	struct rtlab_scenario_machine m = machine(c->ncpus, c->rt_runtime_us);
	struct rtlab_scenario *sc = parse_ok(c->text);
	char err[RTLAB_SCENARIO_ERR_MAX] = "x";
	int r = rtlab_scenario_check(sc, &m, err, sizeof(err));

	cr_expect_eq(r, c->want[0] ? -EINVAL : 0, "r = %d (%s)", r, err);
	expect_msg(err, c->want, c->text);
	rtlab_scenario_free(sc);
}

/* The facts of a captured machine tree. */
Test(validate, machine_read)
{
	struct rtlab_ctx *ctx = rtlab_ctx_new();
	struct rtlab_scenario_machine m;

	cr_assert_not_null(ctx);
	cr_assert_eq(rtlab_ctx_set_root(ctx, FIXTURES_DIR "/scenarios/machine"), 0);
	cr_assert_eq(rtlab_scenario_machine_read(ctx, &m), 0);
	cr_expect_eq(CPU_COUNT(&m.online), 6);
	cr_expect(CPU_ISSET(0, &m.online) && CPU_ISSET(3, &m.online) && CPU_ISSET(8, &m.online));
	cr_expect(!CPU_ISSET(4, &m.online));
	cr_expect_eq(m.rt_runtime_us, 900000);
	cr_expect_eq(m.rt_period_us, 1000000);
	cr_expect_eq(m.dl_period_min_us, 100);
	cr_expect_eq(m.dl_period_max_us, 4194304);
	cr_assert_eq(rtlab_ctx_set_root(ctx, FIXTURES_DIR "/scenarios"), 0);
	cr_expect_lt(rtlab_scenario_machine_read(ctx, &m), 0);
	rtlab_ctx_free(ctx);
}

/* This machine: CPU 0 is online, CPU 1023 is not (CPU_SETSIZE is 1024). */
Test(validate, this_machine)
{
	static const char good[] = TASK "cpu = 0\n";
	static const char bad[] = TASK "cpu = 1023\n";
	struct rtlab_scenario *sc;
	char err[RTLAB_SCENARIO_ERR_MAX];

	if (sysconf(_SC_NPROCESSORS_CONF) >= 1024)
		cr_skip_test("this machine may have a CPU 1023");
	sc = parse_ok(good);
	cr_expect_eq(rtlab_scenario_validate(sc, err, sizeof(err)), 0, "%s", err);
	rtlab_scenario_free(sc);
	sc = parse_ok(bad);
	cr_expect_eq(rtlab_scenario_validate(sc, err, sizeof(err)), -EINVAL);
	expect_msg(err, "t.ini:5: CPU 1023 of task 't1' is not online (online: ", bad);
	rtlab_scenario_free(sc);
	cr_expect_eq(rtlab_scenario_validate(NULL, err, sizeof(err)), -EINVAL);
}
