/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* parse-task.c - [task NAME]: its keys, defaults and the checks within the section. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "parse-state.h"

#define DEFAULT_RT_PRIORITY 80

#define TASK(field) offsetof(struct rtlab_scenario_task, field)
#define TASK_AT(field) SC_AT(struct rtlab_scenario_task, field)

/* set_policy - "fifo", "rr", "deadline", "other", "batch", "idle". */
static int set_policy(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_task *t = obj;

	(void)ps;
	if (rtlab_policy_from_name(v, &t->sched.policy) < 0)
		return sc_because(why, -EINVAL, "unknown policy (use fifo, rr, deadline, other, "
				  "batch or idle)");
	return 0;
}

/* set_work - busy work ("200us") or one unit of a workload ("memory:64KiB"). */
static int set_work(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_task *t = obj;
	int r;

	(void)ps;
	if (isdigit((unsigned char)v[0])) {
		r = sc_parse_duration(v, &t->work_ns, why);
		if (r < 0)
			return r;
		if (t->work_ns == 0)
			return sc_because(why, -ERANGE, "busy work must last more than 0ns");
		t->work = RTLAB_WORK_BUSY;
		return 0;
	}
	r = sc_parse_workload(v, &t->work_load, &t->work_size, why);
	if (r == -ENOENT)
		return sc_because(why, r, "expected a duration (busy work, e.g. 200us) or "
				  "KIND[:SIZE] with KIND cpu, memory, io or syscall");
	if (r == 0)
		t->work = RTLAB_WORK_WORKLOAD;
	return r;
}

/* set_mutex - the name of a [mutex NAME], resolved once the whole file is read. */
static int set_mutex(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_task *t = obj;

	(void)ps;
	if (!sc_name_valid(v))
		return sc_because(why, -EINVAL, "a mutex name is 1 to 63 of A-Z a-z 0-9 _ . -");
	memcpy(t->mutex_name, v, strlen(v) + 1);
	return 0;
}

/* set_per_cpu - one copy of the task on each of its CPUs. */
static int set_per_cpu(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_task *t = obj;

	(void)ps;
	return sc_parse_bool(v, &t->per_cpu, why);
}

/* set_callback - a workload run after each job's work. */
static int set_callback(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_task *t = obj;
	enum rtlab_load_kind kind;
	int r;

	(void)ps;
	r = sc_parse_workload(v, &kind, &t->callback_size, why);
	if (r == 0)
		t->callback = (int)kind;
	return r;
}

const struct sc_key sc_task_keys[SC_TASK_NKEYS] = {
	{ .name = "policy", .type = SC_FN, .fn = set_policy },
	{ .name = "priority", .type = SC_INT, .off = TASK(sched.priority), .min = 1, .max = 99,
	  .at = TASK_AT(at_priority) },
	{ .name = "nice", .type = SC_INT, .off = TASK(sched.nice), .min = -20, .max = 19 },
	{ .name = "period", .type = SC_DURATION, .off = TASK(period_ns), .min = 1,
	  .at = TASK_AT(at_period) },
	{ .name = "runtime", .type = SC_DURATION, .off = TASK(runtime_ns), .min = 1,
	  .at = TASK_AT(at_runtime) },
	{ .name = "deadline", .type = SC_DURATION, .off = TASK(deadline_ns), .min = 1,
	  .at = TASK_AT(at_deadline) },
	{ .name = "cpu", .type = SC_CPUS, .off = TASK(cpus), .at = TASK_AT(at_cpu) },
	{ .name = "work", .type = SC_FN, .fn = set_work, .at = TASK_AT(at_work) },
	{ .name = "mutex", .type = SC_FN, .fn = set_mutex, .at = TASK_AT(at_mutex) },
	{ .name = "hold", .type = SC_DURATION, .off = TASK(hold_ns), .min = 1,
	  .at = TASK_AT(at_hold) },
	{ .name = "callback", .type = SC_FN, .fn = set_callback },
	{ .name = "per_cpu", .type = SC_FN, .fn = set_per_cpu },
};


/* sc_task_obj - the task of the current section. */
void *sc_task_obj(struct parse *ps)
{
	return &ps->sc->tasks[ps->idx];
}

/* sc_task_open - a new task with its defaults: fifo, no work, no mutex, no callback. */
int sc_task_open(struct parse *ps, const char *name)
{
	struct rtlab_scenario *sc = ps->sc;
	struct rtlab_scenario_task *t;
	void *arr;

	_Static_assert(TASK(name) == 0, "ps_add() finds the name first");
	t = ps_add(ps, sc->tasks, &sc->ntasks, sizeof(*t), TASK(line), name, &arr);
	if (!t)
		return ps->r;
	sc->tasks = arr;
	t->sched.policy = RTLAB_POLICY_FIFO;
	t->mutex = -1;
	t->callback = -1;
	return 0;
}

/* task_priority - priority for fifo/rr (default 80), nice for other/batch, neither else. */
static int task_priority(struct parse *ps, struct rtlab_scenario_task *t)
{
	enum rtlab_policy pol = t->sched.policy;
	unsigned prio_line = ps_given(ps, "priority"), nice_line = ps_given(ps, "nice");

	if (pol == RTLAB_POLICY_FIFO || pol == RTLAB_POLICY_RR) {
		if (!prio_line)
			t->sched.priority = DEFAULT_RT_PRIORITY;
		if (nice_line)
			return ps_err(ps, nice_line, "nice is for policies other and batch; a %s "
				      "task has a priority (1..99)", rtlab_policy_name(pol));
		return 0;
	}
	if (prio_line)
		return ps_err(ps, prio_line, "priority is for policies fifo and rr, not %s%s",
			      rtlab_policy_name(pol), pol == RTLAB_POLICY_OTHER ||
			      pol == RTLAB_POLICY_BATCH ? " (use nice)" : "");
	if (nice_line && pol != RTLAB_POLICY_OTHER && pol != RTLAB_POLICY_BATCH)
		return ps_err(ps, nice_line, "nice is for policies other and batch, not %s",
			      rtlab_policy_name(pol));
	return 0;
}

/* sc_task_close - required keys, policy-dependent keys, and the defaults that need them all. */
int sc_task_close(struct parse *ps)
{
	struct rtlab_scenario_task *t = sc_task_obj(ps);
	struct rtlab_sched_attr *a = &t->sched;
	int r;

	if (!t->period_ns)
		return ps_err(ps, t->line, "[task %s] needs a period (e.g. period = 1ms)", t->name);
	r = task_priority(ps, t);
	if (r < 0)
		return r;
	if (!t->deadline_ns)
		t->deadline_ns = t->period_ns;
	if (a->policy == RTLAB_POLICY_DEADLINE) {
		if (!t->runtime_ns)
			return ps_err(ps, t->line, "[task %s] has policy deadline: it needs a "
				      "runtime (its CPU time per period)", t->name);
		a->runtime_ns = t->runtime_ns;
		a->deadline_ns = t->deadline_ns;
		a->period_ns = t->period_ns;
	}
	if (t->work == RTLAB_WORK_BUSY && !t->runtime_ns)
		t->runtime_ns = t->work_ns;
	if (t->work == RTLAB_WORK_BUSY && t->mutex_name[0] && !t->hold_ns)
		t->hold_ns = t->work_ns;
	return 0;
}
