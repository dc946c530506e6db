/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu-emit.c - the cpu family's samples, node_exporter's names where the metric is the same. */
#include <stdio.h>
#include <string.h>

#include "cpu/cpu-family.h"

#define GAUGE RTLAB_METRIC_GAUGE
#define COUNTER RTLAB_METRIC_COUNTER

/* A metric whose value is the rtlab_pu64 at @off, times @scale (1: exported as an integer). */
struct cpu_metric {
	struct rtlab_metric m;
	size_t off;
	double scale;
};

static const struct rtlab_metric m_seconds = {
	"node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", COUNTER
};
static const struct rtlab_metric m_guest = {
	"node_cpu_guest_seconds_total", "Seconds the CPUs spent in guests (VMs) for each mode.",
	COUNTER
};
static const struct rtlab_metric m_ratio = {
	"rtlab_cpu_usage_ratio", "Share of the last interval each CPU spent in each mode (0..1).",
	GAUGE
};
static const struct rtlab_metric m_busy = {
	"rtlab_cpu_busy_ratio", "Share of the last interval each CPU was not idle nor in iowait.",
	GAUGE
};
static const struct rtlab_metric m_all_ratio = {
	"rtlab_cpu_usage_overall_ratio", "Share of the last interval all CPUs spent in each mode.",
	GAUGE
};
static const struct rtlab_metric m_all_busy = {
	"rtlab_cpu_busy_overall_ratio", "Share of the last interval all CPUs were busy.", GAUGE
};
static const struct rtlab_metric m_softirqs = {
	"node_softirqs_total", "Number of softirq calls.", COUNTER
};
static const struct rtlab_metric m_count = {
	"rtlab_cpu_count", "CPUs online, possible and present.", GAUGE
};
static const struct rtlab_metric m_online = {
	"rtlab_cpu_online", "1 if the CPU is online.", GAUGE
};
static const struct rtlab_metric m_topology = {
	"rtlab_cpu_topology_info", "Package, die, cluster, core, NUMA node and threads of a CPU.",
	GAUGE
};
static const struct rtlab_metric m_governor = {
	"node_cpu_scaling_governor", "1 for the CPU's current cpufreq governor, 0 for the others.",
	GAUGE
};
static const struct rtlab_metric m_cpufreq = {
	"rtlab_cpufreq_info", "cpufreq driver, governor and energy preference of a CPU.", GAUGE
};
static const struct rtlab_metric m_pstate = {
	"rtlab_cpu_intel_pstate_info", "Mode of the intel_pstate driver.", GAUGE
};
static const struct rtlab_metric m_smt = {
	"rtlab_cpu_smt_info", "SMT control setting.", GAUGE
};

/* The system-wide numbers. */
static const struct cpu_metric sys_metrics[] = {
	{ { "node_context_switches_total", "Total number of context switches.", COUNTER },
	  C_OFF(ctxt), 1 },
	{ { "node_forks_total", "Total number of forks.", COUNTER }, C_OFF(processes), 1 },
	{ { "node_procs_running", "Number of processes in runnable state.", GAUGE },
	  C_OFF(procs_running), 1 },
	{ { "node_procs_blocked", "Number of processes blocked waiting for I/O to complete.",
	    GAUGE }, C_OFF(procs_blocked), 1 },
	{ { "node_boot_time_seconds", "Node boot time, in unixtime.", GAUGE }, C_OFF(btime), 1 },
	{ { "node_intr_total", "Total number of interrupts serviced.", COUNTER }, C_OFF(intr), 1 },
	{ { "rtlab_softirqs_total", "Softirqs run, all vectors.", COUNTER }, C_OFF(softirq), 1 },
	{ { "rtlab_cpu_ticks_per_second", "USER_HZ: ticks per second of /proc/stat.", GAUGE },
	  C_OFF(user_hz), 1 },
	{ { "rtlab_cpu_smt_active", "1 if sibling threads are running.", GAUGE },
	  C_OFF(smt_active), 1 },
	{ { "rtlab_cpu_boost_enabled", "cpufreq boost: 1 enabled.", GAUGE }, C_OFF(boost), 1 },
	{ { "rtlab_cpu_intel_pstate_no_turbo", "intel_pstate: 1 if turbo is off.", GAUGE },
	  C_OFF(no_turbo), 1 },
	{ { "rtlab_cpu_intel_pstate_min_perf_ratio", "intel_pstate: lowest P-state allowed.",
	    GAUGE }, C_OFF(pstate_min_perf_pct), 0.01 },
	{ { "rtlab_cpu_intel_pstate_max_perf_ratio", "intel_pstate: highest P-state allowed.",
	    GAUGE }, C_OFF(pstate_max_perf_pct), 0.01 },
	{ { "rtlab_cpu_intel_pstate_turbo_ratio", "intel_pstate: share of P-states in turbo.",
	    GAUGE }, C_OFF(pstate_turbo_pct), 0.01 },
	{ { "rtlab_cpu_intel_pstate_pstates", "intel_pstate: number of P-states.", GAUGE },
	  C_OFF(pstate_num_pstates), 1 },
};

/* The per-CPU numbers (label cpu). */
static const struct cpu_metric cpu_metrics[] = {
	{ { "node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz.",
	    GAUGE }, L_OFF(scaling_cur_khz), 1e3 },
	{ { "node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz.",
	    GAUGE }, L_OFF(scaling_min_khz), 1e3 },
	{ { "node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz.",
	    GAUGE }, L_OFF(scaling_max_khz), 1e3 },
	{ { "node_cpu_frequency_hertz", "Current cpu thread frequency in hertz.", GAUGE },
	  L_OFF(cpuinfo_cur_khz), 1e3 },
	{ { "node_cpu_frequency_min_hertz", "Minimum cpu thread frequency in hertz.", GAUGE },
	  L_OFF(cpuinfo_min_khz), 1e3 },
	{ { "node_cpu_frequency_max_hertz", "Maximum cpu thread frequency in hertz.", GAUGE },
	  L_OFF(cpuinfo_max_khz), 1e3 },
	{ { "rtlab_cpu_base_frequency_hertz", "Base (non-turbo) frequency in hertz.", GAUGE },
	  L_OFF(base_khz), 1e3 },
	{ { "rtlab_cpu_capacity", "Relative capacity (1024 = the biggest CPU).", GAUGE },
	  L_OFF(capacity), 1 },
	{ { "rtlab_cpu_isolated", "1 if the CPU is isolated from the scheduler (isolcpus).",
	    GAUGE }, L_OFF(isolated), 1 },
	{ { "rtlab_cpu_nohz_full", "1 if the CPU runs without the tick (nohz_full).", GAUGE },
	  L_OFF(nohz_full), 1 },
};

/* Per core (labels core, package), from its first thread. */
static const struct cpu_metric core_metrics[] = {
	{ { "node_cpu_core_throttles_total", "Number of times this CPU core has been throttled.",
	    COUNTER }, L_OFF(core_throttles), 1 },
	{ { "rtlab_cpu_core_throttle_seconds_total", "Time this CPU core has been throttled.",
	    COUNTER }, L_OFF(core_throttle_ms), 1e-3 },
};

/* Per package (label package), from its first CPU. */
static const struct cpu_metric package_metrics[] = {
	{ { "node_cpu_package_throttles_total",
	    "Number of times this CPU package has been throttled.", COUNTER },
	  L_OFF(package_throttles), 1 },
	{ { "rtlab_cpu_package_throttle_seconds_total", "Time this CPU package has been throttled.",
	    COUNTER }, L_OFF(package_throttle_ms), 1e-3 },
};


/* node_exporter's names of the /proc/stat softirq vectors. */
static const char *const vector_names[RTLAB_CPU_SOFTIRQ_VECTORS] = {
	"hi", "timer", "net_tx", "net_rx", "block", "block_iopoll", "tasklet", "sched", "hrtimer",
	"rcu",
};

/* The scale of a field that is a rtlab_pf64, not a rtlab_pu64. */
#define AS_F64 0.0

/* T_OFF - where mode @m of the times array @arr of a CPU is. */
#define T_OFF(arr, m) (L_OFF(times.arr) + (m) * sizeof(struct rtlab_pf64))

/* field - the value at @base + @off: a rtlab_pf64 (@scale AS_F64), else a rtlab_pu64 scaled. */
static struct rtlab_mval field(const void *base, size_t off, double scale)
{
	const char *f = (const char *)base + off;

	if (scale == AS_F64)
		return mv_f64(*(const struct rtlab_pf64 *)f);
	if (scale == 1)
		return mv_u64(*(const struct rtlab_pu64 *)f);
	return mv_scaled(*(const struct rtlab_pu64 *)f, scale);
}

/* listed - a CPU worth a sample: present, online or in /proc/stat. */
static bool listed(const struct rtlab_cpu_logical *l)
{
	return l->present || l->online || l->in_stat;
}

/* num - @v in decimal into @buf, "" if not read. */
static const char *num(char *buf, size_t size, struct rtlab_pi64 v)
{
	if (v.st != RTLAB_PV_OK)
		buf[0] = '\0';
	else
		snprintf(buf, size, "%lld", (long long)v.v);
	return buf;
}

/*
 * emit_each - @m for every listed CPU, the value at @off of its struct
 * rtlab_cpu_logical (see field()), labels cpu and, if @ln, @ln=@lv.
 */
static void emit_each(struct probe_emit *e, const struct rtlab_probe_cpu *c,
		      const struct rtlab_metric *m, size_t off, double scale, const char *ln,
		      const char *lv)
{
	char cpu[24];

	for (size_t i = 0; i < c->ncpus; i++) {
		struct rtlab_mval v = field(&c->cpus[i], off, scale);

		if (!listed(&c->cpus[i]))
			continue;
		snprintf(cpu, sizeof(cpu), "%zu", i);
		if (ln)
			pe_emitl(e, m, v, { "cpu", cpu }, { ln, lv });
		else
			pe_emitl(e, m, v, { "cpu", cpu });
	}
}

/* emit_times - CPU seconds by mode, guest seconds, shares per CPU and overall. */
static void emit_times(struct probe_emit *e, const struct rtlab_probe_cpu *c)
{
	for (size_t m = 0; m < RTLAB_CPU_GUEST; m++)
		emit_each(e, c, &m_seconds, T_OFF(seconds, m), AS_F64, "mode",
			  rtlab_cpu_mode_name(m));
	/* guest is user time and guest_nice nice time, inside a VM. */
	emit_each(e, c, &m_guest, T_OFF(seconds, RTLAB_CPU_GUEST), AS_F64, "mode", "user");
	emit_each(e, c, &m_guest, T_OFF(seconds, RTLAB_CPU_GUEST_NICE), AS_F64, "mode", "nice");
	for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++)
		emit_each(e, c, &m_ratio, T_OFF(ratio, m), AS_F64, "mode", rtlab_cpu_mode_name(m));
	emit_each(e, c, &m_busy, L_OFF(times.busy_ratio), AS_F64, NULL, NULL);
	for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++)
		pe_emitl(e, &m_all_ratio, mv_f64(c->total.ratio[m]),
			 { "mode", rtlab_cpu_mode_name(m) });
	pe_emit(e, &m_all_busy, mv_f64(c->total.busy_ratio));
}

/* emit_system - counters, softirq vectors, CPU counts, boost and driver settings. */
static void emit_system(struct probe_emit *e, const struct rtlab_probe_cpu *c)
{
	for (size_t k = 0; k < NELEM(sys_metrics); k++)
		pe_emit(e, &sys_metrics[k].m, field(c, sys_metrics[k].off, sys_metrics[k].scale));
	for (size_t v = 0; v < RTLAB_CPU_SOFTIRQ_VECTORS; v++)
		pe_emitl(e, &m_softirqs, mv_u64(c->softirq_vec[v]), { "vector", vector_names[v] });
	pe_emitl(e, &m_count, mv_u64(c->online), { "kind", "online" });
	pe_emitl(e, &m_count, mv_u64(c->possible), { "kind", "possible" });
	pe_emitl(e, &m_count, mv_u64(c->present), { "kind", "present" });
	pe_emitl(e, &m_pstate, mv_one(c->pstate_status.st), { "status", c->pstate_status.s });
	pe_emitl(e, &m_smt, mv_one(c->smt_control.st), { "control", c->smt_control.s });
}

/* emit_topology - online flags, topology info, per-CPU numbers. */
static void emit_topology(struct probe_emit *e, const struct rtlab_probe_cpu *c)
{
	char cpu[24], pkg[24], die[24], cluster[24], core[24], node[24];

	for (size_t i = 0; i < c->ncpus; i++) {
		struct rtlab_pu64 on = { c->cpus[i].online, RTLAB_PV_OK };

		snprintf(cpu, sizeof(cpu), "%zu", i);
		if (listed(&c->cpus[i]))
			pe_emitl(e, &m_online, mv_u64(on), { "cpu", cpu });
	}
	for (size_t i = 0; i < c->ncpus; i++) {
		const struct rtlab_cpu_logical *l = &c->cpus[i];

		if (!listed(l))
			continue;
		snprintf(cpu, sizeof(cpu), "%zu", i);
		pe_emitl(e, &m_topology, mv_one(l->core_id.st), { "cpu", cpu },
			 { "package", num(pkg, sizeof(pkg), l->package_id) },
			 { "die", num(die, sizeof(die), l->die_id) },
			 { "cluster", num(cluster, sizeof(cluster), l->cluster_id) },
			 { "core", num(core, sizeof(core), l->core_id) },
			 { "node", num(node, sizeof(node), l->numa_node) },
			 { "thread_siblings", l->thread_siblings.s });
	}
	for (size_t k = 0; k < NELEM(cpu_metrics); k++)
		emit_each(e, c, &cpu_metrics[k].m, cpu_metrics[k].off, cpu_metrics[k].scale, NULL,
			  NULL);
}

/* emit_governors - node_cpu_scaling_governor: 1 for the current one, 0 for the others. */
static void emit_governors(struct probe_emit *e, const struct rtlab_cpu_logical *l,
			   const char *cpu)
{
	const char *p = l->available_governors.s, *end = p + strlen(p), *w;
	char gov[sizeof(l->available_governors.s)];
	size_t wl;

	if (l->governor.st != RTLAB_PV_OK || l->available_governors.st != RTLAB_PV_OK) {
		pe_emitl(e, &m_governor, mv_one(l->governor.st), { "cpu", cpu },
			 { "governor", l->governor.s });
		return;
	}
	while (pp_word(&p, end, &w, &wl)) {
		struct rtlab_pu64 v = { pp_eq(w, wl, l->governor.s), RTLAB_PV_OK };

		pp_copy(gov, sizeof(gov), w, wl);
		pe_emitl(e, &m_governor, mv_u64(v), { "cpu", cpu }, { "governor", gov });
	}
}

/* emit_cpufreq - governors and the cpufreq info of each CPU. */
static void emit_cpufreq(struct probe_emit *e, const struct rtlab_probe_cpu *c)
{
	char cpu[24];

	for (size_t i = 0; i < c->ncpus; i++) {
		snprintf(cpu, sizeof(cpu), "%zu", i);
		if (listed(&c->cpus[i]))
			emit_governors(e, &c->cpus[i], cpu);
	}
	for (size_t i = 0; i < c->ncpus; i++) {
		const struct rtlab_cpu_logical *l = &c->cpus[i];

		if (!listed(l))
			continue;
		snprintf(cpu, sizeof(cpu), "%zu", i);
		pe_emitl(e, &m_cpufreq, mv_one(l->driver.st), { "cpu", cpu },
			 { "driver", l->driver.s }, { "governor", l->governor.s },
			 { "energy_performance_preference", l->epp.s });
	}
}

/* emit_throttles - per core and per package, from the first CPU of each. */
static void emit_throttles(struct probe_emit *e, const struct rtlab_probe_cpu *c)
{
	char pkg[24], core[24];

	for (size_t k = 0; k < NELEM(core_metrics); k++) {
		for (size_t i = 0; i < c->ncpus; i++) {
			const struct rtlab_cpu_logical *l = &c->cpus[i];

			if (l->first_thread)
				pe_emitl(e, &core_metrics[k].m,
					 field(l, core_metrics[k].off, core_metrics[k].scale),
					 { "core", num(core, sizeof(core), l->core_id) },
					 { "package", num(pkg, sizeof(pkg), l->package_id) });
		}
	}
	for (size_t k = 0; k < NELEM(package_metrics); k++) {
		for (size_t i = 0; i < c->ncpus; i++) {
			const struct rtlab_cpu_logical *l = &c->cpus[i];

			if (l->first_in_package)
				pe_emitl(e, &package_metrics[k].m,
					 field(l, package_metrics[k].off, package_metrics[k].scale),
					 { "package", num(pkg, sizeof(pkg), l->package_id) });
		}
	}
}

/* cpu_emit - every sample of the family, grouped by metric name. */
void cpu_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_cpu *c = &d->cpu;

	emit_times(e, c);
	emit_system(e, c);
	emit_topology(e, c);
	emit_cpufreq(e, c);
	emit_throttles(e, c);
}
