/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-load-kinds.c - every kind starts, does work, stops within 100 ms of
 * the stop and leaves no thread or child behind; workers run SCHED_OTHER on
 * the CPUs they were given.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pthread.h>
#include <sched.h>

#include "load-test.h"

#define RUN_NS (200 * MSEC)
#define STOP_MAX_NS (100 * MSEC)
#define IO_SYNC_MS 400		/* an fdatasync in flight at the stop is waited for */
#if defined(__SANITIZE_ADDRESS__)
#define PROC_EXIT_MS 150	/* AddressSanitizer makes the exit of each process slow */
#else
#define PROC_EXIT_MS 0
#endif

struct kind_case {
	int kind;
	unsigned threads;
	uint64_t size;
	unsigned extra_ms;	/* what stopping this kind may take beyond STOP_MAX_NS */
};

ParameterizedTestParameters(load_kinds, runs_and_stops)
{
	static struct kind_case params[] = {
		{ RTLAB_LOAD_CPU, 2, 0 },
		{ RTLAB_LOAD_HACKBENCH, 1, 0, PROC_EXIT_MS },
		{ RTLAB_LOAD_MEMORY, 2, 8 << 20 },
		{ RTLAB_LOAD_MEMORY, 1, 0 },
		{ RTLAB_LOAD_IO, 2, 1 << 20, IO_SYNC_MS },
		{ RTLAB_LOAD_TIMER, 4, 0 },
		{ RTLAB_LOAD_SYSCALL, 2, 0 },
		{ RTLAB_LOAD_FORK, 2, 0 },
	};

	return cr_make_param_array(struct kind_case, params, sizeof(params) / sizeof(params[0]));
}

/*
 * Each kind: work done for ~200 ms, stopped and joined within 100 ms (io: plus
 * an fdatasync that may be in flight), nothing left.
 */
ParameterizedTest(struct kind_case *p, load_kinds, runs_and_stops, .timeout = 20)
{
	struct rtlab_load_config cfg = {
		.name = rtlab_load_kind_name((enum rtlab_load_kind)p->kind),
		.kind = (enum rtlab_load_kind)p->kind,
		.threads = p->threads,
		.intensity_pct = 50,
		.size_bytes = p->size,
		.seed = 7,
	};
	unsigned tasks = count_entries("/proc/self/task");
	struct rtlab_load_stats st;
	struct rtlab_load *l;
	uint64_t took;

	l = new_load(NULL, &cfg);
	cr_assert_eq(count_entries("/proc/self/task"), tasks + p->threads);
	sleep_ns(RUN_NS);
	rtlab_load_stats(l, &st);
	cr_assert_gt(st.ops, 0, "%s did no work", cfg.name);
	cr_assert_gt(st.work_ns, 0);
	cr_assert_gt(st.cpu_ns, 0);
	took = stop_join_ns(l);
	cr_assert_lt(took, STOP_MAX_NS + p->extra_ms * MSEC, "%s took %llu ms to stop", cfg.name,
		     (unsigned long long)(took / MSEC));
	rtlab_load_stats(l, &st);
	cr_assert_eq(st.error, 0);
	cr_assert_geq(st.elapsed_ns, RUN_NS);
	cr_assert_eq(count_entries("/proc/self/task"), tasks);
	cr_assert(no_children(), "%s left a child process", cfg.name);
	rtlab_load_free(l);
}

/* The counters grow while the load runs, and stop growing once it is joined. */
Test(load_kinds, live_counters)
{
	struct rtlab_load_config cfg = { .name = "live", .kind = RTLAB_LOAD_CPU, .threads = 1,
					 .intensity_pct = 30 };
	struct rtlab_load_stats a, b, c;
	struct rtlab_load *l = new_load(NULL, &cfg);

	sleep_ns(50 * MSEC);
	rtlab_load_stats(l, &a);
	sleep_ns(50 * MSEC);
	rtlab_load_stats(l, &b);
	cr_assert_gt(b.ops, a.ops);
	cr_assert_gt(b.elapsed_ns, a.elapsed_ns);
	cr_assert_eq(b.workers, 1);
	rtlab_load_join(l);
	rtlab_load_stats(l, &b);
	sleep_ns(20 * MSEC);
	rtlab_load_stats(l, &c);
	cr_assert_eq(b.ops, c.ops);
	rtlab_load_free(l);
}

/* worker_tids - the threads of this process named @comm. */
static unsigned worker_tids(const char *comm, pid_t *tids, unsigned max)
{
	char path[300], name[64], state;
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	unsigned n = 0;
	long ppid;

	cr_assert_not_null(d);
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "self/task/%s", e->d_name);
		if (proc_stat(path, name, sizeof(name), &state, &ppid) && !strcmp(name, comm))
			tids[n++] = (pid_t)atoi(e->d_name);
	}
	closedir(d);
	return n;
}

/* Workers are named after the load, run SCHED_OTHER and stay on the CPUs given. */
Test(load_kinds, pinned_sched_other)
{
	cpu_set_t set, got;
	struct rtlab_load_config cfg = { .name = "pin-me", .kind = RTLAB_LOAD_CPU, .threads = 3,
					 .intensity_pct = 20, .cpus = &set };
	struct rtlab_load *l;
	pid_t tids[8];
	unsigned n;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	l = new_load(NULL, &cfg);
	n = worker_tids("pin-me", tids, 8);
	cr_assert_eq(n, 3);
	for (unsigned i = 0; i < n; i++) {
		cr_assert_eq(sched_getaffinity(tids[i], sizeof(got), &got), 0);
		cr_assert(CPU_EQUAL(&got, &set), "worker %d is not pinned to CPU 0", tids[i]);
		cr_assert_eq(sched_getscheduler(tids[i]), SCHED_OTHER);
	}
	rtlab_load_free(l);
}
