/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-doctor-cpu.c - doctor checks of CPU power management: governor, C-states, SMT. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rt-doctor-internal.h"

#define MAX_GROUPS 16
#define MAX_STATES 16

/* CPUs that share a value (a governor, an idle state). */
struct group {
	char name[32];
	int64_t latency_us;
	cpu_set_t cpus;		/* governor: CPUs using it; idle state: CPUs where enabled */
};

/* A tally of a per-CPU sysfs value. */
struct tally {
	struct group g[MAX_GROUPS];
	int n;
	int missing, malformed;
};

/* tally_add - add @cpu to the group called @name (created if there is room). */
static struct group *tally_add(struct tally *t, const char *name, int cpu)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->g[i].name, name) == 0)
			break;
	if (i == t->n) {
		if (t->n == MAX_GROUPS)
			return NULL;
		memset(&t->g[i], 0, sizeof(t->g[i]));
		rtlab_strlcpy(t->g[i].name, name, sizeof(t->g[i].name));
		t->n++;
	}
	if (cpu >= 0)
		CPU_SET(cpu, &t->g[i].cpus);
	return &t->g[i];
}

/* is_word - a plausible sysfs keyword: letters, digits, '_', '-', '.', '+'. */
static bool is_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.+ ", *s))
			return false;
	return true;
}

/* read_governors - the scaling_governor of each online CPU. */
static void read_governors(struct doctor *d, struct tally *t)
{
	char path[96], gov[64];

	for (int c = 0; c < CPU_SETSIZE; c++) {
		ssize_t n;

		if (!CPU_ISSET(c, &d->si.online))
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", c);
		n = rtlab_read_line(d->ctx, path, gov, sizeof(gov));
		if (n == -ENOENT)
			t->missing++;
		else if (n <= 0 || !is_word(gov) || !tally_add(t, gov, c))
			t->malformed++;
	}
}

/* groups_text - "powersave on 0-3, performance on 4-7" into @buf. */
static void groups_text(const struct tally *t, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < t->n && len < size; i++) {
		char cpus[64];
		int n;

		n = snprintf(buf + len, size - len, "%s%s on %s", i ? ", " : "", t->g[i].name,
			     doctor_cpus(&t->g[i].cpus, cpus, sizeof(cpus)));
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

/* doctor_check_governor - other governors than performance let the clock drop under RT tasks. */
void doctor_check_governor(struct doctor *d, struct rtlab_finding *f, int arg)
{
	char text[200];
	struct tally t = { .n = 0 };
	bool all_perf = true;

	(void)arg;
	doctor_why(f, "other governors lower the clock when load drops: an RT task that wakes on a "
		   "slowed-down core runs longer, and frequency changes can stall the core");
	if (d->si.nr_online == 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "online CPUs unknown");
		return;
	}
	read_governors(d, &t);
	if (t.n == 0 && t.malformed == 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "no cpufreq on any CPU: the frequency is set "
			       "by the firmware or, in a VM, by the host");
		doctor_fix(f, "on bare metal, set maximum performance in the firmware or load a "
			   "cpufreq driver; in a VM, set the host's governor to performance");
		return;
	}
	if (t.n == 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "scaling_governor unreadable or malformed "
			       "(%d CPU%s)", t.malformed, t.malformed > 1 ? "s" : "");
		return;
	}
	for (int i = 0; i < t.n; i++)
		all_perf &= strcmp(t.g[i].name, "performance") == 0;
	groups_text(&t, text, sizeof(text));
	doctor_verdict(f, all_perf ? RTLAB_VERDICT_OK : RTLAB_VERDICT_WARN, "%s%s", text,
		       t.missing + t.malformed ? " (some CPUs without a readable governor)" : "");
	doctor_fix(f, "cpupower frequency-set -g performance, or as root: echo performance | tee "
		   "/sys/devices/system/cpu/cpu*/cpufreq/scaling_governor");
}

/* read_state - one idle state of one CPU: 1 read, 0 no such state, -EINVAL malformed. */
static int read_state(struct doctor *d, int cpu, int state, struct tally *t)
{
	char path[128], name[32];
	int64_t lat, disable = 0;
	struct group *g;
	int base, r;

	base = snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpuidle/state%d/",
			cpu, state);
	rtlab_strlcpy(path + base, "name", sizeof(path) - (size_t)base);
	r = (int)rtlab_read_line(d->ctx, path, name, sizeof(name));
	if (r == -ENOENT)
		return 0;
	rtlab_strlcpy(path + base, "latency", sizeof(path) - (size_t)base);
	if (r <= 0 || !is_word(name) || rtlab_read_i64(d->ctx, path, &lat) < 0 || lat < 0)
		return -EINVAL;
	rtlab_strlcpy(path + base, "disable", sizeof(path) - (size_t)base);
	r = rtlab_read_i64(d->ctx, path, &disable);
	if (r < 0 && r != -ENOENT)
		return -EINVAL;
	g = tally_add(t, name, -1);
	if (!g)
		return 1;
	if (lat > g->latency_us)
		g->latency_us = lat;
	if (!disable)
		CPU_SET(cpu, &g->cpus);
	return 1;
}

/* read_states - every idle state of every online CPU; returns how many were read. */
static int read_states(struct doctor *d, struct tally *t)
{
	int found = 0;

	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &d->si.online))
			continue;
		for (int s = 0; s < MAX_STATES; s++) {
			int r = read_state(d, c, s, t);

			if (r == 0)
				break;
			if (r < 0)
				t->malformed++;
			else
				found++;
		}
	}
	return found;
}

/* deep_text - the enabled deep states, "C6 (133 us) on 0-3, ..."; returns how many. */
static int deep_text(const struct tally *t, bool deep, char *buf, size_t size)
{
	size_t len = 0;
	int count = 0;

	buf[0] = '\0';
	for (int i = 0; i < t->n && len < size; i++) {
		const struct group *g = &t->g[i];
		char cpus[64];
		int n;

		if ((g->latency_us > EXIT_LAT_DEEP_US) != deep || CPU_COUNT(&g->cpus) == 0)
			continue;
		n = snprintf(buf + len, size - len, "%s%s (%" PRId64 " us) on %s",
			     count ? ", " : "", g->name, g->latency_us,
			     doctor_cpus(&g->cpus, cpus, sizeof(cpus)));
		if (n < 0)
			break;
		len += (size_t)n;
		count++;
	}
	return count;
}

/* idle_params - the idle-related kernel parameters, " (idle=poll ...)" or "". */
static void idle_params(const struct rtlab_sysinfo *si, char *buf, size_t size)
{
	static const char *const names[] = { "idle", "intel_idle.max_cstate",
					     "processor.max_cstate", "cpuidle.off" };
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(names) && len < size; i++) {
		char val[32];
		int n;

		if (rtlab_cmdline_param(si->cmdline, names[i], val, sizeof(val)) <= 0)
			continue;
		n = snprintf(buf + len, size - len, "%s%s=%s", len ? " " : "; cmdline ", names[i],
			     val);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

/* doctor_check_cstates - enabled idle states whose exit latency shows up in wake-up latency. */
void doctor_check_cstates(struct doctor *d, struct rtlab_finding *f, int arg)
{
	char deep[160], params[96], driver[32];
	struct tally t = { .n = 0 };
	int found;

	(void)arg;
	doctor_why(f, "leaving a deep C-state costs its exit latency (tens to hundreds of us) plus "
		   "cold caches, on the RT task's wake-up; rtlab cyclic holds /dev/cpu_dma_latency "
		   "at 0 by default while it runs, which keeps CPUs out of them");
	if (d->si.nr_online == 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "online CPUs unknown");
		return;
	}
	idle_params(&d->si, params, sizeof(params));
	if (rtlab_read_line(d->ctx, "/sys/devices/system/cpu/cpuidle/current_driver", driver,
			    sizeof(driver)) <= 0)
		rtlab_strlcpy(driver, "unknown", sizeof(driver));
	found = read_states(d, &t);
	if (found == 0 && t.malformed) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "cpuidle state files malformed (%d state%s)",
			       t.malformed, t.malformed > 1 ? "s" : "");
		return;
	}
	if (found == 0) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "no cpuidle states (driver %s): the default "
			       "idle instruction is used%s", driver, params);
		return;
	}
	if (deep_text(&t, true, deep, sizeof(deep)) > 0) {
		doctor_verdict(f, RTLAB_VERDICT_WARN, "enabled: %s%s", deep, params);
		doctor_fix(f, "other RT work: keep /dev/cpu_dma_latency open with 0 written, "
			   "disable states (echo 1 > /sys/devices/system/cpu/cpu*/cpuidle/"
			   "stateN/disable), or boot with intel_idle.max_cstate=1 "
			   "processor.max_cstate=1");
		return;
	}
	if (deep_text(&t, false, deep, sizeof(deep)) == 0)
		rtlab_strlcpy(deep, "every state disabled", sizeof(deep));
	doctor_verdict(f, RTLAB_VERDICT_OK, "no enabled state exits in more than %d us: %s "
		       "(driver %s)%s", EXIT_LAT_DEEP_US, deep, driver, params);
}

/* doctor_check_smt - sibling hardware threads share a core with the RT task. */
void doctor_check_smt(struct doctor *d, struct rtlab_finding *f, int arg)
{
	char control[32];
	int64_t active;
	int r;

	(void)arg;
	doctor_why(f, "hardware threads of one core share its execution units and caches: what "
		   "runs on the sibling of an RT CPU slows the RT task down unpredictably");
	if (rtlab_read_line(d->ctx, "/sys/devices/system/cpu/smt/control", control,
			    sizeof(control)) <= 0)
		rtlab_strlcpy(control, "unknown", sizeof(control));
	r = rtlab_read_i64(d->ctx, "/sys/devices/system/cpu/smt/active", &active);
	if (r < 0 || (active != 0 && active != 1)) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "/sys/devices/system/cpu/smt/active: %s",
			       r == -ENOENT ? "absent (kernel without SMT control)" :
			       r < 0 ? doctor_read_error(r) : "unexpected value");
		return;
	}
	if (active == 0) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "SMT inactive (control: %s)", control);
		return;
	}
	doctor_verdict(f, RTLAB_VERDICT_WARN, "SMT active (control: %s)", control);
	doctor_fix(f, "boot with nosmt, or as root: echo off > /sys/devices/system/cpu/smt/"
		   "control; or isolate and leave idle the siblings of RT CPUs "
		   "(topology/thread_siblings_list)");
}
