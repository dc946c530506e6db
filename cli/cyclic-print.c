/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cyclic-print.c - rtlab cyclic's text output: cyclictest's lines and histogram, plus ours. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "cyclic.h"

static const double extra_q[] = { 50, 90, 99, 99.9, 99.99 };
static const char *const extra_names[] = { "p50", "p90", "p99", "p99.9", "p99.99" };

/* unit - ns to the display unit (us truncated, as cyclictest, or ns with -N). */
static unsigned long long unit(const struct cyclic_opts *o, uint64_t ns)
{
	return (unsigned long long)(o->nsecs ? ns : ns / RTLAB_NSEC_PER_USEC);
}

/* avg_ns - mean latency of a task. */
static uint64_t avg_ns(const struct rtlab_task_stats *st)
{
	return st->jobs ? st->sum_ns / st->jobs : 0;
}

/* print_tline - one "T: ..." line, cyclictest's format. */
static void print_tline(FILE *out, struct rtlab_task *t, unsigned int i,
			const struct cyclic_opts *o)
{
	const struct rtlab_task_config *tc = rtlab_task_config(t);
	struct rtlab_task_stats st;

	rtlab_task_stats(t, &st);
	fprintf(out, "T:%2u (%5d) P:%2d I:%llu C:%7llu Min:%7llu Act:%5llu Avg:%5llu Max:%8llu\n",
		i, st.tid, tc->sched.priority,
		(unsigned long long)(tc->period_ns / RTLAB_NSEC_PER_USEC),
		(unsigned long long)st.jobs, unit(o, st.min_ns), unit(o, st.act_ns),
		unit(o, avg_ns(&st)), unit(o, st.max_ns));
}

/* cyclic_print_live - the refreshing T: lines. */
void cyclic_print_live(FILE *out, struct rtlab_cyclic *c, const struct cyclic_opts *o, bool redraw)
{
	unsigned int n = rtlab_cyclic_nthreads(c);

	if (redraw)
		fprintf(out, "\033[%uA", n);
	for (unsigned int i = 0; i < n; i++) {
		fputs("\033[2K", out);
		print_tline(out, rtlab_cyclic_task(c, i), i, o);
	}
	fflush(out);
}

/* print_hist_rows - "%06d count<TAB>count..." for every bucket, as cyclictest. */
static void print_hist_rows(FILE *out, struct rtlab_cyclic *c, const struct cyclic_opts *o)
{
	unsigned int n = rtlab_cyclic_nthreads(c), nb = 0;

	rtlab_task_linear(rtlab_cyclic_task(c, 0), &nb, NULL);
	fprintf(out, "# Histogram\n");
	for (unsigned int b = 0; b < nb; b++) {
		unsigned long long all = 0;

		fprintf(out, "%06u ", b);
		for (unsigned int i = 0; i < n; i++) {
			const uint64_t *lin = rtlab_task_linear(rtlab_cyclic_task(c, i), NULL, NULL);
			unsigned long long v = lin[b];

			all += v;
			fprintf(out, "%s%06llu", i ? "\t" : "", v);
		}
		if (o->histofall)
			fprintf(out, "\t%06llu", all);
		fputc('\n', out);
	}
}

/* print_hist_totals - the "# Total/Min/Avg/Max/Overflows" lines. */
static void print_hist_totals(FILE *out, struct rtlab_cyclic *c, const struct cyclic_opts *o)
{
	unsigned int n = rtlab_cyclic_nthreads(c);
	unsigned long long tot_all = 0, ovf_all = 0, max_all = 0;
	struct rtlab_task_stats st;
	uint64_t ovf;

	fprintf(out, "# Total:");
	for (unsigned int i = 0; i < n; i++) {
		rtlab_task_stats(rtlab_cyclic_task(c, i), &st);
		rtlab_task_linear(rtlab_cyclic_task(c, i), NULL, &ovf);
		fprintf(out, " %09llu", (unsigned long long)(st.jobs - ovf));
		tot_all += st.jobs - ovf;
	}
	if (o->histofall)
		fprintf(out, " %09llu", tot_all);
	fprintf(out, "\n# Min Latencies:");
	for (unsigned int i = 0; i < n; i++) {
		rtlab_task_stats(rtlab_cyclic_task(c, i), &st);
		fprintf(out, " %05llu", (unsigned long long)(st.min_ns / RTLAB_NSEC_PER_USEC));
	}
	fprintf(out, "\n# Avg Latencies:");
	for (unsigned int i = 0; i < n; i++) {
		rtlab_task_stats(rtlab_cyclic_task(c, i), &st);
		fprintf(out, " %05llu", (unsigned long long)(avg_ns(&st) / RTLAB_NSEC_PER_USEC));
	}
	fprintf(out, "\n# Max Latencies:");
	for (unsigned int i = 0; i < n; i++) {
		rtlab_task_stats(rtlab_cyclic_task(c, i), &st);
		fprintf(out, " %05llu", (unsigned long long)(st.max_ns / RTLAB_NSEC_PER_USEC));
		if (st.max_ns / RTLAB_NSEC_PER_USEC > max_all)
			max_all = st.max_ns / RTLAB_NSEC_PER_USEC;
	}
	if (o->histofall)
		fprintf(out, " %05llu", max_all);
	fprintf(out, "\n# Histogram Overflows:");
	for (unsigned int i = 0; i < n; i++) {
		rtlab_task_linear(rtlab_cyclic_task(c, i), NULL, &ovf);
		fprintf(out, " %05llu", (unsigned long long)ovf);
		ovf_all += ovf;
	}
	if (o->histofall)
		fprintf(out, " %05llu", ovf_all);
	fputc('\n', out);
}

/* print_outliers - "# Thread N: cycle cycle ... # NNNNN others". */
static void print_outliers(FILE *out, struct rtlab_cyclic *c)
{
	unsigned int n = rtlab_cyclic_nthreads(c);

	fprintf(out, "# Histogram Overflow at cycle number:\n");
	for (unsigned int i = 0; i < n; i++) {
		struct rtlab_task *t = rtlab_cyclic_task(c, i);
		unsigned int k;
		const uint64_t *cyc = rtlab_task_outliers(t, &k);
		uint64_t ovf;

		rtlab_task_linear(t, NULL, &ovf);
		fprintf(out, "# Thread %u:", i);
		for (unsigned int j = 0; j < k; j++)
			fprintf(out, " %05llu", (unsigned long long)cyc[j]);
		if (ovf > k)
			fprintf(out, " # %05llu others", (unsigned long long)(ovf - k));
		fputc('\n', out);
	}
	fputc('\n', out);
}

/* print_break - cyclictest's break lines. */
static void print_break(FILE *out, struct rtlab_cyclic *c, const struct cyclic_opts *o,
			const struct cyclic_result *res)
{
	unsigned int n = rtlab_cyclic_nthreads(c);
	struct rtlab_task_stats st;

	if (!res->brk.hit)
		return;
	fprintf(out, "# Thread Ids:");
	for (unsigned int i = 0; i < n; i++) {
		rtlab_task_stats(rtlab_cyclic_task(c, i), &st);
		fprintf(out, " %05d", st.tid);
	}
	fprintf(out, "\n# Break thread: %d\n# Break value: %llu\n", res->brk.tid,
		unit(o, res->brk.latency_ns));
	fprintf(out, "# rtlab: break on thread %u (tid %d) on CPU %d at cycle %llu: "
		"latency %.3f us > %llu us\n", res->brk.thread, res->brk.tid, res->brk.cpu,
		(unsigned long long)res->brk.job_index, (double)res->brk.latency_ns / 1e3,
		(unsigned long long)(o->cfg.break_ns / RTLAB_NSEC_PER_USEC));
}

/* print_extras - rtlab's own lines: percentiles, overruns, overflows, steal. */
static void print_extras(FILE *out, struct rtlab_cyclic *c, const struct cyclic_opts *o,
			 const struct cyclic_result *res)
{
	unsigned int n = rtlab_cyclic_nthreads(c);
	double secs = (double)(res->end_ns - res->start_ns) / 1e9;
	char cpus[128];

	for (unsigned int i = 0; i < n; i++) {
		struct rtlab_task *t = rtlab_cyclic_task(c, i);
		const struct rtlab_hist *h = rtlab_task_hist(t);
		struct rtlab_task_stats st;
		uint64_t ovf;

		rtlab_task_stats(t, &st);
		rtlab_task_linear(t, NULL, &ovf);
		fprintf(out, "# rtlab: T:%2u CPU:%2d", i, st.cpu);
		for (size_t q = 0; q < sizeof(extra_q) / sizeof(extra_q[0]); q++)
			fprintf(out, " %s:%6llu", extra_names[q],
				unit(o, rtlab_hist_percentile(h, extra_q[q])));
		fprintf(out, " Max:%8llu Overflows(>=%uus):%llu Overruns:%llu\n",
			unit(o, st.max_ns), o->cfg.hist_us, (unsigned long long)ovf,
			(unsigned long long)st.overruns);
	}
	rtlab_cpulist_format(&res->cpus, cpus, sizeof(cpus));
	if (res->steal_known)
		fprintf(out, "# rtlab: steal %.1f ms on CPU %s during %.1f s (%.3f%% of their "
			"time; counted in %ld ms ticks)%s\n", (double)res->steal_ns / 1e6, cpus, secs,
			secs > 0 ? (double)res->steal_ns / 1e7 / secs /
					   (CPU_COUNT(&res->cpus) ?: 1) : 0.0,
			1000 / sysconf(_SC_CLK_TCK),
			res->steal_ns ? ": the hypervisor ran something else on these vCPUs; "
					"spikes of that size come from the host" : "");
	else
		fprintf(out, "# rtlab: steal time unknown (no steal field in /proc/stat)\n");
	if (res->interrupted)
		fprintf(out, "# rtlab: interrupted after %.1f s\n", secs);
}

/* cyclic_print_summary - the final report. */
void cyclic_print_summary(FILE *out, struct rtlab_cyclic *c, const struct cyclic_opts *o,
			  const struct cyclic_result *res)
{
	unsigned int n = rtlab_cyclic_nthreads(c);

	if (!(o->quiet && o->histogram) && !res->live_shown)
		for (unsigned int i = 0; i < n; i++)
			print_tline(out, rtlab_cyclic_task(c, i), i, o);
	print_break(out, c, o, res);
	if (o->histogram) {
		print_hist_rows(out, c, o);
		print_hist_totals(out, c, o);
		print_outliers(out, c);
	}
	print_extras(out, c, o, res);
	fflush(out);
}
