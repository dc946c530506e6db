/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-store.c - at stop: lost counts, windows, formats, meta and the kept raw pages. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>
#include <tracefs/tracefs.h>

#include "ftrace-internal.h"

/* What storing the pages carries. */
struct store_state {
	struct rtlab_ftrace *f;
	struct ftrace_db *db;
	uint64_t seq;
	struct ftrace_event *last;	/* the event type last seen */
};

/* store_lost - per CPU: the kernel's overrun and dropped counts. */
static int store_lost(struct rtlab_ftrace *f, struct ftrace_db *db)
{
	int r = 0;

	for (int cpu = 0; cpu < f->ncpus && r >= 0; cpu++) {
		char file[64], *text;
		uint64_t over = 0, drop = 0;

		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		text = tracefs_instance_file_read(f->inst, file, NULL);
		if (!text || ftrace_stats_parse(text, &over, &drop) < 0)
			rtlab_log(f->ctx, RTLAB_LOG_WARN, "ftrace: %s/%s: no overrun count",
				  f->inst_dir, file);
		free(text);
		f->st.events_lost += over + drop;
		r = ftrace_db_lost(db, cpu, "ftrace overrun", over);
		if (r >= 0)
			r = ftrace_db_lost(db, cpu, "ftrace dropped", drop);
	}
	return r;
}

/* store_windows - the merged spike windows as trace_window rows (keep mode only). */
static int store_windows(struct rtlab_ftrace *f, struct ftrace_db *db)
{
	for (size_t i = 0; i < f->nwin; i++) {
		int r = ftrace_db_window(db, f->win[i].lo, f->win[i].hi, f->reason);

		if (r < 0)
			return r;
	}
	f->st.windows = f->nwin;
	return 0;
}

/* meta_file - tracefs file @file (below the tracing dir) as trace_meta @key. */
static int meta_file(struct rtlab_ftrace *f, struct ftrace_db *db, const char *key,
		     const char *file)
{
	char *text = ftrace_fs_read(f->tracing_dir, file, NULL);
	int r;

	if (!text)
		return rtlab_err(f->ctx, -errno, "ftrace: %s/%s: %s", f->tracing_dir, file,
				 strerror(errno));
	r = ftrace_db_meta(db, key, text);
	free(text);
	return r;
}

/* meta_u64 - a number as trace_meta @key. */
static int meta_u64(struct ftrace_db *db, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return ftrace_db_meta(db, key, buf);
}

/* store_meta - what libtraceevent needs to parse the pages later. */
static int store_meta(struct rtlab_ftrace *f, struct ftrace_db *db)
{
	int r = ftrace_db_meta(db, FTRACE_META_HEADER_PAGE, f->header_page);

	if (r >= 0)
		r = meta_u64(db, FTRACE_META_LONG_SIZE, (uint64_t)tep_get_long_size(f->tep));
	if (r >= 0)
		r = meta_u64(db, FTRACE_META_BIG_ENDIAN, tep_is_file_bigendian(f->tep) ? 1 : 0);
	if (r >= 0)
		r = meta_u64(db, FTRACE_META_PAGE_SIZE, f->spool.page_size);
	if (r >= 0)
		r = meta_u64(db, FTRACE_META_NCPUS, (uint64_t)f->ncpus);
	if (r >= 0)
		r = meta_u64(db, FTRACE_META_KEEP_NS, f->keep_ns);
	if (r >= 0)
		r = meta_file(f, db, FTRACE_META_CMDLINES, "saved_cmdlines");
	return r;
}

/* store_formats - each recorded event's format, as read at open. */
static int store_formats(struct rtlab_ftrace *f, struct ftrace_db *db)
{
	for (size_t i = 0; i < f->nevs; i++) {
		const struct ftrace_event *e = &f->evs[i];
		int r = ftrace_db_format(db, e->system, e->name, e->id, e->format);

		if (r < 0)
			return r;
	}
	return 0;
}

/* event_of - our entry for event id @id (the last one is cached), or NULL. */
static struct ftrace_event *event_of(struct store_state *ss, int id)
{
	struct rtlab_ftrace *f = ss->f;

	if (ss->last && ss->last->id == id)
		return ss->last;
	for (size_t i = 0; i < f->nevs; i++)
		if (f->evs[i].id == id)
			return ss->last = &f->evs[i];
	return NULL;
}

/* count_page - the events of a page by type (those a parse will keep). */
static void count_page(struct store_state *ss, void *page)
{
	struct rtlab_ftrace *f = ss->f;
	unsigned long long ts = 0;

	if (kbuffer_load_subbuffer(f->kb, page) < 0)
		return;
	for (void *d = kbuffer_read_event(f->kb, &ts); d; d = kbuffer_next_event(f->kb, &ts)) {
		struct tep_record rec = { .ts = ts, .data = d, .size = kbuffer_event_size(f->kb) };
		struct ftrace_event *e = event_of(ss, tep_data_type(f->tep, &rec));

		if (!e) {
			f->st.events_lost++;	/* stored as 'ftrace unparsed' by the parse */
			continue;
		}
		f->st.events_read++;
		if (!f->keep_ns || ftrace_windows_has(f->win, f->nwin, ts))
			e->count++;
	}
}

/* store_page - one kept page: counted, then a trace_page row; pages outside windows skipped. */
static int store_page(const struct ftrace_page_hdr *h, void *page, void *data)
{
	struct store_state *ss = data;
	struct rtlab_ftrace *f = ss->f;

	if (h->cpu >= (uint32_t)f->ncpus)
		return 0;
	if (f->keep_ns && !ftrace_windows_meet(f->win, f->nwin, h->t_first, h->t_last)) {
		f->pages_dropped++;
		return 0;
	}
	count_page(ss, page);
	return ftrace_db_page(ss->db, (int)h->cpu, ss->seq++, page, h->len);
}

/* ftrace_store_all - lost counts, windows, meta, formats, pages; one commit at the end. */
int ftrace_store_all(struct rtlab_ftrace *f, struct ftrace_db *db)
{
	struct store_state ss = { .f = f, .db = db };
	int r = ftrace_db_begin_bulk(db);

	if (r >= 0)
		r = store_lost(f, db);

	if (r >= 0)
		r = store_windows(f, db);
	if (r >= 0)
		r = store_meta(f, db);
	if (r >= 0)
		r = store_formats(f, db);
	if (r >= 0)
		r = ftrace_spool_each(&f->spool, store_page, &ss);
	if (r >= 0)
		r = ftrace_db_commit(db);
	else
		(void)ftrace_db_commit(db);	/* what could be stored is stored */
	return r;
}
