/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corr-html.c - report.html's "Spike verdicts": per explained spike, its
 * verdict, the parts of its gap, what held the CPU, the CPU's time counters
 * across it, and the time line of its CPU before it.
 */
#include <rtlab/bpf.h>

#include "render/render-internal.h"

/* Time-line rows shown per spike: the last ones, nearest the spike. */
#define MAX_ROWS 120

/* off_us - @t_ns from the programmed wake-up of @s, in µs (negative: before it). */
static double off_us(const struct rtlab_corr_spike *s, uint64_t t_ns)
{
	return (double)((int64_t)t_ns - (int64_t)s->programmed_ns) / 1e3;
}

/* who - the time-line entry's subject in words (raw; the cell escapes it). */
static void who(FILE *f, const struct rtlab_corr_item *it)
{
	switch (it->kind) {
	case RTLAB_CORR_IRQ:
		render_html_cell(f, "td", false, "IRQ %d %s", it->num, it->name);
		break;
	case RTLAB_CORR_SOFTIRQ:
		render_html_cell(f, "td", false, "softirq %s (vector %d)", it->name, it->num);
		break;
	case RTLAB_CORR_SYSCALL:
		render_html_cell(f, "td", false, "syscall %s (%d) by %s (%d)",
				 rtlab_bpf_syscall_name(it->num) ? rtlab_bpf_syscall_name(it->num) : "?",
				 it->num, it->name, it->pid);
		break;
	case RTLAB_CORR_WAKE:
		render_html_cell(f, "td", false, "%s of the measured thread (%d)", it->name,
				 it->pid);
		break;
	default:
		if (it->prio == RTLAB_CORR_PRIO_NONE)
			render_html_cell(f, "td", false, "%s (%d)%s", it->name, it->pid,
					 it->inferred ? "; switch-in not in the trace" : "");
		else
			render_html_cell(f, "td", false, "%s (%d, kernel prio %d)%s", it->name,
					 it->pid, it->prio,
					 it->inferred ? "; switch-in not in the trace" : "");
	}
}

/* timeline - the last MAX_ROWS entries of @s's time line. */
static void timeline(FILE *f, const struct rtlab_corr_spike *s)
{
	static const char *const cols[] = { "from the programmed wake-up (µs)", "length (µs)",
					    "what", "CPU", "who", "note" };
	size_t first = s->nitems > MAX_ROWS ? s->nitems - MAX_ROWS : 0;

	if (!s->nitems) {
		fputs("<p class=\"none\">No trace event of this CPU in the window.</p>\n", f);
		return;
	}
	if (first)
		fprintf(f, "<p>The last %d of %zu entries.</p>\n", MAX_ROWS, s->nitems);
	fputs("<table class=\"timeline\">\n", f);
	render_html_head_row(f, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = first; i < s->nitems; i++) {
		const struct rtlab_corr_item *it = &s->items[i];

		fputs("<tr>", f);
		render_html_cell(f, "td", true, "%+.3f", off_us(s, it->start_ns));
		render_html_cell(f, "td", true, "%.3f", (double)(it->end_ns - it->start_ns) / 1e3);
		render_html_cell(f, "td", false, "%s", rtlab_corr_kind_name(it->kind));
		render_html_cell(f, "td", true, "%d", it->cpu);
		who(f, it);
		render_html_cell(f, "td", false, "%s%s", it->open_start ? "began before the window "
									: "",
				 it->open_end ? "still going at the spike" : "");
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* occupants - what held the CPU in the gap, per part. */
static void occupants(FILE *f, const struct rtlab_corr_spike *s)
{
	static const char *const cols[] = { "held the CPU", "kind", "delay (µs)", "wait (µs)",
					    "entry (µs)", "total (µs)" };

	if (!s->noccupants)
		return;
	fputs("<table>\n", f);
	render_html_head_row(f, cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < s->noccupants; i++) {
		const struct rtlab_corr_occupant *o = &s->occupants[i];

		fputs("<tr>", f);
		render_html_cell(f, "td", false, "%s (%d)", o->name, o->id);
		render_html_cell(f, "td", false, "%s", rtlab_corr_kind_name(o->kind));
		for (int p = 0; p < _RTLAB_CORR_PART_MAX; p++)
			render_html_cell(f, "td", true, "%.3f", (double)o->part_ns[p] / 1e3);
		render_html_cell(f, "td", true, "%.3f", (double)o->total_ns / 1e3);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* counters - the CPU's time counters across the gap, those the probe recorded. */
static void counters(FILE *f, const struct rtlab_corr_spike *s)
{
	static const char *const cols[] = { "CPU time", "rise (µs)", "between samples (s)" };
	bool head = false;

	for (int c = 0; c < _RTLAB_CORR_COUNTER_MAX; c++) {
		const struct rtlab_corr_delta *d = &s->counters[c];

		if (!d->known)
			continue;
		if (!head)
			fputs("<table>\n", f);
		if (!head)
			render_html_head_row(f, cols, sizeof(cols) / sizeof(cols[0]));
		head = true;
		fputs("<tr>", f);
		render_html_cell(f, "td", false, "%s", rtlab_corr_counter_name(c));
		render_html_cell(f, "td", true, "%+.3f", (double)d->delta_ns / 1e3);
		render_html_cell(f, "td", true, "%.3f", (double)(d->after_ns - d->before_ns) / 1e9);
		fputs("</tr>\n", f);
	}
	if (head)
		fputs("</table>\n", f);
}

/* spike - one spike's block. */
static void spike(FILE *f, const struct render_run *run, const struct rtlab_corr_spike *s,
		  size_t i)
{
	fprintf(f, "<h3 id=\"verdict-%zu\">", i + 1);
	render_html_cell(f, "span", false, "#%zu: %s on CPU %d at %.3f s, %.3f µs", i + 1,
			 s->task_name, s->cpu, render_rel_s(run, s->t_ns),
			 (double)s->latency_ns / 1e3);
	fputs("</h3>\n<p class=\"warn\">", f);
	render_html(f, s->verdict);
	fprintf(f, "</p>\n<p>Gap: delay %.3f µs (programmed wake-up → woken%s), wait %.3f µs "
		"(→ switched in%s), entry %.3f µs (→ clock read); time line over %.3f ms before "
		"the spike.", (double)s->part_ns[RTLAB_CORR_DELAY] / 1e3,
		s->has_wakeup ? "" : ": no wake-up traced",
		(double)s->part_ns[RTLAB_CORR_WAIT] / 1e3,
		s->has_switch_in ? "" : ": no switch-in traced",
		(double)s->part_ns[RTLAB_CORR_ENTRY] / 1e3, (double)s->window_ns / 1e6);
	if (s->lost_events)
		fprintf(f, " The trace lost %llu events on this CPU.",
			(unsigned long long)s->lost_events);
	fputs("</p>\n", f);
	occupants(f, s);
	counters(f, s);
	if (s->traced)
		timeline(f, s);
}

/* render_corr_html - the section. */
void render_corr_html(FILE *f, const struct render_run *run)
{
	const struct rtlab_corr *c = run->corr;

	if (!c)
		return;
	fputs("<section id=\"verdicts\">\n<h2>Spike verdicts</h2>\n", f);
	if (!c->n)
		fputs("<p class=\"none\">No latency samples: no spikes.</p>\n", f);
	else if (!c->traced)
		fputs("<p class=\"none\">Tracing was not recorded in this run: the verdicts rest "
		      "on the probe's steal time alone.</p>\n", f);
	fputs("<p>The largest spikes, one per task per window. Each instant of the gap between "
	      "the programmed wake-up and the clock read goes to what held the CPU then: a hard "
	      "IRQ, else a softirq, else another task (see docs/report.md).</p>\n", f);
	for (size_t i = 0; i < c->n; i++)
		spike(f, run, &c->spikes[i], i);
	fputs("</section>\n", f);
}
