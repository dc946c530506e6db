/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu.c - the cpu family: /proc/stat, CPU sets, topology, cpufreq, throttling, boost. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpu-family.h"

static const char *const mode_names[RTLAB_CPU_MODE__COUNT] = {
	"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice",
};

/* rtlab_cpu_mode_name - the mode's name as node_exporter labels it. */
const char *rtlab_cpu_mode_name(enum rtlab_cpu_mode m)
{
	return (unsigned)m < RTLAB_CPU_MODE__COUNT ? mode_names[m] : NULL;
}

/* cpu_open - the sources (not opened yet) and USER_HZ. */
static int cpu_open(struct rtlab_probe *p, void **state)
{
	struct cpu_state *s;

	(void)p;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->stat, "/proc/stat");
	probe_src_init(&s->online, CPU_SYS "/online");
	cpu_kf_init(&s->kf, CPU_KF_SLOTS);
	s->hz = sysconf(_SC_CLK_TCK);
	if (s->hz <= 0) {
		free(s);
		return -EINVAL;
	}
	s->sec_per_tick = 1.0 / (double)s->hz;
	*state = s;
	return 0;
}

/* cpu_close - close every fd. */
static void cpu_close(void *state)
{
	struct cpu_state *s = state;

	cpu_kf_fini(&s->kf);
	probe_src_close(&s->stat);
	probe_src_close(&s->online);
	free(s);
}

/* cpu_stat - /proc/stat: times with their shares, counters. */
static int cpu_stat(struct probe_cx *cx, struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	ssize_t n = probe_src_read(cx->p, &s->stat);
	int r;

	PV_SET(c->user_hz, (uint64_t)s->hz);
	if (n < 0) {
		cpustat_mark(c, probe_st_from_errno((int)n));
		probe_why(cx, "%s: %s", s->stat.path, strerror((int)-n));
		return (int)n;
	}
	r = cpustat_parse(s->stat.buf, (size_t)n, c);
	if (r == -ENOMEM) {
		probe_why(cx, "%s: %s", s->stat.path, strerror(ENOMEM));
		return r;
	}
	if (r < 0)
		probe_why(cx, "%s:%u: malformed", s->stat.path, c->bad_line);
	cpu_times_rate(&c->total, s->sec_per_tick);
	for (size_t i = 0; i < c->ncpus; i++) {
		if (c->cpus[i].in_stat)
			cpu_times_rate(&c->cpus[i].times, s->sec_per_tick);
	}
	return 0;
}

/*
 * cpu_online - the online set (from the "online" file, else from /proc/stat);
 * a change bumps the generation, which re-reads the static fields.
 */
static int cpu_online(struct probe_cx *cx, struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	ssize_t n = probe_src_read(cx->p, &s->online);
	uint32_t count = 0, end = 0;
	int r = n < 0 ? (int)n : cpu_list_parse(s->online.buf, (size_t)n, s->scratch, &count, &end);

	if (r == -ERANGE)
		r = 0;
	if (r < 0) {
		PV_NA(c->online, probe_st_from_errno(r));
		if (r == -EBADMSG)
			probe_why(cx, "%s:1: malformed", s->online.path);
		else
			probe_why(cx, "%s: %s", s->online.path, strerror(-r));
		memset(s->scratch, 0, sizeof(s->scratch));
		for (size_t i = 0; i < c->ncpus; i++) {
			if (c->cpus[i].in_stat)
				s->scratch[i / 64] |= UINT64_C(1) << (i % 64);
		}
	} else {
		PV_SET(c->online, count);
		r = cpu_grow(c, end);
		if (r < 0)
			return r;
	}
	if (!s->online_ok || memcmp(s->scratch, s->online_bits, sizeof(s->scratch)) != 0) {
		memcpy(s->online_bits, s->scratch, sizeof(s->scratch));
		s->online_ok = true;
		s->gen++;
		cpu_kf_reset(&s->kf, true);
	}
	for (size_t i = 0; i < c->ncpus; i++)
		c->cpus[i].online = cpu_list_has(s->online_bits, i);
	return 0;
}

/* cpu_why_absent - say why cpufreq values are missing (on VMs, often). */
static void cpu_why_absent(struct probe_cx *cx)
{
	const struct rtlab_probe_cpu *c = &cx->d->cpu;

	for (size_t i = 0; i < c->ncpus; i++) {
		const struct rtlab_cpu_logical *l = &c->cpus[i];

		if (!l->online)
			continue;
		if (l->cpufreq_st != RTLAB_PV_OK)
			probe_why(cx, CPU_SYS "/cpu%zu/cpufreq: %s (no cpufreq driver)", i,
				  rtlab_pv_state_name(l->cpufreq_st));
		return;
	}
}

/* cpu_collect - /proc/stat and the online set every time, static fields when due, then sysfs. */
static int cpu_collect(struct probe_cx *cx, void *state)
{
	struct cpu_state *s = state;
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	int r_stat = cpu_stat(cx, s);
	int r = cpu_online(cx, s);

	if (r_stat == -ENOMEM || r == -ENOMEM)
		return -ENOMEM;
	if (c->static_gen != s->gen || !c->static_ns ||
	    cx->now_ns - c->static_ns >= probe_opts(cx->p)->ttl_slow_ns)
		cpu_static_read(cx, s);
	cpu_dynamic_read(cx, s);
	cpu_why_absent(cx);
	/* Without /proc/stat nor sysfs there is nothing. */
	return r_stat < 0 && s->kf.dir < 0 ? r_stat : 0;
}

/* cpu_release - the per-CPU array. */
static void cpu_release(struct rtlab_probe_data *d)
{
	cpu_data_release(&d->cpu);
}

const struct probe_family probe_fam_cpu = {
	.name = "cpu",
	.id = RTLAB_PF_CPU,
	.open = cpu_open,
	.close = cpu_close,
	.collect = cpu_collect,
	.emit = cpu_emit,
	.release = cpu_release,
};
