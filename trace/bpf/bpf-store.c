/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-store.c - eBPF histograms into the run store (bpf_hist, bpf_total). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "bpf-internal.h"

static const char schema_sql[] =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE IF NOT EXISTS bpf_hist(tool TEXT NOT NULL, key TEXT NOT NULL,"
	" lo_ns INTEGER NOT NULL, hi_ns INTEGER NOT NULL, count INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS bpf_total(tool TEXT NOT NULL, key TEXT NOT NULL,"
	" count INTEGER, sum_ns INTEGER, max_ns INTEGER, detail TEXT);"
	"CREATE TABLE IF NOT EXISTS trace_lost(cpu INTEGER, source TEXT NOT NULL,"
	" count INTEGER NOT NULL);";

static const char hist_sql[] =
	"INSERT INTO bpf_hist(tool, key, lo_ns, hi_ns, count) VALUES (?, ?, ?, ?, ?)";
static const char total_sql[] =
	"INSERT INTO bpf_total(tool, key, count, sum_ns, max_ns, detail) VALUES (?, ?, ?, ?, ?, ?)";

static const char lost_sql[] = "INSERT INTO trace_lost(cpu, source, count) VALUES (NULL, ?, ?)";

/* db_file - @path itself, or @path/run.db when @path is a folder, into @buf. */
static int db_file(const char *path, char *buf, size_t size)
{
	struct stat st;
	int n;

	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		n = snprintf(buf, size, "%s/run.db", path);
	else
		n = snprintf(buf, size, "%s", path);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* bind_u64 - bind a count or ns value (stored as a signed 64-bit SQLite integer). */
static void bind_u64(sqlite3_stmt *s, int i, uint64_t v)
{
	(void)sqlite3_bind_int64(s, i, (sqlite3_int64)(v > INT64_MAX ? INT64_MAX : v));
}

/* step_reset - run a bound statement once and make it ready for the next row. */
static int step_reset(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	(void)sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* put_hist - the rows of one histogram. */
static int put_hist(sqlite3_stmt *hs, sqlite3_stmt *ts, const struct rtlab_bpf_hist *h)
{
	const char *tool = rtlab_bpf_tool_name(h->tool);
	uint64_t lo, hi, count;
	int r;

	if (!tool)
		return -EINVAL;
	for (size_t i = 0; i < RTLAB_BPF_SLOTS; i++) {
		count = rtlab_bpf_hist_bucket(h, i, &lo, &hi);
		if (!count)
			continue;
		(void)sqlite3_bind_text(hs, 1, tool, -1, SQLITE_STATIC);
		(void)sqlite3_bind_text(hs, 2, h->key, -1, SQLITE_STATIC);
		bind_u64(hs, 3, lo);
		bind_u64(hs, 4, hi);
		bind_u64(hs, 5, count);
		r = step_reset(hs);
		if (r < 0)
			return r;
	}
	(void)sqlite3_bind_text(ts, 1, tool, -1, SQLITE_STATIC);
	(void)sqlite3_bind_text(ts, 2, h->key, -1, SQLITE_STATIC);
	bind_u64(ts, 3, h->count);
	bind_u64(ts, 4, h->sum_ns);
	bind_u64(ts, 5, h->max_ns);
	if (h->detail[0])
		(void)sqlite3_bind_text(ts, 6, h->detail, -1, SQLITE_STATIC);
	else
		(void)sqlite3_bind_null(ts, 6);
	return step_reset(ts);
}

/* put_all - every histogram, in the open transaction. */
static int put_all(sqlite3 *db, const struct rtlab_bpf_hist *h, size_t n)
{
	sqlite3_stmt *hs = NULL, *ts = NULL;
	int r = -EIO;

	if (sqlite3_prepare_v2(db, hist_sql, -1, &hs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, total_sql, -1, &ts, NULL) != SQLITE_OK)
		goto out;
	r = 0;
	for (size_t i = 0; i < n && r == 0; i++)
		r = put_hist(hs, ts, &h[i]);
out:
	sqlite3_finalize(hs);
	sqlite3_finalize(ts);
	return r;
}

/* db_begin - open @db_path's database (tables created if missing) in a write transaction. */
static int db_begin(const char *db_path, sqlite3 **ret)
{
	char file[4096];
	sqlite3 *db = NULL;
	int r = db_file(db_path, file, sizeof(file));

	if (r < 0)
		return r;
	if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return -EIO;
	}
	(void)sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -EIO;
	}
	*ret = db;
	return 0;
}

/* db_end - commit when @r is 0, else roll back; close.  Returns @r or -EIO. */
static int db_end(sqlite3 *db, int r)
{
	if (sqlite3_exec(db, r ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL) != SQLITE_OK && !r)
		r = -EIO;
	sqlite3_close(db);
	return r;
}

/* rtlab_bpf_store_hists - write @n histograms into the run store at @db_path. */
RTLAB_API int rtlab_bpf_store_hists(const char *db_path, const struct rtlab_bpf_hist *h,
				    size_t n)
{
	sqlite3 *db;
	int r;

	if (!db_path || (!h && n))
		return -EINVAL;
	r = db_begin(db_path, &db);
	return r < 0 ? r : db_end(db, put_all(db, h, n));
}

/* put_lost - the trace_lost row of a tool. */
static int put_lost(sqlite3 *db, const char *tool, uint64_t count)
{
	sqlite3_stmt *s = NULL;
	char source[64];
	int r = -EIO;

	snprintf(source, sizeof(source), "bpf %s map full", tool);
	if (sqlite3_prepare_v2(db, lost_sql, -1, &s, NULL) == SQLITE_OK) {
		(void)sqlite3_bind_text(s, 1, source, -1, SQLITE_STATIC);
		bind_u64(s, 2, count);
		r = step_reset(s);
	}
	sqlite3_finalize(s);
	return r;
}

/* rtlab_bpf_store_lost - what a tool could not count, as a trace_lost row. */
RTLAB_API int rtlab_bpf_store_lost(const char *db_path, enum rtlab_bpf_tool tool,
				   uint64_t count)
{
	const char *name = rtlab_bpf_tool_name(tool);
	sqlite3 *db;
	int r;

	if (!db_path || !name)
		return -EINVAL;
	r = db_begin(db_path, &db);
	return r < 0 ? r : db_end(db, put_lost(db, name, count));
}
