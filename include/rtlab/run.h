/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Running a scenario: its RT tasks, mutexes and loads, with every record on
 * one clock in a run store (runs/<name>-<UTC time>/run.db).
 *
 * rtlab_run_new() creates the run folder and run.db (status 'incomplete')
 * and sets everything up; rtlab_run_exec() starts the writer, the probe
 * recorder, the loads, then the tasks (their first wake-ups aligned), waits
 * for the duration or rtlab_run_stop(), stops everything in the reverse
 * order, stores each task's histogram and counters, the loads' counters, the
 * events, and ends the run 'complete' or 'interrupted'.  What the run changed
 * (scheduling of its own threads, cpu_dma_latency, memory locking) is undone
 * by rtlab_run_free().
 *
 * Each task's job: its wake-up latency into its ring, then its work (busy
 * CPU time, or a named workload), the part under its mutex while holding it,
 * then its callback workload; a job that ends after its deadline is recorded
 * as a miss.
 */
#ifndef RTLAB_RUN_H
#define RTLAB_RUN_H

#include <rtlab/scenario.h>
#include <rtlab/store.h>

struct rtlab_run;

struct rtlab_run_opts {
	const char *runs_dir;		/* where run folders go; NULL: "runs" */
	uint64_t duration_ns;		/* 0: the scenario's */
	size_t ring_records;		/* per task; 0: 2 s worth of jobs, at least 65536 */
	bool no_mlock;			/* do not lock memory (mlockall) */
	bool no_dma_latency;		/* do not hold /dev/cpu_dma_latency at 0 */
};

/**
 * rtlab_run_new - set a run of @sc up (validated beforehand): the run folder
 * and run.db, mutexes, tasks (not started), loads (not started), rings.
 * Returns 0 with *@ret, or -errno with the reason in @err.
 */
RTLAB_API int rtlab_run_new(struct rtlab_ctx *ctx, const struct rtlab_scenario *sc,
			    const struct rtlab_run_opts *opts, struct rtlab_run **ret, char *err,
			    size_t errsize);

/** rtlab_run_dir - the run folder. */
RTLAB_API const char *rtlab_run_dir(const struct rtlab_run *run);

/**
 * rtlab_run_exec - run to the end (the duration, or rtlab_run_stop()) and
 * store everything.  Returns 0 (the run is stored, complete or interrupted),
 * or -errno with the reason in @err (what could be stored is).
 */
RTLAB_API int rtlab_run_exec(struct rtlab_run *run, char *err, size_t errsize);

/** rtlab_run_stop - end the run early (async-signal-safe); it ends 'interrupted'. */
RTLAB_API void rtlab_run_stop(struct rtlab_run *run);

/** rtlab_run_status - how the run ended (RTLAB_RUN_INCOMPLETE before it did). */
RTLAB_API enum rtlab_run_status rtlab_run_status(const struct rtlab_run *run);

/** rtlab_run_free - undo what the run changed, close, free; returns NULL. */
RTLAB_API struct rtlab_run *rtlab_run_free(struct rtlab_run *run);

#endif /* RTLAB_RUN_H */
