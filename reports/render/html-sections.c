/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* html-sections.c - report.html: the plots, then the tables of loads, events and problems. */
#include <errno.h>
#include <string.h>

#include "render/render-internal.h"
#include "store/store-internal.h"

/* Events shown at most (a run with a flapping watchdog can have many). */
#define MAX_EVENTS 1000

/* A table filled from a query, one escaped cell per column. */
struct sql_table {
	const char *id;		/* the section's id */
	const char *title;
	const char *table;	/* the table it reads: no section without it */
	const char *none;	/* said when there is no row */
	const char *const *cols;
	size_t ncols;
	const char *sql;	/* ?1, if used, is the run's start */
};

static const char *const load_cols[] = { "load", "kind", "threads", "intensity (%)", "CPUs",
					 "operations", "work (s)", "elapsed (s)" };
static const char *const event_cols[] = { "time (s)", "kind", "text" };
static const char *const problem_cols[] = { "family", "problem", "times", "first at (s)" };

static const struct sql_table tables[] = {
	{ "loads", "Loads", "load", "This run had no loads.", load_cols, 8,
	  "SELECT name, kind, threads, intensity, cpus, ops, printf('%.3f', work_ns / 1e9),"
	  " printf('%.3f', elapsed_ns / 1e9) FROM load ORDER BY id" },
	{ "events", "Events", "event", "No events were stored.", event_cols, 3,
	  "SELECT printf('%.3f', (t_ns - ?1) / 1e9), kind, text FROM event ORDER BY t_ns"
	  " LIMIT 1000" },
	{ "probe-problems", "Probe problems", "probe_problem", "The probe met no problem.",
	  problem_cols, 4,
	  "SELECT family, why, count(*), printf('%.3f', (min(t_ns) - ?1) / 1e9) FROM probe_problem"
	  " GROUP BY family, why ORDER BY family, why" },
};

_Static_assert(MAX_EVENTS == 1000, "the events query says LIMIT 1000");

/* figure - one plot: its SVG as gnuplot drew it, and its caption. */
static void figure(FILE *f, const struct render_plot *p)
{
	fputs("<figure id=\"", f);
	render_html(f, p->stem);
	fprintf(f, "\">\n%s\n<figcaption>", p->svg);
	render_html(f, p->caption);
	fputs(" (also ", f);
	render_html(f, p->stem);
	fputs(".png)</figcaption>\n</figure>\n", f);
}

/* figures - the plots of @group (and of @task for RENDER_TASK); how many. */
static size_t figures(FILE *f, const struct render_plots *ps, enum render_group group,
		      uint32_t task)
{
	size_t n = 0;

	for (size_t i = 0; i < ps->n; i++) {
		if (ps->v[i].group != group || (group == RENDER_TASK && ps->v[i].task != task))
			continue;
		figure(f, &ps->v[i]);
		n++;
	}
	return n;
}

/* none - a paragraph saying why there is nothing. */
static void none(FILE *f, const char *why)
{
	fputs("<p class=\"none\">", f);
	render_html(f, why);
	fputs("</p>\n", f);
}

/* render_html_plots - latency per task, percentiles, misses, probe metrics. */
void render_html_plots(FILE *f, const struct render_run *run, const struct render_plots *ps)
{
	fputs("<section id=\"latency-plots\">\n<h2>Latency plots</h2>\n", f);
	if (run->sum.ntasks < 2)
		none(f, "This run has no tasks.");
	for (size_t k = 0; k + 1 < run->sum.ntasks; k++) {
		const struct rtlab_task_summary *t = &run->sum.tasks[k];

		fputs("<h3>", f);
		render_html(f, t->name);
		fputs("</h3>\n", f);
		if (!figures(f, ps, RENDER_TASK, t->id))
			none(f, "No latency samples for this task.");
	}
	figures(f, ps, RENDER_PERCENTILES, 0);
	fputs("</section>\n<section id=\"misses\">\n<h2>Deadline misses</h2>\n", f);
	if (!figures(f, ps, RENDER_MISSES, 0))
		none(f, "No deadline misses were recorded.");
	fputs("</section>\n<section id=\"probe\">\n<h2>System (probe)</h2>\n", f);
	if (!figures(f, ps, RENDER_PROBE, 0))
		none(f, run->has_probe ? "The probe recorded none of the metrics shown here." :
					 "No probe samples were recorded in this run.");
	fputs("</section>\n", f);
}

/* The table being written. */
struct table_io {
	FILE *f;
	const struct sql_table *t;
	size_t rows;
};

/* table_row - the table's head before the first row, then the row. */
static int table_row(sqlite3_stmt *st, void *userdata)
{
	struct table_io *io = userdata;

	if (!io->rows++) {
		fputs("<table>\n", io->f);
		render_html_head_row(io->f, io->t->cols, io->t->ncols);
	}
	fputs("<tr>", io->f);
	for (int i = 0; i < (int)io->t->ncols; i++) {
		const unsigned char *v = sqlite3_column_text(st, i);

		render_html_cell(io->f, "td", false, "%s", v ? (const char *)v : "");
	}
	fputs("</tr>\n", io->f);
	return 0;
}

/* sql_section - one table's section; 0 or -errno. */
static int sql_section(FILE *f, const struct render_run *run, const struct sql_table *t)
{
	struct table_io io = { f, t, 0 };
	int64_t count = 0;
	int r;

	if (!store_has_table(run->db, t->table))
		return 0;
	fprintf(f, "<section id=\"%s\">\n<h2>%s</h2>\n", t->id, t->title);
	r = render_each_row(run->db, t->sql, (int64_t)run->t0_ns, table_row, &io);
	if (r < 0)
		return r;
	if (!io.rows)
		none(f, t->none);
	else
		fputs("</table>\n", f);
	if (strcmp(t->table, "event") == 0 &&
	    render_query_i64(run->db, "SELECT count(*) FROM event", 0, &count) == 0 &&
	    count > MAX_EVENTS)
		fprintf(f, "<p>The first %d of %lld events.</p>\n", MAX_EVENTS, (long long)count);
	fputs("</section>\n", f);
	return 0;
}

/* render_html_tables - the tables, then the scenario text. */
int render_html_tables(FILE *f, const struct render_run *run)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < sizeof(tables) / sizeof(tables[0]); i++)
		r = sql_section(f, run, &tables[i]);
	fputs("<section id=\"scenario\">\n<h2>Scenario</h2>\n", f);
	if (run->scenario[0]) {
		fputs("<pre>", f);
		render_html(f, run->scenario);
		fputs("</pre>\n", f);
	} else {
		none(f, "The run stored no scenario text.");
	}
	fputs("</section>\n", f);
	return r;
}
