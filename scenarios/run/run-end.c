/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run-end.c - what a run stores when it ends: task counters and histograms, loads, events. */
#include <errno.h>
#include <stdlib.h>

#include "run/run-internal.h"

/* store_hist - the non-empty buckets of task @t's histogram. */
static int store_hist(struct rtlab_run *run, const struct run_task *t)
{
	const struct rtlab_hist *h = rtlab_task_hist(t->task);
	size_t n = rtlab_hist_nbuckets(), k = 0;
	uint64_t *lo = calloc(n, sizeof(*lo)), *hi = calloc(n, sizeof(*hi));
	uint64_t *cnt = calloc(n, sizeof(*cnt));
	int r = -ENOMEM;

	if (lo && hi && cnt) {
		for (size_t i = 0; i < n; i++) {
			uint64_t c = rtlab_hist_bucket(h, i, &lo[k], &hi[k]);

			if (!c)
				continue;
			/* Stored as [lo, hi): the histogram's upper bound is inclusive. */
			hi[k]++;
			cnt[k++] = c;
		}
		r = rtlab_store_hist(run->store, t->id, lo, hi, cnt, k);
	}
	free(lo);
	free(hi);
	free(cnt);
	return r;
}

/* store_tasks - counters and histogram of every task. */
static int store_tasks(struct rtlab_run *run)
{
	int r = 0;

	for (size_t i = 0; run->tasks && i < run->ntasks; i++) {
		const struct run_task *t = &run->tasks[i];
		struct rtlab_task_stats s;
		struct rtlab_store_task_end e;
		uint64_t werr = atomic_load(&t->workload_errors);

		if (!t->task)
			continue;
		rtlab_task_stats(t->task, &s);
		e = (struct rtlab_store_task_end){ s.jobs, s.overruns, s.misses,
						   s.jobs ? s.min_ns : 0, s.max_ns, s.sum_ns,
						   s.tid };
		if (rtlab_store_end_task(run->store, t->id, &e) < 0 || store_hist(run, t) < 0)
			r = -EIO;
		if (werr)
			run_event(run, "error", "%s: %llu workload runs failed", t->name,
				  (unsigned long long)werr);
		if (s.error)
			run_event(run, "error", "%s: the task failed (%d)", t->name, s.error);
	}
	return r;
}

/* store_loads - one row per load with its counters. */
static int store_loads(struct rtlab_run *run)
{
	int r = 0;

	for (size_t i = 0; run->loads && i < run->sc->nloads; i++) {
		const struct rtlab_scenario_load *l = &run->sc->loads[i];
		struct rtlab_load_stats s;
		char cpus[256] = "";
		struct rtlab_store_load row;

		if (!run->loads[i])
			continue;
		rtlab_load_stats(run->loads[i], &s);
		if (CPU_COUNT(&l->cpus))
			rtlab_cpulist_format(&l->cpus, cpus, sizeof(cpus));
		row = (struct rtlab_store_load){ l->name, rtlab_load_kind_name(l->kind), cpus,
						 l->threads, l->intensity_pct, s.ops, s.work_ns,
						 s.elapsed_ns };
		if (rtlab_store_add_load(run->store, &row) < 0)
			r = -EIO;
		if (s.error)
			run_event(run, "error", "load %s: a worker failed (%d)", l->name, s.error);
	}
	return r;
}

/* run_store_results - counters, histograms, loads, then the events. */
int run_store_results(struct rtlab_run *run)
{
	int r = store_tasks(run), r2 = store_loads(run);

	if (r == 0)
		r = r2;
	pthread_mutex_lock(&run->ev_lock);
	for (size_t i = 0; i < run->nevents; i++) {
		const struct run_event *e = &run->events[i];

		if (rtlab_store_event(run->store, e->t_ns, e->kind, e->text) < 0 && r == 0)
			r = -EIO;
	}
	run->nevents = 0;
	pthread_mutex_unlock(&run->ev_lock);
	return r;
}
