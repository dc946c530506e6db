/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-record.c - probe samples stored into SQLite, once and from the recorder's thread. */
#include <sqlite3.h>
#include <time.h>

#include "test-probe.h"

/* query_i64 - the first column of the first row of @sql. */
static int64_t query_i64(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;

	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Three samples of the load family: one metric row per name, three sample rows each. */
Test(record, stores_samples_on_the_monotonic_clock)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_recorder_opts o = { .families = RTLAB_PF_BIT(RTLAB_PF_LOAD) };
	struct rtlab_probe_recorder *r;
	char dir[PATH_MAX], db[PATH_MAX + 16];
	uint64_t before = rtlab_now_ns();

	tree_new(dir, sizeof(dir));
	snprintf(db, sizeof(db), "%s/run.db", dir);
	cr_assert_eq(rtlab_probe_recorder_open(NULL, p, db, &o, &r), 0);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(rtlab_probe_recorder_sample(r), 0);
	cr_assert_eq(rtlab_probe_recorder_samples(r), 3);
	rtlab_probe_recorder_close(r);

	cr_assert_eq(query_i64(db, "SELECT count(*) FROM probe_metric WHERE name='node_load1'"), 1);
	cr_assert_eq(query_i64(db, "SELECT count(*) FROM probe_sample s JOIN probe_metric m"
				   " ON s.metric=m.id WHERE m.name='node_load1'"), 3);
	cr_assert_eq(query_i64(db, "SELECT count(DISTINCT t_ns) FROM probe_sample"), 3);
	cr_assert_geq(query_i64(db, "SELECT min(t_ns) FROM probe_sample"), (int64_t)before);
	cr_assert_leq(query_i64(db, "SELECT max(t_ns) FROM probe_sample"),
		      (int64_t)rtlab_now_ns());
	cr_assert_eq(query_i64(db, "SELECT typeof(value)='integer' FROM probe_sample s JOIN"
				   " probe_metric m ON s.metric=m.id"
				   " WHERE m.name='rtlab_load_entities'"), 1);
	rtlab_probe_free(p);
	tree_free(dir);
}

/* A missing source: NULL values with their state, and the family's problem in words. */
Test(record, unavailable_values_are_null_with_state_and_problem)
{
	struct rtlab_probe_recorder_opts o = { .families = RTLAB_PF_BIT(RTLAB_PF_LOAD) };
	struct rtlab_probe_recorder *r;
	char dir[PATH_MAX], db[PATH_MAX + 16];
	struct rtlab_probe *p;

	tree_new(dir, sizeof(dir));
	p = probe_at(dir, NULL);
	snprintf(db, sizeof(db), "%s/run.db", dir);
	cr_assert_eq(rtlab_probe_recorder_open(NULL, p, db, &o, &r), 0);
	cr_assert_eq(rtlab_probe_recorder_sample(r), 0);
	rtlab_probe_recorder_close(r);
	cr_assert_eq(query_i64(db, "SELECT count(*) FROM probe_sample WHERE value IS NOT NULL"), 0);
	cr_assert_eq(query_i64(db, "SELECT min(state) FROM probe_sample"), RTLAB_PV_ABSENT);
	cr_assert_eq(query_i64(db, "SELECT count(*) FROM probe_problem WHERE family='load'"
				   " AND why LIKE '%/proc/loadavg%'"), 1);
	rtlab_probe_free(p);
	tree_free(dir);
}

/* The thread samples every interval and stops when told. */
Test(record, thread_samples_every_interval)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_recorder_opts o = { .families = RTLAB_PF_BIT(RTLAB_PF_LOAD),
					       .interval_ns = 20 * 1000000 };
	struct rtlab_probe_recorder *r;
	char dir[PATH_MAX], db[PATH_MAX + 16];
	uint64_t n;

	tree_new(dir, sizeof(dir));
	snprintf(db, sizeof(db), "%s/run.db", dir);
	cr_assert_eq(rtlab_probe_recorder_open(NULL, p, db, &o, &r), 0);
	cr_assert_eq(rtlab_probe_recorder_start(r), 0);
	nanosleep(&(struct timespec){ .tv_nsec = 300 * 1000000 }, NULL);
	cr_assert_eq(rtlab_probe_recorder_stop(r), 0);
	n = rtlab_probe_recorder_samples(r);
	/* 300 ms at 20 ms: 15 in theory; a loaded machine may lose some, never all. */
	cr_assert_geq(n, 3, "%llu samples", (unsigned long long)n);
	cr_assert_leq(n, 17, "%llu samples", (unsigned long long)n);
	nanosleep(&(struct timespec){ .tv_nsec = 60 * 1000000 }, NULL);
	cr_assert_eq(rtlab_probe_recorder_samples(r), n, "sampled after stop");
	rtlab_probe_recorder_close(r);
	rtlab_probe_free(p);
	tree_free(dir);
}

/* A database that cannot be created: an error naming it, nothing else. */
Test(record, unwritable_database_is_an_error)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_recorder *r = NULL;
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);

	cr_assert_eq(rtlab_probe_recorder_open(ctx, p, "/nonexistent-dir/run.db", NULL, &r), -EIO);
	cr_assert_null(r);
	cr_assert(strstr(lc.msg, "/nonexistent-dir/run.db") != NULL, "%s", lc.msg);
	rtlab_ctx_free(ctx);
	rtlab_probe_free(p);
}
