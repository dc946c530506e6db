/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-quota.c - the quota family on the cgroup1, cgroup2, container and vm
 * trees, on damaged trees, and its samples.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "env-test.h"

#include "env/env-parse.h"

#define MIB (UINT64_C(1) << 20)
#define Q RTLAB_PF_QUOTA

/* The v2 host: a service with a half-CPU quota under a parent with a 256 MiB limit. */
Test(quota, cgroup2_service)
{
	struct rtlab_probe_data *d = collect_tree("cgroup2", Q);
	const struct rtlab_probe_quota *q = &d->quota;

	cr_assert_eq(d->err[Q], 0, "%s", d->why[Q]);
	cr_assert_str_eq(d->why[Q], "");
	cr_assert_eq(q->mode, RTLAB_CGROUP_V2);
	cr_assert_str_eq(q->path, "/system.slice/app.service");
	cr_assert_str_eq(q->dir[RTLAB_CGROUP_MEMORY], "/sys/fs/cgroup/system.slice/app.service");
	cr_assert(q->cpu_quota_us.v == 50000 && q->cpu_period_us.v == 100000);
	cr_assert(!q->cpu_quota_cores.unlimited);
	cr_assert_float_eq(q->cpu_quota_cores.v, 0.5, 1e-9);
	cr_assert_eq(q->cpu_weight.v, 100);
	cr_assert_eq(q->cpu_shares.st, RTLAB_PV_ABSENT);
	cr_assert_eq(q->cpu_usage_ns.v, UINT64_C(81234567000));
	cr_assert_eq(q->cpu_throttled_ns.v, UINT64_C(19000000000));
	cr_assert_eq(q->cpu_nr_throttled.v, 380);
	cr_assert_str_eq(q->cpuset_cpus, "0-3");
	cr_assert_eq(q->cpuset_ncpus.v, 4);
	cr_assert_eq(q->mem_max_bytes.v, 512 * MIB);
	cr_assert(q->mem_high_bytes.st == RTLAB_PV_OK && q->mem_high_bytes.unlimited);
	cr_assert(q->swap_max_bytes.unlimited);
	cr_assert_eq(q->mem_max_hier_bytes.v, 256 * MIB);
	cr_assert_eq(q->mem_peak_bytes.v, 301989888);
	cr_assert_eq(q->mem_events_oom_kill.v, 1);
	cr_assert_eq(q->mem_events_max.v, 12);
	cr_assert_eq(q->mem_stat.anon_bytes.v, 120586240);
	cr_assert_eq(q->mem_stat.pgmajfault.v, 87);
	cr_assert_eq(q->mem_stat.swap_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(q->mem_working_set_bytes.v, 187412480 - 31457280);
	cr_assert(q->pids_max.v == 512 && q->pids_current.v == 12 && q->pids_events_max.v == 3);
	cr_assert_eq(q->psi_some_us[RTLAB_CGROUP_PSI_CPU].v, 9000000);
	cr_assert_eq(q->psi_full_us[RTLAB_CGROUP_PSI_IO].v, 3000000);
	/* online 8, cpuset 4, quota 0.5: the quota wins; rounded up, 1. */
	cr_assert_eq(q->cpus_online.v, 8);
	cr_assert_eq(q->cpus_affinity.st, RTLAB_PV_ABSENT);
	cr_assert_float_eq(q->effective_cpus.v, 0.5, 1e-9);
	cr_assert_eq(q->effective_cpus_int.v, 1);
	cr_assert_eq(q->mem_total_bytes.v, UINT64_C(16316412) * 1024);
	cr_assert_eq(q->effective_mem_bytes.v, 256 * MIB);
	/* Below another root, rlimits come from its /proc/self/limits. */
	cr_assert(q->rlimit[7].soft.v == 1024 && q->rlimit[7].hard.v == 524288);
	rtlab_probe_data_free(d);
}

Test(quota, cgroup2_io_devices)
{
	struct rtlab_probe_data *d = collect_tree("cgroup2", Q);
	const struct rtlab_probe_quota *q = &d->quota;

	cr_assert_eq(q->io_st, RTLAB_PV_OK);
	cr_assert_eq(q->nio, 2);
	cr_assert(q->io[0].major == 8 && q->io[0].rbps.v == 1048576 && q->io[0].wiops.v == 200);
	cr_assert(q->io[0].wbps.unlimited && q->io[0].riops.unlimited);
	/* io.max was read and does not list 253:0: no limit there. */
	cr_assert(q->io[1].major == 253 && q->io[1].rbps.st == RTLAB_PV_OK &&
		  q->io[1].rbps.unlimited);
	cr_assert_eq(q->io[1].wbytes.v, 8192);
	rtlab_probe_data_free(d);
}

/* v1: cpu,cpuacct joined; the parent's 1-CPU quota is below the service's 1.5. */
Test(quota, cgroup1_hierarchies)
{
	struct rtlab_probe_data *d = collect_tree("cgroup1", Q);
	const struct rtlab_probe_quota *q = &d->quota;

	cr_assert_eq(d->err[Q], 0, "%s", d->why[Q]);
	cr_assert_eq(q->mode, RTLAB_CGROUP_V1);
	cr_assert_str_eq(q->path, "/system.slice/app.service");
	cr_assert_str_eq(q->dir[RTLAB_CGROUP_CPU],
			 "/sys/fs/cgroup/cpu,cpuacct/system.slice/app.service");
	cr_assert_str_eq(q->dir[RTLAB_CGROUP_CPUSET], "/sys/fs/cgroup/cpuset");
	cr_assert_eq(q->cpu_quota_us.v, 150000);
	cr_assert_float_eq(q->cpu_quota_cores.v, 1.0, 1e-9);
	cr_assert_eq(q->cpu_shares.v, 512);
	cr_assert_eq(q->cpu_weight.st, RTLAB_PV_ABSENT);
	cr_assert_eq(q->cpu_usage_ns.v, UINT64_C(45500000000));
	cr_assert_eq(q->cpu_user_ns.v, UINT64_C(31000000000));
	cr_assert_eq(q->cpu_throttled_ns.v, UINT64_C(2500000000));
	cr_assert_eq(q->cpuset_ncpus.v, 6);
	cr_assert_float_eq(q->effective_cpus.v, 1.0, 1e-9);
	cr_assert_eq(q->effective_cpus_int.v, 1);
	cr_assert_eq(q->mem_max_bytes.v, 1024 * MIB);
	cr_assert(q->memsw_max_bytes.unlimited && q->mem_soft_limit_bytes.unlimited);
	cr_assert_eq(q->mem_max_hier_bytes.v, 768 * MIB);
	cr_assert_eq(q->effective_mem_bytes.v, 768 * MIB);
	cr_assert_eq(q->mem_failcnt.v, 7);
	cr_assert_eq(q->mem_events_oom_kill.v, 2);
	cr_assert_eq(q->mem_under_oom.v, 0);
	cr_assert_eq(q->mem_events_oom.st, RTLAB_PV_ABSENT);
	cr_assert_eq(q->mem_stat.anon_bytes.v, 283115520);
	cr_assert_eq(q->mem_stat.kernel_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(q->pids_max.v, 1000);
	cr_assert_eq(q->psi_some_us[0].st, RTLAB_PV_ABSENT);
	cr_assert_eq(q->nio, 1);
	cr_assert(q->io[0].rbps.v == 10485760 && q->io[0].wiops.v == 500);
	cr_assert(q->io[0].wbps.unlimited && q->io[0].riops.unlimited);
	cr_assert(q->io[0].rbytes.v == 7340032 && q->io[0].wios.v == 32);
	rtlab_probe_data_free(d);
}

/* A container's own cgroup ("0::/" in its namespace) at the mount point. */
Test(quota, container_namespace_root)
{
	struct rtlab_probe_data *d = collect_tree("container", Q);
	const struct rtlab_probe_quota *q = &d->quota;

	cr_assert_eq(d->err[Q], 0, "%s", d->why[Q]);
	cr_assert_eq(q->mode, RTLAB_CGROUP_V2);
	cr_assert_str_eq(q->path, "/");
	cr_assert_str_eq(q->dir[RTLAB_CGROUP_MEMORY], "/sys/fs/cgroup");
	cr_assert_float_eq(q->cpu_quota_cores.v, 1.5, 1e-9);
	cr_assert_float_eq(q->effective_cpus.v, 1.5, 1e-9);
	cr_assert_eq(q->effective_cpus_int.v, 2);
	cr_assert_eq(q->effective_mem_bytes.v, 2048 * MIB);
	cr_assert(!q->swap_max_bytes.unlimited && q->swap_max_bytes.v == 0);
	cr_assert(q->pids_max.st == RTLAB_PV_OK && q->pids_max.unlimited);
	cr_assert_eq(q->mem_peak_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(q->rlimit[7].soft.v, 1048576);
	rtlab_probe_data_free(d);
}

/* fixture_count - a CPU list of the vm tree, counted by the parser. */
static uint64_t fixture_count(const char *path)
{
	struct rtlab_pu64 c;
	size_t len;
	char *buf = fixture_load("vm", path, &len);

	cr_assert_eq(cg_cpulist_count(buf, len, &c), 0, "%s", path);
	free(buf);
	return c.v;
}

/* This VM, captured: systemd's hybrid layout, the process's memory cgroup a child of v1's root. */
Test(quota, vm_captured)
{
	struct rtlab_probe_data *d = collect_tree("vm", Q);
	const struct rtlab_probe_quota *q = &d->quota;
	uint64_t online = fixture_count("/sys/devices/system/cpu/online");
	uint64_t cpuset = fixture_count("/sys/fs/cgroup/cpuset/cpuset.effective_cpus");
	struct rtlab_pu64 total;
	size_t len;
	char *meminfo = fixture_load("vm", "/proc/meminfo", &len);

	cr_assert_eq(env_memtotal_parse(meminfo, len, &total), 0);
	free(meminfo);
	cr_assert_eq(d->err[Q], 0, "%s", d->why[Q]);
	cr_assert_eq(q->mode, RTLAB_CGROUP_HYBRID);
	cr_assert(strncmp(q->path, "/process_api/", 13) == 0, "%s", q->path);
	cr_assert_eq(q->mem_current_bytes.st, RTLAB_PV_OK);
	cr_assert(q->mem_max_bytes.unlimited, "the page-counter maximum is no limit");
	cr_assert(q->cpu_quota_us.unlimited && q->cpu_quota_cores.unlimited);
	cr_assert_eq(q->psi_some_us[RTLAB_CGROUP_PSI_CPU].st, RTLAB_PV_OK, "PSI from the v2 mount");
	cr_assert_eq(q->effective_cpus_int.v, online < cpuset ? online : cpuset);
	cr_assert_eq(q->effective_mem_bytes.v, total.v);
	rtlab_probe_data_free(d);
}

/* cg2_tree - a small v2 tree: the process in /app with these cpu.max and memory.max. */
static void cg2_tree(char *root, size_t size, const char *cpu_max, const char *mem_max)
{
	tree_new(root, size);
	tree_put(root, "/proc/self/cgroup", "0::/app\n");
	tree_put(root, "/proc/self/mountinfo",
		 "25 24 0:23 / /sys/fs/cgroup rw,relatime shared:3 - cgroup2 cgroup2 rw\n");
	tree_put(root, "/proc/meminfo", "MemTotal:        1000000 kB\n");
	tree_put(root, "/sys/devices/system/cpu/online", "0-3\n");
	if (cpu_max)
		tree_put(root, "/sys/fs/cgroup/app/cpu.max", cpu_max);
	if (mem_max)
		tree_put(root, "/sys/fs/cgroup/app/memory.max", mem_max);
}

Test(quota, damaged_cpu_max_is_malformed_with_file_line)
{
	char root[PATH_MAX];
	struct rtlab_probe_data *d;

	cg2_tree(root, sizeof(root), "garbage\n", "max\n");
	d = collect_at(root, Q);
	cr_assert_eq(d->quota.cpu_quota_us.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->quota.cpu_quota_cores.st, RTLAB_PV_MALFORMED);
	cr_assert(strstr(d->why[Q], "/sys/fs/cgroup/app/cpu.max:1: malformed"), "%s", d->why[Q]);
	/* The rest is still there; "max" memory is no limit, so MemTotal bounds it. */
	cr_assert(d->quota.mem_max_bytes.unlimited);
	cr_assert_eq(d->quota.effective_mem_bytes.v, UINT64_C(1000000) * 1024);
	cr_assert_eq(d->quota.effective_cpus_int.v, 4);
	rtlab_probe_data_free(d);
	tree_free(root);
}

Test(quota, truncated_and_max_quota)
{
	char root[PATH_MAX];
	struct rtlab_probe_data *d;

	cg2_tree(root, sizeof(root), "max 100000\n", "1048576");
	d = collect_at(root, Q);
	cr_assert(d->quota.cpu_quota_us.unlimited && d->quota.cpu_quota_cores.unlimited);
	cr_assert_eq(d->quota.cpu_period_us.v, 100000);
	cr_assert_eq(d->quota.mem_max_bytes.v, 1048576, "no newline is still a number");
	cr_assert_eq(d->quota.effective_mem_bytes.v, 1048576);
	rtlab_probe_data_free(d);
	tree_free(root);

	cg2_tree(root, sizeof(root), "150000", NULL);
	d = collect_at(root, Q);
	cr_assert_eq(d->quota.cpu_period_us.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->quota.mem_max_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->quota.effective_cpus_int.v, 4, "no usable quota: the online CPUs");
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Table-driven: online, cpuset and quota; the effective counts JDK-style. */
struct eff_case {
	char online[16], cpuset[16], cpu_max[32];
	double cpus;
	uint64_t rounded;
};

static struct eff_case eff_cases[] = {
	{ "0-7\n", "0-7\n", "max 100000\n", 8.0, 8 },
	{ "0-7\n", "0-3\n", "max 100000\n", 4.0, 4 },
	{ "0-7\n", "0-7\n", "250000 100000\n", 2.5, 3 },
	{ "0-7\n", "0-1\n", "250000 100000\n", 2.0, 2 },
	{ "0-3\n", "0-3\n", "1000 100000\n", 0.01, 1 },
	{ "0\n", "0\n", "900000 100000\n", 1.0, 1 },
	{ "0-63\n", "0-15,32-47\n", "1200000 50000\n", 24.0, 24 },
};

ParameterizedTestParameters(quota, effective_cpus)
{
	return cr_make_param_array(struct eff_case, eff_cases,
				   sizeof(eff_cases) / sizeof(eff_cases[0]));
}

ParameterizedTest(struct eff_case *c, quota, effective_cpus)
{
	char root[PATH_MAX];
	struct rtlab_probe_data *d;

	cg2_tree(root, sizeof(root), c->cpu_max, NULL);
	tree_put(root, "/sys/devices/system/cpu/online", c->online);
	tree_put(root, "/sys/fs/cgroup/app/cpuset.cpus.effective", c->cpuset);
	d = collect_at(root, Q);
	cr_assert_float_eq(d->quota.effective_cpus.v, c->cpus, 1e-9, "%s %s %s", c->online,
			   c->cpuset, c->cpu_max);
	cr_assert_eq(d->quota.effective_cpus_int.v, c->rounded);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Table-driven: MemTotal against the cgroup's and its parents' limits. */
struct mem_case {
	char memtotal[48], mem_max[32], parent_max[32];
	uint64_t effective;
	bool hier_unlimited;
};

static struct mem_case mem_cases[] = {
	{ "MemTotal: 1000 kB\n", "max\n", "max\n", 1024000, true },
	{ "MemTotal: 1000 kB\n", "2048000\n", "max\n", 1024000, false },
	{ "MemTotal: 1000 kB\n", "4096\n", "max\n", 4096, false },
	{ "MemTotal: 1000 kB\n", "max\n", "8192\n", 8192, false },
	{ "MemTotal: 1000 kB\n", "16384\n", "8192\n", 8192, false },
	{ "MemTotal: 1000 kB\n", "9223372036854771712\n", "max\n", 1024000, true },
};

ParameterizedTestParameters(quota, effective_memory)
{
	return cr_make_param_array(struct mem_case, mem_cases,
				   sizeof(mem_cases) / sizeof(mem_cases[0]));
}

ParameterizedTest(struct mem_case *c, quota, effective_memory)
{
	char root[PATH_MAX];
	struct rtlab_probe_data *d;

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/self/cgroup", "0::/parent/app\n");
	tree_put(root, "/proc/self/mountinfo",
		 "25 24 0:23 / /sys/fs/cgroup rw,relatime shared:3 - cgroup2 cgroup2 rw\n");
	tree_put(root, "/proc/meminfo", c->memtotal);
	tree_put(root, "/sys/fs/cgroup/parent/app/memory.max", c->mem_max);
	tree_put(root, "/sys/fs/cgroup/parent/memory.max", c->parent_max);
	d = collect_at(root, Q);
	cr_assert_eq(d->quota.effective_mem_bytes.v, c->effective, "%s / %s", c->mem_max,
		     c->parent_max);
	cr_assert_eq(d->quota.mem_max_hier_bytes.unlimited, c->hier_unlimited);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* No cgroup file system at all: mode none, limits absent, CPUs from the online list. */
Test(quota, no_cgroups)
{
	char root[PATH_MAX];
	struct rtlab_probe_data *d;

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/devices/system/cpu/online", "0-5\n");
	d = collect_at(root, Q);
	cr_assert_eq(d->quota.mode, RTLAB_CGROUP_NONE);
	cr_assert_eq(d->quota.cpu_quota_us.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->quota.cpu_quota_cores.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->quota.mem_max_hier_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->quota.effective_cpus_int.v, 6);
	cr_assert_eq(d->quota.effective_mem_bytes.st, RTLAB_PV_ABSENT, "no MemTotal, no limit");
	cr_assert_eq(d->quota.rlimit[0].soft.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[Q], "/proc/self/cgroup"), "%s", d->why[Q]);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* A process moved to another cgroup is followed at the next collection. */
Test(quota, follows_a_move)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	cg2_tree(root, sizeof(root), "100000 100000\n", NULL);
	tree_put(root, "/sys/fs/cgroup/other/cpu.max", "300000 100000\n");
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(Q), d), 0);
	cr_assert_float_eq(d->quota.cpu_quota_cores.v, 1.0, 1e-9);
	tree_put(root, "/proc/self/cgroup", "0::/other\n");
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(Q), d), 0);
	cr_assert_str_eq(d->quota.path, "/other");
	cr_assert_float_eq(d->quota.cpu_quota_cores.v, 3.0, 1e-9);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/*
 * Usage is read on every collection; limits at the refresh only (their kept
 * text parsed again in between, for every consumer), and at once after a move.
 */
Test(quota, limits_at_the_refresh_usage_every_time)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new(), *d2 = rtlab_probe_data_new();

	cg2_tree(root, sizeof(root), "100000 100000\n", "4096\n");
	tree_put(root, "/sys/fs/cgroup/app/memory.current", "1000\n");
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(Q), d), 0);
	cr_assert_eq(d->quota.mem_max_bytes.v, 4096);
	cr_assert_eq(d->quota.mem_current_bytes.v, 1000);

	tree_put(root, "/sys/fs/cgroup/app/memory.max", "8192\n");
	tree_put(root, "/sys/fs/cgroup/app/cpu.max", "200000 100000\n");
	tree_put(root, "/sys/fs/cgroup/app/memory.current", "2000\n");
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(Q), d), 0);
	cr_assert_eq(d->quota.mem_current_bytes.v, 2000);
	cr_assert_eq(d->quota.mem_max_bytes.v, 4096, "a limit re-read before the refresh");
	cr_assert_eq(d->quota.mem_max_bytes.st, RTLAB_PV_OK);
	cr_assert_float_eq(d->quota.cpu_quota_cores.v, 1.0, 1e-9);
	/* A second consumer gets the same (kept) limits. */
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(Q), d2), 0);
	cr_assert_eq(d2->quota.mem_max_bytes.v, 4096);
	cr_assert_eq(d2->quota.mem_current_bytes.v, 2000);

	/* Moved (here: to a path naming the same directory): everything read afresh. */
	tree_put(root, "/proc/self/cgroup", "0::/app/\n");
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(Q), d), 0);
	cr_assert_eq(d->quota.mem_max_bytes.v, 8192);
	cr_assert_float_eq(d->quota.cpu_quota_cores.v, 2.0, 1e-9);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	rtlab_probe_data_free(d2);
	tree_free(root);
}

/* Samples: limits as numbers or "unlimited", never +Inf; names grouped. */
Test(quota, samples)
{
	struct rtlab_probe_data *d = collect_tree("cgroup2", Q);
	struct rec *r = calloc(1, sizeof(*r));

	rec_emit(d, Q, r);
	cr_assert_float_eq(rec_value(r, "rtlab_cgroup_cpu_quota_cores", ""), 0.5, 1e-9);
	cr_assert_float_eq(rec_value(r, "rtlab_cgroup_cpu_usage_seconds_total", ""), 81.234567,
			   1e-6);
	cr_assert_float_eq(rec_value(r, "rtlab_cgroup_cpu_throttled_seconds_total", ""), 19.0,
			   1e-9);
	cr_assert_eq(rec_value(r, "rtlab_cgroup_cpu_throttled_periods_total", ""), 380);
	cr_assert_eq(rec_value(r, "rtlab_cgroup_memory_max_bytes", ""), 512.0 * MIB);
	cr_assert_null(rec_find(r, "rtlab_cgroup_memory_high_bytes", ""), "max has no sample");
	cr_assert_eq(rec_value(r, "rtlab_cgroup_unlimited", "limit=memory.high"), 1);
	cr_assert_eq(rec_value(r, "rtlab_cgroup_unlimited", "limit=memory.max"), 0);
	cr_assert_eq(rec_value(r, "rtlab_cgroup_unlimited", "limit=cpu"), 0);
	cr_assert_eq(rec_value(r, "rtlab_cgroup_memory_events_total", "event=oom_kill"), 1);
	cr_assert_eq(rec_value(r, "rtlab_cgroup_memory_stat_bytes", "item=anon"), 120586240);
	cr_assert_eq(rec_value(r, "rtlab_cgroup_pids_max", ""), 512);
	cr_assert_float_eq(rec_value(r, "rtlab_cgroup_pressure_waiting_seconds_total",
				     "resource=cpu"), 9.0, 1e-9);
	cr_assert_eq(rec_value(r, "rtlab_cgroup_io_max_read_bytes_per_second", "device=8:0"),
		     1048576);
	cr_assert_null(rec_find(r, "rtlab_cgroup_io_max_write_bytes_per_second", "device=8:0"));
	cr_assert_eq(rec_value(r, "rtlab_cgroup_io_written_bytes_total", "device=253:0"), 8192);
	cr_assert_float_eq(rec_value(r, "rtlab_effective_cpus", ""), 0.5, 1e-9);
	cr_assert_eq(rec_value(r, "rtlab_effective_memory_bytes", ""), 256.0 * MIB);
	cr_assert_eq(rec_value(r, "rtlab_rlimit_soft", "resource=nofile"), 1024);
	cr_assert_null(rec_find(r, "rtlab_rlimit_soft", "resource=cpu"));
	cr_assert_eq(rec_value(r, "rtlab_rlimit_unlimited", "resource=cpu,limit=soft"), 1);
	cr_assert_eq(rec_value(r, "rtlab_rlimit_unlimited", "resource=nofile,limit=hard"), 0);
	cr_assert_eq(rec_value(r, "rtlab_cgroup_info", "mode=v2,path=/system.slice/app.service"),
		     1);
	/* An absent value travels with its state. */
	cr_assert_eq(rec_find(r, "rtlab_cgroup_cpu_shares", "")->st, RTLAB_PV_ABSENT);
	free(r);
	rtlab_probe_data_free(d);
}
