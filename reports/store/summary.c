/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* summary.c - a run read back: its facts and each task's latency figures, exact. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-internal.h"

/* The percentiles read, in the order of struct rtlab_task_summary's fields. */
static const double quantiles[] = { 0.50, 0.90, 0.99, 0.999, 0.9999 };
#define NQ (sizeof(quantiles) / sizeof(quantiles[0]))

/* col_text - column @i of the current row into @buf ("" if NULL). */
static void col_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(buf, size, "%s", t ? (const char *)t : "");
}

/* rtlab_store_db - the SQLite handle. */
struct sqlite3 *rtlab_store_db(struct rtlab_store *st)
{
	return st->db;
}

/* read_run - the run row. */
static int read_run(sqlite3 *db, struct rtlab_run_summary *s)
{
	static const char sql[] =
		"SELECT name, status, hostname, kernel, kernel_version, preempt, cpu_model,"
		" governor, rtlab_version, start_utc, scenario_hash, cmdline, ncpus, seed,"
		" start_ns, end_ns, duration_ns FROM run WHERE id = 1";
	sqlite3_stmt *st;
	int r = -EPROTO;

	if (store_prepare(db, sql, &st) < 0)
		return -EPROTO;
	if (sqlite3_step(st) == SQLITE_ROW) {
		char *const text[] = { s->name, s->status, s->hostname, s->kernel,
				       s->kernel_version, s->preempt, s->cpu_model, s->governor,
				       s->rtlab_version, s->start_utc, s->scenario_hash, s->cmdline };
		const size_t size[] = { sizeof(s->name), sizeof(s->status), sizeof(s->hostname),
					sizeof(s->kernel), sizeof(s->kernel_version),
					sizeof(s->preempt), sizeof(s->cpu_model), sizeof(s->governor),
					sizeof(s->rtlab_version), sizeof(s->start_utc),
					sizeof(s->scenario_hash), sizeof(s->cmdline) };

		for (int i = 0; i < 12; i++)
			col_text(st, i, text[i], size[i]);
		s->ncpus = sqlite3_column_int(st, 12);
		s->seed = (uint64_t)sqlite3_column_int64(st, 13);
		s->start_ns = (uint64_t)sqlite3_column_int64(st, 14);
		s->end_ns = (uint64_t)sqlite3_column_int64(st, 15);
		s->duration_ns = (uint64_t)sqlite3_column_int64(st, 16);
		r = 0;
	}
	sqlite3_finalize(st);
	return r;
}

/* read_tasks - the task rows (counters); "all" last, its counters the sums. */
static int read_tasks(sqlite3 *db, struct rtlab_run_summary *s)
{
	static const char sql[] =
		"SELECT id, name, policy, priority, period_ns, jobs, overruns, misses, lost"
		" FROM task ORDER BY id";
	sqlite3_stmt *st;
	struct rtlab_task_summary *all;
	size_t cap = 8;

	s->tasks = calloc(cap, sizeof(*s->tasks));
	if (!s->tasks || store_prepare(db, sql, &st) < 0)
		return s->tasks ? -EPROTO : -ENOMEM;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct rtlab_task_summary *t;

		if (s->ntasks + 1 >= cap) {
			void *p = realloc(s->tasks, 2 * cap * sizeof(*s->tasks));

			if (!p) {
				sqlite3_finalize(st);
				return -ENOMEM;
			}
			s->tasks = p;
			memset(s->tasks + cap, 0, cap * sizeof(*s->tasks));
			cap *= 2;
		}
		t = &s->tasks[s->ntasks++];
		t->id = (uint32_t)sqlite3_column_int64(st, 0);
		col_text(st, 1, t->name, sizeof(t->name));
		col_text(st, 2, t->policy, sizeof(t->policy));
		t->priority = sqlite3_column_int(st, 3);
		t->period_ns = (uint64_t)sqlite3_column_int64(st, 4);
		t->jobs = (uint64_t)sqlite3_column_int64(st, 5);
		t->overruns = (uint64_t)sqlite3_column_int64(st, 6);
		t->misses = (uint64_t)sqlite3_column_int64(st, 7);
		t->lost = (uint64_t)sqlite3_column_int64(st, 8);
	}
	sqlite3_finalize(st);
	all = &s->tasks[s->ntasks];
	snprintf(all->name, sizeof(all->name), "all");
	for (size_t i = 0; i < s->ntasks; i++) {
		all->jobs += s->tasks[i].jobs;
		all->overruns += s->tasks[i].overruns;
		all->misses += s->tasks[i].misses;
		all->lost += s->tasks[i].lost;
	}
	s->ntasks++;
	return 0;
}

/* read_latency - count, min, max, mean and nearest-rank percentiles of task @t (id 0: all). */
static int read_latency(sqlite3 *db, struct rtlab_task_summary *t)
{
	sqlite3_stmt *st;
	uint64_t *q[NQ] = { &t->p50_ns, &t->p90_ns, &t->p99_ns, &t->p999_ns, &t->p9999_ns };
	uint64_t rank[NQ], i = 0;
	size_t k = 0;
	double sum = 0;

	if (store_prepare(db, t->id ? "SELECT count(*) FROM latency WHERE task = ?" :
				      "SELECT count(*) FROM latency", &st) < 0)
		return -EPROTO;
	if (t->id)
		sqlite3_bind_int64(st, 1, t->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		t->samples = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!t->samples)
		return 0;
	for (size_t j = 0; j < NQ; j++) {
		double r = ceil(quantiles[j] * (double)t->samples);

		rank[j] = r < 1 ? 1 : (uint64_t)r;
	}
	if (store_prepare(db, t->id ? "SELECT latency_ns FROM latency WHERE task = ?"
				      " ORDER BY latency_ns" :
				      "SELECT latency_ns FROM latency ORDER BY latency_ns", &st) < 0)
		return -EPROTO;
	if (t->id)
		sqlite3_bind_int64(st, 1, t->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint64_t v = (uint64_t)sqlite3_column_int64(st, 0);

		if (i++ == 0)
			t->min_ns = v;
		t->max_ns = v;
		sum += (double)v;
		while (k < NQ && i == rank[k])
			*q[k++] = v;
	}
	sqlite3_finalize(st);
	t->mean_ns = i ? sum / (double)i : 0;
	return 0;
}

/* read_response - count, mean, median, p99 and max of task @t's response times. */
static int read_response(sqlite3 *db, struct rtlab_task_summary *t)
{
	static const char by_task[] = "SELECT response_ns FROM latency WHERE task = ?"
				      " AND response_ns IS NOT NULL ORDER BY response_ns";
	static const char all[] = "SELECT response_ns FROM latency WHERE response_ns IS NOT NULL"
				  " ORDER BY response_ns";
	sqlite3_stmt *st;
	uint64_t n = 0, i = 0, r50, r99;
	double sum = 0;

	if (store_prepare(db, t->id ? "SELECT count(response_ns) FROM latency WHERE task = ?" :
				      "SELECT count(response_ns) FROM latency", &st) < 0)
		return -EPROTO;
	if (t->id)
		sqlite3_bind_int64(st, 1, t->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	t->responses = n;
	if (!n)
		return 0;
	r50 = (uint64_t)ceil(0.5 * (double)n);
	r99 = (uint64_t)ceil(0.99 * (double)n);
	if (store_prepare(db, t->id ? by_task : all, &st) < 0)
		return -EPROTO;
	if (t->id)
		sqlite3_bind_int64(st, 1, t->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint64_t v = (uint64_t)sqlite3_column_int64(st, 0);

		i++;
		sum += (double)v;
		if (i == r50)
			t->resp_p50_ns = v;
		if (i == r99)
			t->resp_p99_ns = v;
		t->resp_max_ns = v;
	}
	sqlite3_finalize(st);
	t->resp_mean_ns = i ? sum / (double)i : 0;
	return 0;
}

/* rtlab_run_summary_read - the run and every task's figures. */
int rtlab_run_summary_read(struct rtlab_store *st, struct rtlab_run_summary *ret)
{
	int r;

	memset(ret, 0, sizeof(*ret));
	r = read_run(st->db, ret);
	if (r == 0)
		r = read_tasks(st->db, ret);
	for (size_t i = 0; r == 0 && i < ret->ntasks; i++) {
		r = read_latency(st->db, &ret->tasks[i]);
		if (r == 0)
			r = read_response(st->db, &ret->tasks[i]);
	}
	if (r < 0)
		rtlab_run_summary_free(ret);
	return r;
}

/* rtlab_run_summary_free - the task array. */
void rtlab_run_summary_free(struct rtlab_run_summary *s)
{
	free(s->tasks);
	s->tasks = NULL;
	s->ntasks = 0;
}
