/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corr-probe.c - a spike's CPU time counters (node_cpu_seconds_total{cpu,mode})
 * from the last probe sample before its gap to the first after it.
 */
#include <errno.h>
#include <stdio.h>

#include "correlate/correlate-internal.h"
#include "store/store-internal.h"

/* The last valid sample at or before ?2, and the first at or after ?3, of metric ?1. */
static const char *const sample_sql[2] = {
	"SELECT t_ns, value FROM probe_sample WHERE metric = ?1 AND t_ns <= ?2 AND state = 0"
	" AND value IS NOT NULL ORDER BY t_ns DESC LIMIT 1",
	"SELECT t_ns, value FROM probe_sample WHERE metric = ?1 AND t_ns >= ?3 AND state = 0"
	" AND value IS NOT NULL ORDER BY t_ns LIMIT 1",
};

/* metric_id - the id of node_cpu_seconds_total{cpu="@cpu",mode="@mode"}: 0, -ENOENT, -EIO. */
static int metric_id(sqlite3 *db, int cpu, const char *mode, int64_t *ret)
{
	char labels[96];
	sqlite3_stmt *st;
	int r = -ENOENT, rc;

	snprintf(labels, sizeof(labels), "cpu=\"%d\",mode=\"%s\"", cpu, mode);
	if (sqlite3_prepare_v2(db, "SELECT id FROM probe_metric WHERE name ="
			       " 'node_cpu_seconds_total' AND labels = ?1", -1, &st,
			       NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, labels, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ret = sqlite3_column_int64(st, 0);
		r = 0;
	} else if (rc != SQLITE_DONE) {
		r = -EIO;
	}
	sqlite3_finalize(st);
	return r;
}

/* sample - run @st for @id around [@from_ns, @to_ns]: the time and value (seconds). */
static int sample(sqlite3_stmt *st, int64_t id, uint64_t from_ns, uint64_t to_ns,
		  uint64_t *ret_t, double *ret_v)
{
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (int64_t)from_ns);
	sqlite3_bind_int64(st, 3, (int64_t)to_ns);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ret_t = (uint64_t)sqlite3_column_int64(st, 0);
		*ret_v = sqlite3_column_double(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -EIO;
}

/* counter - one mode's delta across the gap of @s, through the statements @st. */
static int counter(sqlite3 *db, sqlite3_stmt *const *st, struct rtlab_corr_spike *s,
		   enum rtlab_corr_counter c)
{
	struct rtlab_corr_delta *d = &s->counters[c];
	double v[2] = { 0, 0 };
	uint64_t t[2] = { 0, 0 };
	int64_t id;
	int r = metric_id(db, s->cpu, rtlab_corr_counter_name(c), &id), found = 0;

	if (r == -ENOENT)
		return 0;
	for (int i = 0; r >= 0 && i < 2; i++) {
		r = sample(st[i], id, s->programmed_ns, s->t_ns, &t[i], &v[i]);
		found += r > 0;
	}
	if (r < 0)
		return r;
	if (found == 2) {
		d->known = true;
		d->delta_ns = (int64_t)((v[1] - v[0]) * 1e9 + (v[1] >= v[0] ? 0.5 : -0.5));
		d->before_ns = t[0];
		d->after_ns = t[1];
	}
	return 0;
}

/* corr_counters_read - every counter of the spike's CPU, when the probe recorded it. */
int corr_counters_read(sqlite3 *db, struct rtlab_corr_spike *s)
{
	sqlite3_stmt *st[2] = { NULL, NULL };
	int r = 0;

	if (s->cpu < 0 || !store_has_table(db, "probe_metric") ||
	    !store_has_table(db, "probe_sample"))
		return 0;
	for (int i = 0; i < 2; i++)
		if (sqlite3_prepare_v2(db, sample_sql[i], -1, &st[i], NULL) != SQLITE_OK)
			r = -EIO;
	for (int c = 0; r == 0 && c < _RTLAB_CORR_COUNTER_MAX; c++)
		r = counter(db, st, s, (enum rtlab_corr_counter)c);
	sqlite3_finalize(st[0]);
	sqlite3_finalize(st[1]);
	return r;
}
