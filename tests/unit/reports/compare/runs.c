/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runs.c - synthetic run folders written with the run store API. */
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rtlab/compare.h>

#include "runs.h"

/* add_task - task @t: its row, its samples through a ring, its counters; its id. */
static uint32_t add_task(struct rtlab_store *st, const struct test_task *t)
{
	struct rtlab_store_task row = { t->name, "fifo", 80, 1000000, 1000000, 0, "" };
	struct rtlab_store_task_end end = { t->samples, 0, t->misses, t->scale_ns,
					    t->scale_ns * t->samples, 0 };
	struct rtlab_writer *w;
	struct rtlab_ring *r;
	uint32_t id;

	cr_assert_eq(rtlab_store_add_task(st, &row, &id), 0);
	cr_assert_eq(rtlab_writer_new(st, 0, &w), 0);
	cr_assert_eq(rtlab_writer_ring(w, id, t->samples, &r), 0);
	for (unsigned i = 0; i < t->samples; i++) {
		cr_assert(rtlab_ring_latency(r, 1000 + i, 0, t->scale_ns * (i + 1)));
		end.sum_ns += t->scale_ns * (i + 1);
	}
	cr_assert_eq(rtlab_writer_stop(w), 0);
	rtlab_writer_free(w);
	cr_assert_eq(rtlab_store_end_task(st, id, &end), 0);
	return id;
}

/* test_run - the run folder. */
void test_run(char *dir, const char *scenario, const struct test_task *tasks, size_t ntasks,
	      enum rtlab_run_status status)
{
	const char *text = scenario ? scenario : TEST_SCENARIO;
	struct rtlab_run_info info = { "t", text, strlen(text), 1, 1000000000 };
	struct rtlab_store *st;
	uint32_t ids[16];
	char sql[256];

	snprintf(dir, TEST_DIR_SIZE, "/tmp/rtlab-compare-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(rtlab_store_create(dir, &st), 0);
	cr_assert_eq(rtlab_store_begin(st, &info), 0);
	cr_assert_leq(ntasks, 16);
	for (size_t i = 0; i < ntasks; i++)
		ids[i] = add_task(st, &tasks[i]);
	if (status != RTLAB_RUN_INCOMPLETE)
		cr_assert_eq(rtlab_store_end(st, status), 0);
	rtlab_store_close(st);
	for (size_t i = 0; i < ntasks; i++) {
		snprintf(sql, sizeof(sql), "UPDATE task SET lost = %llu WHERE id = %u",
			 (unsigned long long)tasks[i].lost, (unsigned)ids[i]);
		test_run_set(dir, sql);
	}
}

/* test_run_set - one statement on the run's database. */
void test_run_set(const char *dir, const char *sql)
{
	char path[PATH_MAX];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/run.db", dir);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* test_run_remove - the folder and its files. */
void test_run_remove(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

char test_base[TEST_DIR_SIZE], test_head[TEST_DIR_SIZE];

/* test_runs_remove - both runs, if made. */
void test_runs_remove(void)
{
	if (test_base[0])
		test_run_remove(test_base);
	if (test_head[0])
		test_run_remove(test_head);
}

/* test_compare - parse @spec, compare the two runs. */
int test_compare(const char *spec, struct rtlab_compare **ret, char *err, size_t errsize)
{
	struct rtlab_thresholds *th = NULL;
	int r;

	*ret = NULL;
	if (spec)
		cr_assert_eq(rtlab_thresholds_parse(spec, &th, err, errsize), 0, "%s: %s", spec,
			     err);
	r = rtlab_compare_runs(test_base, test_head, th, ret, err, errsize);
	rtlab_thresholds_free(th);
	return r;
}
