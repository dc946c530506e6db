/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-cpu.c - the cpu family on the fixture trees, damaged trees, rates and hotplug. */
#include <sys/resource.h>

#include "cpu-test.h"

#define CPU_BIT RTLAB_PF_BIT(RTLAB_PF_CPU)
#define SYS "/sys/devices/system/cpu"

/* collect - one collection of the cpu family, which must not fail as a whole. */
static void collect(struct rtlab_probe *p, struct rtlab_probe_data *d)
{
	cr_assert_eq(rtlab_probe_collect(p, CPU_BIT, d), 0);
	cr_assert_neq(d->t_ns[RTLAB_PF_CPU], 0);
	cr_assert_eq(d->err[RTLAB_PF_CPU], 0, "%s", d->why[RTLAB_PF_CPU]);
}

/* The machine this was captured on: 2 CPUs, no cpufreq (a VM), haltpoll cpuidle. */
Test(cpu, vm_fixture)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpu *c = &d->cpu;

	collect(p, d);
	cr_assert_eq(c->online.v, 2);
	cr_assert_eq(c->possible.v, 2);
	cr_assert_eq(c->present.v, 2);
	cr_assert_eq(c->ncpus, 2);
	cr_assert_eq(c->user_hz.st, RTLAB_PV_OK);
	cr_assert_eq(c->ctxt.st, RTLAB_PV_OK);
	for (size_t i = 0; i < 2; i++) {
		const struct rtlab_cpu_logical *l = &c->cpus[i];

		cr_assert(l->online && l->possible && l->present && l->in_stat);
		cr_assert_eq(l->times.ticks[RTLAB_CPU_IDLE].st, RTLAB_PV_OK);
		cr_assert_eq(l->times.seconds[RTLAB_CPU_IDLE].st, RTLAB_PV_OK);
		cr_assert_eq(l->times.ratio[RTLAB_CPU_IDLE].st, RTLAB_PV_NOT_READY);
		cr_assert_eq(l->package_id.v, 0);
		cr_assert_eq(l->core_id.v, (int64_t)i);
		cr_assert_eq(l->numa_node.v, 0);
		cr_assert_eq(l->numa_node.st, RTLAB_PV_OK);
		cr_assert_eq(l->isolated.v, 0);
		cr_assert_eq(l->isolated.st, RTLAB_PV_OK);
		cr_assert_eq(l->nohz_full.st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->capacity.v, 1024);
		cr_assert_eq(l->cluster_id.v, 65535);
		cr_assert(l->first_thread);
		/* No cpufreq on this VM: absent, and said so. */
		cr_assert_eq(l->cpufreq_st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->scaling_cur_khz.st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->governor.st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->core_throttles.st, RTLAB_PV_ABSENT);
	}
	cr_assert(c->cpus[0].first_in_package);
	cr_assert_not(c->cpus[1].first_in_package);
	cr_assert(strstr(d->why[RTLAB_PF_CPU], "cpu0/cpufreq: absent") != NULL, "%s",
		  d->why[RTLAB_PF_CPU]);
	cr_assert_eq(c->no_turbo.st, RTLAB_PV_ABSENT);
	cr_assert_eq(c->boost.st, RTLAB_PV_ABSENT);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* 2 packages x 16 cores x 2 threads, CPUs 62-63 offline, acpi-cpufreq + schedutil, intel_idle. */
Test(cpu, manycore_fixture)
{
	struct rtlab_probe *p = probe_fixture("manycore");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpu *c = &d->cpu;
	size_t first_threads = 0, first_packages = 0;

	collect(p, d);
	cr_assert_eq(c->ncpus, 64);
	cr_assert_eq(c->online.v, 62);
	cr_assert_eq(c->possible.v, 64);
	cr_assert_eq(c->present.v, 64);
	cr_assert_eq(c->boost.v, 1);
	cr_assert_eq(c->smt_active.v, 1);
	cr_assert_str_eq(c->smt_control.s, "on");
	cr_assert_eq(c->pstate_status.st, RTLAB_PV_ABSENT);
	for (size_t i = 0; i < 62; i++) {
		const struct rtlab_cpu_logical *l = &c->cpus[i];

		cr_assert(l->online && l->in_stat, "cpu%zu", i);
		cr_assert_eq(l->package_id.v, (int64_t)((i % 32) / 16), "cpu%zu", i);
		cr_assert_eq(l->core_id.v, (int64_t)(i % 16));
		cr_assert_eq(l->numa_node.v, l->package_id.v, "cpu%zu", i);
		cr_assert_str_eq(l->driver.s, "acpi-cpufreq");
		cr_assert_str_eq(l->governor.s, "schedutil");
		cr_assert_eq(l->scaling_cur_khz.st, RTLAB_PV_OK);
		cr_assert_eq(l->cpuinfo_cur_khz.st, RTLAB_PV_OK);
		cr_assert_eq(l->scaling_max_khz.v, 2101000);
		cr_assert_eq(l->cpuinfo_min_khz.v, 1000000);
		cr_assert_eq(l->base_khz.st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->epp.st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->isolated.v, i >= 60);
		cr_assert_eq(l->nohz_full.v, i >= 60);
		first_threads += l->first_thread;
		first_packages += l->first_in_package;
	}
	cr_assert_str_eq(c->cpus[32].thread_siblings.s, "0,32");
	cr_assert(c->cpus[0].first_thread);
	cr_assert_not(c->cpus[32].first_thread);
	cr_assert_eq(first_threads, 32);
	cr_assert_eq(first_packages, 2);
	cr_assert(c->cpus[16].first_in_package);
	cr_assert_eq(c->cpus[5].core_throttles.v, 3);
	cr_assert_eq(c->cpus[16].package_throttle_ms.v, 610);
	for (size_t i = 62; i < 64; i++) {
		const struct rtlab_cpu_logical *l = &c->cpus[i];

		cr_assert(!l->online && !l->in_stat && l->present && l->possible);
		cr_assert_eq(l->times.ticks[RTLAB_CPU_USER].st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->core_id.st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->scaling_cur_khz.st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->numa_node.st, RTLAB_PV_ABSENT);
	}
	cr_assert_str_eq(d->why[RTLAB_PF_CPU], "");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* A laptop: intel_pstate with turbo off, C1/C6 with C6 disabled on CPU 3, thermal throttling. */
Test(cpu, laptop_fixture)
{
	struct rtlab_probe *p = probe_fixture("laptop");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpu *c = &d->cpu;

	collect(p, d);
	cr_assert_eq(c->online.v, 4);
	cr_assert_eq(c->no_turbo.v, 1);
	cr_assert_eq(c->no_turbo.st, RTLAB_PV_OK);
	cr_assert_str_eq(c->pstate_status.s, "active");
	cr_assert_eq(c->pstate_turbo_pct.v, 55);
	cr_assert_eq(c->pstate_num_pstates.v, 37);
	cr_assert_eq(c->boost.st, RTLAB_PV_ABSENT);
	for (size_t i = 0; i < 4; i++) {
		const struct rtlab_cpu_logical *l = &c->cpus[i];

		cr_assert_str_eq(l->driver.s, "intel_pstate");
		cr_assert_str_eq(l->governor.s, "powersave");
		cr_assert_str_eq(l->epp.s, "balance_power");
		cr_assert_str_eq(l->available_governors.s, "performance powersave");
		cr_assert_eq(l->base_khz.v, 1800000);
		/* intel_pstate has no cpuinfo_cur_freq. */
		cr_assert_eq(l->cpuinfo_cur_khz.st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->nohz_full.st, RTLAB_PV_ABSENT);
		cr_assert_eq(l->isolated.v, 0);
		cr_assert_eq(l->core_throttles.v, 7 + i % 2);
		cr_assert_eq(l->package_throttles.v, 42);
		cr_assert_eq(l->first_thread, i < 2);
	}
	cr_assert_str_eq(c->cpus[1].thread_siblings.s, "1,3");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* With few fds allowed, the per-CPU files are opened, read and closed each time: same values. */
Test(cpu, fd_budget_exhausted_still_reads)
{
	struct rlimit rl, low;
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_cpu_logical *l;

	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	low = (struct rlimit){ .rlim_cur = 64, .rlim_max = rl.rlim_max };
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	p = probe_fixture("manycore");
	for (int i = 0; i < 3; i++)
		collect(p, d);
	l = &d->cpu.cpus[61];
	cr_assert_eq(l->scaling_cur_khz.st, RTLAB_PV_OK);
	cr_assert_eq(l->core_throttles.st, RTLAB_PV_OK);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

/* put_stat - a /proc/stat with @n CPUs, each with user @user and idle @idle ticks. */
static void put_stat(const char *root, unsigned n, unsigned user, unsigned idle)
{
	char buf[4096];
	size_t off;

	off = (size_t)snprintf(buf, sizeof(buf), "cpu  %u 0 0 %u 0 0 0 0 0 0\n", user * n, idle * n);
	for (unsigned i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "cpu%u %u 0 0 %u 0 0 0 0 0 0\n",
					i, user, idle);
	snprintf(buf + off, sizeof(buf) - off,
		 "intr 5 0\nctxt 10\nbtime 1700000000\nprocesses 3\nprocs_running 1\n"
		 "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n");
	tree_put(root, "/proc/stat", buf);
}

/* put_cpu - topology and one C-state of CPU @i. */
static void put_cpu(const char *root, unsigned i)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), SYS "/cpu%u/topology/core_id", i);
	snprintf(val, sizeof(val), "%u\n", i);
	tree_put(root, path, val);
	snprintf(path, sizeof(path), SYS "/cpu%u/topology/physical_package_id", i);
	tree_put(root, path, "0\n");
	snprintf(path, sizeof(path), SYS "/cpu%u/cpuidle/state0/name", i);
	tree_put(root, path, "C1\n");
	snprintf(path, sizeof(path), SYS "/cpu%u/cpuidle/state0/usage", i);
	tree_put(root, path, "100\n");
	snprintf(path, sizeof(path), SYS "/cpu%u/cpuidle/state0/time", i);
	tree_put(root, path, "5000\n");
}

/* Shares: not ready on the first reading, computed from the second. */
Test(cpu, ratio_not_ready_then_computed)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpu *c = &d->cpu;
	struct rtlab_probe *p;
	char root[PATH_MAX];
	struct rec r = { 0 };
	const struct rec_sample *s;

	tree_new(root, sizeof(root));
	tree_put(root, SYS "/online", "0-1\n");
	put_stat(root, 2, 100, 900);
	p = probe_at(root, NULL);
	collect(p, d);
	cr_assert_eq(c->total.ratio[RTLAB_CPU_USER].st, RTLAB_PV_NOT_READY);
	cr_assert_eq(c->cpus[1].times.ratio[RTLAB_CPU_USER].st, RTLAB_PV_NOT_READY);
	cr_assert_eq(c->cpus[1].times.busy_ratio.st, RTLAB_PV_NOT_READY);
	rec_emit(&r, d, RTLAB_PF_CPU);
	s = rec_find(&r, "rtlab_cpu_usage_ratio{cpu=\"1\",mode=\"user\"}");
	cr_assert_not_null(s);
	cr_assert_eq(s->v.st, RTLAB_PV_NOT_READY);

	/* 100 ticks later: 30 user, 70 idle on each CPU. */
	put_stat(root, 2, 130, 970);
	collect(p, d);
	cr_assert_eq(c->cpus[1].times.ratio[RTLAB_CPU_USER].st, RTLAB_PV_OK);
	cr_assert_float_eq(c->cpus[1].times.ratio[RTLAB_CPU_USER].v, 0.3, 1e-12);
	cr_assert_float_eq(c->cpus[1].times.ratio[RTLAB_CPU_IDLE].v, 0.7, 1e-12);
	cr_assert_float_eq(c->total.busy_ratio.v, 0.3, 1e-12);
	cr_assert_float_eq(c->cpus[0].times.seconds[RTLAB_CPU_USER].v,
			   130.0 / (double)c->user_hz.v, 1e-12);
	rec_emit(&r, d, RTLAB_PF_CPU);
	s = rec_find(&r, "rtlab_cpu_usage_ratio{cpu=\"1\",mode=\"user\"}");
	cr_assert_eq(s->v.st, RTLAB_PV_OK);
	cr_assert_float_eq(s->v.f, 0.3, 1e-12);
	s = rec_find(&r, "rtlab_cpu_busy_overall_ratio{}");
	cr_assert_not_null(s);
	cr_assert_float_eq(s->v.f, 0.3, 1e-12);

	/* A second consumer has its own previous reading: not ready for it. */
	{
		struct rtlab_probe_data *d2 = rtlab_probe_data_new();

		collect(p, d2);
		cr_assert_eq(d2->cpu.cpus[1].times.ratio[RTLAB_CPU_USER].st, RTLAB_PV_NOT_READY);
		rtlab_probe_data_free(d2);
	}
	rec_free(&r);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* CPUs coming online grow the arrays and get their static fields; going offline, absent. */
Test(cpu, hotplug_grows_and_shrinks)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpu *c = &d->cpu;
	struct rtlab_probe *p;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, SYS "/online", "0-1\n");
	tree_put(root, SYS "/possible", "0-1\n");
	put_stat(root, 2, 100, 900);
	for (unsigned i = 0; i < 4; i++)
		put_cpu(root, i);
	p = probe_at(root, NULL);
	collect(p, d);
	cr_assert_eq(c->ncpus, 2);
	cr_assert_eq(c->online.v, 2);

	/* Two CPUs added (possible grows too, as with hot-added CPUs on a VM). */
	tree_put(root, SYS "/online", "0-3\n");
	tree_put(root, SYS "/possible", "0-3\n");
	put_stat(root, 4, 110, 990);
	collect(p, d);
	cr_assert_eq(c->ncpus, 4);
	cr_assert_eq(c->online.v, 4);
	cr_assert_eq(c->possible.v, 4);
	cr_assert(c->cpus[3].online && c->cpus[3].in_stat);
	cr_assert_eq(c->cpus[3].core_id.v, 3);
	cr_assert_eq(c->cpus[3].core_id.st, RTLAB_PV_OK);
	cr_assert_eq(c->cpus[3].times.ticks[RTLAB_CPU_USER].v, 110);
	cr_assert_eq(c->cpus[3].times.ratio[RTLAB_CPU_USER].st, RTLAB_PV_NOT_READY);
	cr_assert_eq(c->cpus[1].times.ratio[RTLAB_CPU_USER].st, RTLAB_PV_OK);

	/* CPU 3 goes offline. */
	tree_put(root, SYS "/online", "0-2\n");
	put_stat(root, 3, 120, 1000);
	collect(p, d);
	cr_assert_eq(c->ncpus, 4);
	cr_assert_eq(c->online.v, 3);
	cr_assert_not(c->cpus[3].online);
	cr_assert_eq(c->cpus[3].times.ticks[RTLAB_CPU_USER].st, RTLAB_PV_ABSENT);
	cr_assert_eq(c->cpus[3].core_id.st, RTLAB_PV_ABSENT);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Damaged sources: the values malformed, the reason names the file and line. */
Test(cpu, damaged_sources_are_malformed_with_reason)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpu *c = &d->cpu;
	struct rtlab_probe *p;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, SYS "/online", "0\n");
	tree_put(root, "/proc/stat", "cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 2 3 4 5 6 7 8 9 10\nctxt 12");
	put_cpu(root, 0);
	tree_put(root, SYS "/cpu0/cpuidle/state0/time", "12x\n");
	tree_put(root, SYS "/cpu0/cpufreq/scaling_cur_freq", "fast\n");
	p = probe_at(root, NULL);
	collect(p, d);
	cr_assert_str_eq(d->why[RTLAB_PF_CPU], "/proc/stat:3: malformed");
	cr_assert_eq(c->ctxt.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(c->cpus[0].times.ticks[RTLAB_CPU_USER].v, 1);
	cr_assert_eq(c->cpus[0].scaling_cur_khz.st, RTLAB_PV_MALFORMED);

	/* With /proc/stat fixed, the next problem is named. */
	put_stat(root, 1, 1, 1);
	collect(p, d);
	cr_assert(strstr(d->why[RTLAB_PF_CPU], "cpu0/cpufreq/scaling_cur_freq:1: malformed"),
		  "%s", d->why[RTLAB_PF_CPU]);

	tree_put(root, SYS "/online", "zero\n");
	collect(p, d);
	cr_assert_eq(c->online.st, RTLAB_PV_MALFORMED);
	cr_assert(strstr(d->why[RTLAB_PF_CPU], "/online:1: malformed"), "%s",
		  d->why[RTLAB_PF_CPU]);
	/* Without the online list, /proc/stat says which CPUs are online. */
	cr_assert(c->cpus[0].online);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* An empty tree: everything absent, the family failed, no crash. */
Test(cpu, empty_tree_is_absent)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[PATH_MAX];
	struct rec r = { 0 };

	tree_new(root, sizeof(root));
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, CPU_BIT, d), 0);
	cr_assert_eq(d->err[RTLAB_PF_CPU], -ENOENT);
	cr_assert_eq(d->cpu.ctxt.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->cpu.total.ticks[RTLAB_CPU_USER].st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->cpu.online.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_CPU], "/proc/stat") != NULL, "%s", d->why[RTLAB_PF_CPU]);
	rec_emit(&r, d, RTLAB_PF_CPU);
	cr_assert_eq(rec_find(&r, "node_context_switches_total{}")->v.st, RTLAB_PV_ABSENT);
	rec_free(&r);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* The samples: node_exporter's names and labels, each metric in one run. */
Test(cpu, emit_names_and_labels)
{
	struct rtlab_probe *p = probe_fixture("manycore");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rec r = { 0 };
	const struct rec_sample *s;
	size_t ones = 0;

	collect(p, d);
	rec_emit(&r, d, RTLAB_PF_CPU);
	cr_assert_not(r.split);
	/* 62 online CPUs with 8 modes; 2 offline (but present) CPUs with absent values. */
	cr_assert_eq(rec_count(&r, "node_cpu_seconds_total"), 64 * 8);
	s = rec_find(&r, "node_cpu_seconds_total{cpu=\"61\",mode=\"steal\"}");
	cr_assert_not_null(s);
	cr_assert_eq(s->v.st, RTLAB_PV_OK);
	s = rec_find(&r, "node_cpu_seconds_total{cpu=\"63\",mode=\"user\"}");
	cr_assert_eq(s->v.st, RTLAB_PV_ABSENT);
	s = rec_find(&r, "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}");
	cr_assert_float_eq(s->v.f, 502016.0 / (double)d->cpu.user_hz.v, 1e-6);
	cr_assert_not_null(rec_find(&r, "node_cpu_guest_seconds_total{cpu=\"3\",mode=\"nice\"}"));
	cr_assert_not_null(rec_find(&r, "node_softirqs_total{vector=\"block_iopoll\"}"));
	cr_assert_eq(rec_find(&r, "rtlab_cpu_count{kind=\"online\"}")->v.u, 62);
	cr_assert_eq(rec_find(&r, "rtlab_cpu_online{cpu=\"62\"}")->v.u, 0);
	s = rec_find(&r, "rtlab_cpu_topology_info{cluster=\"32\",core=\"0\",cpu=\"48\",die=\"0\","
			 "node=\"1\",package=\"1\",thread_siblings=\"16,48\"}");
	cr_assert_not_null(s);
	cr_assert_eq(s->v.u, 1);
	s = rec_find(&r, "node_cpu_scaling_frequency_max_hertz{cpu=\"7\"}");
	cr_assert_float_eq(s->v.f, 2101000000.0, 1e-3);
	cr_assert_eq(rec_count(&r, "node_cpu_scaling_governor"), 62 * 6 + 2);
	for (size_t i = 0; i < r.n; i++) {
		if (strcmp(r.s[i].name, "node_cpu_scaling_governor") == 0 &&
		    r.s[i].v.st == RTLAB_PV_OK)
			ones += r.s[i].v.u;
	}
	cr_assert_eq(ones, 62);
	cr_assert_eq(rec_find(&r, "node_cpu_scaling_governor{cpu=\"9\",governor=\"schedutil\"}")
			     ->v.u, 1);
	cr_assert_eq(rec_count(&r, "node_cpu_core_throttles_total"), 32);
	cr_assert_eq(rec_find(&r, "node_cpu_core_throttles_total{core=\"5\",package=\"0\"}")->v.u,
		     3);
	cr_assert_eq(rec_count(&r, "node_cpu_package_throttles_total"), 2);
	s = rec_find(&r, "rtlab_cpu_package_throttle_seconds_total{package=\"1\"}");
	cr_assert_float_eq(s->v.f, 0.61, 1e-9);
	cr_assert_eq(rec_count(&r, "rtlab_cpu_idle_state_time_seconds_total"), 0);
	cr_assert_eq(rec_find(&r, "rtlab_cpu_boost_enabled{}")->v.u, 1);
	cr_assert_eq(rec_find(&r, "rtlab_cpu_isolated{cpu=\"61\"}")->v.u, 1);
	cr_assert_not_null(rec_find(&r, "rtlab_cpufreq_info{cpu=\"1\",driver=\"acpi-cpufreq\","
					"energy_performance_preference=\"\",governor=\"schedutil\"}"));
	rec_free(&r);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}
