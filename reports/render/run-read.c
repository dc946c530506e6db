/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run-read.c - what every part of a report needs to know about the run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render/render-internal.h"
#include "store/store-internal.h"

/* render_query_i64 - one number; -ENOENT when there is no row, -EIO on error. */
int render_query_i64(sqlite3 *db, const char *sql, int64_t bind, int64_t *ret)
{
	sqlite3_stmt *st;
	int r = -ENOENT, rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, bind);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*ret = sqlite3_column_int64(st, 0);
		r = 0;
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = -EIO;
	}
	sqlite3_finalize(st);
	return r;
}

/* render_each_row - step through @sql. */
int render_each_row(sqlite3 *db, const char *sql, int64_t bind, render_row_fn fn,
		    void *userdata)
{
	sqlite3_stmt *st;
	int r = 0, rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -EIO;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, bind);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = fn(st, userdata);
	if (r == 0 && rc != SQLITE_DONE)
		r = -EIO;
	sqlite3_finalize(st);
	return r;
}

/* read_text - the scenario text and end time of the run row. */
static int read_text(struct render_run *run)
{
	sqlite3_stmt *st;
	int r = -EPROTO;

	if (sqlite3_prepare_v2(run->db, "SELECT scenario, end_utc FROM run WHERE id = 1", -1, &st,
			       NULL) != SQLITE_OK)
		return -EPROTO;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *sc = sqlite3_column_text(st, 0);
		const unsigned char *end = sqlite3_column_text(st, 1);

		run->scenario = strdup(sc ? (const char *)sc : "");
		snprintf(run->end_utc, sizeof(run->end_utc), "%s", end ? (const char *)end : "");
		r = run->scenario ? 0 : -ENOMEM;
	}
	sqlite3_finalize(st);
	return r;
}

/* render_run_read - the run's summary and the rest. */
int render_run_read(struct render_run *run)
{
	int64_t v = 0;
	int r;

	run->db = rtlab_store_db(run->st);
	r = rtlab_run_summary_read(run->st, &run->sum);
	if (r < 0)
		return r;
	r = read_text(run);
	if (r < 0)
		return r;
	run->t0_ns = run->sum.start_ns;
	if (!run->t0_ns && render_query_i64(run->db, "SELECT min(t_ns) FROM latency", 0, &v) == 0)
		run->t0_ns = (uint64_t)v;
	run->has_probe = store_has_table(run->db, "probe_metric") &&
			 store_has_table(run->db, "probe_sample");
	r = render_query_i64(run->db, "SELECT count(*) FROM miss", 0, &v);
	if (r < 0)
		return r;
	run->misses = (uint64_t)v;
	return 0;
}

/* render_run_free - the summary and the scenario text. */
void render_run_free(struct render_run *run)
{
	rtlab_run_summary_free(&run->sum);
	free(run->scenario);
	run->scenario = NULL;
}

/* render_rel_s - seconds since the start (negative before it). */
double render_rel_s(const struct render_run *run, uint64_t t_ns)
{
	return (double)(int64_t)(t_ns - run->t0_ns) / 1e9;
}

/* render_task_name - look the id up among the tasks ("all" is not one). */
const char *render_task_name(const struct render_run *run, uint32_t id)
{
	for (size_t i = 0; i + 1 < run->sum.ntasks; i++)
		if (run->sum.tasks[i].id == id)
			return run->sum.tasks[i].name;
	return "?";
}

/* render_run_note - what to say first about a run that did not complete. */
const char *render_run_note(const struct render_run *run)
{
	if (strcmp(run->sum.status, "interrupted") == 0)
		return "This run was interrupted (SIGINT/SIGTERM): it ended before its duration. "
		       "The figures cover the part that ran.";
	if (strcmp(run->sum.status, "complete") != 0)
		return "This run is incomplete: it never ended (it crashed, was killed, or is "
		       "still running). Task counters and histograms may be missing; the "
		       "figures cover the samples stored.";
	return NULL;
}
