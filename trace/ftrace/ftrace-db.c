/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-db.c - the trace tables of run.db: raw pages, formats, meta, events; batched inserts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ftrace-internal.h"

#define BATCH_ROWS 20000
#define BULK_CACHE_KB "65536"	/* SQLite page cache during a bulk transaction */

static const char index_sql[] =
	"CREATE INDEX IF NOT EXISTS trace_event_cpu_t ON trace_event(cpu, t_ns)";

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS trace_event(t_ns INTEGER NOT NULL, cpu INTEGER NOT NULL,"
	" pid INTEGER, comm TEXT, event TEXT NOT NULL, fields TEXT);"
	"CREATE INDEX IF NOT EXISTS trace_event_cpu_t ON trace_event(cpu, t_ns);"
	"CREATE TABLE IF NOT EXISTS trace_lost(cpu INTEGER, source TEXT NOT NULL,"
	" count INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS trace_window(start_ns INTEGER NOT NULL,"
	" end_ns INTEGER NOT NULL, reason TEXT);"
	"CREATE TABLE IF NOT EXISTS trace_page(cpu INTEGER NOT NULL, seq INTEGER PRIMARY KEY,"
	" data BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS trace_format(system TEXT NOT NULL, name TEXT NOT NULL,"
	" id INTEGER NOT NULL, format TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS trace_meta(key TEXT PRIMARY KEY, value TEXT);";

enum { STMT_EVENT, STMT_LOST, STMT_WINDOW, STMT_PAGE, STMT_FORMAT, STMT_META, _STMT_MAX };

static const char *const stmt_sql[_STMT_MAX] = {
	[STMT_EVENT] = "INSERT INTO trace_event VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_LOST] = "INSERT INTO trace_lost VALUES (?, ?, ?)",
	[STMT_WINDOW] = "INSERT INTO trace_window VALUES (?, ?, ?)",
	[STMT_PAGE] = "INSERT INTO trace_page VALUES (?, ?, ?)",
	[STMT_FORMAT] = "INSERT INTO trace_format VALUES (?, ?, ?, ?)",
	[STMT_META] = "INSERT OR REPLACE INTO trace_meta VALUES (?, ?)",
};

struct ftrace_db {
	const struct rtlab_ctx *ctx;
	sqlite3 *db;
	sqlite3_stmt *stmt[_STMT_MAX];
	size_t rows;		/* in the open transaction */
	bool in_tx;
	bool bulk;		/* one transaction, ended by ftrace_db_commit() only */
};

/* db_fail - log SQLite's message; returns -EIO. */
static int db_fail(const struct ftrace_db *d, const char *what)
{
	return rtlab_err(d->ctx, -EIO, "trace store %s: %s", what, sqlite3_errmsg(d->db));
}

/* has_pages - whether the trace_page table exists. */
static bool has_pages(sqlite3 *db)
{
	sqlite3_stmt *st;
	bool found;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table'"
			       " AND name = 'trace_page'", -1, &st, NULL) != SQLITE_OK)
		return false;
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* ftrace_db_close - commit what is pending, finalize, close (NULL is fine). */
void ftrace_db_close(struct ftrace_db *d)
{
	if (!d)
		return;
	(void)ftrace_db_commit(d);
	for (int i = 0; i < _STMT_MAX; i++)
		sqlite3_finalize(d->stmt[i]);
	sqlite3_close(d->db);
	free(d);
}

/* ftrace_db_open - a connection of its own to @path, the tables (@schema), the statements. */
int ftrace_db_open(const struct rtlab_ctx *ctx, const char *path, bool schema,
		   struct ftrace_db **ret)
{
	struct ftrace_db *d = calloc(1, sizeof(*d));
	int r = -EIO;

	if (!d)
		return -ENOMEM;
	d->ctx = ctx;
	/* One thread at a time uses a connection: SQLite's own locking is not needed. */
	if (sqlite3_open_v2(path, &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		r = rtlab_err(ctx, -ENOENT, "%s: cannot open the run store: %s", path,
			      d->db ? sqlite3_errmsg(d->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(d->db, 5000);
	/* WAL: a commit needs no sync of the database file, only of the log at checkpoints. */
	(void)sqlite3_exec(d->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	if (schema && sqlite3_exec(d->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
		r = db_fail(d, "schema");
		goto fail;
	}
	if (!schema && !has_pages(d->db)) {
		r = -ENODATA;	/* no recording stored: not an error to log */
		goto fail;
	}
	for (int i = 0; i < _STMT_MAX; i++)
		if (sqlite3_prepare_v2(d->db, stmt_sql[i], -1, &d->stmt[i], NULL) != SQLITE_OK) {
			r = db_fail(d, "statement");
			goto fail;
		}
	*ret = d;
	return 0;
fail:
	ftrace_db_close(d);
	return r;
}

/* ftrace_db_commit - end the open transaction. */
int ftrace_db_commit(struct ftrace_db *d)
{
	if (!d->in_tx)
		return 0;
	d->in_tx = d->bulk = false;
	d->rows = 0;
	if (sqlite3_exec(d->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(d, "commit");
	return 0;
}

/* db_step - run @st (bound) inside a batch transaction. */
static int db_step(struct ftrace_db *d, sqlite3_stmt *st)
{
	int rc;

	if (!d->in_tx) {
		if (sqlite3_exec(d->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
			return db_fail(d, "begin");
		d->in_tx = true;
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(d, "insert");
	if (++d->rows >= BATCH_ROWS && !d->bulk)
		return ftrace_db_commit(d);
	return 0;
}

/* ftrace_db_sqlite - the connection, for queries. */
struct sqlite3 *ftrace_db_sqlite(struct ftrace_db *d)
{
	return d->db;
}

/* ftrace_db_begin_bulk - one write transaction (taken now), no sync, until commit/rollback. */
int ftrace_db_begin_bulk(struct ftrace_db *d)
{
	int r = ftrace_db_commit(d);

	if (r < 0)
		return r;
	/* No sync, and a cache that holds the transaction's pages until the commit. */
	(void)sqlite3_exec(d->db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-" BULK_CACHE_KB,
			   NULL, NULL, NULL);
	if (sqlite3_exec(d->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(d, "begin");
	d->in_tx = d->bulk = true;
	return 0;
}

/* ftrace_db_index_drop - trace_event's index off while rows are added in bulk. */
int ftrace_db_index_drop(struct ftrace_db *d)
{
	if (sqlite3_exec(d->db, "DROP INDEX IF EXISTS trace_event_cpu_t", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_fail(d, "drop index");
	return 0;
}

/* ftrace_db_index_make - trace_event's index built again, in one sort. */
int ftrace_db_index_make(struct ftrace_db *d)
{
	if (sqlite3_exec(d->db, index_sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(d, "index");
	return 0;
}

/* ftrace_db_rollback - drop what the open transaction wrote. */
void ftrace_db_rollback(struct ftrace_db *d)
{
	if (d->in_tx)
		(void)sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
	d->in_tx = d->bulk = false;
	d->rows = 0;
}

/* bind_text - @s, or NULL. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* ftrace_db_event - one trace_event row. */
int ftrace_db_event(struct ftrace_db *d, uint64_t t_ns, int cpu, int pid, const char *comm,
		    const char *event, const char *fields)
{
	sqlite3_stmt *st = d->stmt[STMT_EVENT];

	sqlite3_bind_int64(st, 1, (sqlite3_int64)t_ns);
	sqlite3_bind_int(st, 2, cpu);
	if (pid >= 0)
		sqlite3_bind_int(st, 3, pid);
	else
		sqlite3_bind_null(st, 3);
	bind_text(st, 4, comm);
	bind_text(st, 5, event);
	bind_text(st, 6, fields);
	return db_step(d, st);
}

/* ftrace_db_lost - one trace_lost row (@cpu < 0: NULL, global). */
int ftrace_db_lost(struct ftrace_db *d, int cpu, const char *source, uint64_t count)
{
	sqlite3_stmt *st = d->stmt[STMT_LOST];

	if (cpu >= 0)
		sqlite3_bind_int(st, 1, cpu);
	else
		sqlite3_bind_null(st, 1);
	bind_text(st, 2, source);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)count);
	return db_step(d, st);
}

/* ftrace_db_window - one trace_window row. */
int ftrace_db_window(struct ftrace_db *d, uint64_t start_ns, uint64_t end_ns, const char *reason)
{
	sqlite3_stmt *st = d->stmt[STMT_WINDOW];

	sqlite3_bind_int64(st, 1, (sqlite3_int64)start_ns);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)end_ns);
	bind_text(st, 3, reason);
	return db_step(d, st);
}

/* ftrace_db_page - one trace_page row. */
int ftrace_db_page(struct ftrace_db *d, int cpu, uint64_t seq, const void *data, size_t len)
{
	sqlite3_stmt *st = d->stmt[STMT_PAGE];

	sqlite3_bind_int(st, 1, cpu);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_blob(st, 3, data, (int)len, SQLITE_STATIC);
	return db_step(d, st);
}

/* ftrace_db_format - one trace_format row. */
int ftrace_db_format(struct ftrace_db *d, const char *system, const char *name, int id,
		     const char *format)
{
	sqlite3_stmt *st = d->stmt[STMT_FORMAT];

	bind_text(st, 1, system);
	bind_text(st, 2, name);
	sqlite3_bind_int(st, 3, id);
	bind_text(st, 4, format);
	return db_step(d, st);
}

/* ftrace_db_meta - set one trace_meta key. */
int ftrace_db_meta(struct ftrace_db *d, const char *key, const char *value)
{
	sqlite3_stmt *st = d->stmt[STMT_META];

	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return db_step(d, st);
}
