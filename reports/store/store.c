/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store.c - run.db: creating, opening, the schema, the run, task, load and event rows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/store-internal.h"

static const char schema_sql[] =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE schema_version(version INTEGER NOT NULL);"
	"CREATE TABLE run(id INTEGER PRIMARY KEY CHECK(id = 1), name TEXT, scenario TEXT,"
	" scenario_hash TEXT, rtlab_version TEXT, hostname TEXT, kernel TEXT,"
	" kernel_version TEXT, preempt TEXT, cpu_model TEXT, ncpus INTEGER, governor TEXT,"
	" cmdline TEXT, seed INTEGER, duration_ns INTEGER, start_ns INTEGER, end_ns INTEGER,"
	" start_utc TEXT, end_utc TEXT, status TEXT NOT NULL"
	" CHECK(status IN ('incomplete', 'complete', 'interrupted')));"
	"CREATE TABLE task(id INTEGER PRIMARY KEY, name TEXT NOT NULL, policy TEXT,"
	" priority INTEGER, period_ns INTEGER, deadline_ns INTEGER, runtime_ns INTEGER,"
	" cpus TEXT, jobs INTEGER, overruns INTEGER, misses INTEGER, min_ns INTEGER,"
	" max_ns INTEGER, sum_ns INTEGER, lost INTEGER NOT NULL DEFAULT 0, tid INTEGER);"
	"CREATE TABLE latency(t_ns INTEGER NOT NULL, task INTEGER NOT NULL, cpu INTEGER,"
	" latency_ns INTEGER NOT NULL, response_ns INTEGER);"
	"CREATE TABLE miss(t_ns INTEGER NOT NULL, task INTEGER NOT NULL, job INTEGER,"
	" deadline_ns INTEGER, end_ns INTEGER);"
	"CREATE TABLE hist(task INTEGER NOT NULL, lo_ns INTEGER, hi_ns INTEGER, count INTEGER);"
	"CREATE TABLE lost(task INTEGER NOT NULL, kind TEXT NOT NULL, count INTEGER NOT NULL);"
	"CREATE TABLE load(id INTEGER PRIMARY KEY, name TEXT, kind TEXT, threads INTEGER,"
	" intensity INTEGER, cpus TEXT, ops INTEGER, work_ns INTEGER, elapsed_ns INTEGER);"
	"CREATE TABLE event(t_ns INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT);";

/* store_has_table - ask sqlite_master. */
bool store_has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	bool found;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* store_exec - run @sql (no result rows); 0 or -EIO. */
int store_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -EIO;
}

/* store_prepare - a statement of @sql; 0 or -EIO. */
int store_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret)
{
	return sqlite3_prepare_v2(db, sql, -1, ret, NULL) == SQLITE_OK ? 0 : -EIO;
}

/* store_step_done - step @stmt to its end and reset it; 0 or -EIO. */
int store_step_done(sqlite3_stmt *stmt)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* run_sql - prepare @sql, bind @n 64-bit integers then the texts, step; 0 or -EIO. */
static int run_sql(struct rtlab_store *st, const char *sql, const int64_t *ints, int n,
		   const char *const *texts, int ntexts)
{
	sqlite3_stmt *stmt;
	int r = store_prepare(st->db, sql, &stmt);

	if (r < 0)
		return r;
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(stmt, i + 1, ints[i]);
	for (int i = 0; i < ntexts; i++)
		sqlite3_bind_text(stmt, n + i + 1, texts[i], -1, SQLITE_TRANSIENT);
	r = store_step_done(stmt);
	sqlite3_finalize(stmt);
	return r;
}

/* store_new - a handle on @path opened with @flags; settings for a writer if writable. */
static int store_new(const char *path, int flags, struct rtlab_store **ret)
{
	struct rtlab_store *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return -ENOMEM;
	if (snprintf(st->path, sizeof(st->path), "%s", path) >= (int)sizeof(st->path)) {
		free(st);
		return -ENAMETOOLONG;
	}
	rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK) {
		int r = rc == SQLITE_CANTOPEN ? -ENOENT : rc == SQLITE_NOMEM ? -ENOMEM : -EIO;

		sqlite3_close(st->db);
		free(st);
		return r;
	}
	sqlite3_busy_timeout(st->db, 5000);
	if (flags & SQLITE_OPEN_READWRITE)
		store_exec(st->db, "PRAGMA synchronous=NORMAL");
	*ret = st;
	return 0;
}

/* rtlab_store_create - @dir/run.db with the schema. */
int rtlab_store_create(const char *dir, struct rtlab_store **ret)
{
	char path[PATH_MAX];
	struct rtlab_store *st;
	struct stat sb;
	int r;

	if (snprintf(path, sizeof(path), "%s/run.db", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (stat(path, &sb) == 0)
		return -EEXIST;
	r = store_new(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &st);
	if (r < 0)
		return r;
	r = store_exec(st->db, schema_sql);
	if (r == 0) {
		int64_t v = RTLAB_STORE_SCHEMA_VERSION;

		r = run_sql(st, "INSERT INTO schema_version VALUES(?)", &v, 1, NULL, 0);
	}
	if (r < 0) {
		rtlab_store_close(st);
		return r;
	}
	*ret = st;
	return 0;
}

/* schema_check - the schema version, which this rtlab must know; 0 or -EPROTO. */
static int schema_check(struct rtlab_store *st)
{
	sqlite3_stmt *stmt;
	int64_t v = -1;

	if (store_prepare(st->db, "SELECT version FROM schema_version", &stmt) < 0)
		return -EPROTO;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v >= 1 && v <= RTLAB_STORE_SCHEMA_VERSION ? 0 : -EPROTO;
}

/* rtlab_store_open - a run folder or its run.db. */
int rtlab_store_open(const char *path, bool writable, struct rtlab_store **ret)
{
	char file[PATH_MAX];
	struct rtlab_store *st;
	struct stat sb;
	int r;

	if (stat(path, &sb) < 0)
		return -errno;
	if (S_ISDIR(sb.st_mode)) {
		if (snprintf(file, sizeof(file), "%s/run.db", path) >= (int)sizeof(file))
			return -ENAMETOOLONG;
		if (stat(file, &sb) < 0)
			return -errno;
	} else if (snprintf(file, sizeof(file), "%s", path) >= (int)sizeof(file)) {
		return -ENAMETOOLONG;
	}
	r = store_new(file, writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, &st);
	if (r < 0)
		return r;
	r = schema_check(st);
	if (r < 0) {
		rtlab_store_close(st);
		return r;
	}
	*ret = st;
	return 0;
}

/* rtlab_store_close - close it. */
struct rtlab_store *rtlab_store_close(struct rtlab_store *st)
{
	if (st) {
		sqlite3_close(st->db);
		free(st);
	}
	return NULL;
}

/* rtlab_store_path - the run.db path. */
const char *rtlab_store_path(const struct rtlab_store *st)
{
	return st->path;
}

/* utc_now - the wall-clock time, ISO 8601 UTC with milliseconds. */
static void utc_now(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);

	snprintf(buf + n, size - n, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

/* fnv1a - the scenario text's hash. */
static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * UINT64_C(0x100000001b3);
	return h;
}

/* rtlab_store_begin - the run row, status 'incomplete'. */
int rtlab_store_begin(struct rtlab_store *st, const struct rtlab_run_info *info)
{
	static const char sql[] =
		"INSERT INTO run(id, name, scenario, scenario_hash, rtlab_version, seed,"
		" duration_ns, start_ns, start_utc, status, hostname, kernel, kernel_version,"
		" preempt, cpu_model, ncpus, governor, cmdline)"
		" VALUES(1, ?, ?, ?, ?, ?, ?, ?, ?, 'incomplete', ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	char hash[32], utc[40];
	int r = store_prepare(st->db, sql, &stmt);

	if (r < 0)
		return r;
	snprintf(hash, sizeof(hash), "fnv1a64:%016llx",
		 (unsigned long long)fnv1a(info->scenario ? info->scenario : "",
					   info->scenario ? info->scenario_len : 0));
	utc_now(utc, sizeof(utc));
	sqlite3_bind_text(stmt, 1, info->name ? info->name : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, info->scenario ? info->scenario : "",
			  info->scenario ? (int)info->scenario_len : 0, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, rtlab_version(), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, (int64_t)info->seed);
	sqlite3_bind_int64(stmt, 6, (int64_t)info->duration_ns);
	sqlite3_bind_int64(stmt, 7, (int64_t)rtlab_now_ns());
	sqlite3_bind_text(stmt, 8, utc, -1, SQLITE_TRANSIENT);
	r = store_facts_bind(stmt, 9);
	if (r == 0)
		r = store_step_done(stmt);
	sqlite3_finalize(stmt);
	return r;
}

/* rtlab_run_status_name - the status as stored. */
const char *rtlab_run_status_name(enum rtlab_run_status s)
{
	static const char *const names[] = { "incomplete", "complete", "interrupted" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : NULL;
}

/* rtlab_store_end - end times and status. */
int rtlab_store_end(struct rtlab_store *st, enum rtlab_run_status status)
{
	const char *name = rtlab_run_status_name(status);
	int64_t end = (int64_t)rtlab_now_ns();
	char utc[40];

	if (!name)
		return -EINVAL;
	utc_now(utc, sizeof(utc));
	return run_sql(st, "UPDATE run SET end_ns = ?, end_utc = ?, status = ? WHERE id = 1", &end,
		       1, (const char *const[]){ utc, name }, 2);
}

/* rtlab_store_add_task - a task row. */
int rtlab_store_add_task(struct rtlab_store *st, const struct rtlab_store_task *t,
			 uint32_t *ret_id)
{
	const int64_t ints[] = { t->priority, (int64_t)t->period_ns, (int64_t)t->deadline_ns,
				 (int64_t)t->runtime_ns };
	int r = run_sql(st, "INSERT INTO task(priority, period_ns, deadline_ns, runtime_ns, name,"
			    " policy, cpus) VALUES(?, ?, ?, ?, ?, ?, ?)", ints, 4,
			(const char *const[]){ t->name, t->policy, t->cpus ? t->cpus : "" }, 3);

	if (r == 0)
		*ret_id = (uint32_t)sqlite3_last_insert_rowid(st->db);
	return r;
}

/* rtlab_store_end_task - the counters of task @id. */
int rtlab_store_end_task(struct rtlab_store *st, uint32_t id, const struct rtlab_store_task_end *e)
{
	const int64_t ints[] = { (int64_t)e->jobs, (int64_t)e->overruns, (int64_t)e->misses,
				 (int64_t)e->min_ns, (int64_t)e->max_ns, (int64_t)e->sum_ns,
				 (int64_t)e->tid, id };

	return run_sql(st, "UPDATE task SET jobs = ?, overruns = ?, misses = ?, min_ns = ?,"
			   " max_ns = ?, sum_ns = ?, tid = NULLIF(?, 0) WHERE id = ?", ints, 8, NULL,
		       0);
}

/* rtlab_store_hist - the non-empty buckets of a task's histogram, in one transaction. */
int rtlab_store_hist(struct rtlab_store *st, uint32_t id, const uint64_t *lo, const uint64_t *hi,
		     const uint64_t *count, size_t n)
{
	sqlite3_stmt *stmt;
	int r = store_prepare(st->db, "INSERT INTO hist VALUES(?, ?, ?, ?)", &stmt);

	if (r < 0)
		return r;
	r = store_exec(st->db, "BEGIN");
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (!count[i])
			continue;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, (int64_t)lo[i]);
		sqlite3_bind_int64(stmt, 3, (int64_t)hi[i]);
		sqlite3_bind_int64(stmt, 4, (int64_t)count[i]);
		r = store_step_done(stmt);
	}
	sqlite3_finalize(stmt);
	if (store_exec(st->db, r == 0 ? "COMMIT" : "ROLLBACK") < 0 && r == 0)
		r = -EIO;
	return r;
}

/* rtlab_store_add_load - a load row. */
int rtlab_store_add_load(struct rtlab_store *st, const struct rtlab_store_load *l)
{
	const int64_t ints[] = { l->threads, l->intensity_pct, (int64_t)l->ops,
				 (int64_t)l->work_ns, (int64_t)l->elapsed_ns };

	return run_sql(st, "INSERT INTO load(threads, intensity, ops, work_ns, elapsed_ns, name,"
			   " kind, cpus) VALUES(?, ?, ?, ?, ?, ?, ?, ?)", ints, 5,
		       (const char *const[]){ l->name, l->kind, l->cpus ? l->cpus : "" }, 3);
}

/* rtlab_store_event - an event row. */
int rtlab_store_event(struct rtlab_store *st, uint64_t t_ns, const char *kind, const char *text)
{
	int64_t t = (int64_t)(t_ns ? t_ns : rtlab_now_ns());

	return run_sql(st, "INSERT INTO event VALUES(?, ?, ?)", &t, 1,
		       (const char *const[]){ kind, text ? text : "" }, 2);
}
