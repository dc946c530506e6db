/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* html.c - report.html: the page, the run's facts, the task table and the spike table. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "render/render-internal.h"

static const char css[] =
	"body{font-family:sans-serif;margin:1.5em auto;max-width:1100px;color:#222;"
	"padding:0 1em}\n"
	"h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em}\n"
	"table{border-collapse:collapse;margin:.5em 0;font-size:.92em}\n"
	"th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}\n"
	"th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"td.ev{min-width:22em;font-size:.9em}\n"
	".warn{background:#fff3cd;border:1px solid #e0b000;padding:.6em 1em;font-weight:bold}\n"
	".none{color:#666;font-style:italic}\n"
	"figure{margin:1em 0}figure svg{max-width:100%;height:auto;display:block}\n"
	"figcaption{color:#444;font-size:.9em}\n"
	"pre{background:#f7f7f7;border:1px solid #ddd;padding:.8em;overflow-x:auto}\n"
	"footer{margin-top:2em;color:#777;font-size:.85em}\n";

/* render_html_cell - <@tag[ class="n"]>escaped text</@tag>. */
void render_html_cell(FILE *f, const char *tag, bool num, const char *fmt, ...)
{
	char *text;
	va_list ap;

	va_start(ap, fmt);
	text = render_vfmt(fmt, ap);
	va_end(ap);
	fprintf(f, "<%s%s>", tag, num ? " class=\"n\"" : "");
	render_html(f, text ? text : "");
	fprintf(f, "</%s>", tag);
	free(text);
}

/* render_html_head_row - a header row of @n cells. */
void render_html_head_row(FILE *f, const char *const *cells, size_t n)
{
	fputs("<tr>", f);
	for (size_t i = 0; i < n; i++)
		render_html_cell(f, "th", false, "%s", cells[i]);
	fputs("</tr>\n", f);
}

/* head - from the doctype to the page's title and the warning of an unfinished run. */
static void head(FILE *f, const struct render_run *run)
{
	const char *note = render_run_note(run);

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>rtlab report: ", f);
	render_html(f, run->sum.name);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>rtlab report: ", css);
	render_html(f, run->sum.name);
	fputs("</h1>\n", f);
	if (note) {
		fputs("<p class=\"warn\" id=\"status\">", f);
		render_html(f, note);
		fputs("</p>\n", f);
	}
}

/* facts - the run row as a two-column table. */
static void facts(FILE *f, const struct render_run *run)
{
	const struct rtlab_run_summary *s = &run->sum;
	char cpu[256], ran[64] = "", seed[32];
	const char *const rows[][2] = {
		{ "status", s->status },
		{ "host", s->hostname },
		{ "kernel", s->kernel },
		{ "kernel version", s->kernel_version },
		{ "preemption", s->preempt },
		{ "CPU", cpu },
		{ "governor", s->governor },
		{ "kernel command line", s->cmdline },
		{ "rtlab version", s->rtlab_version },
		{ "started (UTC)", s->start_utc },
		{ "ended (UTC)", run->end_utc[0] ? run->end_utc : "never: the run did not end" },
		{ "ran", ran },
		{ "seed", seed },
		{ "scenario hash", s->scenario_hash },
	};

	snprintf(cpu, sizeof(cpu), "%s (%d CPUs)", s->cpu_model, s->ncpus);
	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)s->seed);
	if (s->end_ns > s->start_ns)
		snprintf(ran, sizeof(ran), "%.3f s (asked %.3f s)",
			 (double)(s->end_ns - s->start_ns) / 1e9, (double)s->duration_ns / 1e9);
	fputs("<section id=\"run\">\n<h2>Run</h2>\n<table>\n", f);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (!rows[i][1][0])
			continue;
		fputs("<tr>", f);
		render_html_cell(f, "th", false, "%s", rows[i][0]);
		render_html_cell(f, "td", false, "%s", rows[i][1]);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n</section>\n", f);
}

/* task_row - one task's figures. */
static void task_row(FILE *f, const struct rtlab_task_summary *t)
{
	const double v_us[] = { (double)t->min_ns / 1e3, t->mean_ns / 1e3, (double)t->p50_ns / 1e3,
				(double)t->p99_ns / 1e3, (double)t->p999_ns / 1e3,
				(double)t->max_ns / 1e3 };
	const uint64_t counts[] = { t->jobs, t->misses, t->lost };

	fputs("<tr>", f);
	render_html_cell(f, "td", false, "%s", t->name);
	render_html_cell(f, "td", true, "%llu", (unsigned long long)t->samples);
	for (size_t i = 0; i < sizeof(v_us) / sizeof(v_us[0]); i++) {
		if (t->samples)
			render_html_cell(f, "td", true, "%.3f", v_us[i]);
		else
			render_html_cell(f, "td", true, "%s", "-");
	}
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		render_html_cell(f, "td", true, "%llu", (unsigned long long)counts[i]);
	fputs("</tr>\n", f);
}

/* tasks - the latency table. */
static void tasks(FILE *f, const struct render_run *run)
{
	static const char *const cols[] = { "task", "samples", "min (µs)", "mean (µs)",
					    "p50 (µs)", "p99 (µs)", "p99.9 (µs)", "max (µs)",
					    "jobs", "misses", "lost" };
	const struct rtlab_task_summary *all = &run->sum.tasks[run->sum.ntasks - 1];

	fputs("<section id=\"tasks\">\n<h2>Latency per task</h2>\n", f);
	if (!all->samples)
		fputs("<p class=\"none\" id=\"no-samples\">There are no latency samples in this "
		      "run.</p>\n", f);
	fputs("<p>Wake-up latency of each job; percentiles by nearest rank over every "
	      "sample.</p>\n<table>\n", f);
	render_html_head_row(f, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < run->sum.ntasks; i++)
		task_row(f, &run->sum.tasks[i]);
	fputs("</table>\n", f);
	if (all->lost)
		fprintf(f, "<p class=\"warn\">%llu records were lost (full rings): the samples are "
			"incomplete.</p>\n", (unsigned long long)all->lost);
	fputs("</section>\n", f);
}

/* responses - the response-time table, when the run measured response times. */
static void responses(FILE *f, const struct render_run *run)
{
	static const char *const cols[] = { "task", "jobs", "mean (µs)", "p50 (µs)", "p99 (µs)",
					    "max (µs)" };

	if (!run->sum.tasks[run->sum.ntasks - 1].responses)
		return;
	fputs("<section id=\"responses\">\n<h2>Response time per task</h2>\n<p>From the "
	      "programmed wake-up to the end of the job.</p>\n<table>\n", f);
	render_html_head_row(f, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < run->sum.ntasks; i++) {
		const struct rtlab_task_summary *t = &run->sum.tasks[i];

		if (!t->responses)
			continue;
		fputs("<tr>", f);
		render_html_cell(f, "td", false, "%s", t->name);
		render_html_cell(f, "td", true, "%llu", (unsigned long long)t->responses);
		render_html_cell(f, "td", true, "%.3f", t->resp_mean_ns / 1e3);
		render_html_cell(f, "td", true, "%.3f", (double)t->resp_p50_ns / 1e3);
		render_html_cell(f, "td", true, "%.3f", (double)t->resp_p99_ns / 1e3);
		render_html_cell(f, "td", true, "%.3f", (double)t->resp_max_ns / 1e3);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n</section>\n", f);
}

/* spike_row - one spike, its probe values (if @probes) and its events. */
static void spike_row(FILE *f, const struct render_run *run, const struct rtlab_spike *s,
		      size_t i, bool probes)
{
	fputs("<tr>", f);
	render_html_cell(f, "td", true, "%zu", i + 1);
	render_html_cell(f, "td", true, "%.3f", render_rel_s(run, s->t_ns));
	render_html_cell(f, "td", false, "%s", s->task_name);
	render_html_cell(f, "td", true, "%d", s->cpu);
	render_html_cell(f, "td", true, "%.3f", (double)s->latency_ns / 1e3);
	for (size_t p = 0; probes && p < _RTLAB_SPIKE_PROBE_MAX; p++) {
		const struct rtlab_spike_value *v = &s->around[p];
		char b[32] = "-", a[32] = "-";

		if (v->has_before)
			render_num(v->before, b, sizeof(b));
		if (v->has_after)
			render_num(v->after, a, sizeof(a));
		render_html_cell(f, "td", true, "%s → %s", b, a);
	}
	fputs("<td class=\"ev\">", f);
	for (size_t e = 0; e < s->nevents; e++) {
		fprintf(f, "%s%+.3f s ", e ? "<br>" : "",
			(double)(int64_t)(s->events[e].t_ns - s->t_ns) / 1e9);
		render_html(f, s->events[e].kind);
		fputs(": ", f);
		render_html(f, s->events[e].text);
	}
	if (s->events_total > s->nevents)
		fprintf(f, "<br>and %zu more", s->events_total - s->nevents);
	fputs("</td></tr>\n", f);
}

/* spikes - the spike table; the probe columns when the run recorded probe values. */
static void spikes(FILE *f, const struct render_run *run, const struct rtlab_spike *sp,
		   size_t n)
{
	const char *cols[5 + _RTLAB_SPIKE_PROBE_MAX + 1] = { "#", "time (s)", "task", "cpu",
							     "latency (µs)" };
	bool probes = render_spikes_have_probe(sp, n);
	size_t ncols = 5;

	for (size_t p = 0; probes && p < _RTLAB_SPIKE_PROBE_MAX; p++)
		cols[ncols++] = rtlab_spike_probe_name((enum rtlab_spike_probe)p);
	cols[ncols++] = "events within 1 s (time from the spike)";
	if (!n) {
		fputs("<section id=\"spikes\">\n<h2>Top latency spikes</h2>\n<p class=\"none\">"
		      "No latency samples: no spikes.</p>\n</section>\n", f);
		return;
	}
	fprintf(f, "<section id=\"spikes\">\n<h2>Top %zu latency spikes</h2>\n", n);
	fputs(probes ? "<p>Time since the start of the run. Probe values: the last sample before "
		       "the spike → the first after it (- when there is none).</p>\n" :
		       "<p>Time since the start of the run. No probe samples were recorded "
		       "around these spikes.</p>\n", f);
	fputs("<table>\n", f);
	render_html_head_row(f, cols, ncols);
	for (size_t i = 0; i < n; i++)
		spike_row(f, run, &sp[i], i, probes);
	fputs("</table>\n</section>\n", f);
}

/* render_html_report - the page, section by section. */
int render_html_report(FILE *f, const struct render_run *run, const struct rtlab_spike *sp,
		       size_t nsp, const struct render_plots *ps)
{
	int r;

	head(f, run);
	facts(f, run);
	tasks(f, run);
	responses(f, run);
	spikes(f, run, sp, nsp);
	render_corr_html(f, run);
	render_html_plots(f, run, ps);
	r = render_html_tables(f, run);
	fprintf(f, "<footer>Made by rtlab %s from ", rtlab_version());
	render_html(f, rtlab_store_path(run->st));
	fputs(".</footer>\n</body>\n</html>\n", f);
	if (r == 0 && ferror(f))
		r = -EIO;
	return r;
}
