/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* corr-text.c - summary.txt's "Spikes" section: one verdict line per explained spike. */
#include "render/render-internal.h"

/* Task names are shown escaped, in a column this wide at most. */
#define NAME_COLS 24

/* parts_line - the parts of the gap and the steal across it. */
static void parts_line(FILE *f, const struct rtlab_corr_spike *s)
{
	const struct rtlab_corr_delta *d = &s->counters[RTLAB_CORR_STEAL];

	if (!s->traced && !d->known)
		return;
	fprintf(f, "%16s ", "");
	if (s->traced)
		fprintf(f, "parts (µs): delay %.3f, wait %.3f, entry %.3f",
			(double)s->part_ns[RTLAB_CORR_DELAY] / 1e3,
			(double)s->part_ns[RTLAB_CORR_WAIT] / 1e3,
			(double)s->part_ns[RTLAB_CORR_ENTRY] / 1e3);
	if (d->known)
		fprintf(f, "%ssteal %+.3f µs on CPU %d over %.3f s of samples",
			s->traced ? "; " : "", (double)d->delta_ns / 1e3, s->cpu,
			(double)(d->after_ns - d->before_ns) / 1e9);
	if (s->lost_events)
		fprintf(f, "; the trace lost %llu events on this CPU",
			(unsigned long long)s->lost_events);
	fputc('\n', f);
}

/* render_corr_text - the heading, then each spike's verdict and parts. */
void render_corr_text(FILE *f, const struct render_run *run)
{
	const struct rtlab_corr *c = run->corr;
	char esc[NAME_COLS + 1];

	if (!c)
		return;
	fputs("\nSpikes (largest first, one per task per window; the verdict of each)\n", f);
	if (!c->n) {
		fputs("none (no latency samples)\n", f);
		return;
	}
	if (!c->traced)
		fputs("tracing was not recorded in this run: verdicts rest on the probe's steal "
		      "time alone\n", f);
	fprintf(f, "%3s %10s %-*s %4s %12s  %s\n", "#", "time (s)", NAME_COLS, "task", "cpu",
		"latency (µs)", "verdict");
	for (size_t i = 0; i < c->n; i++) {
		const struct rtlab_corr_spike *s = &c->spikes[i];

		fprintf(f, "%3zu %10.3f %-*s %4d %12.3f  ", i + 1, render_rel_s(run, s->t_ns),
			NAME_COLS, render_text_buf(s->task_name, esc, sizeof(esc)), s->cpu,
			(double)s->latency_ns / 1e3);
		render_text(f, s->verdict);
		fputc('\n', f);
		parts_line(f, s);
	}
}
