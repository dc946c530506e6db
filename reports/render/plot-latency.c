/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * plot-latency.c - each task's latency histogram and latency over time, and
 * the percentile plot of all tasks (1-CDF on a log scale, as cyclictest's
 * percentile plots).  Large runs are reduced, and the plot says how.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/render-internal.h"

/* Buckets of a reduced latency-over-time plot. */
#define TIME_BUCKETS 1000
/* Histogram bins when it is made from the samples (no stored histogram). */
#define HIST_BINS 1000
/* The percentile plot keeps this many of the largest samples exactly. */
#define CDF_TAIL 1000

/* Data and stream of the plot being written. */
struct plot_io {
	FILE *data;
	FILE *gp;
	const struct render_run *run;
	uint64_t rows;
};

/* begin_task - start plot "@prefix-task<id>" of task @t. */
static int begin_task(struct render_plots *ps, struct plot_io *io, const char *prefix,
		      const struct rtlab_task_summary *t)
{
	char stem[48];

	snprintf(stem, sizeof(stem), "%s-task%u", prefix, t->id);
	io->rows = 0;
	return render_plot_begin(ps, stem, RENDER_TASK, t->id, &io->data, &io->gp);
}

/* hist_row - one bucket: centre and width in us, count, bounds in ns. */
static int hist_row(sqlite3_stmt *st, void *userdata)
{
	struct plot_io *io = userdata;
	uint64_t lo = (uint64_t)sqlite3_column_int64(st, 0);
	uint64_t hi = (uint64_t)sqlite3_column_int64(st, 1);
	uint64_t n = (uint64_t)sqlite3_column_int64(st, 2);

	if (!n || hi <= lo)
		return 0;
	fprintf(io->data, "%.6f %.6f %llu %llu %llu\n", (double)(lo + hi) / 2e3,
		(double)(hi - lo) / 1e3, (unsigned long long)n, (unsigned long long)lo,
		(unsigned long long)hi);
	io->rows++;
	return 0;
}

/* sample_bin - the bin width in ns for a histogram of @t's samples: whole us. */
static uint64_t sample_bin(const struct rtlab_task_summary *t)
{
	uint64_t span = t->max_ns - t->min_ns + 1, us = RTLAB_NSEC_PER_USEC;
	uint64_t w = (span + HIST_BINS - 1) / HIST_BINS;

	return w <= us ? us : (w + us - 1) / us * us;
}

/* plot_hist - @t's histogram: the stored one (HDR buckets), else binned samples. */
static int plot_hist(struct render_plots *ps, struct plot_io *io,
		     const struct rtlab_task_summary *t)
{
	uint64_t bin = 0;
	char sql[256];
	int r = begin_task(ps, io, "hist", t);

	if (r < 0)
		return r;
	r = render_each_row(io->run->db, "SELECT lo_ns, hi_ns, count FROM hist WHERE task = ?"
			    " ORDER BY lo_ns", t->id, hist_row, io);
	if (r == 0 && !io->rows && t->samples) {
		bin = sample_bin(t);
		snprintf(sql, sizeof(sql), "SELECT b * %1$llu, (b + 1) * %1$llu, count(*) FROM"
			 " (SELECT latency_ns / %1$llu AS b FROM latency WHERE task = ?)"
			 " GROUP BY b ORDER BY b", (unsigned long long)bin);
		r = render_each_row(io->run->db, sql, t->id, hist_row, io);
	}
	if (r < 0 || !io->rows) {
		render_plot_cancel(ps);
		return r;
	}
	render_gp_set(io->gp, "title", "%s: latency histogram, %s (log-scale counts)", t->name,
		      bin ? "from the samples" : "stored HDR buckets");
	fputs("set xlabel 'latency (µs)'\nset ylabel 'jobs per bucket'\nset logscale y\n"
	      "set yrange [0.8:*]\nset style fill solid 0.6 noborder\n", io->gp);
	if (!bin)
		fputs("set logscale x\n", io->gp);
	fputs("plot ", io->gp);
	render_plot_data(ps, io->gp);
	fputs(" using 1:3:2 with boxes lc rgb '#3366cc' notitle\n", io->gp);
	if (bin)
		return render_plot_commit(ps, "%s: latency histogram (%llu µs bins, from the "
					  "samples)", t->name,
					  (unsigned long long)(bin / RTLAB_NSEC_PER_USEC));
	return render_plot_commit(ps, "%s: latency histogram (the task's HDR histogram)",
				  t->name);
}

/* A reduced time plot being filled: the bucket at hand and its values. */
struct time_reduce {
	struct plot_io *io;
	uint64_t first_ns, width_ns;
	uint64_t bucket;
	uint64_t *v;
	size_t n, cap;
};

/* cmp_u64 - for qsort. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* flush_bucket - the bucket's centre time, min, p99 (nearest rank), max and count. */
static void flush_bucket(struct time_reduce *tr)
{
	size_t rank;

	if (!tr->n)
		return;
	qsort(tr->v, tr->n, sizeof(*tr->v), cmp_u64);
	rank = (size_t)ceil(0.99 * (double)tr->n);
	fprintf(tr->io->data, "%.6f %.3f %.3f %.3f %zu\n",
		render_rel_s(tr->io->run, tr->first_ns + tr->bucket * tr->width_ns +
						  tr->width_ns / 2),
		(double)tr->v[0] / 1e3, (double)tr->v[rank ? rank - 1 : 0] / 1e3,
		(double)tr->v[tr->n - 1] / 1e3, tr->n);
	tr->io->rows++;
	tr->n = 0;
}

/* reduce_row - a sample into its time bucket. */
static int reduce_row(sqlite3_stmt *st, void *userdata)
{
	struct time_reduce *tr = userdata;
	uint64_t t = (uint64_t)sqlite3_column_int64(st, 0);
	uint64_t b = (t - tr->first_ns) / tr->width_ns;

	if (b != tr->bucket) {
		flush_bucket(tr);
		tr->bucket = b;
	}
	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? 2 * tr->cap : 256;
		void *p = realloc(tr->v, cap * sizeof(*tr->v));

		if (!p)
			return -ENOMEM;
		tr->v = p;
		tr->cap = cap;
	}
	tr->v[tr->n++] = (uint64_t)sqlite3_column_int64(st, 1);
	return 0;
}

/* point_row - one sample: seconds since the start, latency in us. */
static int point_row(sqlite3_stmt *st, void *userdata)
{
	struct plot_io *io = userdata;

	uint64_t t = (uint64_t)sqlite3_column_int64(st, 0);

	fprintf(io->data, "%.6f %.3f\n", render_rel_s(io->run, t),
		(double)sqlite3_column_int64(st, 1) / 1e3);
	io->rows++;
	return 0;
}

/* time_reduced - min/p99/max per bucket of @t's samples; the bucket width in *@ret_w. */
static int time_reduced(struct plot_io *io, const struct rtlab_task_summary *t,
			uint64_t *ret_w)
{
	struct time_reduce tr = { .io = io };
	int64_t first = 0, last = 0;
	int r = render_query_i64(io->run->db, "SELECT min(t_ns) FROM latency WHERE task = ?",
				 t->id, &first);

	if (r == 0)
		r = render_query_i64(io->run->db, "SELECT max(t_ns) FROM latency WHERE task = ?",
				     t->id, &last);
	if (r < 0)
		return r;
	tr.first_ns = (uint64_t)first;
	tr.width_ns = ((uint64_t)(last - first) + TIME_BUCKETS) / TIME_BUCKETS;
	r = render_each_row(io->run->db, "SELECT t_ns, latency_ns FROM latency WHERE task = ?"
			    " ORDER BY t_ns", t->id, reduce_row, &tr);
	if (r == 0)
		flush_bucket(&tr);
	free(tr.v);
	*ret_w = tr.width_ns;
	return r;
}

/* plot_time - @t's latency over time: every sample, or reduced beyond @max_points. */
static int plot_time(struct render_plots *ps, struct plot_io *io,
		     const struct rtlab_task_summary *t, unsigned max_points)
{
	uint64_t width = 0;
	int r = begin_task(ps, io, "time", t);

	if (r < 0)
		return r;
	if (t->samples <= max_points)
		r = render_each_row(io->run->db, "SELECT t_ns, latency_ns FROM latency"
				    " WHERE task = ? ORDER BY t_ns", t->id, point_row, io);
	else
		r = time_reduced(io, t, &width);
	if (r < 0 || !io->rows) {
		render_plot_cancel(ps);
		return r;
	}
	fputs("set xlabel 'time since the start (s)'\nset ylabel 'latency (µs)'\n"
	      "set key top right\n", io->gp);
	if (!width) {
		render_gp_set(io->gp, "title", "%s: latency over time (all %llu samples)", t->name,
			      (unsigned long long)t->samples);
		fputs("plot ", io->gp);
		render_plot_data(ps, io->gp);
		fputs(" using 1:2 with points pt 7 ps 0.3 lc rgb '#3366cc' notitle\n", io->gp);
		return render_plot_commit(ps, "%s: latency of each job over time", t->name);
	}
	render_gp_set(io->gp, "title", "%s: latency over time, reduced: min, p99, max per %.3g s "
		      "(%llu samples)", t->name, (double)width / 1e9,
		      (unsigned long long)t->samples);
	fputs("plot ", io->gp);
	render_plot_data(ps, io->gp);
	fputs(" using 1:4 with lines lc rgb '#cc3333' title 'max', '' using 1:3 with lines"
	      " lc rgb '#ee9900' title 'p99', '' using 1:2 with lines lc rgb '#3366cc'"
	      " title 'min'\n", io->gp);
	return render_plot_commit(ps, "%s: latency over time, reduced to min, p99 and max per "
				  "%.3g s (%llu samples in %llu buckets)", t->name,
				  (double)width / 1e9, (unsigned long long)t->samples,
				  (unsigned long long)io->rows);
}

/* A task's samples in increasing order, thinned for the percentile plot. */
struct cdf_walk {
	struct plot_io *io;
	uint64_t n, i, step;
};

/* cdf_row - keep the first sample, every step-th, and the whole tail. */
static int cdf_row(sqlite3_stmt *st, void *userdata)
{
	struct cdf_walk *w = userdata;
	uint64_t left = w->n - w->i;

	/* Rows written after the count was taken (a run still going) are not plotted. */
	if (w->i >= w->n)
		return 0;
	if (w->i == 0 || left <= CDF_TAIL || w->i % w->step == 0) {
		fprintf(w->io->data, "%.3f %.9g\n", (double)sqlite3_column_int64(st, 0) / 1e3,
			(double)left / (double)w->n);
		w->io->rows++;
	}
	w->i++;
	return 0;
}

/* plot_percentiles - one curve per task with samples: the fraction at or above a latency. */
static int plot_percentiles(struct render_plots *ps, struct plot_io *io)
{
	const struct render_run *run = io->run;
	size_t blocks = 0;
	int r = render_plot_begin(ps, "percentiles", RENDER_PERCENTILES, 0, &io->data, &io->gp);

	if (r < 0)
		return r;
	render_gp_set(io->gp, "title", "latency percentiles: fraction of jobs at or above a "
		      "latency (1-CDF, log scale; the largest %d samples exact)", CDF_TAIL);
	fputs("set xlabel 'latency (µs)'\nset ylabel 'fraction of jobs >= latency'\n"
	      "set logscale y\nset format y '%g'\nset key top right\nplot", io->gp);
	for (size_t k = 0; r == 0 && k + 1 < run->sum.ntasks; k++) {
		const struct rtlab_task_summary *t = &run->sum.tasks[k];
		struct cdf_walk w = { io, t->samples, 0, t->samples / CDF_TAIL + 1 };

		if (!t->samples)
			continue;
		fprintf(io->data, "%s", blocks ? "\n\n" : "");
		r = render_each_row(run->db, "SELECT latency_ns FROM latency WHERE task = ?"
				    " ORDER BY latency_ns", t->id, cdf_row, &w);
		render_plot_series(ps, io->gp, blocks++, t->name);
	}
	fputc('\n', io->gp);
	if (r < 0 || !blocks) {
		render_plot_cancel(ps);
		return r;
	}
	return render_plot_commit(ps, "Latency percentiles of every task: the fraction of jobs "
				  "whose latency is at or above x (log scale)");
}

/* render_plot_latency - every task's plots, then the percentiles. */
int render_plot_latency(struct render_plots *ps, const struct render_run *run,
			unsigned max_points)
{
	struct plot_io io = { .run = run };
	int r = 0;

	for (size_t k = 0; r == 0 && k + 1 < run->sum.ntasks; k++) {
		r = plot_hist(ps, &io, &run->sum.tasks[k]);
		if (r == 0)
			r = plot_time(ps, &io, &run->sum.tasks[k], max_points);
	}
	return r == 0 ? plot_percentiles(ps, &io) : r;
}
