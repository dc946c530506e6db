/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-parse.c - rtlab_ftrace_materialize: the stored raw pages parsed into trace_event rows. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>

#include "ftrace-internal.h"

#define PAGE_SLACK 64		/* zeroed bytes after a page copy: kbuffer reads a little past */
#define NAME_CACHE 64		/* event types whose "system:name" is kept */

/* An event type's "system:name". */
struct event_name {
	const struct tep_event *ev;
	char full[2 * FTRACE_NAME_MAX];
};

/* What a materialize pass carries. */
struct parse_state {
	const struct rtlab_ctx *ctx;
	struct ftrace_loaded l;
	struct ftrace_db *db;
	struct ftrace_comms *comms;
	struct ftrace_buf json;
	unsigned char *page;		/* page_size + PAGE_SLACK */
	uint64_t *unparsed;		/* per CPU */
	uint64_t stored;
	struct event_name names[NAME_CACHE];
	size_t nnames;
};

/* name_of - "system:name" of @ev (a small cache: runs record a few event types). */
static const char *name_of(struct parse_state *ps, const struct tep_event *ev)
{
	struct event_name *n;

	for (size_t i = 0; i < ps->nnames; i++)
		if (ps->names[i].ev == ev)
			return ps->names[i].full;
	n = &ps->names[ps->nnames < NAME_CACHE ? ps->nnames++ : NAME_CACHE - 1];
	n->ev = ev;
	snprintf(n->full, sizeof(n->full), "%s:%s", ev->system, ev->name);
	return n->full;
}

/* comm_of - the name of @pid: learnt from the events, else the saved cmdlines. */
static const char *comm_of(struct parse_state *ps, int pid, int cpu, char *buf, size_t size)
{
	const char *c;

	if (pid == 0) {
		snprintf(buf, size, "swapper/%d", cpu);
		return buf;
	}
	c = ftrace_comms_get(ps->comms, pid);
	if (c)
		return c;
	c = tep_data_comm_from_pid(ps->l.tep, pid);
	return c && strcmp(c, "<...>") ? c : NULL;
}

/* store_event - one parsed event into trace_event (unless outside every window). */
static int store_event(struct parse_state *ps, struct tep_event *ev, struct tep_record *rec)
{
	char cbuf[32];
	int pid, r;

	if (ps->l.keep_ns && !ftrace_windows_has(ps->l.win, ps->l.nwin, rec->ts))
		return 0;
	r = ftrace_fields_json(&ps->json, ev, rec);
	if (r < 0)
		return r;
	pid = tep_data_pid(ps->l.tep, rec);
	r = ftrace_db_event(ps->db, rec->ts, rec->cpu, pid,
			    comm_of(ps, pid, rec->cpu, cbuf, sizeof(cbuf)), name_of(ps, ev),
			    ps->json.p);
	if (r >= 0)
		ps->stored++;
	return r;
}

/* page_bad - log a page that cannot be parsed; returns -EBADMSG. */
static int page_bad(const struct parse_state *ps, int cpu, int64_t seq, const char *why)
{
	return rtlab_err(ps->ctx, -EBADMSG, "run.db: trace_page cpu %d seq %" PRId64 ": %s", cpu,
			 seq, why);
}

/* parse_page - every event of one stored page. */
static int parse_page(struct parse_state *ps, int cpu, int64_t seq, const void *blob, size_t len)
{
	const unsigned char *end;
	unsigned long long ts = 0;
	char why[160];
	void *d;
	int r;

	if (cpu < 0 || cpu >= ps->l.ncpus)
		return page_bad(ps, cpu, seq, "no such CPU in this recording");
	r = ftrace_page_check(blob, len, ps->l.page_size, tep_get_long_size(ps->l.tep),
			      tep_is_file_bigendian(ps->l.tep), why, sizeof(why));
	if (r < 0)
		return page_bad(ps, cpu, seq, why);
	memset(ps->page + len, 0, ps->l.page_size + PAGE_SLACK - len);
	memcpy(ps->page, blob, len);
	end = ps->page + len;
	if (kbuffer_load_subbuffer(ps->l.kb, ps->page) < 0)
		return page_bad(ps, cpu, seq, "not a ring-buffer sub-buffer");
	for (d = kbuffer_read_event(ps->l.kb, &ts); d; d = kbuffer_next_event(ps->l.kb, &ts)) {
		struct tep_record rec = {
			.ts = ts, .data = d, .size = kbuffer_event_size(ps->l.kb), .cpu = cpu,
		};
		struct tep_event *ev;

		if (rec.size < 0 || (const unsigned char *)d + rec.size > end)
			return page_bad(ps, cpu, seq, "an event runs past the end of the page");
		ev = tep_find_event_by_record(ps->l.tep, &rec);
		if (!ev) {
			ps->unparsed[cpu]++;
			continue;
		}
		ftrace_comms_learn(ps->comms, ev, &rec);
		r = store_event(ps, ev, &rec);
		if (r < 0)
			return r;
	}
	return 0;
}

/* parse_pages - every trace_page row in the order the pages were read. */
static int parse_pages(struct parse_state *ps)
{
	sqlite3_stmt *st;
	int rc, r = 0;

	if (sqlite3_prepare_v2(ftrace_db_sqlite(ps->db), "SELECT cpu, seq, data FROM trace_page"
			       " ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
		return rtlab_err(ps->ctx, -EBADMSG, "run.db: trace_page: the table is missing");
	while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = parse_page(ps, sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1),
			       sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2));
	sqlite3_finalize(st);
	if (r >= 0 && rc != SQLITE_DONE)
		r = rtlab_err(ps->ctx, -EIO, "run.db: trace_page: cannot be read");
	return r;
}

/* store_unparsed - per CPU: the events whose format was not stored. */
static int store_unparsed(struct parse_state *ps)
{
	for (int cpu = 0; cpu < ps->l.ncpus; cpu++) {
		int r = ps->unparsed[cpu] ? ftrace_db_lost(ps->db, cpu, "ftrace unparsed",
							   ps->unparsed[cpu]) : 0;

		if (r < 0)
			return r;
	}
	return 0;
}

/* already_done - whether trace_meta says the pages were materialized (*ret). */
static int already_done(struct ftrace_db *db, bool *ret)
{
	sqlite3_stmt *st;
	int rc;

	*ret = false;
	if (sqlite3_prepare_v2(ftrace_db_sqlite(db), "SELECT 1 FROM trace_meta WHERE key = '"
			       FTRACE_META_MATERIALIZED "'", -1, &st, NULL) != SQLITE_OK)
		return -ENODATA;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	*ret = rc == SQLITE_ROW;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

/* materialize - in the open transaction: load, parse, store, mark done. */
static int materialize(struct parse_state *ps)
{
	char n[32];
	bool done;
	int r = already_done(ps->db, &done);

	if (r < 0 || done)
		return r;
	r = ftrace_load(ps->ctx, ps->db, &ps->l);
	if (r < 0)
		return r;
	ps->comms = ftrace_comms_new();
	ps->unparsed = calloc((size_t)ps->l.ncpus, sizeof(*ps->unparsed));
	ps->page = malloc(ps->l.page_size + PAGE_SLACK);
	if (!ps->comms || !ps->unparsed || !ps->page)
		return -ENOMEM;
	r = ftrace_db_index_drop(ps->db);
	if (r >= 0)
		r = parse_pages(ps);
	if (r >= 0)
		r = ftrace_db_index_make(ps->db);
	if (r >= 0)
		r = store_unparsed(ps);
	snprintf(n, sizeof(n), "%" PRIu64, ps->stored);
	return r >= 0 ? ftrace_db_meta(ps->db, FTRACE_META_MATERIALIZED, n) : r;
}

/* rtlab_ftrace_materialize - one transaction: all of it, or nothing. */
int rtlab_ftrace_materialize(const char *db_path, struct rtlab_ctx *ctx, uint64_t *ret_events)
{
	struct parse_state ps = { .ctx = ctx };
	int r;

	if (ret_events)
		*ret_events = 0;
	if (!db_path)
		return rtlab_err(ctx, -EINVAL, "ftrace: no run store path");
	r = ftrace_db_open(ctx, db_path, false, &ps.db);
	if (r < 0)
		return r == -ENODATA ? 0 : r;	/* no recording in this run: nothing to do */
	r = ftrace_db_begin_bulk(ps.db);
	if (r >= 0)
		r = materialize(&ps);
	if (r >= 0)
		r = ftrace_db_commit(ps.db);
	else
		ftrace_db_rollback(ps.db);
	if (r >= 0 && ret_events)
		*ret_events = ps.stored;
	if (r == -ENODATA)
		r = 0;	/* no recording in this run: nothing to do */
	ftrace_db_close(ps.db);
	ftrace_loaded_free(&ps.l);
	ftrace_comms_free(ps.comms);
	ftrace_buf_free(&ps.json);
	free(ps.unparsed);
	free(ps.page);
	return r;
}
