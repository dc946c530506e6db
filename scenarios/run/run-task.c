/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run-task.c - a run's RT tasks: their job (latency, work, mutex, callback) and set-up. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rtlab/mutex.h>

#include "run/run-internal.h"

#define RING_SECONDS 2
#define RING_MIN 65536

/* thread_cpu_ns - this thread's CPU time. */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* spin - use @ns of CPU time (time the thread is preempted does not count). */
static void spin(uint64_t ns)
{
	uint64_t end = thread_cpu_ns() + ns;

	while (ns && thread_cpu_ns() < end)
		;
}

/* workload - run @w, counting a failure (RT-safe: an atomic add). */
static void workload(struct run_task *t, struct rtlab_workload *w)
{
	if (rtlab_workload_run(w) < 0)
		atomic_fetch_add_explicit(&t->workload_errors, 1, memory_order_relaxed);
}

/*
 * job - the body of every job: the work (the part under the mutex while
 * holding it), the callback, then the record of its latency and response
 * time, and a miss record if late.
 */
static int job(struct rtlab_task *task, const struct rtlab_job *j, void *userdata)
{
	struct run_task *t = userdata;
	const struct rtlab_scenario_task *d = t->def;
	uint64_t end;

	(void)task;
	if (d->work == RTLAB_WORK_BUSY) {
		uint64_t held = !t->mutex ? 0 : d->hold_ns ? d->hold_ns : d->work_ns;

		if (held) {
			rtlab_mutex_lock(t->mutex);
			spin(held);
			rtlab_mutex_unlock(t->mutex);
		}
		spin(d->work_ns - held);
	} else if (d->work == RTLAB_WORK_WORKLOAD) {
		if (t->mutex)
			rtlab_mutex_lock(t->mutex);
		workload(t, t->work);
		if (t->mutex)
			rtlab_mutex_unlock(t->mutex);
	}
	if (t->callback)
		workload(t, t->callback);
	end = rtlab_now_ns();
	rtlab_ring_job(t->ring, j->actual_ns, sched_getcpu(), j->latency_ns, end - j->wake_ns);
	if (t->breaktrace_ns && j->latency_ns >= t->breaktrace_ns)
		rtlab_ftrace_spike(t->ftrace, j->actual_ns);
	if (end > j->deadline_ns)
		rtlab_ring_miss(t->ring, end, j->index, j->deadline_ns);
	return 0;
}

/* task_row - the task table row of @d. */
static int task_row(struct rtlab_run *run, struct run_task *t)
{
	const struct rtlab_scenario_task *d = t->def;
	char cpus[256] = "";
	struct rtlab_store_task row = {
		.name = t->name,
		.policy = rtlab_policy_name(d->sched.policy),
		.priority = d->sched.priority,
		.period_ns = d->period_ns,
		.deadline_ns = d->deadline_ns ? d->deadline_ns : d->period_ns,
		.runtime_ns = d->sched.policy == RTLAB_POLICY_DEADLINE ? d->sched.runtime_ns :
			      d->work == RTLAB_WORK_BUSY ? d->work_ns : 0,
		.cpus = cpus,
	};

	if (CPU_COUNT(&t->cpus))
		rtlab_cpulist_format(&t->cpus, cpus, sizeof(cpus));
	return rtlab_store_add_task(run->store, &row, &t->id);
}

/* task_workloads - the named workloads of @t, set up now (never in the RT thread). */
static int task_workloads(struct rtlab_run *run, struct run_task *t, size_t i)
{
	const struct rtlab_scenario_task *d = t->def;
	uint64_t seed = run->sc->seed + 7919 * (i + 1);
	int r = 0;

	if (d->work == RTLAB_WORK_WORKLOAD)
		r = rtlab_workload_new(d->work_load, d->work_size, seed, &t->work);
	if (r == 0 && d->callback >= 0)
		r = rtlab_workload_new((enum rtlab_load_kind)d->callback, d->callback_size,
				       seed + 1, &t->callback);
	return r;
}

/* task_one - task @i of the run: its row, ring, workloads and rtlab_task. */
static int task_one(struct rtlab_run *run, size_t i, char *err, size_t errsize)
{
	struct run_task *t = &run->tasks[i];
	const struct rtlab_scenario_task *d = t->def;
	uint64_t per_s = 1000000000u / (d->period_ns ? d->period_ns : 1);
	size_t records = run->opts.ring_records ? run->opts.ring_records :
			 per_s * RING_SECONDS > RING_MIN ? per_s * RING_SECONDS : RING_MIN;
	struct rtlab_task_config cfg = {
		.name = t->name,
		.sched = d->sched,
		.affinity = CPU_COUNT(&t->cpus) ? &t->cpus : NULL,
		.period_ns = d->period_ns,
		.deadline_ns = d->deadline_ns,
		.fn = job,
		.userdata = t,
	};
	int r;

	t->mutex = d->mutex >= 0 ? run->mutexes[d->mutex] : NULL;
	r = task_row(run, t);
	if (r == 0)
		r = rtlab_writer_ring(run->writer, t->id, records, &t->ring);
	if (r < 0) {
		snprintf(err, errsize, "task %s: run store: %s", t->name, strerror(-r));
		return r;
	}
	r = task_workloads(run, t, i);
	if (r < 0) {
		snprintf(err, errsize, "task %s: workload: %s", t->name, strerror(-r));
		return r;
	}
	t->task = rtlab_task_new(run->ctx, &cfg);
	if (!t->task) {
		r = -errno;
		snprintf(err, errsize, "task %s: %s", t->name, strerror(-r));
		return r;
	}
	return 0;
}

/* task_cpus - the CPUs a per_cpu task is copied on: its list, or every online CPU. */
static int task_cpus(struct rtlab_run *run, const struct rtlab_scenario_task *d, cpu_set_t *ret)
{
	if (CPU_COUNT(&d->cpus)) {
		*ret = d->cpus;
		return 0;
	}
	return rtlab_cpus_online(run->ctx, ret);
}

/* place - instance @n: definition @d named and pinned for @cpu (-1: as defined). */
static void place(struct run_task *t, const struct rtlab_scenario_task *d, int cpu)
{
	t->def = d;
	if (cpu < 0) {
		snprintf(t->name, sizeof(t->name), "%s", d->name);
		t->cpus = d->cpus;
		return;
	}
	snprintf(t->name, sizeof(t->name), "%s/cpu%d", d->name, cpu);
	CPU_ZERO(&t->cpus);
	CPU_SET(cpu, &t->cpus);
}

/*
 * plan - the run's tasks: each definition once, a per_cpu one once per CPU,
 * pinned there.  Counted first (@run->tasks NULL), then placed.
 */
static int plan(struct rtlab_run *run)
{
	size_t n = 0;

	for (size_t k = 0; k < run->sc->ntasks; k++) {
		const struct rtlab_scenario_task *d = &run->sc->tasks[k];
		cpu_set_t set;
		int r;

		if (!d->per_cpu) {
			if (run->tasks)
				place(&run->tasks[n], d, -1);
			n++;
			continue;
		}
		r = task_cpus(run, d, &set);
		if (r < 0)
			return r;
		for (int c = 0; c < CPU_SETSIZE; c++) {
			if (!CPU_ISSET(c, &set))
				continue;
			if (run->tasks)
				place(&run->tasks[n], d, c);
			n++;
		}
	}
	if (!run->tasks) {
		run->tasks = calloc(n ? n : 1, sizeof(*run->tasks));
		if (!run->tasks)
			return -ENOMEM;
		run->ntasks = n;
		return plan(run);
	}
	return 0;
}

/* run_tasks_new - every task of the scenario. */
int run_tasks_new(struct rtlab_run *run, char *err, size_t errsize)
{
	int r = plan(run);

	if (r < 0) {
		snprintf(err, errsize, "tasks: %s", strerror(-r));
		return r;
	}
	for (size_t i = 0; i < run->ntasks; i++) {
		r = task_one(run, i, err, errsize);
		if (r < 0)
			return r;
	}
	return 0;
}

/* run_tasks_start - all first wake-ups at @start_ns. */
int run_tasks_start(struct rtlab_run *run, uint64_t start_ns, char *err, size_t errsize)
{
	for (size_t i = 0; i < run->ntasks; i++) {
		struct run_task *t = &run->tasks[i];
		int r;

		rtlab_task_set_start(t->task, start_ns);
		r = rtlab_task_start(t->task);
		if (r < 0) {
			snprintf(err, errsize, "task %s: cannot start: %s", t->name,
				 strerror(-r));
			return r;
		}
		if (run->watchdog)
			rtlab_watchdog_add_task(run->watchdog, t->task);
	}
	return 0;
}

/* run_tasks_stop - ask every task to stop, then join them. */
void run_tasks_stop(struct rtlab_run *run)
{
	for (size_t i = 0; run->tasks && i < run->ntasks; i++)
		if (run->tasks[i].task)
			rtlab_task_stop(run->tasks[i].task);
	for (size_t i = 0; run->tasks && i < run->ntasks; i++)
		if (run->tasks[i].task)
			rtlab_task_join(run->tasks[i].task);
}

/* run_tasks_free - tasks and workloads. */
void run_tasks_free(struct rtlab_run *run)
{
	for (size_t i = 0; run->tasks && i < run->ntasks; i++) {
		rtlab_task_free(run->tasks[i].task);
		rtlab_workload_free(run->tasks[i].work);
		rtlab_workload_free(run->tasks[i].callback);
	}
	free(run->tasks);
	run->tasks = NULL;
}
