/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* summary-text.c - summary.txt: the run's facts, each task's latency figures, the top spikes. */
#include <errno.h>
#include <string.h>

#include "render/render-internal.h"

/* Task names are shown escaped, in a column this wide at most. */
#define NAME_MAX_COLS 40

/* fact - "label  value" with the value escaped; nothing for an empty value. */
static void fact(FILE *f, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	fprintf(f, "%-12s", label);
	render_text(f, value);
	fputc('\n', f);
}

/* facts - the run row. */
static void facts(FILE *f, const struct render_run *run)
{
	const struct rtlab_run_summary *s = &run->sum;
	char line[512];

	fact(f, "status", s->status);
	fact(f, "host", s->hostname);
	snprintf(line, sizeof(line), "%s (%s)", s->kernel, s->kernel_version);
	fact(f, "kernel", line);
	fact(f, "preemption", s->preempt);
	snprintf(line, sizeof(line), "%s, %d CPUs, governor %s", s->cpu_model, s->ncpus,
		 s->governor);
	fact(f, "cpu", line);
	fact(f, "cmdline", s->cmdline);
	fact(f, "rtlab", s->rtlab_version);
	fact(f, "started", s->start_utc);
	fact(f, "ended", run->end_utc[0] ? run->end_utc : "(never: the run did not end)");
	if (s->end_ns > s->start_ns)
		fprintf(f, "%-12s%.3f s (asked %.3f s)\n", "ran",
			(double)(s->end_ns - s->start_ns) / 1e9, (double)s->duration_ns / 1e9);
	fprintf(f, "%-12s%llu\n", "seed", (unsigned long long)s->seed);
	fact(f, "scenario", s->scenario_hash);
}

/* name_width - the widest escaped task name, within [4, NAME_MAX_COLS]. */
static int name_width(const struct render_run *run)
{
	char esc[NAME_MAX_COLS + 1];
	int w = 4;

	for (size_t i = 0; i < run->sum.ntasks; i++) {
		int n = (int)strlen(render_text_buf(run->sum.tasks[i].name, esc, sizeof(esc)));

		w = n > w ? n : w;
	}
	return w;
}

/* us - nanoseconds as microseconds. */
static double us(uint64_t ns)
{
	return (double)ns / 1e3;
}

/* tasks - one line per task, then "all". */
static void tasks(FILE *f, const struct render_run *run)
{
	char esc[NAME_MAX_COLS + 1];
	int w = name_width(run);

	fprintf(f, "\nlatency per task (µs; percentiles by nearest rank over every sample)\n"
		"%-*s %9s %10s %10s %10s %10s %10s %10s %9s %8s %8s\n", w, "task", "samples",
		"min", "mean", "p50", "p99", "p99.9", "max", "jobs", "misses", "lost");
	for (size_t i = 0; i < run->sum.ntasks; i++) {
		const struct rtlab_task_summary *t = &run->sum.tasks[i];

		fprintf(f, "%-*s %9llu ", w, render_text_buf(t->name, esc, sizeof(esc)),
			(unsigned long long)t->samples);
		if (t->samples)
			fprintf(f, "%10.3f %10.3f %10.3f %10.3f %10.3f %10.3f", us(t->min_ns),
				t->mean_ns / 1e3, us(t->p50_ns), us(t->p99_ns), us(t->p999_ns),
				us(t->max_ns));
		else
			fprintf(f, "%10s %10s %10s %10s %10s %10s", "-", "-", "-", "-", "-", "-");
		fprintf(f, " %9llu %8llu %8llu\n", (unsigned long long)t->jobs,
			(unsigned long long)t->misses, (unsigned long long)t->lost);
	}
	if (run->sum.ntasks && !run->sum.tasks[run->sum.ntasks - 1].samples)
		fputs("(no latency samples in this run)\n", f);
}

/* responses - response times per task, when the run measured them. */
static void responses(FILE *f, const struct render_run *run)
{
	char esc[NAME_MAX_COLS + 1];
	int w = name_width(run);

	if (!run->sum.ntasks || !run->sum.tasks[run->sum.ntasks - 1].responses)
		return;
	fprintf(f, "\nresponse time per task (µs; from the programmed wake-up to the end of the "
		"job)\n%-*s %9s %10s %10s %10s %10s\n", w, "task", "jobs", "mean", "p50", "p99",
		"max");
	for (size_t i = 0; i < run->sum.ntasks; i++) {
		const struct rtlab_task_summary *t = &run->sum.tasks[i];

		if (!t->responses)
			continue;
		fprintf(f, "%-*s %9llu ", w, render_text_buf(t->name, esc, sizeof(esc)),
			(unsigned long long)t->responses);
		fprintf(f, "%10.3f %10.3f %10.3f %10.3f\n", t->resp_mean_ns / 1e3,
			us(t->resp_p50_ns), us(t->resp_p99_ns), us(t->resp_max_ns));
	}
}

/* around - "before/after" of a spike probe, "-" for a side without a sample. */
static void around(FILE *f, const struct rtlab_spike_value *v)
{
	char b[32] = "-", a[32] = "-";

	if (v->has_before)
		render_num(v->before, b, sizeof(b));
	if (v->has_after)
		render_num(v->after, a, sizeof(a));
	fprintf(f, " %s/%s", b, a);
}

/* spike_probes - the probe values recorded around spike @s, on a line of their own. */
static void spike_probes(FILE *f, const struct rtlab_spike *s)
{
	const char *sep = "";

	for (size_t p = 0; p < _RTLAB_SPIKE_PROBE_MAX; p++) {
		if (!s->around[p].has_before && !s->around[p].has_after)
			continue;
		fprintf(f, "%s%s", *sep ? sep : "                 probes: ",
			rtlab_spike_probe_name((enum rtlab_spike_probe)p));
		around(f, &s->around[p]);
		sep = ", ";
	}
	if (*sep)
		fputc('\n', f);
}

/* spike_events - the events near spike @s, one per line. */
static void spike_events(FILE *f, const struct render_run *run, const struct rtlab_spike *s)
{
	for (size_t e = 0; e < s->nevents; e++) {
		fprintf(f, "%16s event at %.3f s: ", "", render_rel_s(run, s->events[e].t_ns));
		render_text(f, s->events[e].kind);
		fputs(": ", f);
		render_text(f, s->events[e].text);
		fputc('\n', f);
	}
	if (s->events_total > s->nevents)
		fprintf(f, "%16s (%zu more events within 1 s)\n", "",
			s->events_total - s->nevents);
}

/* spikes - the top spikes, the probe values around them, the events near them. */
static void spikes(FILE *f, const struct render_run *run, const struct rtlab_spike *sp,
		   size_t n)
{
	char esc[NAME_MAX_COLS + 1];
	bool probes = render_spikes_have_probe(sp, n);
	int w = name_width(run);

	if (!n) {
		fputs("\ntop latency spikes: none (no latency samples)\n", f);
		return;
	}
	fprintf(f, "\ntop %zu latency spikes (time since the start", n);
	fputs(probes ? "; probe values: last sample before/first after)\n" :
		       "; no probe samples around them)\n", f);
	fprintf(f, "%3s %10s %-*s %4s %12s\n", "#", "time (s)", w, "task", "cpu", "latency (µs)");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%3zu %10.3f %-*s %4d %12.3f", i + 1, render_rel_s(run, sp[i].t_ns), w,
			render_text_buf(sp[i].task_name, esc, sizeof(esc)), sp[i].cpu,
			us(sp[i].latency_ns));
		fputc('\n', f);
		spike_probes(f, &sp[i]);
		spike_events(f, run, &sp[i]);
	}
}

/* render_summary_text - the whole file. */
int render_summary_text(FILE *f, const struct render_run *run, const struct rtlab_spike *sp,
			size_t nsp)
{
	const char *note = render_run_note(run);
	uint64_t lost;

	fputs("rtlab run summary: ", f);
	render_text(f, run->sum.name);
	fputc('\n', f);
	if (note)
		fprintf(f, "WARNING: %s\n", note);
	fputc('\n', f);
	facts(f, run);
	tasks(f, run);
	responses(f, run);
	lost = run->sum.ntasks ? run->sum.tasks[run->sum.ntasks - 1].lost : 0;
	if (lost)
		fprintf(f, "WARNING: %llu records were lost (full rings): the samples are "
			"incomplete\n", (unsigned long long)lost);
	spikes(f, run, sp, nsp);
	render_corr_text(f, run);
	return ferror(f) ? -EIO : 0;
}
