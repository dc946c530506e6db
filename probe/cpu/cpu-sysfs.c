/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu-sysfs.c - the cpu family's sysfs part: topology, cpufreq, cpuidle, boost, SMT. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpu-family.h"

/* A file below cpuN/ (or cpuN/cpuidle/stateK/) and the field it fills. */
struct cpu_file {
	const char *file;
	size_t off;
	uint8_t kind;		/* enum cpu_kind */
	bool cpufreq;		/* in cpuN/cpufreq: not tried without it */
	unsigned slot;		/* enum cpu_kf of the files read every time */
};

/* Read at the first collection, on hotplug and on the slow TTL. */
static const struct cpu_file static_files[] = {
	{ "topology/physical_package_id", L_OFF(package_id), K_I64 },
	{ "topology/die_id", L_OFF(die_id), K_I64 },
	{ "topology/cluster_id", L_OFF(cluster_id), K_I64 },
	{ "topology/core_id", L_OFF(core_id), K_I64 },
	{ "topology/thread_siblings_list", L_OFF(thread_siblings), K_TEXT },
	{ "cpu_capacity", L_OFF(capacity), K_U64 },
	{ "cpufreq/scaling_min_freq", L_OFF(scaling_min_khz), K_U64, true },
	{ "cpufreq/scaling_max_freq", L_OFF(scaling_max_khz), K_U64, true },
	{ "cpufreq/cpuinfo_min_freq", L_OFF(cpuinfo_min_khz), K_U64, true },
	{ "cpufreq/cpuinfo_max_freq", L_OFF(cpuinfo_max_khz), K_U64, true },
	{ "cpufreq/base_frequency", L_OFF(base_khz), K_U64, true },
	{ "cpufreq/scaling_governor", L_OFF(governor), K_TEXT, true },
	{ "cpufreq/scaling_driver", L_OFF(driver), K_TEXT, true },
	{ "cpufreq/scaling_available_governors", L_OFF(available_governors), K_TEXT, true },
	{ "cpufreq/energy_performance_preference", L_OFF(epp), K_TEXT, true },
};

/* Read on every collection, with kept fds. */
static const struct cpu_file dyn_files[] = {
	{ "cpufreq/scaling_cur_freq", L_OFF(scaling_cur_khz), K_U64, true, KF_SCALING_CUR },
	{ "cpufreq/cpuinfo_cur_freq", L_OFF(cpuinfo_cur_khz), K_U64, true, KF_CPUINFO_CUR },
	{ "thermal_throttle/core_throttle_count", L_OFF(core_throttles), K_U64, false,
	  KF_CORE_THR },
	{ "thermal_throttle/core_throttle_total_time_ms", L_OFF(core_throttle_ms), K_U64, false,
	  KF_CORE_THR_MS },
	{ "thermal_throttle/package_throttle_count", L_OFF(package_throttles), K_U64, false,
	  KF_PKG_THR },
	{ "thermal_throttle/package_throttle_total_time_ms", L_OFF(package_throttle_ms), K_U64,
	  false, KF_PKG_THR_MS },
};

/* Below cpuN/cpuidle/stateK/: at refresh time, then on every collection. */
static const struct cpu_file idle_files[] = {
	{ "latency", S_OFF(latency_us), K_U64 },
	{ "residency", S_OFF(residency_us), K_U64 },
	{ "disable", S_OFF(disable), K_U64 },
};

static const struct cpu_file idle_dyn[CPU_IDLE_FIELDS] = {
	{ "usage", S_OFF(usage), K_U64 },
	{ "time", S_OFF(time_us), K_U64 },
	{ "above", S_OFF(above), K_U64 },
	{ "below", S_OFF(below), K_U64 },
	{ "rejected", S_OFF(rejected), K_U64 },
};

/* System-wide files (full paths) and their fields in struct rtlab_probe_cpu. */
static const struct cpu_file sys_files[] = {
	{ CPU_SYS "/smt/active", C_OFF(smt_active), K_U64 },
	{ CPU_SYS "/smt/control", C_OFF(smt_control), K_TEXT },
	{ CPU_SYS "/cpufreq/boost", C_OFF(boost), K_U64 },
	{ CPU_SYS "/intel_pstate/status", C_OFF(pstate_status), K_TEXT },
	{ CPU_SYS "/intel_pstate/no_turbo", C_OFF(no_turbo), K_U64 },
	{ CPU_SYS "/intel_pstate/min_perf_pct", C_OFF(pstate_min_perf_pct), K_U64 },
	{ CPU_SYS "/intel_pstate/max_perf_pct", C_OFF(pstate_max_perf_pct), K_U64 },
	{ CPU_SYS "/intel_pstate/turbo_pct", C_OFF(pstate_turbo_pct), K_U64 },
	{ CPU_SYS "/intel_pstate/num_pstates", C_OFF(pstate_num_pstates), K_U64 },
	{ CPU_SYS "/cpuidle/current_driver", C_OFF(idle_driver), K_TEXT },
	{ CPU_SYS "/cpuidle/current_governor", C_OFF(idle_governor), K_TEXT },
};

/* dir_state - the state of directory cpuN/@name. */
static uint8_t dir_state(const struct cpu_state *s, uint32_t cpu, const char *name)
{
	char rel[64];

	if (s->sysdir < 0)
		return probe_st_from_errno(s->sysdir);
	snprintf(rel, sizeof(rel), "cpu%u/%s", cpu, name);
	return faccessat(s->sysdir, rel, F_OK, 0) == 0 ? RTLAB_PV_OK : probe_st_from_errno(errno);
}

/* static_mark - the static per-CPU fields of @l in state @st. */
static void static_mark(struct rtlab_cpu_logical *l, uint8_t st)
{
	for (size_t i = 0; i < NELEM(static_files); i++)
		cpu_field_mark((char *)l + static_files[i].off, static_files[i].kind, st);
	l->cpufreq_st = st;
	l->idle_st = st;
	l->nidle = 0;
}

/* idle_static - names, descriptions, latencies and switches of CPU @l's C-states. */
static void idle_static(struct probe_cx *cx, struct cpu_state *s, struct rtlab_cpu_logical *l)
{
	struct rtlab_cpu_text t;
	char buf[64];
	ssize_t n;

	l->nidle = 0;
	for (int k = 0; l->idle_st == RTLAB_PV_OK && k < RTLAB_CPU_IDLE_STATES; k++) {
		struct rtlab_cpu_idle_state *is = &l->idle[k];
		struct cpu_where w = { l->cpu, k, "name" };

		n = cpu_at_read(s, buf, sizeof(buf), "cpu%u/cpuidle/state%d/name", l->cpu, k);
		if (n == -ENOENT)
			break;
		cpu_field_got(cx, &t, K_TEXT, buf, n, &w);
		pp_copy(is->name, sizeof(is->name), t.s, strlen(t.s));
		n = cpu_at_read(s, buf, sizeof(buf), "cpu%u/cpuidle/state%d/desc", l->cpu, k);
		w.file = "desc";
		cpu_field_got(cx, &t, K_TEXT, buf, n, &w);
		pp_copy(is->desc, sizeof(is->desc), t.s, strlen(t.s));
		for (size_t i = 0; i < NELEM(idle_files); i++) {
			w.file = idle_files[i].file;
			n = cpu_at_read(s, buf, sizeof(buf), "cpu%u/cpuidle/state%d/%s", l->cpu, k,
					w.file);
			cpu_field_got(cx, (char *)is + idle_files[i].off, K_U64, buf, n, &w);
		}
		l->nidle = (uint32_t)k + 1;
	}
}

/* static_one - topology, cpufreq limits and governor, C-states of one CPU. */
static void static_one(struct probe_cx *cx, struct cpu_state *s, struct rtlab_cpu_logical *l)
{
	char buf[256];
	ssize_t n;

	if (!l->online) {
		static_mark(l, RTLAB_PV_ABSENT);
		return;
	}
	l->cpufreq_st = dir_state(s, l->cpu, "cpufreq");
	l->idle_st = dir_state(s, l->cpu, "cpuidle");
	for (size_t i = 0; i < NELEM(static_files); i++) {
		const struct cpu_file *cf = &static_files[i];
		struct cpu_where w = { l->cpu, -1, cf->file };

		n = cf->cpufreq && l->cpufreq_st != RTLAB_PV_OK ? -ENOENT :
			cpu_at_read(s, buf, sizeof(buf), "cpu%u/%s", l->cpu, cf->file);
		cpu_field_got(cx, (char *)l + cf->off, cf->kind, buf, n, &w);
	}
	idle_static(cx, s, l);
}

/* sys_static - smt, boost, intel_pstate and cpuidle driver files. */
static void sys_static(struct probe_cx *cx)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	char buf[256];
	ssize_t n;

	for (size_t i = 0; i < NELEM(sys_files); i++) {
		struct cpu_where w = { -1, -1, sys_files[i].file };

		n = probe_read_small(cx->p, w.file, buf, sizeof(buf));
		/* Before Linux 5.x the governor was only in current_governor_ro. */
		if (n == -ENOENT && sys_files[i].off == C_OFF(idle_governor)) {
			w.file = CPU_SYS "/cpuidle/current_governor_ro";
			n = probe_read_small(cx->p, w.file, buf, sizeof(buf));
		}
		cpu_field_got(cx, (char *)c + sys_files[i].off, sys_files[i].kind, buf, n, &w);
	}
}

/* cpu_static_read - everything read at the first collection, on hotplug and on the slow TTL. */
void cpu_static_read(struct probe_cx *cx, struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	char full[PATH_MAX];

	if (s->sysdir < 0) {
		int r = probe_path(cx->p, CPU_SYS, full, sizeof(full));

		s->sysdir = r < 0 ? r : open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->sysdir < 0 && r == 0)
			s->sysdir = -errno;
		if (s->sysdir < 0)
			probe_why(cx, CPU_SYS ": %s", strerror(-s->sysdir));
	}
	cpu_kf_reset(s, false);
	if (cpu_sets(cx, s) < 0) {
		probe_why(cx, CPU_SYS ": %s", strerror(ENOMEM));
		return;
	}
	for (size_t i = 0; i < c->ncpus; i++)
		static_one(cx, s, &c->cpus[i]);
	cpu_flags(cx, s);
	cpu_nodes(cx, s);
	cpu_firsts(c);
	sys_static(cx);
	c->static_gen = s->gen;
	c->static_ns = cx->now_ns;
}

/* cpu_dynamic_read - the per-CPU files read on every collection, with kept fds. */
void cpu_dynamic_read(struct probe_cx *cx, struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	char buf[64];
	ssize_t n;

	if (cpu_kf_grow(s, c->ncpus) < 0) {
		probe_why(cx, CPU_SYS ": %s", strerror(ENOMEM));
		return;
	}
	for (size_t i = 0; i < c->ncpus; i++) {
		struct rtlab_cpu_logical *l = &c->cpus[i];
		int *fd = s->kf[i].fd;

		for (size_t k = 0; k < NELEM(dyn_files); k++) {
			const struct cpu_file *cf = &dyn_files[k];
			struct cpu_where w = { (long)i, -1, cf->file };

			if (!l->online || (cf->cpufreq && l->cpufreq_st != RTLAB_PV_OK)) {
				cpu_field_mark((char *)l + cf->off, K_U64,
					       l->online ? l->cpufreq_st : RTLAB_PV_ABSENT);
				continue;
			}
			n = cpu_kf_read(s, &fd[cf->slot], buf, sizeof(buf), "cpu%zu/%s", i, cf->file);
			cpu_field_got(cx, (char *)l + cf->off, K_U64, buf, n, &w);
		}
		for (uint32_t k = 0; l->online && k < l->nidle; k++) {
			for (size_t j = 0; j < CPU_IDLE_FIELDS; j++) {
				struct cpu_where w = { (long)i, (int)k, idle_dyn[j].file };
				int *slot = &fd[KF_IDLE + k * CPU_IDLE_FIELDS + j];

				n = cpu_kf_read(s, slot, buf, sizeof(buf), "cpu%zu/cpuidle/state%u/%s",
						i, k, w.file);
				cpu_field_got(cx, (char *)&l->idle[k] + idle_dyn[j].off, K_U64, buf, n,
					      &w);
			}
		}
	}
}
