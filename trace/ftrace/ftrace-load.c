/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-load.c - the parser of a stored recording: meta, formats and windows from run.db. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>

#include "ftrace-internal.h"

#define COMMIT_MASK ((1u << 27) - 1)	/* the sub-buffer's commit field: its data length */
#define PAGE_SIZE_MAX (1024 * 1024)
#define NCPUS_MAX 8192

/* bad - log what is wrong with the stored recording; returns -EBADMSG. */
static int bad(const struct rtlab_ctx *ctx, const char *what, const char *why)
{
	return rtlab_err(ctx, -EBADMSG, "run.db: %s: %s", what, why);
}

/* meta_text - trace_meta @key, malloc'd into *@ret (NULL when missing); 0 or -errno. */
static int meta_text(struct ftrace_db *db, const char *key, char **ret, size_t *ret_len)
{
	sqlite3_stmt *st;
	int rc;

	*ret = NULL;
	if (sqlite3_prepare_v2(ftrace_db_sqlite(db), "SELECT value FROM trace_meta WHERE key = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -ENODATA;	/* no trace_meta: nothing was recorded */
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);

		*ret = malloc(n + 1);
		if (*ret) {
			memcpy(*ret, sqlite3_column_text(st, 0), n);
			(*ret)[n] = '\0';
			if (ret_len)
				*ret_len = n;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -EIO;
	return rc == SQLITE_ROW && !*ret ? -ENOMEM : 0;
}

/* meta_u64 - trace_meta @key as a number in [@lo, @hi]; -EBADMSG (logged) otherwise. */
static int meta_u64(const struct rtlab_ctx *ctx, struct ftrace_db *db, const char *key,
		    uint64_t lo, uint64_t hi, uint64_t *ret)
{
	char what[64], *s;
	int r = meta_text(db, key, &s, NULL);

	if (r < 0)
		return r;
	snprintf(what, sizeof(what), "trace_meta '%s'", key);
	if (!s)
		return bad(ctx, what, "missing");
	r = rtlab_parse_u64(s, ret);
	free(s);
	if (r < 0 || *ret < lo || *ret > hi)
		return bad(ctx, what, "not a number in range");
	return 0;
}

/* load_header - the sub-buffer header format, long size, endianness, page size. */
static int load_header(const struct rtlab_ctx *ctx, struct ftrace_db *db, struct ftrace_loaded *l)
{
	uint64_t long_size, big, page, ncpus;
	size_t len = 0;
	char *hp;
	int r;

	r = meta_u64(ctx, db, FTRACE_META_LONG_SIZE, 4, 8, &long_size);
	if (r >= 0 && long_size != 4 && long_size != 8)
		r = bad(ctx, "trace_meta 'long_size'", "neither 4 nor 8");
	if (r >= 0)
		r = meta_u64(ctx, db, FTRACE_META_BIG_ENDIAN, 0, 1, &big);
	if (r >= 0)
		r = meta_u64(ctx, db, FTRACE_META_PAGE_SIZE, 64, PAGE_SIZE_MAX, &page);
	if (r >= 0)
		r = meta_u64(ctx, db, FTRACE_META_NCPUS, 1, NCPUS_MAX, &ncpus);
	if (r >= 0)
		r = meta_u64(ctx, db, FTRACE_META_KEEP_NS, 0, UINT64_MAX, &l->keep_ns);
	if (r >= 0)
		r = meta_text(db, FTRACE_META_HEADER_PAGE, &hp, &len);
	if (r < 0)
		return r;
	if (!hp)
		return bad(ctx, "trace_meta 'header_page'", "missing");
	tep_set_file_bigendian(l->tep, big ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_long_size(l->tep, (int)long_size);
	tep_set_page_size(l->tep, (int)page);
	r = tep_parse_header_page(l->tep, hp, len, (int)long_size);
	free(hp);
	if (r < 0)
		return bad(ctx, "trace_meta 'header_page'", "not a ring-buffer header format");
	l->page_size = (size_t)page;
	l->ncpus = (int)ncpus;
	l->kb = kbuffer_alloc(long_size == 4 ? KBUFFER_LSIZE_4 : KBUFFER_LSIZE_8,
			      big ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE);
	return l->kb ? 0 : -ENOMEM;
}

/* load_formats - every trace_format row parsed; the id in the row must be the format's. */
static int load_formats(const struct rtlab_ctx *ctx, struct ftrace_db *db, struct ftrace_loaded *l)
{
	sqlite3_stmt *st;
	int rc, n = 0, r = 0;

	if (sqlite3_prepare_v2(ftrace_db_sqlite(db), "SELECT system, name, id, format"
			       " FROM trace_format ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return bad(ctx, "trace_format", "the table is missing");
	while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sys = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *fmt = (const char *)sqlite3_column_text(st, 3);
		int id = sqlite3_column_int(st, 2);
		struct tep_event *ev;
		char what[160];

		snprintf(what, sizeof(what), "trace_format %s:%s", sys ? sys : "?",
			 name ? name : "?");
		if (!sys || !name || !fmt) {
			r = bad(ctx, what, "a column is NULL");
			break;
		}
		if (tep_parse_event(l->tep, fmt, (unsigned long)sqlite3_column_bytes(st, 3), sys) !=
		    TEP_ERRNO__SUCCESS) {
			r = bad(ctx, what, "the format cannot be parsed");
			break;
		}
		ev = tep_find_event(l->tep, id);
		if (!ev || strcmp(ev->name, name) || strcmp(ev->system, sys))
			r = bad(ctx, what, "the format's name or ID differs from the row's");
		n++;
	}
	sqlite3_finalize(st);
	if (r >= 0 && !n)
		r = bad(ctx, "trace_format", "no event format stored");
	return r;
}

/* load_windows - trace_window rows, sorted and merged (breaktrace runs). */
static int load_windows(struct ftrace_db *db, struct ftrace_loaded *l)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(ftrace_db_sqlite(db), "SELECT start_ns, end_ns FROM trace_window"
			       " ORDER BY start_ns", -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t lo = (uint64_t)sqlite3_column_int64(st, 0);
		uint64_t hi = (uint64_t)sqlite3_column_int64(st, 1);

		if (l->nwin && lo <= l->win[l->nwin - 1].hi) {
			if (hi > l->win[l->nwin - 1].hi)
				l->win[l->nwin - 1].hi = hi;
			continue;
		}
		if (l->nwin == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct ftrace_window *w = realloc(l->win, ncap * sizeof(*w));

			if (!w) {
				sqlite3_finalize(st);
				return -ENOMEM;
			}
			l->win = w;
			cap = ncap;
		}
		l->win[l->nwin++] = (struct ftrace_window){ lo, hi };
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* count_rows - the rows of @table (-EIO when it cannot be read). */
static int64_t count_rows(struct ftrace_db *db, const char *table)
{
	char sql[64];
	sqlite3_stmt *st;
	int64_t n = -EIO;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(ftrace_db_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* recorded - -ENODATA when the tables hold no recording (opened, never stopped). */
static int recorded(const struct rtlab_ctx *ctx, struct ftrace_db *db)
{
	int64_t meta = count_rows(db, "trace_meta"), pages = count_rows(db, "trace_page");

	if (meta < 0 || pages < 0)
		return rtlab_err(ctx, -EIO, "run.db: the trace tables cannot be read: %s",
				 sqlite3_errmsg(ftrace_db_sqlite(db)));
	if (meta > 0)
		return 0;
	return pages ? bad(ctx, "trace_meta", "empty, but trace_page holds pages") : -ENODATA;
}

/* ftrace_load - header, formats, saved cmdlines, windows. */
int ftrace_load(const struct rtlab_ctx *ctx, struct ftrace_db *db, struct ftrace_loaded *ret)
{
	struct ftrace_loaded l = { .tep = tep_alloc() };
	char *cmdlines = NULL;
	int r;

	if (!l.tep)
		return -ENOMEM;
	r = recorded(ctx, db);
	if (r >= 0)
		r = load_header(ctx, db, &l);
	if (r >= 0)
		r = load_formats(ctx, db, &l);
	if (r >= 0)
		r = meta_text(db, FTRACE_META_CMDLINES, &cmdlines, NULL);
	if (r >= 0 && cmdlines && tep_parse_saved_cmdlines(l.tep, cmdlines) < 0)
		r = bad(ctx, "trace_meta 'saved_cmdlines'", "not \"PID COMM\" lines");
	free(cmdlines);
	if (r >= 0)
		r = load_windows(db, &l);
	if (r < 0) {
		ftrace_loaded_free(&l);
		return r;
	}
	*ret = l;
	return 0;
}

/* ftrace_loaded_free - the parser's parts. */
void ftrace_loaded_free(struct ftrace_loaded *l)
{
	if (l->kb)
		kbuffer_free(l->kb);
	tep_free(l->tep);
	free(l->win);
	*l = (struct ftrace_loaded){ 0 };
}

/* first_ending_after - the first of the merged windows whose end is >= @t. */
static size_t first_ending_after(const struct ftrace_window *w, size_t n, uint64_t t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w[mid].hi < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ftrace_windows_has - @t_ns within a window. */
bool ftrace_windows_has(const struct ftrace_window *w, size_t n, uint64_t t_ns)
{
	return ftrace_windows_meet(w, n, t_ns, t_ns);
}

/* ftrace_windows_meet - [@lo, @hi] overlaps a window. */
bool ftrace_windows_meet(const struct ftrace_window *w, size_t n, uint64_t lo, uint64_t hi)
{
	size_t i = first_ending_after(w, n, lo);

	return i < n && w[i].lo <= hi;
}

/* read_le_be - @n bytes at @p as a number of the given byte order. */
static uint64_t read_le_be(const unsigned char *p, size_t n, bool big)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	return v;
}

/* ftrace_page_check - the time stamp and commit header fit, and the commit fits the blob. */
int ftrace_page_check(const void *page, size_t len, size_t page_size, int long_size,
		      bool big_endian, char *why, size_t size)
{
	size_t hdr = 8 + (size_t)long_size;
	uint64_t commit;

	if (len > page_size) {
		snprintf(why, size, "%zu bytes, more than the %zu-byte sub-buffer", len, page_size);
		return -EBADMSG;
	}
	if (len < hdr) {
		snprintf(why, size, "%zu bytes, shorter than the %zu-byte sub-buffer header", len,
			 hdr);
		return -EBADMSG;
	}
	commit = read_le_be((const unsigned char *)page + 8, (size_t)long_size, big_endian) &
		 COMMIT_MASK;
	if (commit > len - hdr) {
		snprintf(why, size, "its header says %" PRIu64 " bytes of events, the blob holds "
			 "%zu", commit, len - hdr);
		return -EBADMSG;
	}
	return 0;
}
