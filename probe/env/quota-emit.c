/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * quota-emit.c - the quota family's samples.
 *
 * A limit that is "max" (no limit) has no sample in its gauge (a number would
 * lie, +Inf would break sums and ratios); rtlab_cgroup_unlimited{limit} and
 * rtlab_rlimit_unlimited{resource,limit} say 1 for it instead (0 for a
 * number), so "unlimited" and "unknown" stay apart.
 */
#include <stdio.h>

#include "env/quota.h"

#define QOFF(f) offsetof(struct rtlab_probe_quota, f)
/* Divisors to seconds (a division by an exact power of ten rounds as printed). */
#define NS 1e9
#define US 1e6

/* A plain value of struct rtlab_probe_quota: a struct rtlab_pu64 at off, over div (0: as is). */
struct q_value {
	struct rtlab_metric m;
	size_t off;
	double div;
};

/* A limit (struct rtlab_probe_limit at off) and its name in rtlab_cgroup_unlimited. */
struct q_limit {
	struct rtlab_metric m;
	size_t off;
	const char *name;
};

#define G(name, help, f, k) { { name, help, RTLAB_METRIC_GAUGE }, QOFF(f), k }
#define C(name, help, f, k) { { name, help, RTLAB_METRIC_COUNTER }, QOFF(f), k }
#define L(name, help, f, n) { { name, help, RTLAB_METRIC_GAUGE }, QOFF(f), n }

static const struct q_value cpu_values[] = {
	G("rtlab_cgroup_cpu_period_seconds", "CPU bandwidth period (cpu.max, cpu.cfs_period_us).",
	  cpu_period_us, US),
	G("rtlab_cgroup_cpu_weight", "cgroup v2 cpu.weight (1-10000, default 100).", cpu_weight, 0),
	G("rtlab_cgroup_cpu_shares", "cgroup v1 cpu.shares (default 1024).", cpu_shares, 0),
	C("rtlab_cgroup_cpu_usage_seconds_total", "CPU time used by the cgroup.", cpu_usage_ns, NS),
	C("rtlab_cgroup_cpu_user_seconds_total", "CPU time of the cgroup in user mode.",
	  cpu_user_ns, NS),
	C("rtlab_cgroup_cpu_system_seconds_total", "CPU time of the cgroup in kernel mode.",
	  cpu_system_ns, NS),
	C("rtlab_cgroup_cpu_periods_total", "Enforcement periods that elapsed with runnable tasks.",
	  cpu_nr_periods, 0),
	C("rtlab_cgroup_cpu_throttled_periods_total", "Periods in which the cgroup was throttled.",
	  cpu_nr_throttled, 0),
	C("rtlab_cgroup_cpu_throttled_seconds_total", "Time the cgroup's tasks were throttled.",
	  cpu_throttled_ns, NS),
	C("rtlab_cgroup_cpu_bursts_total", "Periods in which the cgroup used its burst.",
	  cpu_nr_bursts, 0),
	C("rtlab_cgroup_cpu_burst_seconds_total", "CPU time used in bursts above the quota.",
	  cpu_burst_ns, NS),
	G("rtlab_cgroup_cpuset_cpus", "CPUs in the cgroup's effective cpuset.", cpuset_ncpus, 0),
	G("rtlab_cgroup_cpuset_mems", "Memory nodes in the cgroup's effective cpuset.",
	  cpuset_nmems, 0),
};

static const struct q_limit limits[] = {
	L("rtlab_cgroup_memory_max_bytes", "Memory limit (memory.max, memory.limit_in_bytes).",
	  mem_max_bytes, "memory.max"),
	L("rtlab_cgroup_memory_high_bytes", "Memory throttling threshold (v2 memory.high).",
	  mem_high_bytes, "memory.high"),
	L("rtlab_cgroup_memory_low_bytes", "Best-effort memory protection (v2 memory.low).",
	  mem_low_bytes, "memory.low"),
	L("rtlab_cgroup_memory_min_bytes", "Hard memory protection (v2 memory.min).", mem_min_bytes,
	  "memory.min"),
	L("rtlab_cgroup_memory_soft_limit_bytes", "v1 memory.soft_limit_in_bytes.",
	  mem_soft_limit_bytes, "memory.soft_limit"),
	L("rtlab_cgroup_memory_swap_max_bytes", "Swap limit (v2 memory.swap.max).", swap_max_bytes,
	  "memory.swap.max"),
	L("rtlab_cgroup_memory_memsw_max_bytes",
	  "Memory+swap limit (v1 memory.memsw.limit_in_bytes).", memsw_max_bytes,
	  "memory.memsw.max"),
	L("rtlab_cgroup_memory_hierarchical_max_bytes",
	  "The smallest memory limit of the cgroup and its ancestors.", mem_max_hier_bytes,
	  "memory.hierarchical"),
	L("rtlab_cgroup_pids_max", "Task limit (pids.max).", pids_max, "pids.max"),
};

static const struct q_value mem_values[] = {
	G("rtlab_cgroup_memory_current_bytes", "Memory charged to the cgroup.", mem_current_bytes,
	  0),
	G("rtlab_cgroup_memory_peak_bytes",
	  "Peak memory charged (memory.peak, max_usage_in_bytes).", mem_peak_bytes, 0),
	G("rtlab_cgroup_memory_swap_current_bytes", "Swap charged (v2).", swap_current_bytes, 0),
	G("rtlab_cgroup_memory_memsw_current_bytes", "Memory+swap charged (v1).",
	  memsw_current_bytes, 0),
	C("rtlab_cgroup_memory_failcnt_total", "Times the v1 memory limit was hit.", mem_failcnt,
	  0),
	G("rtlab_cgroup_memory_working_set_bytes", "Memory charged less the inactive file cache.",
	  mem_working_set_bytes, 0),
	G("rtlab_cgroup_memory_under_oom", "1 while the v1 cgroup is out of memory.", mem_under_oom,
	  0),
	C("rtlab_cgroup_memory_pgfault_total", "Page faults in the cgroup.", mem_stat.pgfault, 0),
	C("rtlab_cgroup_memory_pgmajfault_total", "Major page faults in the cgroup.",
	  mem_stat.pgmajfault, 0),
	G("rtlab_cgroup_pids_current", "Tasks in the cgroup.", pids_current, 0),
	C("rtlab_cgroup_pids_events_max_total", "Forks refused by pids.max.", pids_events_max, 0),
	G("rtlab_cpus_online", "Online CPUs (/sys/devices/system/cpu/online).", cpus_online, 0),
	G("rtlab_cpus_affinity", "CPUs the process may run on (sched_getaffinity).", cpus_affinity,
	  0),
	G("rtlab_effective_cpus_rounded",
	  "min(affinity or online CPUs, cpuset CPUs, quota rounded up), as runtimes size pools.",
	  effective_cpus_int, 0),
	G("rtlab_effective_memory_bytes", "min(MemTotal, the hierarchical cgroup memory limit).",
	  effective_mem_bytes, 0),
};

/* A memory.events counter or memory.stat item, and its label. */
struct q_item {
	const char *label;
	size_t off;
};

static const struct q_item events[] = {
	{ "low", QOFF(mem_events_low) },
	{ "high", QOFF(mem_events_high) },
	{ "max", QOFF(mem_events_max) },
	{ "oom", QOFF(mem_events_oom) },
	{ "oom_kill", QOFF(mem_events_oom_kill) },
	{ "oom_group_kill", QOFF(mem_events_oom_group_kill) },
};

#define MS(n) { #n, QOFF(mem_stat.n##_bytes) }
static const struct q_item stat_items[] = {
	MS(anon),	   MS(file),	       MS(kernel),	  MS(kernel_stack),
	MS(slab),	   MS(sock),	       MS(shmem),	  MS(file_mapped),
	MS(file_dirty),	   MS(file_writeback), MS(swap),	  MS(active_anon),
	MS(inactive_anon), MS(active_file),    MS(inactive_file), MS(unevictable),
};

static const struct rtlab_metric m_info = {
	"rtlab_cgroup_info", "The process's cgroup: mode (v1, v2, hybrid, none) and path.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_cores = {
	"rtlab_cgroup_cpu_quota_cores",
	"CPU bandwidth limit in CPUs: quota/period, the smallest of the cgroup and its ancestors.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_unlimited = {
	"rtlab_cgroup_unlimited",
	"1 if the cgroup limit is \"max\" (no limit), 0 if it is a number.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_events = {
	"rtlab_cgroup_memory_events_total", "memory.events (v2) and oom_control (v1) counters.",
	RTLAB_METRIC_COUNTER
};
static const struct rtlab_metric m_stat = {
	"rtlab_cgroup_memory_stat_bytes", "memory.stat items (v1: the hierarchical total_ ones).",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_psi[2] = {
	{ "rtlab_cgroup_pressure_waiting_seconds_total",
	  "Time some of the cgroup's tasks stalled on the resource (PSI some).",
	  RTLAB_METRIC_COUNTER },
	{ "rtlab_cgroup_pressure_stalled_seconds_total",
	  "Time all of the cgroup's tasks stalled on the resource (PSI full).",
	  RTLAB_METRIC_COUNTER },
};
static const struct rtlab_metric m_eff_cpus = {
	"rtlab_effective_cpus",
	"min(affinity or online CPUs, cpuset CPUs, quota/period): the CPUs the process can use.",
	RTLAB_METRIC_GAUGE
};

/* u64_at - the struct rtlab_pu64 at @off of @q. */
static struct rtlab_pu64 u64_at(const struct rtlab_probe_quota *q, size_t off)
{
	return *(const struct rtlab_pu64 *)((const char *)q + off);
}

/* mv_div - a u64 over @div as a double (µs or ns to seconds). */
static struct rtlab_mval mv_div(struct rtlab_pu64 x, double div)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_F64, .st = x.st, .f = (double)x.v / div };
}

/* emit_values - one unlabeled sample each. */
static void emit_values(struct probe_emit *e, const struct rtlab_probe_quota *q,
			const struct q_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct rtlab_pu64 x = u64_at(q, v[i].off);

		pe_emit(e, &v[i].m, v[i].div ? mv_div(x, v[i].div) : mv_u64(x));
	}
}

/* emit_items - one sample per item, labelled. */
static void emit_items(struct probe_emit *e, const struct rtlab_metric *m, const char *label,
		       const struct rtlab_probe_quota *q, const struct q_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pe_emitl(e, m, mv_u64(u64_at(q, it[i].off)), { label, it[i].label });
}

/* unlimited_val - 1 for "max", 0 for a number, with the limit's state. */
static struct rtlab_mval unlimited_val(uint8_t st, bool unlimited)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_U64, .st = st, .u = unlimited };
}

/* emit_limits - the limit gauges (no sample when unlimited), then rtlab_cgroup_unlimited. */
static void emit_limits(struct probe_emit *e, const struct rtlab_probe_quota *q)
{
	const size_t n = sizeof(limits) / sizeof(limits[0]);

	for (size_t i = 0; i < n; i++) {
		const struct rtlab_probe_limit *l =
			(const struct rtlab_probe_limit *)((const char *)q + limits[i].off);

		if (!l->unlimited)
			pe_emit(e, &limits[i].m, mv_u64((struct rtlab_pu64){ l->v, l->st }));
	}
	pe_emitl(e, &m_unlimited,
		 unlimited_val(q->cpu_quota_cores.st, q->cpu_quota_cores.unlimited),
		 { "limit", "cpu" });
	for (size_t i = 0; i < n; i++) {
		const struct rtlab_probe_limit *l =
			(const struct rtlab_probe_limit *)((const char *)q + limits[i].off);

		pe_emitl(e, &m_unlimited, unlimited_val(l->st, l->unlimited),
			 { "limit", limits[i].name });
	}
}

/* emit_psi - some and full totals per resource. */
static void emit_psi(struct probe_emit *e, const struct rtlab_probe_quota *q)
{
	static const char *const res[RTLAB_CGROUP_PSI__COUNT] = { "cpu", "memory", "io" };

	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < RTLAB_CGROUP_PSI__COUNT; i++)
			pe_emitl(e, &m_psi[k],
				 mv_div(k ? q->psi_full_us[i] : q->psi_some_us[i], US),
				 { "resource", res[i] });
}

/* quota_emit - cgroup, derived values, I/O, rlimits. */
void quota_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	static const char *const modes[] = { "none", "v1", "v2", "hybrid" };
	const struct rtlab_probe_quota *q = &d->quota;

	pe_emitl(e, &m_info, mv_one(RTLAB_PV_OK), { "mode", modes[q->mode & 3] },
		 { "path", q->path });
	if (!q->cpu_quota_cores.unlimited)
		pe_emit(e, &m_cores, mv_f64((struct rtlab_pf64){ q->cpu_quota_cores.v,
								  q->cpu_quota_cores.st }));
	emit_values(e, q, cpu_values, sizeof(cpu_values) / sizeof(cpu_values[0]));
	emit_limits(e, q);
	emit_values(e, q, mem_values, sizeof(mem_values) / sizeof(mem_values[0]));
	emit_items(e, &m_events, "event", q, events, sizeof(events) / sizeof(events[0]));
	emit_items(e, &m_stat, "item", q, stat_items, sizeof(stat_items) / sizeof(stat_items[0]));
	emit_psi(e, q);
	pe_emit(e, &m_eff_cpus, mv_f64(q->effective_cpus));
	quota_emit_io(e, q);
	quota_emit_rlimits(e, q);
}
