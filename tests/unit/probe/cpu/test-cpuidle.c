/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-cpuidle.c - the cpuidle family on the fixture trees, hotplug, driver change, damage. */
#include <sys/resource.h>

#include "cpu-test.h"

#define IDLE RTLAB_PF_CPUIDLE
#define SYS "/sys/devices/system/cpu"

/* collect - one collection of the cpuidle family, which must not fail as a whole. */
static void collect(struct rtlab_probe *p, struct rtlab_probe_data *d)
{
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(IDLE), d), 0);
	cr_assert_neq(d->t_ns[IDLE], 0);
	cr_assert_eq(d->err[IDLE], 0, "%s", d->why[IDLE]);
}

/* slow_probe - a probe on @root whose slow families are collected on every call. */
static struct rtlab_probe *slow_probe(const char *root)
{
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };

	return probe_at(root, &o);
}

/* The machine this was captured on: 2 CPUs, haltpoll with POLL and one idle state. */
Test(cpuidle, vm_fixture)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpuidle *c = &d->cpuidle;

	cr_assert(rtlab_probe_family_is_slow(IDLE));
	collect(p, d);
	cr_assert_eq(c->online.v, 2);
	cr_assert_eq(c->ncpus, 2);
	cr_assert_str_eq(c->driver.s, "haltpoll");
	cr_assert_eq(c->governor.st, RTLAB_PV_OK);
	for (size_t i = 0; i < 2; i++) {
		const struct rtlab_cpuidle_cpu *u = &c->cpus[i];

		cr_assert(u->online);
		cr_assert_eq(u->st, RTLAB_PV_OK);
		cr_assert_eq(u->nstates, 2);
		cr_assert_str_eq(u->state[0].name, "POLL");
		cr_assert_str_eq(u->state[1].name, "haltpoll idle");
		cr_assert_eq(u->state[1].usage.st, RTLAB_PV_OK);
		cr_assert_eq(u->state[1].time_us.st, RTLAB_PV_OK);
		cr_assert_eq(u->state[1].latency_us.v, 1);
		cr_assert_eq(u->state[1].disable.v, 0);
		cr_assert_eq(u->state[1].disable.st, RTLAB_PV_OK);
	}
	cr_assert_str_eq(d->why[IDLE], "");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* 64 CPUs, 62 online, intel_idle with 4 states each; the offline ones have none. */
Test(cpuidle, manycore_fixture)
{
	struct rtlab_probe *p = probe_fixture("manycore");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpuidle *c = &d->cpuidle;
	struct rec r = { 0 };
	const struct rec_sample *s;

	collect(p, d);
	cr_assert_str_eq(c->driver.s, "intel_idle");
	cr_assert_str_eq(c->governor.s, "menu");
	cr_assert_eq(c->online.v, 62);
	cr_assert_eq(c->ncpus, 62);
	for (size_t i = 0; i < 62; i++) {
		const struct rtlab_cpuidle_cpu *u = &c->cpus[i];

		cr_assert_eq(u->nstates, 4, "cpu%zu", i);
		cr_assert_str_eq(u->state[3].name, "C6");
		cr_assert_str_eq(u->state[3].desc, "MWAIT 0x20");
		cr_assert_eq(u->state[3].latency_us.v, 133);
		cr_assert_eq(u->state[3].rejected.v, 0);
		cr_assert_eq(u->state[3].rejected.st, RTLAB_PV_OK);
	}
	rec_emit(&r, d, IDLE);
	cr_assert_not(r.split);
	cr_assert_eq(rec_count(&r, "rtlab_cpu_idle_state_time_seconds_total"), 62 * 4);
	s = rec_find(&r, "rtlab_cpu_idle_state_latency_seconds{cpu=\"2\",state=\"C6\"}");
	cr_assert_float_eq(s->v.f, 133e-6, 1e-12);
	cr_assert_not_null(rec_find(&r, "rtlab_cpu_idle_state_info{cpu=\"0\",desc=\"MWAIT 0x01\","
					"state=\"C1E\"}"));
	cr_assert_not_null(rec_find(&r, "rtlab_cpuidle_info{driver=\"intel_idle\","
					"governor=\"menu\"}"));
	rec_free(&r);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* A laptop: C6 disabled on CPU 3 only. */
Test(cpuidle, laptop_fixture)
{
	struct rtlab_probe *p = probe_fixture("laptop");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpuidle *c = &d->cpuidle;

	collect(p, d);
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(c->cpus[i].nstates, 3);
		cr_assert_str_eq(c->cpus[i].state[1].name, "C1");
		cr_assert_eq(c->cpus[i].state[2].disable.v, i == 3);
	}
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* With few fds allowed, the files are opened, read and closed each time: same values. */
Test(cpuidle, fd_budget_exhausted_still_reads)
{
	struct rlimit rl, low;
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	low = (struct rlimit){ .rlim_cur = 64, .rlim_max = rl.rlim_max };
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	p = slow_probe(fixture_root("manycore", root, sizeof(root)));
	for (int i = 0; i < 3; i++)
		collect(p, d);
	cr_assert_eq(d->cpuidle.cpus[61].state[3].usage.st, RTLAB_PV_OK);
	cr_assert_eq(d->cpuidle.cpus[61].state[3].rejected.st, RTLAB_PV_OK);
	cr_assert_eq(d->cpuidle.cpus[0].state[0].usage.st, RTLAB_PV_OK);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

/* put_state - C-state @k of CPU @i named @name with counters @usage and @time. */
static void put_state(const char *root, unsigned i, unsigned k, const char *name,
		      const char *usage, const char *time)
{
	char path[128];

	snprintf(path, sizeof(path), SYS "/cpu%u/cpuidle/state%u/name", i, k);
	tree_put(root, path, name);
	snprintf(path, sizeof(path), SYS "/cpu%u/cpuidle/state%u/usage", i, k);
	tree_put(root, path, usage);
	snprintf(path, sizeof(path), SYS "/cpu%u/cpuidle/state%u/time", i, k);
	tree_put(root, path, time);
}

/* CPUs coming online get their states; going offline, none; counters follow the files. */
Test(cpuidle, hotplug_and_new_values)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_cpuidle *c = &d->cpuidle;
	struct rtlab_probe *p;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, SYS "/online", "0-1\n");
	for (unsigned i = 0; i < 4; i++)
		put_state(root, i, 0, "C1\n", "100\n", "5000\n");
	p = slow_probe(root);
	collect(p, d);
	cr_assert_eq(c->ncpus, 2);
	cr_assert_eq(c->cpus[1].state[0].usage.v, 100);
	/* No driver file: absent, without a reason for a file that is simply not there. */
	cr_assert_eq(c->driver.st, RTLAB_PV_ABSENT);

	tree_put(root, SYS "/online", "0-3\n");
	put_state(root, 1, 0, "C1\n", "150\n", "6000\n");
	collect(p, d);
	cr_assert_eq(c->ncpus, 4);
	cr_assert_eq(c->online.v, 4);
	cr_assert_eq(c->cpus[3].nstates, 1);
	cr_assert_eq(c->cpus[3].state[0].time_us.v, 5000);
	cr_assert_eq(c->cpus[1].state[0].usage.v, 150);

	tree_put(root, SYS "/online", "0-2\n");
	collect(p, d);
	cr_assert_eq(c->ncpus, 3);
	cr_assert_eq(c->online.v, 3);
	cr_assert_eq(c->cpus[2].state[0].usage.st, RTLAB_PV_OK);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Another driver with other states: discovered again, by every consumer. */
Test(cpuidle, driver_change_rediscovers)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new(), *d2 = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, SYS "/online", "0\n");
	tree_put(root, SYS "/cpuidle/current_driver", "acpi_idle\n");
	tree_put(root, SYS "/cpuidle/current_governor_ro", "ladder\n");
	put_state(root, 0, 0, "C1\n", "1\n", "10\n");
	p = slow_probe(root);
	collect(p, d);
	cr_assert_eq(d->cpuidle.cpus[0].nstates, 1);
	cr_assert_str_eq(d->cpuidle.governor.s, "ladder");

	tree_put(root, SYS "/cpuidle/current_driver", "intel_idle\n");
	put_state(root, 0, 0, "POLL\n", "2\n", "20\n");
	put_state(root, 0, 1, "C6\n", "3\n", "30\n");
	collect(p, d);
	cr_assert_eq(d->cpuidle.cpus[0].nstates, 2);
	cr_assert_str_eq(d->cpuidle.cpus[0].state[0].name, "POLL");
	cr_assert_eq(d->cpuidle.cpus[0].state[1].usage.v, 3);
	collect(p, d2);
	cr_assert_eq(d2->cpuidle.cpus[0].nstates, 2);
	cr_assert_str_eq(d2->cpuidle.cpus[0].state[1].name, "C6");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	rtlab_probe_data_free(d2);
	tree_free(root);
}

/* Damaged sources: the value malformed, the reason names the file and line. */
Test(cpuidle, damaged_sources_are_malformed_with_reason)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, SYS "/online", "0\n");
	put_state(root, 0, 0, "C1\n", "100\n", "12x\n");
	p = slow_probe(root);
	collect(p, d);
	cr_assert_eq(d->cpuidle.cpus[0].state[0].time_us.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->cpuidle.cpus[0].state[0].usage.v, 100);
	cr_assert(strstr(d->why[IDLE], SYS "/cpu0/cpuidle/state0/time:1: malformed"), "%s",
		  d->why[IDLE]);

	tree_put(root, SYS "/online", "zero\n");
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(IDLE), d), 0);
	cr_assert_eq(d->err[IDLE], -EBADMSG);
	cr_assert_eq(d->cpuidle.online.st, RTLAB_PV_MALFORMED);
	cr_assert(strstr(d->why[IDLE], "/online:1: malformed"), "%s", d->why[IDLE]);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* No cpuidle directory (some VMs): one unavailable info sample per CPU, and the reason. */
Test(cpuidle, without_cpuidle_says_so)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[PATH_MAX];
	struct rec r = { 0 };
	const struct rec_sample *s;

	tree_new(root, sizeof(root));
	tree_put(root, SYS "/online", "0-1\n");
	tree_put(root, SYS "/cpu0/topology/core_id", "0\n");
	p = slow_probe(root);
	collect(p, d);
	cr_assert_eq(d->cpuidle.cpus[0].st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->cpuidle.cpus[1].nstates, 0);
	cr_assert(strstr(d->why[IDLE], "cpu0/cpuidle: absent (no cpuidle driver)"), "%s",
		  d->why[IDLE]);
	rec_emit(&r, d, IDLE);
	s = rec_find(&r, "rtlab_cpu_idle_state_info{cpu=\"1\",desc=\"\",state=\"\"}");
	cr_assert_not_null(s);
	cr_assert_eq(s->v.st, RTLAB_PV_ABSENT);
	rec_free(&r);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}
