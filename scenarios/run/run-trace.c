/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run-trace.c - a run's trace recorders: ftrace ([record] ftrace, breaktrace)
 * and the eBPF tools ([record] bpf), on the run's clock and into its run.db.
 * A recorder this machine does not allow (no tracefs, no BPF) is noted as an
 * event of the run, which goes on without it; a recorder asked for badly
 * (an event this kernel does not have) stops the run before it starts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core-internal.h"
#include "run/run-internal.h"

/* not_here - whether @r means "this machine does not allow it", not "asked badly". */
static bool not_here(int r)
{
	return r == -EPERM || r == -EACCES || r == -ENODEV || r == -ENOTSUP || r == -ENOENT;
}

/* open_ftrace - the ftrace recorder of [record] ftrace; 0 or -errno (reason in @err). */
static int open_ftrace(struct rtlab_run *run, char *err, size_t errsize)
{
	const struct rtlab_scenario_record *rec = &run->sc->record;
	const char *events[RTLAB_SCENARIO_EVENTS_MAX];
	struct rtlab_ftrace_opts o = {
		.events = events, .nevents = rec->nftrace_events,
		.buffer_kb = rec->ftrace_buffer_kb,
		.keep_ns = rec->breaktrace_ns ? rec->breaktrace_window_ns : 0,
	};
	char why[256];
	int r;

	for (size_t i = 0; i < rec->nftrace_events; i++)
		events[i] = rec->ftrace_events[i];
	r = rtlab_ftrace_usable(run->ctx, why, sizeof(why));
	if (r == 0)
		r = rtlab_ftrace_open(run->ctx, rtlab_store_path(run->store), &o, &run->ftrace);
	else
		rtlab_log(run->ctx, RTLAB_LOG_WARN, "ftrace: %s", why);
	if (r < 0 && not_here(r)) {
		run_event(run, "note", "ftrace not recorded: %s",
			  r == -ENODEV || r == -EPERM ? why : strerror(-r));
		return 0;
	}
	if (r < 0)
		snprintf(err, errsize, "%s:%u: ftrace: %s", run->sc->path, rec->ftrace_line,
			 r == -EINVAL ? "an event or filter this kernel does not have (see above)" :
			 strerror(-r));
	return r;
}

/* open_bpf - the eBPF tools of [record] bpf; 0 or -errno (reason in @err). */
static int open_bpf(struct rtlab_run *run, char *err, size_t errsize)
{
	const struct rtlab_scenario_record *rec = &run->sc->record;
	struct rtlab_bpf_opts o = { .tools = rec->bpf_tools, .runqlat_key = RTLAB_BPF_KEY_CPU };
	char why[256] = "";
	int r = rtlab_bpf_check(why, sizeof(why));

	if (r == 0)
		r = rtlab_bpf_open(run->ctx, &o, &run->bpf);
	if (r < 0 && not_here(r)) {
		run_event(run, "note", "eBPF tools not recorded: %s", why[0] ? why : strerror(-r));
		return 0;
	}
	if (r < 0)
		snprintf(err, errsize, "%s:%u: bpf: %s", run->sc->path, rec->bpf_line,
			 strerror(-r));
	return r;
}

/* run_trace_new - the recorders [record] asks for, and the tasks told of breaktrace. */
int run_trace_new(struct rtlab_run *run, char *err, size_t errsize)
{
	const struct rtlab_scenario_record *rec = &run->sc->record;
	int r = 0;

	if (rec->nftrace_events)
		r = open_ftrace(run, err, errsize);
	if (r == 0 && rec->bpf_tools)
		r = open_bpf(run, err, errsize);
	for (size_t i = 0; r == 0 && run->ftrace && i < run->ntasks; i++) {
		run->tasks[i].ftrace = run->ftrace;
		run->tasks[i].breaktrace_ns = rec->breaktrace_ns;
	}
	return r;
}

/* run_trace_start - attach and enable, before the loads and tasks start. */
int run_trace_start(struct rtlab_run *run, char *err, size_t errsize)
{
	int r = run->ftrace ? rtlab_ftrace_start(run->ftrace, -1) : 0;

	if (r < 0) {
		snprintf(err, errsize, "ftrace: cannot start: %s", strerror(-r));
		return r;
	}
	r = run->bpf ? rtlab_bpf_start(run->bpf) : 0;
	if (r < 0)
		snprintf(err, errsize, "eBPF tools: cannot attach: %s", strerror(-r));
	return r;
}

/*
 * run_trace_stop - once the tasks and loads stopped: disable, read what is
 * left, and store the trace and the histograms.  Returns 0 or the first
 * -errno (an event of the run says what).
 */
int run_trace_stop(struct rtlab_run *run)
{
	int r = 0, e;

	if (run->ftrace) {
		struct rtlab_ftrace_stats s;

		e = rtlab_ftrace_stop(run->ftrace);
		rtlab_ftrace_stats(run->ftrace, &s);
		run_event(run, "ftrace", "%llu events stored, %llu lost, %llu spikes, %llu windows",
			  (unsigned long long)s.events_stored, (unsigned long long)s.events_lost,
			  (unsigned long long)s.spikes, (unsigned long long)s.windows);
		if (e < 0) {
			run_event(run, "error", "ftrace: %s", strerror(-e));
			r = e;
		}
	}
	if (run->bpf) {
		e = rtlab_bpf_stop(run->bpf);
		if (e == 0)
			e = rtlab_bpf_store(run->bpf, rtlab_store_path(run->store));
		if (e < 0) {
			run_event(run, "error", "eBPF tools: %s", strerror(-e));
			r = r ? r : e;
		}
	}
	return r;
}

/* run_trace_free - close the recorders: the tracefs instance goes away here at the latest. */
void run_trace_free(struct rtlab_run *run)
{
	run->ftrace = rtlab_ftrace_close(run->ftrace);
	run->bpf = rtlab_bpf_close(run->bpf);
}
