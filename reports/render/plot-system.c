/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plot-system.c - deadline misses over time, and the probe metrics recorded during the run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render/render-internal.h"

/* At most this many buckets in the deadline-miss plot. */
#define MISS_BUCKETS 200

/* The plot being written. */
struct sys_io {
	FILE *data;
	FILE *gp;
	const struct render_run *run;
	uint64_t rows;
	/* deadline misses: the counts per bucket of one task */
	uint64_t *counts;
	uint64_t nbuckets;
	uint64_t max_count;
	/* probe rates: the previous sample */
	const struct render_metric *m;
	bool have_prev;
	uint64_t prev_t;
	double prev_v;
};

/* miss_row - a bucket's count into the task's counts. */
static int miss_row(sqlite3_stmt *st, void *userdata)
{
	struct sys_io *io = userdata;
	int64_t b = sqlite3_column_int64(st, 0);

	if (b >= 0 && (uint64_t)b < io->nbuckets)
		io->counts[b] += (uint64_t)sqlite3_column_int64(st, 1);
	return 0;
}

/* miss_width - a 1-2-5 bucket width giving at most MISS_BUCKETS buckets over the run. */
static uint64_t miss_width(const struct render_run *run, uint64_t *ret_n)
{
	static const unsigned mult[] = { 1, 2, 5 };
	uint64_t span, decade = RTLAB_NSEC_PER_MSEC, w = decade;
	int64_t last = 0;
	size_t i = 0;

	if (render_query_i64(run->db, "SELECT max(t_ns) FROM miss", 0, &last) < 0)
		last = 0;
	span = (uint64_t)last > run->t0_ns ? (uint64_t)last - run->t0_ns : 0;
	if (run->sum.end_ns > run->t0_ns && run->sum.end_ns - run->t0_ns > span)
		span = run->sum.end_ns - run->t0_ns;
	while (span / w >= MISS_BUCKETS) {
		if (++i == 3) {
			i = 0;
			decade *= 10;
		}
		w = decade * mult[i];
	}
	*ret_n = span / w + 1;
	return w;
}

/* miss_series - task @t's misses per bucket as one data block (*@ret_any: it has some). */
static int miss_series(struct sys_io *io, const struct rtlab_task_summary *t, const char *sql,
		       uint64_t w, bool *ret_any)
{
	uint64_t sum = 0;
	int r;

	memset(io->counts, 0, io->nbuckets * sizeof(*io->counts));
	r = render_each_row(io->run->db, sql, t->id, miss_row, io);
	for (uint64_t b = 0; b < io->nbuckets; b++)
		sum += io->counts[b];
	*ret_any = r == 0 && sum;
	if (!*ret_any)
		return r;
	for (uint64_t b = 0; b < io->nbuckets; b++)
		io->max_count = io->counts[b] > io->max_count ? io->counts[b] : io->max_count;
	if (io->rows)
		fputs("\n\n", io->data);
	for (uint64_t b = 0; b < io->nbuckets; b++)
		fprintf(io->data, "%.6f %llu\n", (double)(b * w) / 1e9,
			(unsigned long long)io->counts[b]);
	io->rows++;
	return 0;
}

/* miss_gp - the commands: a series per task in @with (their data blocks in this order). */
static void miss_gp(struct render_plots *ps, struct sys_io *io, uint64_t w, const size_t *with,
		    size_t n)
{
	render_gp_set(io->gp, "title", "deadline misses per %g s", (double)w / 1e9);
	fputs("set xlabel 'time since the start (s)'\nset ylabel 'misses'\nset yrange [0:*]\n"
	      "set key top right\n", io->gp);
	/* Whole misses: no fractional tics when there are a few per bucket. */
	if (io->max_count <= 10)
		fputs("set ytics 1\n", io->gp);
	fputs("plot", io->gp);
	for (size_t i = 0; i < n; i++)
		render_plot_series(ps, io->gp, i, io->run->sum.tasks[with[i]].name);
	fputc('\n', io->gp);
}

/* plot_misses - one series per task that missed deadlines. */
static int plot_misses(struct render_plots *ps, struct sys_io *io)
{
	const struct render_run *run = io->run;
	uint64_t w = miss_width(run, &io->nbuckets);
	size_t *with = calloc(run->sum.ntasks, sizeof(*with));
	char sql[160];
	int r = with ? render_plot_begin(ps, "misses", RENDER_MISSES, 0, &io->data, &io->gp) :
		       -ENOMEM;

	io->counts = r == 0 ? calloc(io->nbuckets, sizeof(*io->counts)) : NULL;
	if (r == 0 && !io->counts) {
		render_plot_cancel(ps);
		r = -ENOMEM;
	}
	if (r < 0) {
		free(with);
		return r;
	}
	io->rows = 0;
	io->max_count = 0;
	snprintf(sql, sizeof(sql), "SELECT (t_ns - %1$lld) / %2$lld, count(*) FROM miss"
		 " WHERE task = ? AND t_ns >= %1$lld GROUP BY 1", (long long)run->t0_ns,
		 (long long)w);
	for (size_t k = 0; r == 0 && k + 1 < run->sum.ntasks; k++) {
		bool any;

		r = miss_series(io, &run->sum.tasks[k], sql, w, &any);
		if (any)
			with[io->rows - 1] = k;
	}
	free(io->counts);
	io->counts = NULL;
	if (r == 0 && io->rows)
		miss_gp(ps, io, w, with, io->rows);
	free(with);
	if (r < 0 || !io->rows) {
		render_plot_cancel(ps);
		return r;
	}
	return render_plot_commit(ps, "Deadline misses over time, per task, counted per %g s",
				  (double)w / 1e9);
}

/* probe_row - a sample, scaled; for a counter, its rate since the previous one. */
static int probe_row(sqlite3_stmt *st, void *userdata)
{
	struct sys_io *io = userdata;
	uint64_t t = (uint64_t)sqlite3_column_int64(st, 0);
	double v = sqlite3_column_double(st, 1);

	if (!io->m->rate) {
		fprintf(io->data, "%.6f %.9g\n", render_rel_s(io->run, t), v * io->m->scale);
		io->rows++;
		return 0;
	}
	/* A counter that went back (restarted) gives no rate for that interval. */
	if (io->have_prev && t > io->prev_t && v >= io->prev_v) {
		fprintf(io->data, "%.6f %.9g\n", render_rel_s(io->run, t),
			(v - io->prev_v) * 1e9 / (double)(t - io->prev_t) * io->m->scale);
		io->rows++;
	}
	io->have_prev = true;
	io->prev_t = t;
	io->prev_v = v;
	return 0;
}

/* plot_probe - metric @m over time, when the run recorded it. */
static int plot_probe(struct render_plots *ps, struct sys_io *io, const struct render_metric *m)
{
	char stem[48];
	int64_t id;
	int r = render_metric_id(io->run->db, m, &id);

	if (r < 0)
		return r == -ENOENT ? 0 : r;
	snprintf(stem, sizeof(stem), "probe-%s", m->key);
	r = render_plot_begin(ps, stem, RENDER_PROBE, 0, &io->data, &io->gp);
	if (r < 0)
		return r;
	io->m = m;
	io->rows = 0;
	io->have_prev = false;
	r = render_each_row(io->run->db, "SELECT t_ns, value FROM probe_sample WHERE metric = ?"
			    " AND state = 0 AND value IS NOT NULL ORDER BY t_ns", id, probe_row,
			    io);
	if (r < 0 || !io->rows) {
		render_plot_cancel(ps);
		return r;
	}
	render_gp_set(io->gp, "title", "%s%s%s%s", m->label, *m->unit ? " (" : "", m->unit,
		      *m->unit ? ")" : "");
	fputs("set xlabel 'time since the start (s)'\n", io->gp);
	render_gp_set(io->gp, "ylabel", "%s", *m->unit ? m->unit : m->label);
	fputs("plot ", io->gp);
	render_plot_data(ps, io->gp);
	fputs(" using 1:2 with linespoints pt 7 ps 0.4 lc rgb '#339966' notitle\n", io->gp);
	return render_plot_commit(ps, "Probe: %s%s%s%s (%llu samples)", m->label,
				  *m->unit ? " (" : "", m->unit, *m->unit ? ")" : "",
				  (unsigned long long)io->rows);
}

/* render_plot_system - misses, then the probe metrics the run has. */
int render_plot_system(struct render_plots *ps, const struct render_run *run)
{
	struct sys_io io = { .run = run };
	const struct render_metric *m;
	int r = 0;

	if (run->misses)
		r = plot_misses(ps, &io);
	for (size_t i = 0; r == 0 && run->has_probe && (m = render_metric_get(i)); i++)
		r = plot_probe(ps, &io, m);
	return r;
}
