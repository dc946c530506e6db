/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runs.h - synthetic run folders for the compare tests. */
#ifndef RTLAB_TEST_COMPARE_RUNS_H
#define RTLAB_TEST_COMPARE_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include <rtlab/store.h>

/* A task of a synthetic run: latencies scale_ns * 1, 2, ..., samples. */
struct test_task {
	const char *name;
	unsigned samples;
	uint64_t scale_ns;
	uint64_t misses;
	uint64_t lost;
};

/* A scenario text without a [gate]. */
#define TEST_SCENARIO "[scenario]\nname = t\nduration = 1s\n[task fast]\nperiod = 1ms\n"

#define TEST_DIR_SIZE 64

/*
 * test_run - a run folder (created below /tmp, its path in @dir, TEST_DIR_SIZE
 * bytes) holding @tasks, scenario @scenario (NULL: TEST_SCENARIO), ended with
 * @status (RTLAB_RUN_INCOMPLETE: never ended).  p99 = scale * ceil(0.99 n).
 */
void test_run(char *dir, const char *scenario, const struct test_task *tasks, size_t ntasks,
	      enum rtlab_run_status status);

/* test_run_set - run an SQL statement on @dir/run.db (to change facts). */
void test_run_set(const char *dir, const char *sql);

/* test_run_remove - remove the run folder. */
void test_run_remove(const char *dir);

/* The BASE and NEW run folders of a test ("" before test_run()). */
extern char test_base[TEST_DIR_SIZE], test_head[TEST_DIR_SIZE];

/* test_runs_remove - remove test_base and test_head (a Criterion .fini). */
void test_runs_remove(void);

struct rtlab_compare;

/*
 * test_compare - compare test_base with test_head on @spec (a valid spec;
 * NULL: the gate or the default); rtlab_compare_runs()'s result.
 */
int test_compare(const char *spec, struct rtlab_compare **ret, char *err, size_t errsize);

#endif /* RTLAB_TEST_COMPARE_RUNS_H */
