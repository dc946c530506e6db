/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run-db.h - what the tests of run folders share: a fresh temporary folder,
 * its removal, and one-value queries on <folder>/run.db.  Header-only.
 */
#ifndef RTLAB_TEST_RUN_DB_H
#define RTLAB_TEST_RUN_DB_H

#include <limits.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <criterion/criterion.h>

/* temp_dir - a fresh folder /tmp/rtlab-@what-XXXXXX into @buf. */
static inline void temp_dir(char *buf, size_t size, const char *what)
{
	snprintf(buf, size, "/tmp/rtlab-%s-XXXXXX", what);
	cr_assert_not_null(mkdtemp(buf));
}

/* rmtree - the folder and everything in it. */
static inline void rmtree(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* db_query - @sql prepared on @dir/run.db (read-only) and stepped once; the statement. */
static inline sqlite3_stmt *db_query(const char *dir, const char *sql, sqlite3 **db)
{
	char path[PATH_MAX + 16];
	sqlite3_stmt *st;

	snprintf(path, sizeof(path), "%s/run.db", dir);
	cr_assert_eq(sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK, "%s", path);
	cr_assert_eq(sqlite3_prepare_v2(*db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(*db));
	return st;
}

/* db_i64 - the first column of the first row of @sql on @dir/run.db (-1: no row). */
static inline int64_t db_i64(const char *dir, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st = db_query(dir, sql, &db);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;

	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* db_text - the first column of the first row of @sql, into @buf ("" if none or NULL). */
static inline const char *db_text(const char *dir, const char *sql, char *buf, size_t size)
{
	sqlite3 *db;
	sqlite3_stmt *st = db_query(dir, sql, &db);

	buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf;
}

#endif /* RTLAB_TEST_RUN_DB_H */
