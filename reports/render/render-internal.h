/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* render-internal.h - what the report renderer's files share. */
#ifndef RTLAB_RENDER_INTERNAL_H
#define RTLAB_RENDER_INTERNAL_H

#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include <rtlab/correlate.h>
#include <rtlab/report.h>
#include <rtlab/store.h>

/* ---- escape.c ---- */

/* render_html - @s HTML-escaped (& < > " ' as entities; controls, bad UTF-8 as \xHH). */
void render_html(FILE *f, const char *s);

/* render_text - @s for a terminal: controls (but \n), backslashes and bad UTF-8 as \xHH. */
void render_text(FILE *f, const char *s);

/* render_text_buf - render_text() into @buf (@size > 0), truncated to fit; returns @buf. */
const char *render_text_buf(const char *s, char *buf, size_t size);

/*
 * render_gp_string - @s as one gnuplot single-quoted string literal: quotes
 * doubled, controls and bad UTF-8 as '?', so it cannot end the literal, the
 * line or the command.
 */
void render_gp_string(FILE *f, const char *s);

/* render_num - a probe value for people: "13.79", "22880", "0.012"; returns @buf. */
const char *render_num(double v, char *buf, size_t size);

/* render_vfmt - the formatted text (malloc'ed), or NULL without memory. */
char *render_vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* render_err - the message into @err (if any); returns @r, for "return render_err(...)". */
int render_err(char *err, size_t size, int r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- run-read.c ---- */

/* The run as the renderers see it. */
struct render_run {
	struct rtlab_store *st;
	sqlite3 *db;
	struct rtlab_run_summary sum;	/* its tasks, then "all" */
	char *scenario;			/* the scenario text (malloc'ed, "" if none) */
	char end_utc[40];
	uint64_t t0_ns;			/* time origin of tables and plots: the run's start */
	bool has_probe;			/* the probe tables are there */
	uint64_t misses;		/* miss rows */
	const struct rtlab_corr *corr;	/* the explained spikes; NULL: none shown */
};

/* render_run_read - the summary, scenario, end time of the run in @run->st; 0 or -errno. */
int render_run_read(struct render_run *run);

/* render_run_free - what render_run_read() allocated. */
void render_run_free(struct render_run *run);

/* render_rel_s - @t_ns in seconds since the run's start. */
double render_rel_s(const struct render_run *run, uint64_t t_ns);


/* render_query_i64 - column 0 of the first row of @sql, with ?1 = @bind if it has one. */
int render_query_i64(sqlite3 *db, const char *sql, int64_t bind, int64_t *ret);

/* A callback of render_each_row(): 0 to go on, < 0 to stop with that error. */
typedef int (*render_row_fn)(sqlite3_stmt *st, void *userdata);

/* render_each_row - @fn on every row of @sql (?1 = @bind if it has one); 0 or -errno. */
int render_each_row(sqlite3 *db, const char *sql, int64_t bind, render_row_fn fn,
		    void *userdata);

/* render_task_name - the name of task @id, or "?". */
const char *render_task_name(const struct render_run *run, uint32_t id);

/* ---- metrics.c ---- */

/* A probe metric the report shows. */
struct render_metric {
	const char *key;	/* file name stem: "load1" */
	const char *label;	/* "load average, 1 min" */
	const char *unit;	/* "", "MiB", "%", "/s" */
	const char *name;	/* probe_metric.name */
	const char *labels;	/* probe_metric.labels */
	double scale;		/* stored value * scale = shown value */
	bool rate;		/* a counter: shown as its rate per second */
};

/* render_metric_get - metric @i of the report (spike probes first), or NULL. */
const struct render_metric *render_metric_get(size_t i);

/* render_metric_id - the probe_metric id of @m: 0, -ENOENT (not recorded), -EIO. */
int render_metric_id(sqlite3 *db, const struct render_metric *m, int64_t *ret_id);

/* ---- spikes.c ---- */

/* render_spikes_have_probe - true if one of the @n spikes has a probe value. */
bool render_spikes_have_probe(const struct rtlab_spike *sp, size_t n);

/* ---- corr-text.c, corr-html.c ---- */

/* render_corr_text - summary.txt's "spikes explained" section, when @run->corr is set. */
void render_corr_text(FILE *f, const struct render_run *run);

/* render_corr_html - report.html's section of explained spikes, when @run->corr is set. */
void render_corr_html(FILE *f, const struct render_run *run);

/* ---- gnuplot.c ---- */

/* render_gnuplot_find - @prog (a path, or a name on PATH) into @path; 0 or -ENOENT. */
int render_gnuplot_find(const char *prog, char *path, size_t size, char *err, size_t err_size);

/*
 * render_gnuplot_run - run @path in folder @dir with @dir/@script on its
 * standard input, its output into @dir/@log.  0, or -EIO with gnuplot's
 * message in @err.
 */
int render_gnuplot_run(const char *path, const char *dir, const char *script, const char *log,
		       char *err, size_t err_size);

/* ---- plots.c ---- */

/* Where a plot goes in the report. */
enum render_group {
	RENDER_TASK,		/* a task's histogram and latency over time */
	RENDER_PERCENTILES,
	RENDER_MISSES,
	RENDER_PROBE,
	_RENDER_GROUP_MAX,
};

struct render_plot {
	char stem[48];		/* the PNG is <out>/<stem>.png */
	char *caption;		/* plain text, escaped where shown */
	char *svg;		/* gnuplot's SVG, from "<svg" on */
	enum render_group group;
	uint32_t task;		/* RENDER_TASK: its id */
};

struct render_plots {
	char out[PATH_MAX];	/* the output folder */
	char dir[PATH_MAX];	/* a private folder in it, removed at the end */
	FILE *script;		/* <dir>/plot.gp */
	struct render_plot *v;
	size_t n, cap;
	FILE *data;		/* the plot being made: its data file */
	FILE *cmds;		/* and its gnuplot commands */
	char *cmds_buf;
	size_t cmds_len;
};

/* render_plots_init - the private folder in @out and an empty script; 0 or -errno. */
int render_plots_init(struct render_plots *ps, const char *out, char *err, size_t err_size);

/*
 * render_plot_begin - start a plot: its data file (named by render_plot_data())
 * in *@ret_data, the stream for its gnuplot commands (plot ...) in *@ret_gp.
 */
int render_plot_begin(struct render_plots *ps, const char *stem, enum render_group group,
		      uint32_t task, FILE **ret_data, FILE **ret_gp);

/* render_plot_data - the data file name of the plot being made, for its commands. */
void render_plot_data(const struct render_plots *ps, FILE *gp);

/* render_plot_series - ", ''" or " 'pN.dat'", then "index @index ... with steps title '@title'". */
void render_plot_series(const struct render_plots *ps, FILE *gp, size_t index, const char *title);

/* render_plot_commit - keep the plot being made, with its caption; 0 or -errno. */
int render_plot_commit(struct render_plots *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* render_plot_cancel - drop the plot being made (it had nothing to show). */
void render_plot_cancel(struct render_plots *ps);

/* render_gp_set - "set @what '<text>'" (title, xlabel...) with the text escaped. */
void render_gp_set(FILE *gp, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* render_plots_run - run gnuplot, read the SVGs, move the PNGs into the output folder. */
int render_plots_run(struct render_plots *ps, const char *gnuplot, char *err, size_t err_size);

/* render_plots_free - remove the private folder, free the plots. */
void render_plots_free(struct render_plots *ps);

/* ---- plot-latency.c, plot-system.c ---- */

/* render_plot_latency - histograms, latency over time, percentiles; 0 or -errno. */
int render_plot_latency(struct render_plots *ps, const struct render_run *run,
			unsigned max_points);

/* render_plot_system - deadline misses over time and probe metrics; 0 or -errno. */
int render_plot_system(struct render_plots *ps, const struct render_run *run);

/* ---- summary-text.c, html.c ---- */

/* render_summary_text - summary.txt into @f; 0 or -EIO. */
int render_summary_text(FILE *f, const struct render_run *run, const struct rtlab_spike *sp,
			size_t nsp);

/* render_html_report - report.html into @f; 0 or -EIO. */
int render_html_report(FILE *f, const struct render_run *run, const struct rtlab_spike *sp,
		       size_t nsp, const struct render_plots *ps);

/* render_html_cell - <@tag>the formatted text, escaped</@tag>; class "n" if @num. */
void render_html_cell(FILE *f, const char *tag, bool num, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* render_html_head_row - a table row of <th> cells. */
void render_html_head_row(FILE *f, const char *const *cells, size_t n);

/* render_html_plots - the plot sections (inline SVG), or why a section has none. */
void render_html_plots(FILE *f, const struct render_run *run, const struct render_plots *ps);

/* render_html_tables - loads, events, probe problems and the scenario text; 0 or -errno. */
int render_html_tables(FILE *f, const struct render_run *run);

/* render_run_note - a sentence on a run that is not complete, or NULL when it is. */
const char *render_run_note(const struct render_run *run);

#endif /* RTLAB_RENDER_INTERNAL_H */
