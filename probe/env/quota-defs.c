/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * quota-defs.c - the cgroup files the quota family reads: each one's v2 and
 * v1 name, its controller, and the fields of struct rtlab_probe_quota it fills.
 */
#include <stddef.h>

#include "env/quota.h"

#define QOFF(f) offsetof(struct rtlab_probe_quota, f)
#define MSOFF(f) offsetof(struct rtlab_probe_quota, mem_stat.f)
#define NKV(t) (uint8_t)(sizeof(t) / sizeof((t)[0]))

/* USER_HZ ticks (cpuacct.stat) to ns: USER_HZ is 100 on every Linux architecture but alpha. */
#define TICK_NS 10000000u

static const struct cg_kv cpu_stat_v2[] = {
	{ "usage_usec", QOFF(cpu_usage_ns), 1000 },
	{ "user_usec", QOFF(cpu_user_ns), 1000 },
	{ "system_usec", QOFF(cpu_system_ns), 1000 },
	{ "nr_periods", QOFF(cpu_nr_periods), 1 },
	{ "nr_throttled", QOFF(cpu_nr_throttled), 1 },
	{ "throttled_usec", QOFF(cpu_throttled_ns), 1000 },
	{ "nr_bursts", QOFF(cpu_nr_bursts), 1 },
	{ "burst_usec", QOFF(cpu_burst_ns), 1000 },
};

static const struct cg_kv cpu_stat_v1[] = {
	{ "nr_periods", QOFF(cpu_nr_periods), 1 },
	{ "nr_throttled", QOFF(cpu_nr_throttled), 1 },
	{ "throttled_time", QOFF(cpu_throttled_ns), 1 },
	{ "nr_bursts", QOFF(cpu_nr_bursts), 1 },
	{ "burst_time", QOFF(cpu_burst_ns), 1 },
};

static const struct cg_kv cpuacct_stat[] = {
	{ "user", QOFF(cpu_user_ns), TICK_NS },
	{ "system", QOFF(cpu_system_ns), TICK_NS },
};

static const struct cg_kv mem_events[] = {
	{ "low", QOFF(mem_events_low), 1 },
	{ "high", QOFF(mem_events_high), 1 },
	{ "max", QOFF(mem_events_max), 1 },
	{ "oom", QOFF(mem_events_oom), 1 },
	{ "oom_kill", QOFF(mem_events_oom_kill), 1 },
	{ "oom_group_kill", QOFF(mem_events_oom_group_kill), 1 },
};

static const struct cg_kv oom_control[] = {
	{ "oom_kill", QOFF(mem_events_oom_kill), 1 },
	{ "under_oom", QOFF(mem_under_oom), 1 },
};

static const struct cg_kv mem_stat_v2[] = {
	{ "anon", MSOFF(anon_bytes), 1 },
	{ "file", MSOFF(file_bytes), 1 },
	{ "kernel", MSOFF(kernel_bytes), 1 },
	{ "kernel_stack", MSOFF(kernel_stack_bytes), 1 },
	{ "slab", MSOFF(slab_bytes), 1 },
	{ "sock", MSOFF(sock_bytes), 1 },
	{ "shmem", MSOFF(shmem_bytes), 1 },
	{ "file_mapped", MSOFF(file_mapped_bytes), 1 },
	{ "file_dirty", MSOFF(file_dirty_bytes), 1 },
	{ "file_writeback", MSOFF(file_writeback_bytes), 1 },
	{ "active_anon", MSOFF(active_anon_bytes), 1 },
	{ "inactive_anon", MSOFF(inactive_anon_bytes), 1 },
	{ "active_file", MSOFF(active_file_bytes), 1 },
	{ "inactive_file", MSOFF(inactive_file_bytes), 1 },
	{ "unevictable", MSOFF(unevictable_bytes), 1 },
	{ "pgfault", MSOFF(pgfault), 1 },
	{ "pgmajfault", MSOFF(pgmajfault), 1 },
};

/* v1: the hierarchical totals (this cgroup and its descendants), as v2 counts. */
static const struct cg_kv mem_stat_v1[] = {
	{ "total_rss", MSOFF(anon_bytes), 1 },
	{ "total_cache", MSOFF(file_bytes), 1 },
	{ "total_shmem", MSOFF(shmem_bytes), 1 },
	{ "total_mapped_file", MSOFF(file_mapped_bytes), 1 },
	{ "total_dirty", MSOFF(file_dirty_bytes), 1 },
	{ "total_writeback", MSOFF(file_writeback_bytes), 1 },
	{ "total_swap", MSOFF(swap_bytes), 1 },
	{ "total_active_anon", MSOFF(active_anon_bytes), 1 },
	{ "total_inactive_anon", MSOFF(inactive_anon_bytes), 1 },
	{ "total_active_file", MSOFF(active_file_bytes), 1 },
	{ "total_inactive_file", MSOFF(inactive_file_bytes), 1 },
	{ "total_unevictable", MSOFF(unevictable_bytes), 1 },
	{ "total_pgfault", MSOFF(pgfault), 1 },
	{ "total_pgmajfault", MSOFF(pgmajfault), 1 },
};

static const struct cg_kv pids_events[] = {
	{ "max", QOFF(pids_events_max), 1 },
};

/*
 * One file whose values go to one field, a pair of fields, a table of keys, or
 * the devices.  Limits and settings (LIMIT, SET, LIST, IO_LIMIT) are slow:
 * read at the refresh, parsed again from the kept text in between.
 */
#define ONE(v2, v1, c, k, f, slow)                                                  \
	{ v2, v1, RTLAB_CGROUP_##c, k, QOFF(f), 0, 0, NULL, NULL, 0, 0, 0, slow }
#define LIMIT(v2, v1, c, f) ONE(v2, v1, c, Q_LIMIT, f, true)
#define SET(v2, v1, c, f) ONE(v2, v1, c, Q_U64, f, true)
#define U64(v2, v1, c, f) ONE(v2, v1, c, Q_U64, f, false)
#define KV(v2, v1, c, t2, t1) \
	{ v2, v1, RTLAB_CGROUP_##c, Q_KV, 0, 0, 0, t2, t1, NKV(t2), NKV(t1), 0, false }
#define LIST(v2, v1, n, s)                                                  \
	{ v2, v1, RTLAB_CGROUP_CPUSET, Q_CPULIST, QOFF(n), QOFF(s),          \
	  sizeof(((struct rtlab_probe_quota *)0)->s), NULL, NULL, 0, 0, 0, true }
#define IO(v2, v1, k) { v2, v1, RTLAB_CGROUP_IO, Q_IO, 0, 0, 0, NULL, NULL, 0, 0, k, false }
#define IO_LIMIT(v2, v1, k) { v2, v1, RTLAB_CGROUP_IO, Q_IO, 0, 0, 0, NULL, NULL, 0, 0, k, true }
#define PSI(v2, i)                                                          \
	{ v2, NULL, RTLAB_CGROUP_UNIFIED, Q_PSI, QOFF(psi_some_us[i]),       \
	  QOFF(psi_full_us[i]), 0, NULL, NULL, 0, 0, 0, false }

const struct qdef quota_defs[] = {
	{ "cpu.max", NULL, RTLAB_CGROUP_CPU, Q_CPUMAX, 0, 0, 0, NULL, NULL, 0, 0, 0, true },
	LIMIT(NULL, "cpu.cfs_quota_us", CPU, cpu_quota_us),
	SET(NULL, "cpu.cfs_period_us", CPU, cpu_period_us),
	SET("cpu.weight", NULL, CPU, cpu_weight),
	SET(NULL, "cpu.shares", CPU, cpu_shares),
	KV("cpu.stat", "cpu.stat", CPU, cpu_stat_v2, cpu_stat_v1),
	U64(NULL, "cpuacct.usage", CPUACCT, cpu_usage_ns),
	{ NULL, "cpuacct.stat", RTLAB_CGROUP_CPUACCT, Q_KV, 0, 0, 0, NULL, cpuacct_stat, 0,
	  NKV(cpuacct_stat), 0, false },
	LIST("cpuset.cpus.effective", "cpuset.effective_cpus", cpuset_ncpus, cpuset_cpus),
	LIST("cpuset.mems.effective", "cpuset.effective_mems", cpuset_nmems, cpuset_mems),
	LIMIT("memory.max", "memory.limit_in_bytes", MEMORY, mem_max_bytes),
	LIMIT("memory.high", NULL, MEMORY, mem_high_bytes),
	LIMIT("memory.low", NULL, MEMORY, mem_low_bytes),
	LIMIT("memory.min", NULL, MEMORY, mem_min_bytes),
	LIMIT(NULL, "memory.soft_limit_in_bytes", MEMORY, mem_soft_limit_bytes),
	LIMIT("memory.swap.max", NULL, MEMORY, swap_max_bytes),
	LIMIT(NULL, "memory.memsw.limit_in_bytes", MEMORY, memsw_max_bytes),
	U64("memory.current", "memory.usage_in_bytes", MEMORY, mem_current_bytes),
	U64("memory.peak", "memory.max_usage_in_bytes", MEMORY, mem_peak_bytes),
	U64("memory.swap.current", NULL, MEMORY, swap_current_bytes),
	U64(NULL, "memory.memsw.usage_in_bytes", MEMORY, memsw_current_bytes),
	U64(NULL, "memory.failcnt", MEMORY, mem_failcnt),
	KV("memory.events", "memory.oom_control", MEMORY, mem_events, oom_control),
	KV("memory.stat", "memory.stat", MEMORY, mem_stat_v2, mem_stat_v1),
	LIMIT("pids.max", "pids.max", PIDS, pids_max),
	U64("pids.current", "pids.current", PIDS, pids_current),
	KV("pids.events", "pids.events", PIDS, pids_events, pids_events),
	IO_LIMIT("io.max", NULL, CG_IO_MAX),
	IO("io.stat", NULL, CG_IO_STAT),
	IO_LIMIT(NULL, "blkio.throttle.read_bps_device", CG_BLKIO_RBPS),
	IO_LIMIT(NULL, "blkio.throttle.write_bps_device", CG_BLKIO_WBPS),
	IO_LIMIT(NULL, "blkio.throttle.read_iops_device", CG_BLKIO_RIOPS),
	IO_LIMIT(NULL, "blkio.throttle.write_iops_device", CG_BLKIO_WIOPS),
	IO(NULL, "blkio.throttle.io_service_bytes", CG_BLKIO_BYTES),
	IO(NULL, "blkio.throttle.io_serviced", CG_BLKIO_IOS),
	PSI("cpu.pressure", RTLAB_CGROUP_PSI_CPU),
	PSI("memory.pressure", RTLAB_CGROUP_PSI_MEMORY),
	PSI("io.pressure", RTLAB_CGROUP_PSI_IO),
};

const size_t quota_ndefs = sizeof(quota_defs) / sizeof(quota_defs[0]);
