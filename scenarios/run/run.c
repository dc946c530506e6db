/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run.c - a scenario run: folder and store, set-up, the run itself, the undoing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rtlab/mutex.h>
#include <rtlab/sched.h>

#include "run/run-internal.h"

#define START_DELAY_NS (200 * UINT64_C(1000000))	/* from set-up to the first wake-up */
#define POLL_NS (20 * UINT64_C(1000000))

/* run_event - remember an event (stored at the end: never from an RT thread). */
void run_event(struct rtlab_run *run, const char *kind, const char *fmt, ...)
{
	struct run_event *e;
	va_list ap;

	pthread_mutex_lock(&run->ev_lock);
	if (run->nevents == run->cap_events) {
		size_t cap = run->cap_events ? run->cap_events * 2 : 64;
		void *p = realloc(run->events, cap * sizeof(*run->events));

		if (!p) {
			pthread_mutex_unlock(&run->ev_lock);
			return;
		}
		run->events = p;
		run->cap_events = cap;
	}
	e = &run->events[run->nevents++];
	e->t_ns = rtlab_now_ns();
	snprintf(e->kind, sizeof(e->kind), "%s", kind);
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&run->ev_lock);
}

/* run_folder - the run's new folder below opts.runs_dir ("runs"); 0 or -errno (@err). */
static int run_folder(struct rtlab_run *run, char *err, size_t errsize)
{
	const char *runs = run->opts.runs_dir ? run->opts.runs_dir : "runs";
	int r = rtlab_run_dir_make(runs, run->sc->name, run->dir, sizeof(run->dir));

	if (r == -EEXIST)
		snprintf(err, errsize, "%s: too many runs in the same second", runs);
	else if (r < 0)
		snprintf(err, errsize, "%s: %s", runs, strerror(-r));
	return r;
}

/* run_mutexes - the scenario's mutexes. */
static int run_mutexes(struct rtlab_run *run, char *err, size_t errsize)
{
	run->mutexes = calloc(run->sc->nmutexes ? run->sc->nmutexes : 1, sizeof(*run->mutexes));
	if (!run->mutexes)
		return -ENOMEM;
	for (size_t i = 0; i < run->sc->nmutexes; i++) {
		const struct rtlab_scenario_mutex *m = &run->sc->mutexes[i];

		run->mutexes[i] = rtlab_mutex_new(run->ctx, m->protocol, m->ceiling);
		if (!run->mutexes[i]) {
			int r = -errno;

			snprintf(err, errsize, "mutex %s: %s", m->name, strerror(-r));
			return r;
		}
	}
	return 0;
}

/* run_loads - the scenario's loads (not started); their temporary files in the run folder. */
static int run_loads(struct rtlab_run *run, char *err, size_t errsize)
{
	run->loads = calloc(run->sc->nloads ? run->sc->nloads : 1, sizeof(*run->loads));
	if (!run->loads)
		return -ENOMEM;
	for (size_t i = 0; i < run->sc->nloads; i++) {
		const struct rtlab_scenario_load *l = &run->sc->loads[i];
		struct rtlab_load_config cfg = {
			.name = l->name, .kind = l->kind, .threads = l->threads,
			.cpus = CPU_COUNT(&l->cpus) ? &l->cpus : NULL,
			.intensity_pct = l->intensity_pct, .size_bytes = l->size_bytes,
			.seed = run->sc->seed + 1000003 * (i + 1), .dir = run->dir,
		};
		int r = rtlab_load_new(run->ctx, &cfg, &run->loads[i]);

		if (r < 0) {
			snprintf(err, errsize, "load %s: %s", l->name, strerror(-r));
			return r;
		}
	}
	return 0;
}

/* run_recorder - the probe recorder into run.db, if [record] asks for probe samples. */
static int run_recorder(struct rtlab_run *run, char *err, size_t errsize)
{
	const struct rtlab_scenario_record *rec = &run->sc->record;
	struct rtlab_probe_recorder_opts o = { rec->probe_families, rec->probe_interval_ns };
	int r;

	if (!rec->probe_interval_ns)
		return 0;
	r = rtlab_probe_new(run->ctx, NULL, &run->probe);
	if (r == 0)
		r = rtlab_probe_recorder_open(run->ctx, run->probe, rtlab_store_path(run->store), &o,
					      &run->recorder);
	if (r < 0)
		snprintf(err, errsize, "probe recorder: %s", strerror(-r));
	return r;
}

/* on_watchdog - a watchdog report as an event of the run. */
static void on_watchdog(const struct rtlab_watchdog_event *ev, void *userdata)
{
	struct rtlab_run *run = userdata;

	if (ev->new_misses)
		run_event(run, "miss", "%s: %llu deadline misses (%llu in all)", ev->name,
			  (unsigned long long)ev->new_misses, (unsigned long long)ev->misses);
	else
		run_event(run, "watchdog", "%s: no job completed for %llu ms", ev->name,
			  (unsigned long long)(ev->idle_ns / 1000000));
}

/* run_watchdog - a watchdog reporting misses, and demoting a runaway RT task. */
static int run_watchdog(struct rtlab_run *run)
{
	uint64_t longest = 0;
	struct rtlab_watchdog_config cfg = {
		.check_interval_ns = 100 * UINT64_C(1000000),
		.on_miss = on_watchdog, .on_demote = on_watchdog, .userdata = run,
	};

	for (size_t i = 0; i < run->sc->ntasks; i++)
		if (run->sc->tasks[i].period_ns > longest)
			longest = run->sc->tasks[i].period_ns;
	/* A task that completed no job in 4 periods (and at least 1 s) runs away. */
	cfg.runaway_ns = 4 * longest > 1000000000u ? 4 * longest : 1000000000u;
	run->watchdog = rtlab_watchdog_new(run->ctx, &cfg);
	return run->watchdog ? 0 : -errno;
}

/* rtlab_run_new - folder, store, mutexes, writer and rings, tasks, loads, recorders. */
int rtlab_run_new(struct rtlab_ctx *ctx, const struct rtlab_scenario *sc,
		  const struct rtlab_run_opts *opts, struct rtlab_run **ret, char *err,
		  size_t errsize)
{
	struct rtlab_run *run = calloc(1, sizeof(*run));
	struct rtlab_run_info info;
	int r;

	if (!run)
		return -ENOMEM;
	run->ctx = ctx;
	run->sc = sc;
	if (opts)
		run->opts = *opts;
	run->duration_ns = run->opts.duration_ns ? run->opts.duration_ns : sc->duration_ns;
	pthread_mutex_init(&run->ev_lock, NULL);
	info = (struct rtlab_run_info){ sc->name, sc->text, sc->text_len, sc->seed,
					run->duration_ns };
	r = run_folder(run, err, errsize);
	if (r == 0) {
		r = rtlab_store_create(run->dir, &run->store);
		if (r == 0)
			r = rtlab_store_begin(run->store, &info);
		if (r == 0)
			r = rtlab_writer_new(run->store, 0, &run->writer);
		if (r < 0)
			snprintf(err, errsize, "%s/run.db: %s", run->dir, strerror(-r));
	}
	if (r == 0)
		r = run_mutexes(run, err, errsize);
	if (r == 0)
		r = run_tasks_new(run, err, errsize);
	if (r == 0)
		r = run_loads(run, err, errsize);
	if (r == 0)
		r = run_recorder(run, err, errsize);
	if (r == 0)
		r = run_trace_new(run, err, errsize);
	if (r == 0) {
		r = run_watchdog(run);
		if (r < 0)
			snprintf(err, errsize, "watchdog: %s", strerror(-r));
	}
	if (r < 0) {
		rtlab_run_free(run);
		return r;
	}
	*ret = run;
	return 0;
}

/* rtlab_run_dir - the run folder. */
const char *rtlab_run_dir(const struct rtlab_run *run)
{
	return run->dir;
}

/* rtlab_run_stop - end early (async-signal-safe). */
void rtlab_run_stop(struct rtlab_run *run)
{
	atomic_store(&run->stop, true);
}

/* rtlab_run_status - how it ended. */
enum rtlab_run_status rtlab_run_status(const struct rtlab_run *run)
{
	return run->status;
}

/* hold_machine - memory locked and cpu_dma_latency held at 0, as far as allowed (noted). */
static void hold_machine(struct rtlab_run *run)
{
	if (!run->opts.no_mlock) {
		run->locked = rtlab_mem_lock(run->ctx, RTLAB_MLOCK_CURRENT | RTLAB_MLOCK_FUTURE) == 0;
		if (!run->locked)
			run_event(run, "note", "memory not locked (mlockall refused)");
	}
	if (!run->opts.no_dma_latency) {
		run->dma = rtlab_dma_latency_hold(run->ctx, 0);
		if (!run->dma)
			run_event(run, "note", "cpu_dma_latency not held (%s)", strerror(errno));
	}
}

/* wait_end - until the duration is over or a stop is asked. */
static void wait_end(struct rtlab_run *run, uint64_t end_ns)
{
	while (!atomic_load(&run->stop)) {
		uint64_t now = rtlab_now_ns(), step = end_ns > now ? end_ns - now : 0;
		struct timespec ts;

		if (!step)
			return;
		step = step < POLL_NS ? step : POLL_NS;
		ts = (struct timespec){ (time_t)(step / 1000000000u), (long)(step % 1000000000u) };
		nanosleep(&ts, NULL);
	}
}

/*
 * start_all - writer, recorders, loads, then the tasks with their first
 * wake-ups aligned at *@start_ns (set here, once the loads run), then the
 * watchdog; 0 or -errno (reason in @err).
 */
static int start_all(struct rtlab_run *run, uint64_t *start_ns, char *err, size_t errsize)
{
	int r = rtlab_writer_start(run->writer, -1);

	if (r == 0 && run->recorder)
		r = rtlab_probe_recorder_start(run->recorder);
	if (r < 0) {
		snprintf(err, errsize, "%s: %s", run->recorder ? "recorder" : "writer",
			 strerror(-r));
		return r;
	}
	r = run_trace_start(run, err, errsize);
	if (r < 0)
		return r;
	for (size_t i = 0; i < run->sc->nloads; i++) {
		r = rtlab_load_start(run->loads[i]);
		if (r < 0) {
			snprintf(err, errsize, "load %s: cannot start: %s", run->sc->loads[i].name,
				 strerror(-r));
			return r;
		}
	}
	*start_ns = rtlab_now_ns() + START_DELAY_NS;
	r = run_tasks_start(run, *start_ns, err, errsize);
	if (r == 0 && rtlab_watchdog_start(run->watchdog) < 0)
		run_event(run, "note", "watchdog not started");
	return r;
}

/* stop_all - tasks first, then the watchdog, loads, recorders and writer. */
static int stop_all(struct rtlab_run *run)
{
	int r, rt;

	run_tasks_stop(run);
	rtlab_watchdog_stop(run->watchdog);
	for (size_t i = 0; i < run->sc->nloads; i++) {
		rtlab_load_stop(run->loads[i]);
		rtlab_load_join(run->loads[i]);
	}
	rt = run_trace_stop(run);
	if (run->recorder)
		rtlab_probe_recorder_stop(run->recorder);
	r = rtlab_writer_stop(run->writer);
	r = r ? r : rt;
	run_event(run, "end", "%s", atomic_load(&run->stop) ? "stopped" : "duration reached");
	return r;
}

/* rtlab_run_exec - the run, then everything stored. */
int rtlab_run_exec(struct rtlab_run *run, char *err, size_t errsize)
{
	uint64_t start_ns = 0;
	int r, rs;

	hold_machine(run);
	run_event(run, "start", "%zu tasks, %zu loads, %.3f s", run->ntasks, run->sc->nloads,
		  (double)run->duration_ns / 1e9);
	r = start_all(run, &start_ns, err, errsize);
	if (r == 0)
		wait_end(run, start_ns + run->duration_ns);
	rs = stop_all(run);
	run->status = r < 0 ? RTLAB_RUN_INCOMPLETE :
		      atomic_load(&run->stop) ? RTLAB_RUN_INTERRUPTED : RTLAB_RUN_COMPLETE;
	if (rs < 0 && r == 0) {
		snprintf(err, errsize, "run store: %s", strerror(-rs));
		r = rs;
	}
	rs = run_store_results(run);
	if (rs < 0 && r == 0) {
		snprintf(err, errsize, "run store: %s", strerror(-rs));
		r = rs;
	}
	rs = rtlab_store_end(run->store, run->status);
	if (rs < 0 && r == 0) {
		snprintf(err, errsize, "run store: %s", strerror(-rs));
		r = rs;
	}
	return r;
}

/* rtlab_run_free - undo, close, free. */
struct rtlab_run *rtlab_run_free(struct rtlab_run *run)
{
	if (!run)
		return NULL;
	if (run->writer)
		rtlab_writer_free(run->writer);
	run_tasks_free(run);
	rtlab_watchdog_free(run->watchdog);
	for (size_t i = 0; run->loads && i < run->sc->nloads; i++)
		rtlab_load_free(run->loads[i]);
	free(run->loads);
	run_trace_free(run);
	rtlab_probe_recorder_close(run->recorder);
	rtlab_probe_free(run->probe);
	for (size_t i = 0; run->mutexes && i < run->sc->nmutexes; i++)
		rtlab_mutex_free(run->mutexes[i]);
	free(run->mutexes);
	rtlab_store_close(run->store);
	rtlab_dma_latency_release(run->dma);
	if (run->locked)
		rtlab_mem_unlock(run->ctx);
	pthread_mutex_destroy(&run->ev_lock);
	free(run->events);
	free(run);
	return NULL;
}
