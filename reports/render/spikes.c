/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* spikes.c - the largest latencies of a run, with the probe values and events around them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render/render-internal.h"
#include "store/store-internal.h"

/* Within this distance of a spike, an event is "around" it. */
#define AROUND_NS RTLAB_NSEC_PER_SEC

/* The two queries of a probe value next to a time: the last before, the first after. */
static const char *const nearest_sql[2] = {
	"SELECT t_ns, value FROM probe_sample WHERE metric = ?1 AND t_ns <= ?2 AND state = 0"
	" AND value IS NOT NULL ORDER BY t_ns DESC LIMIT 1",
	"SELECT t_ns, value FROM probe_sample WHERE metric = ?1 AND t_ns > ?2 AND state = 0"
	" AND value IS NOT NULL ORDER BY t_ns LIMIT 1",
};

/* col_copy - text column @i into @buf ("" for NULL). */
static void col_copy(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(buf, size, "%s", t ? (const char *)t : "");
}

/* read_top - the @n largest latency rows into @sp; their number in *@ret_n. */
static int read_top(sqlite3 *db, size_t n, struct rtlab_spike *sp, size_t *ret_n)
{
	static const char sql[] =
		"SELECT l.t_ns, l.task, t.name, l.cpu, l.latency_ns FROM latency l"
		" LEFT JOIN task t ON t.id = l.task ORDER BY l.latency_ns DESC, l.t_ns LIMIT ?";
	sqlite3_stmt *st;
	size_t k = 0;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(st, 1, (int64_t)n);
	while (k < n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rtlab_spike *s = &sp[k++];

		s->t_ns = (uint64_t)sqlite3_column_int64(st, 0);
		s->task = (uint32_t)sqlite3_column_int64(st, 1);
		col_copy(st, 2, s->task_name, sizeof(s->task_name));
		if (!s->task_name[0])
			snprintf(s->task_name, sizeof(s->task_name), "task %u", s->task);
		s->cpu = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
								       sqlite3_column_int(st, 3);
		s->latency_ns = (uint64_t)sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (k < n && rc != SQLITE_DONE)
		return -EIO;
	*ret_n = k;
	return 0;
}

/* nearest - run @st (one of nearest_sql) for @metric at @t_ns: the value, scaled. */
static bool nearest(sqlite3_stmt *st, int64_t metric, uint64_t t_ns, double scale,
		    double *ret_v, uint64_t *ret_t)
{
	bool found;

	sqlite3_bind_int64(st, 1, metric);
	sqlite3_bind_int64(st, 2, (int64_t)t_ns);
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		*ret_t = (uint64_t)sqlite3_column_int64(st, 0);
		*ret_v = sqlite3_column_double(st, 1) * scale;
	}
	sqlite3_reset(st);
	return found;
}

/* read_around - the spike probes just before and after each spike. */
static int read_around(sqlite3 *db, struct rtlab_spike *sp, size_t n)
{
	sqlite3_stmt *st[2] = { NULL, NULL };
	int r = 0;

	for (int i = 0; i < 2; i++)
		if (sqlite3_prepare_v2(db, nearest_sql[i], -1, &st[i], NULL) != SQLITE_OK)
			r = -EIO;
	for (size_t p = 0; r == 0 && p < _RTLAB_SPIKE_PROBE_MAX; p++) {
		const struct render_metric *m = render_metric_get(p);
		int64_t id;
		int q = render_metric_id(db, m, &id);

		if (q == -ENOENT)
			continue;
		r = q;
		for (size_t i = 0; r == 0 && i < n; i++) {
			struct rtlab_spike_value *v = &sp[i].around[p];

			v->has_before = nearest(st[0], id, sp[i].t_ns, m->scale, &v->before,
						&v->before_ns);
			v->has_after = nearest(st[1], id, sp[i].t_ns, m->scale, &v->after,
					       &v->after_ns);
		}
	}
	sqlite3_finalize(st[0]);
	sqlite3_finalize(st[1]);
	return r;
}

/* cmp_event - by time, for qsort. */
static int cmp_event(const void *a, const void *b)
{
	const struct rtlab_spike_event *x = a, *y = b;

	return (x->t_ns > y->t_ns) - (x->t_ns < y->t_ns);
}

/* read_events - the nearest events within AROUND_NS of each spike. */
static int read_events(sqlite3 *db, struct rtlab_spike *sp, size_t n)
{
	static const char sql[] =
		"SELECT t_ns, kind, text FROM event WHERE t_ns BETWEEN ?1 AND ?2"
		" ORDER BY abs(t_ns - ?3), t_ns";
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	for (size_t i = 0; i < n; i++) {
		struct rtlab_spike *s = &sp[i];

		sqlite3_bind_int64(st, 1, (int64_t)(s->t_ns > AROUND_NS ? s->t_ns - AROUND_NS : 0));
		sqlite3_bind_int64(st, 2, (int64_t)(s->t_ns + AROUND_NS));
		sqlite3_bind_int64(st, 3, (int64_t)s->t_ns);
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct rtlab_spike_event *e;

			s->events_total++;
			if (s->nevents == RTLAB_SPIKE_EVENTS)
				continue;
			e = &s->events[s->nevents];
			e->t_ns = (uint64_t)sqlite3_column_int64(st, 0);
			col_copy(st, 1, e->kind, sizeof(e->kind));
			col_copy(st, 2, e->text, sizeof(e->text));
			s->nevents++;
		}
		sqlite3_reset(st);
		qsort(s->events, s->nevents, sizeof(s->events[0]), cmp_event);
	}
	sqlite3_finalize(st);
	return 0;
}

/* render_spikes_have_probe - true if a spike has a probe value on either side. */
bool render_spikes_have_probe(const struct rtlab_spike *sp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t p = 0; p < _RTLAB_SPIKE_PROBE_MAX; p++)
			if (sp[i].around[p].has_before || sp[i].around[p].has_after)
				return true;
	return false;
}

/* rtlab_spikes_read - the top @n latencies with what surrounded them. */
int rtlab_spikes_read(struct rtlab_store *store, size_t n, struct rtlab_spike **ret,
		      size_t *ret_n)
{
	sqlite3 *db = rtlab_store_db(store);
	struct rtlab_spike *sp;
	size_t k = 0;
	int r;

	*ret = NULL;
	*ret_n = 0;
	if (!n)
		return 0;
	sp = calloc(n, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	r = read_top(db, n, sp, &k);
	if (r == 0 && k && store_has_table(db, "probe_metric") &&
	    store_has_table(db, "probe_sample"))
		r = read_around(db, sp, k);
	if (r == 0 && k)
		r = read_events(db, sp, k);
	if (r < 0 || !k) {
		free(sp);
		return r;
	}
	*ret = sp;
	*ret_n = k;
	return 0;
}
