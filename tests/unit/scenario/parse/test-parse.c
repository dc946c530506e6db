/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-parse.c - good scenarios into the struct: every field of a file that
 * gives every key, the defaults of a file that gives almost none, the line
 * syntax libinih and the reader accept, and the fixture files (good ones
 * parse and validate; bad ones fail with the message their first line names).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rtlab/probe.h>

#include "test-scenario.h"

#include <rtlab/bpf.h>

#define SCENARIOS_DIR FIXTURES_DIR "/scenarios"
#define US 1000ULL
#define MS 1000000ULL
#define SEC 1000000000ULL
#define MIB (1024ULL * 1024)

/* load_fixture - parse a fixture file, asserting success. */
static struct rtlab_scenario *load_fixture(const char *file)
{
	struct rtlab_scenario *sc = NULL;
	char path[512], err[RTLAB_SCENARIO_ERR_MAX];
	int r;

	snprintf(path, sizeof(path), "%s/%s", SCENARIOS_DIR, file);
	r = rtlab_scenario_parse_file(path, &sc, err, sizeof(err));
	cr_assert_eq(r, 0, "%s", err);
	return sc;
}

/* only_cpu - @set is exactly {@cpu}. */
static bool only_cpu(const cpu_set_t *set, int cpu)
{
	return CPU_COUNT(set) == 1 && CPU_ISSET(cpu, set);
}

/* The [scenario], [record] and [gate] fields of good-full.ini. */
Test(parse, full_scenario)
{
	struct rtlab_scenario *sc = load_fixture("good-full.ini");

	cr_expect_str_eq(sc->path, SCENARIOS_DIR "/good-full.ini");
	cr_expect_str_eq(sc->name, "full-example");
	cr_expect_str_eq(sc->description, "Every key of every section");
	cr_expect_eq(sc->duration_ns, 150 * SEC);
	cr_expect_eq(sc->seed, 42);
	cr_expect_eq(sc->line, 2);
	cr_expect_eq(sc->ntasks, 4);
	cr_expect_eq(sc->nmutexes, 3);
	cr_expect_eq(sc->nloads, 2);
	cr_expect_eq(sc->record.line, 61);
	cr_expect_eq(sc->record.probe_interval_ns, 100 * MS);
	cr_expect_eq(sc->record.probe_families, RTLAB_PF_BIT(RTLAB_PF_CPU) |
		     RTLAB_PF_BIT(RTLAB_PF_MEM) | RTLAB_PF_BIT(RTLAB_PF_PSI));
	cr_expect_eq(sc->record.nftrace_events, 3);
	cr_expect_str_eq(sc->record.ftrace_events[0], "sched:sched_switch");
	cr_expect_str_eq(sc->record.ftrace_events[1], "sched_wakeup");
	cr_expect_str_eq(sc->record.ftrace_events[2], "irq:*");
	cr_expect_eq(sc->record.ftrace_line, 65);
	cr_expect_eq(sc->record.ftrace_buffer_kb, 2048);
	cr_expect_eq(sc->record.breaktrace_ns, 150 * US);
	cr_expect_eq(sc->record.breaktrace_window_ns, 5 * MS);
	cr_expect_eq(sc->record.bpf_tools, (1u << RTLAB_BPF_RUNQLAT) | (1u << RTLAB_BPF_OFFCPU));
	cr_expect_eq(sc->record.bpf_line, 69);
	cr_expect_eq(sc->gate.line, 71);
	cr_expect(sc->gate.has_max && sc->gate.has_p99 && sc->gate.has_p999 &&
		  sc->gate.has_mean && sc->gate.has_misses && sc->gate.has_lost);
	cr_expect_eq(sc->gate.max_ns, 500 * US);
	cr_expect_eq(sc->gate.p99_ns, 100 * US);
	cr_expect_eq(sc->gate.p999_ns, 200 * US);
	cr_expect_eq(sc->gate.mean_ns, 20 * US);
	cr_expect_eq(sc->gate.misses, 0);
	cr_expect_eq(sc->gate.lost, 10);
	rtlab_scenario_free(sc);
}

/* The first task of good-full.ini: every task key given. */
Test(parse, full_task)
{
	struct rtlab_scenario *sc = load_fixture("good-full.ini");
	const struct rtlab_scenario_task *t = &sc->tasks[0];

	cr_expect_str_eq(t->name, "control");
	cr_expect_eq(t->line, 8);
	cr_expect_eq(t->sched.policy, RTLAB_POLICY_FIFO);
	cr_expect_eq(t->sched.priority, 90);
	cr_expect_eq(t->sched.runtime_ns, 0);
	cr_expect_eq(t->sched.period_ns, 0);
	cr_expect_eq(t->period_ns, 1 * MS);
	cr_expect_eq(t->deadline_ns, 800 * US);
	cr_expect_eq(t->runtime_ns, 250 * US);
	cr_expect(only_cpu(&t->cpus, 0));
	cr_expect_eq(t->work, RTLAB_WORK_BUSY);
	cr_expect_eq(t->work_ns, 200 * US);
	cr_expect_eq(t->mutex, 0);
	cr_expect_str_eq(t->mutex_name, "shared");
	cr_expect_eq(t->hold_ns, 50 * US);
	cr_expect_eq(t->callback, RTLAB_LOAD_SYSCALL);
	cr_expect_eq(t->callback_size, 100);
	cr_expect_eq(t->at_priority.line, 10);
	cr_expect_eq(t->at_period.line, 11);
	cr_expect_eq(t->at_deadline.line, 12);
	cr_expect_eq(t->at_runtime.line, 13);
	cr_expect_eq(t->at_cpu.line, 14);
	cr_expect_eq(t->at_work.line, 15);
	cr_expect_eq(t->at_mutex.line, 16);
	cr_expect_eq(t->at_hold.line, 17);
	rtlab_scenario_free(sc);
}

/* The other tasks: other/nice with workloads, deadline, rr with a protect mutex. */
Test(parse, full_other_tasks)
{
	struct rtlab_scenario *sc = load_fixture("good-full.ini");
	const struct rtlab_scenario_task *lg = &sc->tasks[1], *b = &sc->tasks[2];
	const struct rtlab_scenario_task *p = &sc->tasks[3];

	cr_expect_eq(lg->sched.policy, RTLAB_POLICY_OTHER);
	cr_expect_eq(lg->sched.priority, 0);
	cr_expect_eq(lg->sched.nice, 5);
	cr_expect_eq(lg->work, RTLAB_WORK_WORKLOAD);
	cr_expect_eq(lg->work_load, RTLAB_LOAD_IO);
	cr_expect_eq(lg->work_size, 64 * 1024);
	cr_expect_eq(lg->callback, RTLAB_LOAD_MEMORY);
	cr_expect_eq(lg->callback_size, MIB);
	cr_expect_eq(lg->runtime_ns, 0);
	cr_expect_eq(lg->mutex, -1);
	cr_expect_eq(b->sched.policy, RTLAB_POLICY_DEADLINE);
	cr_expect_eq(b->sched.priority, 0);
	cr_expect_eq(b->sched.runtime_ns, 200 * US);
	cr_expect_eq(b->sched.deadline_ns, 900 * US);
	cr_expect_eq(b->sched.period_ns, 2 * MS);
	cr_expect_eq(b->runtime_ns, 200 * US);
	cr_expect_eq(b->work_load, RTLAB_LOAD_CPU);
	cr_expect_eq(b->work_size, 5000);
	cr_expect_eq(p->sched.policy, RTLAB_POLICY_RR);
	cr_expect_eq(p->sched.priority, 50);
	cr_expect_eq(p->mutex, 1);
	cr_expect_eq(p->runtime_ns, 1 * MS);
	cr_expect_eq(p->hold_ns, 1 * MS);
	rtlab_scenario_free(sc);
}

/* The mutexes and loads of good-full.ini. */
Test(parse, full_mutexes_loads)
{
	struct rtlab_scenario *sc = load_fixture("good-full.ini");
	const struct rtlab_scenario_load *l = &sc->loads[0];

	cr_expect_str_eq(sc->mutexes[0].name, "shared");
	cr_expect_eq(sc->mutexes[0].protocol, RTLAB_MUTEX_INHERIT);
	cr_expect_eq(sc->mutexes[1].protocol, RTLAB_MUTEX_PROTECT);
	cr_expect_eq(sc->mutexes[1].ceiling, 60);
	cr_expect_eq(sc->mutexes[1].line, 44);
	cr_expect_eq(sc->mutexes[1].at_ceiling.line, 46);
	cr_expect_eq(sc->mutexes[2].protocol, RTLAB_MUTEX_NONE);
	cr_expect_str_eq(l->name, "stress");
	cr_expect_eq(l->kind, RTLAB_LOAD_MEMORY);
	cr_expect_eq(l->threads, 2);
	cr_expect(only_cpu(&l->cpus, 0));
	cr_expect_eq(l->at_cpu.line, 54);
	cr_expect_eq(l->intensity_pct, 75);
	cr_expect_eq(l->size_bytes, 8 * MIB);
	cr_expect_eq(sc->loads[1].kind, RTLAB_LOAD_FORK);
	rtlab_scenario_free(sc);
}

/* The whole text is kept, byte for byte. */
Test(parse, text_kept)
{
	struct rtlab_scenario *sc = load_fixture("good-full.ini");
	char buf[4096];
	FILE *f = fopen(SCENARIOS_DIR "/good-full.ini", "r");
	size_t n;

	cr_assert_not_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	cr_expect_eq(sc->text_len, n);
	cr_expect(memcmp(sc->text, buf, n) == 0);
	cr_expect_eq(sc->text[n], '\0');
	rtlab_scenario_free(sc);
}

/* What a scenario gets when it gives almost nothing. */
Test(parse, defaults)
{
	struct rtlab_scenario *sc = parse_ok(TASK "[task o]\npolicy = batch\nperiod = 2ms\n"
					     "[mutex m]\n[load l]\nkind = memory\n");
	const struct rtlab_scenario_task *t = &sc->tasks[0];

	cr_expect_str_eq(sc->name, "t");
	cr_expect_str_eq(sc->description, "");
	cr_expect_eq(sc->seed, 1);
	cr_expect_eq(t->sched.policy, RTLAB_POLICY_FIFO);
	cr_expect_eq(t->sched.priority, 80);
	cr_expect_eq(t->sched.nice, 0);
	cr_expect(!t->sched.reset_on_fork);
	cr_expect_eq(t->deadline_ns, 1 * MS);
	cr_expect_eq(t->runtime_ns, 0);
	cr_expect_eq(CPU_COUNT(&t->cpus), 0);
	cr_expect_eq(t->work, RTLAB_WORK_NONE);
	cr_expect_eq(t->mutex, -1);
	cr_expect_eq(t->callback, -1);
	cr_expect_eq(t->at_priority.line, 0);
	cr_expect_eq(sc->tasks[1].sched.priority, 0);
	cr_expect_eq(sc->tasks[1].sched.policy, RTLAB_POLICY_BATCH);
	cr_expect_eq(sc->mutexes[0].protocol, RTLAB_MUTEX_INHERIT);
	cr_expect_eq(sc->loads[0].threads, 1);
	cr_expect_eq(sc->loads[0].intensity_pct, 100);
	cr_expect_eq(sc->loads[0].size_bytes, 0);
	cr_expect_eq(CPU_COUNT(&sc->loads[0].cpus), 0);
	cr_expect_eq(sc->record.line, 0);
	cr_expect_eq(sc->record.probe_interval_ns, 0);
	cr_expect_eq(sc->record.nftrace_events, 0);
	cr_expect_eq(sc->record.breaktrace_ns, 0);
	cr_expect_eq(sc->record.bpf_tools, 0);
	cr_expect(!sc->gate.has_max && !sc->gate.has_misses);
	rtlab_scenario_free(sc);
}

/* A mutex defined after the task that takes it; busy work sets the runtime and hold. */
Test(parse, mutex_after_task)
{
	struct rtlab_scenario *sc = parse_ok(TASK "work = 300us\nmutex = late\n"
					     "[mutex early]\n[mutex late]\n");

	cr_expect_eq(sc->tasks[0].mutex, 1);
	cr_expect_eq(sc->tasks[0].hold_ns, 300 * US);
	cr_expect_eq(sc->tasks[0].runtime_ns, 300 * US);
	rtlab_scenario_free(sc);
}

/* A deadline task's deadline defaults to its period, in both places. */
Test(parse, deadline_defaults)
{
	struct rtlab_scenario *sc = parse_ok(HEAD "[task d]\npolicy = DEADLINE\nperiod = 5ms\n"
					     "runtime = 1ms\n");
	const struct rtlab_sched_attr *a = &sc->tasks[0].sched;

	cr_expect_eq(a->policy, RTLAB_POLICY_DEADLINE);
	cr_expect_eq(a->runtime_ns, 1 * MS);
	cr_expect_eq(a->deadline_ns, 5 * MS);
	cr_expect_eq(a->period_ns, 5 * MS);
	cr_expect_eq(sc->tasks[0].deadline_ns, 5 * MS);
	rtlab_scenario_free(sc);
}

/* BOM, CRLF, "key: value", indentation, comments, blank lines, no final newline. */
Test(parse, line_syntax)
{
	struct rtlab_scenario *sc = parse_ok("\xef\xbb\xbf; comment\r\n[scenario]   ; c\r\n"
					     "duration: 1s ; one second\r\n\r\n  [ task  t1 ]\r\n"
					     "\tperiod = 1ms\r\n    # indented comment\r\n"
					     "\tpriority=7");

	cr_expect_eq(sc->duration_ns, SEC);
	cr_expect_str_eq(sc->tasks[0].name, "t1");
	cr_expect_eq(sc->tasks[0].line, 5);
	cr_expect_eq(sc->tasks[0].period_ns, MS);
	cr_expect_eq(sc->tasks[0].sched.priority, 7);
	cr_expect_eq(sc->tasks[0].at_priority.line, 8);
	rtlab_scenario_free(sc);
}

/* Up to 1024 sections of a kind; one more is refused. */
Test(parse, too_many)
{
	size_t size = 1100 * 24 + 64, len = 0;
	char *text = malloc(size), err[RTLAB_SCENARIO_ERR_MAX];
	struct rtlab_scenario *sc = NULL;

	cr_assert_not_null(text);
	len += (size_t)snprintf(text, size, HEAD);
	for (int i = 0; i < 1024; i++)
		len += (size_t)snprintf(text + len, size - len, "[mutex m%d]\n", i);
	sc = parse_ok(text);
	cr_expect_eq(sc->nmutexes, 1024);
	cr_expect_str_eq(sc->mutexes[1023].name, "m1023");
	sc = rtlab_scenario_free(sc);
	snprintf(text + len, size - len, "[mutex extra]\n");
	cr_expect_eq(rtlab_scenario_parse_text("t.ini", text, strlen(text), &sc, err, sizeof(err)),
		     -EINVAL);
	cr_expect_str_eq(err, "t.ini:1027: too many [mutex] sections (at most 1024)");
	free(text);
}

/* Files that cannot be read: the errno comes back, named in the message. */
Test(parse, unreadable)
{
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX];

	cr_expect_eq(rtlab_scenario_parse_file(SCENARIOS_DIR "/missing.ini", &sc, err,
					       sizeof(err)), -ENOENT);
	cr_expect_str_eq(err, SCENARIOS_DIR "/missing.ini: cannot read the file: No such file "
			 "or directory");
	cr_expect_eq(rtlab_scenario_parse_file(SCENARIOS_DIR, &sc, err, sizeof(err)), -EISDIR);
	cr_expect_null(sc);
}

/* expected - the "# error: LINE: message" of a bad fixture, as "path:LINE: message". */
static void expected(const char *path, char *want, size_t size)
{
	char first[256] = "";
	FILE *f = fopen(path, "r");

	cr_assert_not_null(f);
	cr_assert_not_null(fgets(first, sizeof(first), f));
	fclose(f);
	first[strcspn(first, "\n")] = '\0';
	cr_assert(strncmp(first, "# error: ", 9) == 0, "%s: no '# error: ' line", path);
	snprintf(want, size, "%s:%s", path, first + 9);
}

/* check_fixture - a good file parses and validates; a bad one fails as it says. */
static void check_fixture(const char *file)
{
	struct rtlab_scenario_machine m = machine(4, 950000);
	struct rtlab_scenario *sc = NULL;
	char path[512], want[800] = "", err[RTLAB_SCENARIO_ERR_MAX] = "";
	int r;

	snprintf(path, sizeof(path), "%s/%s", SCENARIOS_DIR, file);
	if (strncmp(file, "bad-", 4) == 0)
		expected(path, want, sizeof(want));
	r = rtlab_scenario_parse_file(path, &sc, err, sizeof(err));
	if (r == 0)
		r = rtlab_scenario_check(sc, &m, err, sizeof(err));
	cr_expect_eq(r, want[0] ? -EINVAL : 0, "%s: %d %s", file, r, err);
	expect_msg(err, want, file);
	rtlab_scenario_free(sc);
}

/* Every good-*.ini and bad-*.ini fixture (other files there serve other tests). */
Test(parse, fixtures)
{
	DIR *d = opendir(SCENARIOS_DIR);
	struct dirent *e;
	int good = 0, bad = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n < 5 || strcmp(e->d_name + n - 4, ".ini") != 0)
			continue;
		if (strncmp(e->d_name, "good-", 5) != 0 && strncmp(e->d_name, "bad-", 4) != 0)
			continue;
		check_fixture(e->d_name);
		if (e->d_name[0] == 'g')
			good++;
		else
			bad++;
	}
	closedir(d);
	cr_expect_geq(good, 4);
	cr_expect_geq(bad, 10);
}

/* The scenarios and labs rtlab ships parse and validate (on a 4-CPU machine). */
Test(parse, shipped_scenarios)
{
	static const char *const files[] = {
		"quickstart.ini", "cyclictest.ini", "preempt-rt-validation.ini",
		"labs/priority-inversion.ini", "labs/priority-inversion-pi.ini", "labs/rms.ini",
		"labs/edf.ini", "labs/deadline-miss.ini", "labs/spike-cause.ini",
	};
	struct rtlab_scenario_machine m = machine(4, 950000);

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct rtlab_scenario *sc = NULL;
		char path[512], err[RTLAB_SCENARIO_ERR_MAX] = "";
		int r;

		snprintf(path, sizeof(path), "%s/../../scenarios/%s", FIXTURES_DIR, files[i]);
		r = rtlab_scenario_parse_file(path, &sc, err, sizeof(err));
		if (r == 0)
			r = rtlab_scenario_check(sc, &m, err, sizeof(err));
		cr_expect_eq(r, 0, "%s: %s", files[i], err);
		cr_expect(r != 0 || sc->ntasks > 0, "%s: no task", files[i]);
		rtlab_scenario_free(sc);
	}
}
