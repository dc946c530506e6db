/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-materialize.c - stored raw pages parsed into trace_event rows: a
 * hand-made recording (format, header page, one sub-buffer) in a fresh run
 * store; once only; breaktrace windows; bad pages, formats and meta refused
 * with a message naming the row, nothing written.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rtlab/ftrace.h>
#include <rtlab/store.h>

#include "ftrace/ftrace-internal.h"
#include "test-format.h"
#include "../../run-db.h"

#define T0 1000000ULL		/* the page's time stamp */

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

static const char format[] =
	TEST_FORMAT_HEAD
	"\tfield:pid_t pid;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"comm=%s val=%d\", REC->comm, REC->val\n";

static char dir[PATH_MAX];
static char db_path[PATH_MAX + 16];
static struct rtlab_ctx *ctx;
static char logged[1024];

/* on_log - keep the last error message. */
static void on_log(enum rtlab_log_level level, const char *msg, void *data)
{
	(void)data;
	if (level == RTLAB_LOG_ERROR)
		snprintf(logged, sizeof(logged), "%s", msg);
}

/* setup - a fresh run store and a context whose errors are kept. */
static void setup(void)
{
	struct rtlab_store *st;

	temp_dir(dir, sizeof(dir), "ftrace-mat");
	cr_assert_eq(rtlab_store_create(dir, &st), 0);
	snprintf(db_path, sizeof(db_path), "%s", rtlab_store_path(st));
	rtlab_store_close(st);
	ctx = rtlab_ctx_new();
	cr_assert_not_null(ctx);
	rtlab_ctx_set_log_fn(ctx, on_log, NULL, RTLAB_LOG_DEBUG);
	logged[0] = '\0';
}

/* teardown - the folder and the context. */
static void teardown(void)
{
	rmtree(dir);
	rtlab_ctx_free(ctx);
}

/* put_event - one test_ev (pid, val, comm) @delta ns after the last, at @p; its length. */
static size_t put_event(unsigned char *p, uint32_t delta, int32_t pid, int32_t val,
			const char *comm)
{
	uint32_t hdr = (delta << 5) | (32 / 4);	/* type_len 8: 32 bytes of data */
	uint16_t type = 42;

	memset(p, 0, 36);
	memcpy(p, &hdr, 4);
	memcpy(p + 4, &type, 2);
	memcpy(p + 8, &pid, 4);
	memcpy(p + 12, comm, strlen(comm));
	memcpy(p + 28, &val, 4);
	memcpy(p + 32, &pid, 4);
	return 36;
}

/* make_page - a sub-buffer with @n events 10 ns apart, from T0 + 10; its length. */
static size_t make_page(unsigned char *page, int n)
{
	uint64_t ts = T0, commit = 0;

	memset(page, 0, 4096);
	memcpy(page, &ts, 8);
	for (int i = 0; i < n; i++)
		commit += put_event(page + 16 + commit, 10, 77, i, "tester");
	memcpy(page + 8, &commit, 8);
	return 16 + (size_t)commit;
}

/* store_recording - meta, the format and @npages copies of a 3-event page (len @len). */
static void store_recording(const char *fmt, int npages, size_t len, uint64_t keep_ns)
{
	static const char *const meta[][2] = {
		{ FTRACE_META_LONG_SIZE, "8" }, { FTRACE_META_BIG_ENDIAN, "0" },
		{ FTRACE_META_PAGE_SIZE, "4096" }, { FTRACE_META_NCPUS, "2" },
		{ FTRACE_META_CMDLINES, "77 from-cmdlines\n" },
	};
	unsigned char page[4096];
	struct ftrace_db *db;
	char keep[24];
	size_t full = make_page(page, 3);

	cr_assert_eq(ftrace_db_open(NULL, db_path, true, &db), 0);
	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		cr_assert_eq(ftrace_db_meta(db, meta[i][0], meta[i][1]), 0);
	cr_assert_eq(ftrace_db_meta(db, FTRACE_META_HEADER_PAGE, header_page), 0);
	snprintf(keep, sizeof(keep), "%llu", (unsigned long long)keep_ns);
	cr_assert_eq(ftrace_db_meta(db, FTRACE_META_KEEP_NS, keep), 0);
	if (fmt)
		cr_assert_eq(ftrace_db_format(db, "test", "test_ev", 42, fmt), 0);
	for (int i = 0; i < npages; i++)
		cr_assert_eq(ftrace_db_page(db, i % 2, (uint64_t)i, page, len ? len : full), 0);
	cr_assert_eq(ftrace_db_commit(db), 0);
	ftrace_db_close(db);
}

/* exec - run @sql on the store. */
static void exec(const char *sql)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sql);
	sqlite3_close(db);
}

/* refused - materialize fails with -EBADMSG naming @what, and writes nothing. */
static void refused(const char *what)
{
	uint64_t n = 99;

	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, &n), -EBADMSG);
	cr_assert_eq(n, 0);
	cr_assert(strstr(logged, what), "'%s' does not name '%s'", logged, what);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event"), 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_meta WHERE key = 'materialized'"), 0);
}

TestSuite(ftrace_materialize, .init = setup, .fini = teardown);

Test(ftrace_materialize, pages_into_rows_once)
{
	char buf[256];
	uint64_t n = 0;

	store_recording(format, 2, 0, 0);
	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, &n), 0, "%s", logged);
	cr_assert_eq(n, 6);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event WHERE event = 'test:test_ev'"
			    " AND pid = 77 AND comm = 'tester'"), 6);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event WHERE cpu = 1"), 3);
	cr_assert_eq(db_i64(dir, "SELECT min(t_ns) FROM trace_event"), (int64_t)T0 + 10);
	cr_assert_eq(db_i64(dir, "SELECT max(t_ns) FROM trace_event"), (int64_t)T0 + 30);
	cr_assert_str_eq(db_text(dir, "SELECT fields FROM trace_event ORDER BY rowid LIMIT 1",
				 buf, sizeof(buf)), "{\"comm\":\"tester\",\"val\":0,\"pid\":77}");
	cr_assert_str_eq(db_text(dir, "SELECT value FROM trace_meta WHERE key = 'materialized'",
				 buf, sizeof(buf)), "6");
	/* Once only: a second call writes nothing. */
	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event"), 6);
}

Test(ftrace_materialize, comm_from_saved_cmdlines)
{
	char buf[64];

	store_recording(format, 1, 0, 0);
	/* An event that names no task: the name comes from saved_cmdlines. */
	exec("UPDATE trace_format SET format = replace(format, 'char comm[16]',"
	     " 'char name[16]')");
	cr_assert_eq(rtlab_ftrace_materialize(db_path, NULL, NULL), 0);
	cr_assert_str_eq(db_text(dir, "SELECT comm FROM trace_event LIMIT 1", buf, sizeof(buf)),
			 "from-cmdlines");
}

Test(ftrace_materialize, windows_keep_their_events_only)
{
	char sql[128];

	store_recording(format, 1, 0, 5);
	snprintf(sql, sizeof(sql), "INSERT INTO trace_window VALUES (%llu, %llu, 'spike')",
		 (unsigned long long)T0 + 18, (unsigned long long)T0 + 22);
	exec(sql);
	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, NULL), 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event"), 1);
	cr_assert_eq(db_i64(dir, "SELECT t_ns FROM trace_event"), (int64_t)T0 + 20);
}

Test(ftrace_materialize, keep_mode_without_windows_keeps_nothing)
{
	store_recording(format, 1, 0, 5);
	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, NULL), 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event"), 0);
}

Test(ftrace_materialize, no_recording_is_nothing_to_do)
{
	uint64_t n = 9;

	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM sqlite_master WHERE name = 'trace_event'"),
		     0, "a run without a recording is left alone");
	cr_assert_eq(rtlab_ftrace_materialize("/nonexistent/run.db", ctx, NULL), -ENOENT);
}

Test(ftrace_materialize, unknown_event_type_counted_as_unparsed)
{
	store_recording(format, 1, 0, 0);
	exec("UPDATE trace_format SET format = replace(format, 'ID: 42', 'ID: 43'), id = 43");
	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, NULL), 0, "%s", logged);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event"), 0);
	cr_assert_eq(db_i64(dir, "SELECT count FROM trace_lost WHERE source = 'ftrace unparsed'"
			    " AND cpu = 0"), 3);
}

Test(ftrace_materialize, truncated_page_refused)
{
	store_recording(format, 2, 60, 0);
	refused("trace_page cpu 0 seq 0");
	cr_assert(strstr(logged, "44"), "%s", logged);
}

Test(ftrace_materialize, page_shorter_than_its_header_refused)
{
	store_recording(format, 1, 10, 0);
	refused("shorter than the 16-byte sub-buffer header");
}

Test(ftrace_materialize, event_past_the_page_refused)
{
	unsigned char page[4096];
	uint32_t hdr = 0, len = 4000;	/* type_len 0: the length follows, past the page */
	uint64_t commit = 12;
	struct ftrace_db *db;

	store_recording(format, 0, 0, 0);
	memset(page, 0, sizeof(page));
	memcpy(page + 8, &commit, 8);
	memcpy(page + 16, &hdr, 4);
	memcpy(page + 20, &len, 4);
	cr_assert_eq(ftrace_db_open(NULL, db_path, true, &db), 0);
	cr_assert_eq(ftrace_db_page(db, 0, 0, page, 28), 0);
	cr_assert_eq(ftrace_db_commit(db), 0);
	ftrace_db_close(db);
	refused("an event runs past the end of the page");
}

Test(ftrace_materialize, page_of_no_cpu_refused)
{
	store_recording(format, 1, 0, 0);
	exec("UPDATE trace_page SET cpu = 7");
	refused("trace_page cpu 7 seq 0: no such CPU");
}

Test(ftrace_materialize, corrupt_format_refused)
{
	store_recording("name: test_ev\nID: x\nformat:\n\tfield:int", 1, 0, 0);
	refused("trace_format test:test_ev");
}

Test(ftrace_materialize, format_of_another_event_refused)
{
	store_recording(format, 1, 0, 0);
	exec("UPDATE trace_format SET name = 'other_ev'");
	refused("trace_format test:other_ev");
}

Test(ftrace_materialize, missing_format_refused)
{
	store_recording(NULL, 1, 0, 0);
	refused("no event format stored");
}

Test(ftrace_materialize, bad_meta_refused)
{
	store_recording(format, 1, 0, 0);
	exec("UPDATE trace_meta SET value = '5' WHERE key = 'long_size'");
	refused("'long_size'");
	exec("UPDATE trace_meta SET value = '8' WHERE key = 'long_size'");
	exec("DELETE FROM trace_meta WHERE key = 'header_page'");
	refused("'header_page': missing");
	exec("DELETE FROM trace_meta");
	refused("trace_meta: empty, but trace_page holds pages");
}
