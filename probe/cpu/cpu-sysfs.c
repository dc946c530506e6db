/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu-sysfs.c - the cpu family's sysfs part: topology, cpufreq, throttling, boost, SMT. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpu-family.h"

/* A file below cpuN/ and the field it fills. */
struct cpu_file {
	const char *file;
	size_t off;
	uint8_t kind;		/* enum cpu_kind */
	uint8_t dir;		/* enum cpu_dir: not tried without that directory */
	unsigned slot;		/* enum cpu_kf of the files read every time */
};

/* The per-CPU directory a file is in, whose absence spares trying it. */
enum cpu_dir {
	D_CPU,
	D_CPUFREQ,
	D_THROTTLE,
	D_PSTATE,		/* /sys/devices/system/cpu/intel_pstate */
};

/* Read at the first collection, on hotplug and on the slow TTL (kept fds, slots KF_STATIC+). */
static const struct cpu_file static_files[] = {
	{ "topology/physical_package_id", L_OFF(package_id), K_I64 },
	{ "topology/die_id", L_OFF(die_id), K_I64 },
	{ "topology/cluster_id", L_OFF(cluster_id), K_I64 },
	{ "topology/core_id", L_OFF(core_id), K_I64 },
	{ "topology/thread_siblings_list", L_OFF(thread_siblings), K_TEXT },
	{ "cpu_capacity", L_OFF(capacity), K_U64 },
	{ "cpufreq/scaling_min_freq", L_OFF(scaling_min_khz), K_U64, D_CPUFREQ },
	{ "cpufreq/scaling_max_freq", L_OFF(scaling_max_khz), K_U64, D_CPUFREQ },
	{ "cpufreq/cpuinfo_min_freq", L_OFF(cpuinfo_min_khz), K_U64, D_CPUFREQ },
	{ "cpufreq/cpuinfo_max_freq", L_OFF(cpuinfo_max_khz), K_U64, D_CPUFREQ },
	{ "cpufreq/base_frequency", L_OFF(base_khz), K_U64, D_CPUFREQ },
	{ "cpufreq/scaling_governor", L_OFF(governor), K_TEXT, D_CPUFREQ },
	{ "cpufreq/scaling_driver", L_OFF(driver), K_TEXT, D_CPUFREQ },
	{ "cpufreq/scaling_available_governors", L_OFF(available_governors), K_TEXT, D_CPUFREQ },
	{ "cpufreq/energy_performance_preference", L_OFF(epp), K_TEXT, D_CPUFREQ },
};

/* Read on every collection, with kept fds. */
static const struct cpu_file dyn_files[] = {
	{ "cpufreq/scaling_cur_freq", L_OFF(scaling_cur_khz), K_U64, D_CPUFREQ, KF_SCALING_CUR },
	{ "cpufreq/cpuinfo_cur_freq", L_OFF(cpuinfo_cur_khz), K_U64, D_CPUFREQ, KF_CPUINFO_CUR },
	{ "thermal_throttle/core_throttle_count", L_OFF(core_throttles), K_U64, D_THROTTLE,
	  KF_CORE_THR },
	{ "thermal_throttle/core_throttle_total_time_ms", L_OFF(core_throttle_ms), K_U64,
	  D_THROTTLE, KF_CORE_THR_MS },
	{ "thermal_throttle/package_throttle_count", L_OFF(package_throttles), K_U64, D_THROTTLE,
	  KF_PKG_THR },
	{ "thermal_throttle/package_throttle_total_time_ms", L_OFF(package_throttle_ms), K_U64,
	  D_THROTTLE, KF_PKG_THR_MS },
};

/* System-wide files (full paths) and their fields in struct rtlab_probe_cpu. */
static const struct cpu_file sys_files[] = {
	{ CPU_SYS "/smt/active", C_OFF(smt_active), K_U64 },
	{ CPU_SYS "/smt/control", C_OFF(smt_control), K_TEXT },
	{ CPU_SYS "/cpufreq/boost", C_OFF(boost), K_U64 },
	{ CPU_SYS "/intel_pstate/status", C_OFF(pstate_status), K_TEXT, D_PSTATE },
	{ CPU_SYS "/intel_pstate/no_turbo", C_OFF(no_turbo), K_U64, D_PSTATE },
	{ CPU_SYS "/intel_pstate/min_perf_pct", C_OFF(pstate_min_perf_pct), K_U64, D_PSTATE },
	{ CPU_SYS "/intel_pstate/max_perf_pct", C_OFF(pstate_max_perf_pct), K_U64, D_PSTATE },
	{ CPU_SYS "/intel_pstate/turbo_pct", C_OFF(pstate_turbo_pct), K_U64, D_PSTATE },
	{ CPU_SYS "/intel_pstate/num_pstates", C_OFF(pstate_num_pstates), K_U64, D_PSTATE },
};

_Static_assert(NELEM(static_files) == CPU_STATIC_FILES, "one kept-fd slot per static file");

/* dir_state - the state of directory cpuN/@name. */
static uint8_t dir_state(const struct cpu_state *s, uint32_t cpu, const char *name)
{
	char rel[64];

	if (s->kf.dir < 0)
		return probe_st_from_errno(s->kf.dir);
	snprintf(rel, sizeof(rel), "cpu%u/%s", cpu, name);
	return faccessat(s->kf.dir, rel, F_OK, 0) == 0 ? RTLAB_PV_OK : probe_st_from_errno(errno);
}

/* static_mark - the static per-CPU fields of @l in state @st. */
static void static_mark(struct rtlab_cpu_logical *l, uint8_t st)
{
	for (size_t i = 0; i < NELEM(static_files); i++)
		cpu_field_mark((char *)l + static_files[i].off, static_files[i].kind, st);
	l->cpufreq_st = st;
	l->throttle_st = st;
}

/* dir_ok - the state of the directory @cf is in (OK for cpuN/ itself). */
static uint8_t dir_ok(const struct rtlab_cpu_logical *l, const struct cpu_file *cf)
{
	return cf->dir == D_CPUFREQ ? l->cpufreq_st :
	       cf->dir == D_THROTTLE ? l->throttle_st : RTLAB_PV_OK;
}

/* static_one - topology, cpufreq limits and governor of one CPU. */
static void static_one(struct probe_cx *cx, struct cpu_state *s, struct rtlab_cpu_logical *l)
{
	char buf[256];
	ssize_t n;

	if (!l->online) {
		static_mark(l, RTLAB_PV_ABSENT);
		return;
	}
	l->cpufreq_st = dir_state(s, l->cpu, "cpufreq");
	l->throttle_st = dir_state(s, l->cpu, "thermal_throttle");
	for (size_t i = 0; i < NELEM(static_files); i++) {
		const struct cpu_file *cf = &static_files[i];
		struct cpu_where w = { l->cpu, -1, cf->file };

		n = dir_ok(l, cf) != RTLAB_PV_OK ? -ENOENT :
			cpu_kf_read(&s->kf, cx->p, l->cpu, KF_STATIC + i, buf, sizeof(buf),
				    "cpu%u/%s", l->cpu, cf->file);
		cpu_field_got(cx, (char *)l + cf->off, cf->kind, buf, n, &w);
	}
}

/* sys_static - smt, boost and intel_pstate files. */
static void sys_static(struct probe_cx *cx, const struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	bool pstate = s->kf.dir >= 0 && faccessat(s->kf.dir, "intel_pstate", F_OK, 0) == 0;
	char buf[256];
	ssize_t n;

	for (size_t i = 0; i < NELEM(sys_files); i++) {
		struct cpu_where w = { -1, -1, sys_files[i].file };

		n = sys_files[i].dir == D_PSTATE && !pstate ? -ENOENT :
			probe_read_small(cx->p, w.file, buf, sizeof(buf));
		cpu_field_got(cx, (char *)c + sys_files[i].off, sys_files[i].kind, buf, n, &w);
	}
}

/* cpu_static_read - everything read at the first collection, on hotplug and on the slow TTL. */
void cpu_static_read(struct probe_cx *cx, struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;

	cpu_kf_dir(cx, &s->kf);
	cpu_kf_reset(&s->kf, false);
	if (cpu_sets(cx, s) < 0 || cpu_kf_grow(&s->kf, c->ncpus) < 0) {
		probe_why(cx, CPU_SYS ": %s", strerror(ENOMEM));
		return;
	}
	for (size_t i = 0; i < c->ncpus; i++)
		static_one(cx, s, &c->cpus[i]);
	cpu_flags(cx, s);
	cpu_nodes(cx, s);
	cpu_firsts(c);
	sys_static(cx, s);
	c->static_gen = s->gen;
	c->static_ns = cx->now_ns;
}

/* cpu_dynamic_read - current frequencies and throttle counts, with kept fds. */
void cpu_dynamic_read(struct probe_cx *cx, struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	char buf[64];
	ssize_t n;

	if (cpu_kf_grow(&s->kf, c->ncpus) < 0) {
		probe_why(cx, CPU_SYS ": %s", strerror(ENOMEM));
		return;
	}
	for (size_t i = 0; i < c->ncpus; i++) {
		struct rtlab_cpu_logical *l = &c->cpus[i];

		for (size_t k = 0; k < NELEM(dyn_files); k++) {
			const struct cpu_file *cf = &dyn_files[k];
			struct cpu_where w = { (long)i, -1, cf->file };

			if (!l->online || dir_ok(l, cf) != RTLAB_PV_OK) {
				cpu_field_mark((char *)l + cf->off, K_U64,
					       l->online ? dir_ok(l, cf) : RTLAB_PV_ABSENT);
				continue;
			}
			n = cpu_kf_read(&s->kf, cx->p, i, cf->slot, buf, sizeof(buf),
					"cpu%zu/%s", i, cf->file);
			cpu_field_got(cx, (char *)l + cf->off, K_U64, buf, n, &w);
		}
	}
}
