/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * validate.c - a parsed scenario as a whole, against one machine: online
 * CPUs, defined mutexes and their ceilings, hold times, deadlines, and
 * SCHED_DEADLINE parameters and bandwidth as the kernel admits them.
 *
 * Every check runs; the problem on the earliest line is reported.
 *
 * Bandwidth is computed as the kernel does (kernel/sched: to_ratio(),
 * __dl_overflow()): each task's runtime/period in fixed point with 20
 * fractional bits; the root domain admits a total of (number of CPUs) x
 * sched_rt_runtime_us/sched_rt_period_us, or anything when
 * sched_rt_runtime_us is -1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse-internal.h"

#define BW_SHIFT 20
#define BW_UNIT (UINT64_C(1) << BW_SHIFT)
#define DL_MIN_RUNTIME_NS 1024
#define PROC_KERNEL "/proc/sys/kernel/"

struct check {
	const struct rtlab_scenario *sc;
	const struct rtlab_scenario_machine *m;
	char *err;
	size_t errsize;
	int r;
	unsigned line;		/* of the problem kept */
};

/* fail - keep the problem if it is the first one, or on an earlier line; returns -EINVAL. */
static int RTLAB_PRINTF(3, 4) fail(struct check *c, unsigned line, const char *fmt, ...)
{
	char msg[RTLAB_SCENARIO_ERR_MAX];
	va_list ap;

	if (c->r < 0 && line >= c->line)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->r = sc_msg(c->err, c->errsize, c->sc->path, line, "%s", msg);
	c->line = line;
	return c->r;
}

/* dur - a duration for a message (one of two buffers, so that two fit in one message). */
static const char *dur(uint64_t ns, char buf[2][32], int i)
{
	return sc_format_duration(ns, buf[i], sizeof(buf[i]));
}

/* check_cpus - every CPU of @set online. */
static int check_cpus(struct check *c, const cpu_set_t *set, const char *what, const char *name,
		      unsigned line)
{
	char online[256];

	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, set) || CPU_ISSET(cpu, &c->m->online))
			continue;
		if (rtlab_cpulist_format(&c->m->online, online, sizeof(online)) < 0)
			snprintf(online, sizeof(online), "%d CPUs", CPU_COUNT(&c->m->online));
		return fail(c, line, "CPU %d of %s '%s' is not online (online: %s)", cpu, what,
			    name, online);
	}
	return 0;
}

/* check_mutex - the task's mutex is defined, and a ceiling covers the task. */
static int check_mutex(struct check *c, const struct rtlab_scenario_task *t)
{
	const struct rtlab_scenario *sc = c->sc;
	const struct rtlab_scenario_mutex *mx;
	enum rtlab_policy pol = t->sched.policy;

	if (!t->mutex_name[0])
		return 0;
	if (t->mutex < 0 || (size_t)t->mutex >= sc->nmutexes)
		return fail(c, t->at_mutex.line, "task '%s' takes mutex '%s', which no [mutex %s] "
			    "defines", t->name, t->mutex_name, t->mutex_name);
	mx = &sc->mutexes[t->mutex];
	if (mx->protocol != RTLAB_MUTEX_PROTECT)
		return 0;
	if (pol != RTLAB_POLICY_FIFO && pol != RTLAB_POLICY_RR)
		return fail(c, t->at_mutex.line, "mutex '%s' has protocol protect, which only fifo "
			    "and rr tasks can take; task '%s' is %s", mx->name, t->name,
			    rtlab_policy_name(pol));
	if (mx->ceiling < t->sched.priority)
		return fail(c, mx->at_ceiling.line, "ceiling %d of mutex '%s' is below the "
			    "priority %d of task '%s' (line %u), which takes it", mx->ceiling,
			    mx->name, t->sched.priority, t->name, t->line);
	return 0;
}

/* check_hold - hold needs a mutex and busy work, and lasts no longer than the work. */
static int check_hold(struct check *c, const struct rtlab_scenario_task *t)
{
	unsigned line = t->at_hold.line;
	char b[2][32];

	if (!line)
		return 0;
	if (!t->mutex_name[0])
		return fail(c, line, "hold needs a mutex (mutex = NAME)");
	if (t->work != RTLAB_WORK_BUSY)
		return fail(c, line, "hold is for busy work (work = DURATION)%s",
			    t->work == RTLAB_WORK_WORKLOAD ? "; a workload is done wholly under "
			    "the mutex" : "");
	if (t->hold_ns > t->work_ns)
		return fail(c, line, "hold %s is longer than the work %s", dur(t->hold_ns, b, 0),
			    dur(t->work_ns, b, 1));
	return 0;
}

/* check_deadline_task - what the kernel requires of SCHED_DEADLINE parameters. */
static int check_deadline_task(struct check *c, const struct rtlab_scenario_task *t)
{
	const struct rtlab_sched_attr *a = &t->sched;
	const struct rtlab_scenario_machine *m = c->m;
	cpu_set_t both;
	char b[2][32];

	if (a->runtime_ns < DL_MIN_RUNTIME_NS)
		return fail(c, t->at_runtime.line, "runtime %s is below the kernel's minimum for "
			    "deadline tasks, 1024ns", dur(a->runtime_ns, b, 0));
	if (a->runtime_ns > a->deadline_ns)
		return fail(c, t->at_runtime.line, "runtime %s is longer than the deadline %s (a "
			    "deadline task needs runtime <= deadline <= period)",
			    dur(a->runtime_ns, b, 0), dur(a->deadline_ns, b, 1));
	if (a->deadline_ns > a->period_ns)
		return fail(c, t->at_deadline.line, "deadline %s is longer than the period %s (a "
			    "deadline task needs runtime <= deadline <= period)",
			    dur(a->deadline_ns, b, 0), dur(a->period_ns, b, 1));
	if (m->dl_period_min_us && a->period_ns < m->dl_period_min_us * RTLAB_NSEC_PER_USEC)
		return fail(c, t->at_period.line, "period %s is below the kernel's minimum for "
			    "deadline tasks, %s (" PROC_KERNEL "sched_deadline_period_min_us)",
			    dur(a->period_ns, b, 0),
			    dur(m->dl_period_min_us * RTLAB_NSEC_PER_USEC, b, 1));
	if (m->dl_period_max_us && a->period_ns > m->dl_period_max_us * RTLAB_NSEC_PER_USEC)
		return fail(c, t->at_period.line, "period %s is above the kernel's maximum for "
			    "deadline tasks, %s (" PROC_KERNEL "sched_deadline_period_max_us)",
			    dur(a->period_ns, b, 0),
			    dur(m->dl_period_max_us * RTLAB_NSEC_PER_USEC, b, 1));
	CPU_AND(&both, &t->cpus, &m->online);
	if (m->rt_runtime_us >= 0 && CPU_COUNT(&t->cpus) && !CPU_EQUAL(&both, &m->online))
		return fail(c, t->at_cpu.line, "a deadline task must be allowed on every online "
			    "CPU: the kernel refuses a smaller affinity while deadline bandwidth "
			    "control is on (sched_rt_runtime_us is not -1)");
	return 0;
}

/* check_task - everything about one task alone. */
static void check_task(struct check *c, const struct rtlab_scenario_task *t)
{
	char b[2][32];

	(void)check_cpus(c, &t->cpus, "task", t->name, t->at_cpu.line);
	(void)check_mutex(c, t);
	(void)check_hold(c, t);
	if (t->per_cpu && t->sched.policy == RTLAB_POLICY_DEADLINE)
		(void)fail(c, t->line, "per_cpu pins a copy of the task to each CPU, and "
			   "SCHED_DEADLINE tasks cannot be pinned");
	else if (t->sched.policy == RTLAB_POLICY_DEADLINE)
		(void)check_deadline_task(c, t);
	else if (t->deadline_ns > t->period_ns)
		(void)fail(c, t->at_deadline.line, "deadline %s is longer than the period %s",
			   dur(t->deadline_ns, b, 0), dur(t->period_ns, b, 1));
}

/* to_ratio - runtime/period in fixed point, as the kernel computes a task's bandwidth. */
static uint64_t to_ratio(uint64_t period, uint64_t runtime)
{
	while (runtime >> (64 - BW_SHIFT)) {
		runtime >>= 1;
		period >>= 1;
	}
	return period ? (runtime << BW_SHIFT) / period : 0;
}

/* pct - a bandwidth in whole percent, rounded. */
static unsigned pct(uint64_t bw)
{
	return (unsigned)((bw * 100 + BW_UNIT / 2) >> BW_SHIFT);
}

/*
 * dl_bw - the bandwidth of a deadline task, 0 for other tasks and for
 * a runtime above the period, which check_deadline_task() refuses (so that
 * a sum of up to SC_ITEMS_MAX tasks cannot overflow).
 */
static uint64_t dl_bw(const struct rtlab_scenario_task *t)
{
	const struct rtlab_sched_attr *a = &t->sched;

	if (a->policy != RTLAB_POLICY_DEADLINE || a->runtime_ns > a->period_ns)
		return 0;
	return to_ratio(a->period_ns, a->runtime_ns);
}

/* runs_on - whether the task may run on @cpu (no list: every CPU). */
static bool runs_on(const struct rtlab_scenario_task *t, int cpu)
{
	return CPU_COUNT(&t->cpus) == 0 || CPU_ISSET(cpu, &t->cpus);
}

/*
 * check_cpu_bandwidth - on each online CPU, the deadline tasks that may run
 * there need at most 100% of it; reported at the task that goes over.
 */
static void check_cpu_bandwidth(struct check *c)
{
	const struct rtlab_scenario *sc = c->sc;

	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		uint64_t sum = 0;

		if (!CPU_ISSET(cpu, &c->m->online))
			continue;
		for (size_t i = 0; i < sc->ntasks; i++) {
			const struct rtlab_scenario_task *t = &sc->tasks[i];

			if (t->sched.policy != RTLAB_POLICY_DEADLINE || !runs_on(t, cpu))
				continue;
			sum += dl_bw(t);
			if (sum <= BW_UNIT)
				continue;
			(void)fail(c, t->at_runtime.line, "with task '%s', the deadline tasks that "
				   "can run on CPU %d need %u%% of it (runtime/period summed; at "
				   "most 100%%)", t->name, cpu, pct(sum));
			break;
		}
	}
}

/* check_total_bandwidth - what the kernel admits in the root domain (all online CPUs). */
static void check_total_bandwidth(struct check *c)
{
	const struct rtlab_scenario *sc = c->sc;
	const struct rtlab_scenario_machine *m = c->m;
	uint64_t limit, sum = 0;
	int ncpus = CPU_COUNT(&m->online);

	if (m->rt_runtime_us < 0 || m->rt_period_us <= 0 || m->rt_runtime_us > m->rt_period_us)
		return;
	limit = to_ratio((uint64_t)m->rt_period_us, (uint64_t)m->rt_runtime_us) * (uint64_t)ncpus;
	for (size_t i = 0; i < sc->ntasks; i++) {
		const struct rtlab_scenario_task *t = &sc->tasks[i];

		if (t->sched.policy != RTLAB_POLICY_DEADLINE)
			continue;
		sum += dl_bw(t);
		if (sum <= limit)
			continue;
		(void)fail(c, t->at_runtime.line, "with task '%s', the deadline tasks need %u%% of "
			   "one CPU in all; the kernel admits %u%% (%d CPUs x sched_rt_runtime_us "
			   "%lld / sched_rt_period_us %lld)", t->name, pct(sum), pct(limit), ncpus,
			   (long long)m->rt_runtime_us, (long long)m->rt_period_us);
		return;
	}
}

/* rtlab_scenario_check - every rule, against the facts in @m. */
int rtlab_scenario_check(const struct rtlab_scenario *sc, const struct rtlab_scenario_machine *m,
			 char *err, size_t errsize)
{
	struct check c = { .sc = sc, .m = m, .err = err, .errsize = errsize };

	if (err && errsize)
		err[0] = '\0';
	if (!sc || !m)
		return -EINVAL;
	if (sc->ntasks == 0 && sc->nloads == 0)
		(void)fail(&c, sc->line, "nothing to run: the scenario has no [task] and no "
			   "[load]");
	for (size_t i = 0; i < sc->ntasks; i++)
		check_task(&c, &sc->tasks[i]);
	for (size_t i = 0; i < sc->nloads; i++)
		(void)check_cpus(&c, &sc->loads[i].cpus, "load", sc->loads[i].name,
				 sc->loads[i].at_cpu.line);
	check_cpu_bandwidth(&c);
	check_total_bandwidth(&c);
	return c.r;
}

/* read_us - a number of microseconds from /proc/sys/kernel; 0 if it is missing or not > 0. */
static uint64_t read_us(struct rtlab_ctx *ctx, const char *name)
{
	char path[96];
	int64_t v;

	snprintf(path, sizeof(path), PROC_KERNEL "%s", name);
	return rtlab_read_i64(ctx, path, &v) == 0 && v > 0 ? (uint64_t)v : 0;
}

/* rtlab_scenario_machine_read - online CPUs and the kernel's deadline settings. */
int rtlab_scenario_machine_read(struct rtlab_ctx *ctx, struct rtlab_scenario_machine *ret)
{
	struct rtlab_scenario_machine m = { .rt_runtime_us = -1 };
	int64_t runtime;
	int r;

	r = rtlab_cpus_online(ctx, &m.online);
	if (r < 0)
		return r;
	m.rt_period_us = (int64_t)read_us(ctx, "sched_rt_period_us");
	if (m.rt_period_us > 0 &&
	    rtlab_read_i64(ctx, PROC_KERNEL "sched_rt_runtime_us", &runtime) == 0 && runtime >= -1)
		m.rt_runtime_us = runtime;
	m.dl_period_min_us = read_us(ctx, "sched_deadline_period_min_us");
	m.dl_period_max_us = read_us(ctx, "sched_deadline_period_max_us");
	*ret = m;
	return 0;
}

/* rtlab_scenario_validate - rtlab_scenario_check() against this machine. */
int rtlab_scenario_validate(const struct rtlab_scenario *sc, char *err, size_t errsize)
{
	struct rtlab_scenario_machine m;
	struct rtlab_ctx *ctx;
	int r;

	if (err && errsize)
		err[0] = '\0';
	if (!sc)
		return -EINVAL;
	ctx = rtlab_ctx_new();
	if (!ctx) {
		sc_msg(err, errsize, sc->path, 0, "out of memory");
		return -ENOMEM;
	}
	r = rtlab_scenario_machine_read(ctx, &m);
	rtlab_ctx_free(ctx);
	if (r < 0) {
		sc_msg(err, errsize, sc->path, 0, "cannot read the online CPUs "
		       "(/sys/devices/system/cpu/online): %s", strerror(-r));
		return r;
	}
	return rtlab_scenario_check(sc, &m, err, errsize);
}
