/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corr-spikes.c - which spikes are explained (the largest, one per task per
 * window), what the run says about their task and trace, and the calls that
 * put a run's explained spikes together.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/correlate-internal.h"
#include "store/store-internal.h"

#define DEFAULT_SPIKES 5
#define MIN_WINDOW_NS (2 * RTLAB_NSEC_PER_MSEC)

/* window - the time line's length before spike @s: the option, or max(2 ms, 2 x latency). */
static uint64_t window(const struct rtlab_corr_opts *o, uint64_t latency_ns)
{
	uint64_t w = o && o->window_ns ? o->window_ns : 2 * latency_ns;

	if (!(o && o->window_ns) && w < MIN_WINDOW_NS)
		w = MIN_WINDOW_NS;
	/* It always holds the whole gap. */
	return w < latency_ns ? latency_ns : w;
}

/* overlaps - @s's window meets the window of a kept spike of the same task. */
static bool overlaps(const struct rtlab_corr_spike *kept, size_t n,
		     const struct rtlab_corr_spike *s)
{
	for (size_t i = 0; i < n; i++) {
		const struct rtlab_corr_spike *k = &kept[i];

		if (k->task == s->task && s->t_ns - s->window_ns <= k->t_ns &&
		    k->t_ns - k->window_ns <= s->t_ns)
			return true;
	}
	return false;
}

/* pick - the @n largest latency rows, one per task per window, into @sp; how many. */
static int pick(sqlite3 *db, const struct rtlab_corr_opts *o, struct rtlab_corr_spike *sp,
		size_t n, size_t *ret_n)
{
	static const char sql[] = "SELECT t_ns, task, cpu, latency_ns FROM latency"
				  " ORDER BY latency_ns DESC, t_ns";
	sqlite3_stmt *st;
	size_t k = 0;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	while (k < n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rtlab_corr_spike *s = &sp[k];

		memset(s, 0, sizeof(*s));
		s->t_ns = (uint64_t)sqlite3_column_int64(st, 0);
		s->task = (uint32_t)sqlite3_column_int64(st, 1);
		s->cpu = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 2);
		s->latency_ns = (uint64_t)sqlite3_column_int64(st, 3);
		if (s->latency_ns > s->t_ns)
			continue;
		s->programmed_ns = s->t_ns - s->latency_ns;
		s->window_ns = window(o, s->latency_ns);
		if (s->window_ns > s->t_ns)
			s->window_ns = s->t_ns;
		if (!overlaps(sp, k, s))
			k++;
	}
	sqlite3_finalize(st);
	if (k < n && rc != SQLITE_DONE)
		return -EIO;
	*ret_n = k;
	return 0;
}

/* kernel_prio - the kernel priority of a task row's policy and priority. */
static int kernel_prio(const char *policy, int prio)
{
	if (!policy)
		return RTLAB_CORR_PRIO_NONE;
	if (strcmp(policy, "fifo") == 0 || strcmp(policy, "rr") == 0)
		return 99 - prio;
	if (strcmp(policy, "deadline") == 0)
		return -1;
	return 120;
}

/* task_info - the task's name, thread and priority from its row. */
static int task_info(sqlite3 *db, struct rtlab_corr_spike *s)
{
	sqlite3_stmt *st;
	int rc;

	/* Schema 1 stores no thread id. */
	if (sqlite3_prepare_v2(db, "SELECT name, policy, priority, tid FROM task WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT name, policy, priority, 0 FROM task WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(st, 1, s->task);
	rc = sqlite3_step(st);
	s->task_prio = RTLAB_CORR_PRIO_NONE;
	if (rc == SQLITE_ROW) {
		corr_copy(s->task_name, sizeof(s->task_name),
			  (const char *)sqlite3_column_text(st, 0));
		s->task_prio = kernel_prio((const char *)sqlite3_column_text(st, 1),
					   sqlite3_column_int(st, 2));
		s->tid = (pid_t)sqlite3_column_int(st, 3);
	}
	if (!s->task_name[0])
		snprintf(s->task_name, sizeof(s->task_name), "task %u", s->task);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

/* query_i64 - column 0 of @sql's first row (?1, ?2 bound to @a, @b); @dflt when NULL/none. */
static int query_i64(sqlite3 *db, const char *sql, int64_t a, int64_t b, int64_t dflt,
		     int64_t *ret)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	*ret = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL ?
		       sqlite3_column_int64(st, 0) : dflt;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -EIO;
}

/* trace_info - whether the trace covers @s (breaktrace windows), its lost events. */
static int trace_info(sqlite3 *db, struct rtlab_corr_spike *s)
{
	int64_t windows = 0, in = 1, lost = 0;
	int r = 0;

	if (store_has_table(db, "trace_window")) {
		r = query_i64(db, "SELECT count(*) FROM trace_window", 0, 0, 0, &windows);
		if (r == 0 && windows)
			r = query_i64(db, "SELECT count(*) FROM trace_window WHERE start_ns <= ?1"
				      " AND end_ns >= ?2", (int64_t)s->programmed_ns,
				      (int64_t)s->t_ns, 0, &in);
	}
	if (r == 0 && store_has_table(db, "trace_lost"))
		r = query_i64(db, "SELECT sum(count) FROM trace_lost WHERE cpu = ?1 OR cpu IS NULL",
			      s->cpu, 0, 0, &lost);
	s->traced = in > 0;
	s->lost_events = (uint64_t)(lost > 0 ? lost : 0);
	return r;
}

/* explain - everything about spike @s. */
static int explain(sqlite3 *db, struct rtlab_corr_spike *s, bool run_traced, int max_cpu)
{
	int r = task_info(db, s);

	s->run_traced = run_traced;
	if (r == 0 && run_traced)
		r = trace_info(db, s);
	if (r == 0 && s->traced && s->cpu >= 0)
		r = corr_events_read(db, s, max_cpu);
	if (r == 0)
		r = corr_counters_read(db, s);
	if (r == 0)
		r = corr_verdict(s);
	return r;
}

/* rtlab_corr_read - pick, then explain each. */
int rtlab_corr_read(struct rtlab_store *store, const struct rtlab_corr_opts *opts,
		    struct rtlab_corr **ret)
{
	sqlite3 *db = rtlab_store_db(store);
	size_t want = opts && opts->spikes ? opts->spikes : DEFAULT_SPIKES;
	struct rtlab_corr *c = calloc(1, sizeof(*c));
	int64_t max_cpu = -1, any = 0;
	int r = 0;

	if (!c)
		return -ENOMEM;
	c->spikes = calloc(want, sizeof(*c->spikes));
	if (!c->spikes)
		r = -ENOMEM;
	if (r == 0 && store_has_table(db, "trace_event")) {
		r = query_i64(db, "SELECT count(*) FROM (SELECT 1 FROM trace_event LIMIT 1)", 0, 0,
			      0, &any);
		if (r == 0)
			r = query_i64(db, "SELECT max(cpu) FROM trace_event", 0, 0, -1, &max_cpu);
	}
	c->traced = any > 0;
	if (r == 0)
		r = pick(db, opts, c->spikes, want, &c->n);
	for (size_t i = 0; r == 0 && i < c->n; i++)
		r = explain(db, &c->spikes[i], c->traced, (int)max_cpu);
	if (r < 0) {
		rtlab_corr_free(c);
		return r;
	}
	*ret = c;
	return 0;
}

/* rtlab_corr_run - open the run, read, close. */
int rtlab_corr_run(const char *run, const struct rtlab_corr_opts *opts, struct rtlab_corr **ret,
		   char *err, size_t err_size)
{
	struct rtlab_store *st = NULL;
	int r = rtlab_store_open(run, false, &st);

	if (r < 0) {
		if (err && err_size)
			snprintf(err, err_size, "%s: %s", run, r == -EPROTO ?
				 "not a run (not an rtlab run store, or one from a newer rtlab)" :
				 strerror(-r));
		return r;
	}
	r = rtlab_corr_read(st, opts, ret);
	if (r < 0 && err && err_size)
		snprintf(err, err_size, "%s: explaining the spikes: %s", rtlab_store_path(st),
			 strerror(-r));
	rtlab_store_close(st);
	return r;
}

/* rtlab_corr_free - every spike's time line, the spikes, the whole. */
struct rtlab_corr *rtlab_corr_free(struct rtlab_corr *c)
{
	if (!c)
		return NULL;
	for (size_t i = 0; c->spikes && i < c->n; i++)
		free(c->spikes[i].items);
	free(c->spikes);
	free(c);
	return NULL;
}
