/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-bpf-store.c - eBPF histograms into run.db: bpf_hist and bpf_total rows. */
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rtlab/bpf.h>
#include <rtlab/store.h>

static char dir[PATH_MAX];

/* setup - a fresh temporary folder for the run. */
static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/rtlab-test-bpf-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

/* teardown - remove the folder. */
static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(bpf_store, .init = setup, .fini = teardown);

/* query_i64 - the single integer result of @sql on @path's database. */
static long long query_i64(const char *path, const char *sql)
{
	sqlite3_stmt *s = NULL;
	sqlite3 *db = NULL;
	long long v = -1;

	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* two_hists - an offcpu histogram and the "all" total, in µs slots. */
static void two_hists(struct rtlab_bpf_hist h[2])
{
	memset(h, 0, 2 * sizeof(*h));
	h[0].tool = RTLAB_BPF_OFFCPU;
	h[0].unit_ns = 1000;
	strcpy(h[0].key, "pid 57 (kworker/0:1)");
	strcpy(h[0].detail, "D");
	h[0].slots[0] = 4;
	h[0].slots[3] = 1;
	h[0].count = 5;
	h[0].sum_ns = 12000;
	h[0].max_ns = 9000;
	h[1] = h[0];
	strcpy(h[1].key, "all");
	h[1].detail[0] = '\0';
}

/* Into an existing run: non-empty buckets only, with their ns ranges, and the totals. */
Test(bpf_store, rows_into_a_run)
{
	struct rtlab_bpf_hist h[2];
	struct rtlab_store *st;
	char db[PATH_MAX + 8];

	cr_assert_eq(rtlab_store_create(dir, &st), 0);
	rtlab_store_close(st);
	two_hists(h);
	cr_assert_eq(rtlab_bpf_store_hists(dir, h, 2), 0);
	snprintf(db, sizeof(db), "%s/run.db", dir);
	cr_assert_eq(query_i64(db, "SELECT count(*) FROM bpf_hist"), 4);
	cr_assert_eq(query_i64(db, "SELECT count FROM bpf_hist WHERE key = 'pid 57 (kworker/0:1)'"
				   " AND lo_ns = 0 AND hi_ns = 2000"), 4);
	cr_assert_eq(query_i64(db, "SELECT count FROM bpf_hist WHERE tool = 'offcpu' AND"
				   " key = 'all' AND lo_ns = 8000 AND hi_ns = 16000"), 1);
	cr_assert_eq(query_i64(db, "SELECT sum_ns FROM bpf_total WHERE detail = 'D'"), 12000);
	cr_assert_eq(query_i64(db, "SELECT count(*) FROM bpf_total WHERE key = 'all' AND"
				   " detail IS NULL AND max_ns = 9000"), 1);
	cr_assert_eq(query_i64(db, "SELECT version FROM schema_version"),
		     RTLAB_STORE_SCHEMA_VERSION, "the run's own tables are untouched");
}

/* A second store appends; a run.db path works as well as its folder. */
Test(bpf_store, appends_by_file_path)
{
	struct rtlab_bpf_hist h[2];
	char db[PATH_MAX + 8];

	two_hists(h);
	snprintf(db, sizeof(db), "%s/run.db", dir);
	cr_assert_eq(rtlab_bpf_store_hists(db, h, 1), 0);
	cr_assert_eq(rtlab_bpf_store_hists(db, h, 2), 0);
	cr_assert_eq(query_i64(db, "SELECT count(*) FROM bpf_total"), 3);
	cr_assert_eq(query_i64(db, "SELECT sum(count) FROM bpf_hist"), 15);
}

/* What a tool lost goes into trace_lost, with no CPU. */
Test(bpf_store, lost)
{
	char db[PATH_MAX + 8];

	snprintf(db, sizeof(db), "%s/run.db", dir);
	cr_assert_eq(rtlab_bpf_store_lost(dir, RTLAB_BPF_SYSCALLS, 42), 0);
	cr_assert_eq(query_i64(db, "SELECT count FROM trace_lost WHERE cpu IS NULL AND"
				   " source = 'bpf syscalls map full'"), 42);
	cr_assert_eq(rtlab_bpf_store_lost(dir, _RTLAB_BPF_TOOL_MAX, 1), -EINVAL);
	cr_assert_eq(query_i64(db, "SELECT count(*) FROM trace_lost"), 1);
}

/* Bad input: an unknown tool stores nothing (one transaction), a missing folder fails. */
Test(bpf_store, errors)
{
	struct rtlab_bpf_hist h[2];
	char db[PATH_MAX + 8];

	two_hists(h);
	h[1].tool = _RTLAB_BPF_TOOL_MAX;
	snprintf(db, sizeof(db), "%s/run.db", dir);
	cr_assert_eq(rtlab_bpf_store_hists(db, h, 2), -EINVAL);
	cr_assert_eq(query_i64(db, "SELECT count(*) FROM bpf_total"), 0);
	cr_assert_eq(rtlab_bpf_store_hists("/nonexistent-dir/x/run.db", h, 1), -EIO);
	cr_assert_eq(rtlab_bpf_store_hists(NULL, h, 1), -EINVAL);
}
