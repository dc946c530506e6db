/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* stat-parse.c - /proc/stat: CPU times, counters, and the shares made from two readings. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#include "cpu/cpu-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* The counter lines of /proc/stat and where their first number goes. */
static const struct {
	const char *key;
	size_t off;
} stat_keys[] = {
	{ "intr", offsetof(struct rtlab_probe_cpu, intr) },
	{ "ctxt", offsetof(struct rtlab_probe_cpu, ctxt) },
	{ "btime", offsetof(struct rtlab_probe_cpu, btime) },
	{ "processes", offsetof(struct rtlab_probe_cpu, processes) },
	{ "procs_running", offsetof(struct rtlab_probe_cpu, procs_running) },
	{ "procs_blocked", offsetof(struct rtlab_probe_cpu, procs_blocked) },
	{ "softirq", offsetof(struct rtlab_probe_cpu, softirq) },
};

/* The value fields of struct rtlab_cpu_logical, all absent until read. */
static const size_t logical_u64[] = {
	offsetof(struct rtlab_cpu_logical, capacity),
	offsetof(struct rtlab_cpu_logical, isolated),
	offsetof(struct rtlab_cpu_logical, nohz_full),
	offsetof(struct rtlab_cpu_logical, scaling_cur_khz),
	offsetof(struct rtlab_cpu_logical, cpuinfo_cur_khz),
	offsetof(struct rtlab_cpu_logical, scaling_min_khz),
	offsetof(struct rtlab_cpu_logical, scaling_max_khz),
	offsetof(struct rtlab_cpu_logical, cpuinfo_min_khz),
	offsetof(struct rtlab_cpu_logical, cpuinfo_max_khz),
	offsetof(struct rtlab_cpu_logical, base_khz),
	offsetof(struct rtlab_cpu_logical, core_throttles),
	offsetof(struct rtlab_cpu_logical, core_throttle_ms),
	offsetof(struct rtlab_cpu_logical, package_throttles),
	offsetof(struct rtlab_cpu_logical, package_throttle_ms),
};

static const size_t logical_i64[] = {
	offsetof(struct rtlab_cpu_logical, package_id),
	offsetof(struct rtlab_cpu_logical, die_id),
	offsetof(struct rtlab_cpu_logical, cluster_id),
	offsetof(struct rtlab_cpu_logical, core_id),
	offsetof(struct rtlab_cpu_logical, numa_node),
};

static const size_t logical_text[] = {
	offsetof(struct rtlab_cpu_logical, thread_siblings),
	offsetof(struct rtlab_cpu_logical, governor),
	offsetof(struct rtlab_cpu_logical, driver),
	offsetof(struct rtlab_cpu_logical, available_governors),
	offsetof(struct rtlab_cpu_logical, epp),
};

/* ticks_mark - ticks @from.. of @t in state @st (the previous reading is kept). */
static void ticks_mark(struct rtlab_cpu_times *t, size_t from, enum rtlab_pv_state st)
{
	for (size_t m = from; m < RTLAB_CPU_MODE__COUNT; m++)
		PV_NA(t->ticks[m], st);
}

/* cpu_times_mark - all of @t in state @st, the previous reading forgotten. */
void cpu_times_mark(struct rtlab_cpu_times *t, enum rtlab_pv_state st)
{
	ticks_mark(t, 0, st);
	for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++) {
		PV_NA(t->seconds[m], st);
		PV_NA(t->ratio[m], st);
	}
	PV_NA(t->busy_ratio, st);
	t->have_prev = false;
}

/* logical_init - CPU @n with every field absent. */
static void logical_init(struct rtlab_cpu_logical *l, uint32_t n)
{
	l->cpu = n;
	cpu_times_mark(&l->times, RTLAB_PV_ABSENT);
	for (size_t i = 0; i < sizeof(logical_u64) / sizeof(logical_u64[0]); i++)
		PV_NA(*(struct rtlab_pu64 *)((char *)l + logical_u64[i]), RTLAB_PV_ABSENT);
	for (size_t i = 0; i < sizeof(logical_i64) / sizeof(logical_i64[0]); i++)
		PV_NA(*(struct rtlab_pi64 *)((char *)l + logical_i64[i]), RTLAB_PV_ABSENT);
	for (size_t i = 0; i < sizeof(logical_text) / sizeof(logical_text[0]); i++) {
		struct rtlab_cpu_text *t = (struct rtlab_cpu_text *)((char *)l + logical_text[i]);

		t->st = RTLAB_PV_ABSENT;
		t->s[0] = '\0';
	}
	l->cpufreq_st = RTLAB_PV_ABSENT;
	l->throttle_st = RTLAB_PV_ABSENT;
}

/* cpu_grow - room for CPUs 0..n-1, the new ones initialized. */
int cpu_grow(struct rtlab_probe_cpu *c, size_t n)
{
	void *arr = c->cpus;
	int r;

	if (n > CPU_MAX)
		return -ERANGE;
	if (n <= c->ncpus)
		return 0;
	r = probe_grow(&arr, &c->cap_cpus, n, sizeof(*c->cpus));
	if (r < 0)
		return r;
	c->cpus = arr;
	for (size_t i = c->ncpus; i < n; i++)
		logical_init(&c->cpus[i], (uint32_t)i);
	c->ncpus = n;
	return 0;
}

/* cpu_data_release - free the per-CPU array. */
void cpu_data_release(struct rtlab_probe_cpu *c)
{
	free(c->cpus);
	c->cpus = NULL;
	c->ncpus = 0;
	c->cap_cpus = 0;
}

/* stat_num - a number that ends at a blank or at @eol. */
static bool stat_num(const char **pp, const char *eol, uint64_t *v)
{
	const char *p = *pp;

	if (!pp_u64(&p, eol, v) || (p < eol && *p != ' ' && *p != '\t'))
		return false;
	*pp = p;
	return true;
}

/*
 * stat_values - @n numbers into @f.  Columns missing at the end of the line
 * are absent from @absent_from on (older kernels print fewer), malformed
 * before; anything else unreadable is malformed.  Returns 0 or -EBADMSG.
 */
static int stat_values(const char *p, const char *eol, struct rtlab_pu64 *f, size_t n,
		       size_t absent_from)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v;
		bool at_end;

		if (stat_num(&p, eol, &v)) {
			PV_SET(f[i], v);
			continue;
		}
		at_end = pp_skip_blanks(p, eol) == eol && i >= absent_from;
		for (; i < n; i++)
			PV_NA(f[i], at_end ? RTLAB_PV_ABSENT : RTLAB_PV_MALFORMED);
		return at_end ? 0 : -EBADMSG;
	}
	return 0;
}

/* stat_cpu_line - "cpu ..." or "cpuN ..." (@num: what follows "cpu"). */
static int stat_cpu_line(const char *num, size_t numlen, const char *p, const char *eol,
			 struct rtlab_probe_cpu *out, struct rtlab_cpu_times **ret)
{
	uint64_t n;
	const char *q = num;
	int r;

	if (numlen == 0) {
		*ret = &out->total;
	} else {
		if (!pp_u64(&q, num + numlen, &n) || q != num + numlen || n >= CPU_MAX)
			return -EBADMSG;
		r = cpu_grow(out, (size_t)n + 1);
		if (r < 0)
			return r;
		out->cpus[n].in_stat = true;
		*ret = &out->cpus[n].times;
	}
	/* user nice system idle are always there; the later columns came with later kernels. */
	return stat_values(p, eol, (*ret)->ticks, RTLAB_CPU_MODE__COUNT, RTLAB_CPU_IOWAIT);
}

/*
 * stat_line - one line of /proc/stat; @complete is false for a last line
 * without its newline (a truncated file), whose values are then malformed.
 */
static int stat_line(const char *p, const char *eol, bool complete, struct rtlab_probe_cpu *out)
{
	struct rtlab_cpu_times *t = NULL;
	const char *w;
	size_t wl;
	uint64_t v;
	int r;

	if (!pp_word(&p, eol, &w, &wl))
		return complete ? 0 : -EBADMSG;
	if (wl >= 3 && memcmp(w, "cpu", 3) == 0) {
		r = stat_cpu_line(w + 3, wl - 3, p, eol, out, &t);
		if (r == 0 && !complete)
			ticks_mark(t, 0, RTLAB_PV_MALFORMED);
		return r == 0 && !complete ? -EBADMSG : r;
	}
	for (size_t i = 0; i < sizeof(stat_keys) / sizeof(stat_keys[0]); i++) {
		struct rtlab_pu64 *f = (struct rtlab_pu64 *)((char *)out + stat_keys[i].off);

		if (!pp_eq(w, wl, stat_keys[i].key))
			continue;
		if (!stat_num(&p, eol, &v) || !complete) {
			PV_NA(*f, RTLAB_PV_MALFORMED);
			return -EBADMSG;
		}
		PV_SET(*f, v);
		if (f != &out->softirq)
			return 0;
		/* Vectors were added over time: fewer is an older kernel, not damage. */
		return stat_values(p, eol, out->softirq_vec, RTLAB_CPU_SOFTIRQ_VECTORS, 0);
	}
	return complete ? 0 : -EBADMSG;
}

/* stat_counters_mark - the counters and the total's ticks in state @st; no CPU seen. */
static void stat_counters_mark(struct rtlab_probe_cpu *c, enum rtlab_pv_state st)
{
	ticks_mark(&c->total, 0, st);
	for (size_t i = 0; i < sizeof(stat_keys) / sizeof(stat_keys[0]); i++)
		PV_NA(*(struct rtlab_pu64 *)((char *)c + stat_keys[i].off), st);
	for (size_t i = 0; i < RTLAB_CPU_SOFTIRQ_VECTORS; i++)
		PV_NA(c->softirq_vec[i], st);
	for (size_t i = 0; i < c->ncpus; i++)
		c->cpus[i].in_stat = false;
	c->bad_line = 0;
}

/* cpustat_mark - everything /proc/stat gives in state @st (it could not be read). */
void cpustat_mark(struct rtlab_probe_cpu *c, enum rtlab_pv_state st)
{
	stat_counters_mark(c, st);
	cpu_times_mark(&c->total, st);
	for (size_t i = 0; i < c->ncpus; i++)
		cpu_times_mark(&c->cpus[i].times, st);
}

/* cpustat_parse - the whole of /proc/stat in one pass. */
int cpustat_parse(const char *buf, size_t len, struct rtlab_probe_cpu *out)
{
	const char *p = buf, *end = buf + len;
	uint32_t line = 0;
	int ret = 0;

	stat_counters_mark(out, RTLAB_PV_ABSENT);

	while (p < end) {
		const char *eol = pp_eol(p, end);
		int r;

		line++;
		r = stat_line(p, eol, eol < end, out);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			ret = -EBADMSG;
			if (!out->bad_line)
				out->bad_line = line;
		}
		p = eol < end ? eol + 1 : end;
	}
	for (size_t i = 0; i < out->ncpus; i++) {
		if (!out->cpus[i].in_stat)
			cpu_times_mark(&out->cpus[i].times, RTLAB_PV_ABSENT);
	}
	return ret;
}

/* cpu_times_rate - seconds, and shares of the ticks that passed since the kept reading. */
void cpu_times_rate(struct rtlab_cpu_times *t, double sec_per_tick)
{
	uint64_t delta[RTLAB_CPU_MODE__COUNT] = { 0 };
	uint64_t total = 0, idle = 0;

	for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++) {
		if (!rtlab_pv_ok(t->ticks[m].st)) {
			PV_NA(t->seconds[m], t->ticks[m].st);
			continue;
		}
		PV_SET(t->seconds[m], (double)t->ticks[m].v * sec_per_tick);
		/* Counters can step back (iowait, idle on NO_HZ): that is no time. */
		if (t->ticks[m].v > t->prev[m])
			delta[m] = t->ticks[m].v - t->prev[m];
		/* guest and guest_nice are already in user and nice. */
		if (m < RTLAB_CPU_GUEST)
			total += delta[m];
	}
	if (!t->have_prev) {
		for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++) {
			t->prev[m] = t->ticks[m].v;
			PV_NA(t->ratio[m], RTLAB_PV_NOT_READY);
		}
		PV_NA(t->busy_ratio, RTLAB_PV_NOT_READY);
		t->have_prev = true;
		return;
	}
	/* No tick yet: keep the last shares and measure from the kept reading next time. */
	if (total == 0)
		return;
	for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++) {
		if (rtlab_pv_ok(t->ticks[m].st)) {
			PV_SET(t->ratio[m], (double)delta[m] / (double)total);
			t->prev[m] = t->ticks[m].v;
		} else {
			PV_NA(t->ratio[m], t->ticks[m].st);
		}
	}
	idle = delta[RTLAB_CPU_IDLE] + delta[RTLAB_CPU_IOWAIT];
	if (rtlab_pv_ok(t->ticks[RTLAB_CPU_IDLE].st))
		PV_SET(t->busy_ratio, (double)(total - idle) / (double)total);
	else
		PV_NA(t->busy_ratio, t->ticks[RTLAB_CPU_IDLE].st);
}
