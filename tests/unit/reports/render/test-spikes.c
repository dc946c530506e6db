/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-spikes.c - the spike table: which latencies, the probe values around them, the events. */
#include "test-run.h"

#define MS_NS 1000000ULL

/* at - T0_NS + @ms milliseconds. */
static uint64_t at(uint64_t ms)
{
	return T0_NS + ms * MS_NS;
}

/*
 * spiky_run - a run of two tasks sampled every 10 ms for 1 s: alpha at 10 us + k ns with
 * spikes of 500 us at 500 ms and 300 us at 700 ms; beta (on CPU 1) at 20 us with
 * spikes of 500 us at 205 ms and 800 us at 905 ms.  Probe samples and events
 * around 500 ms, as the tests below expect.
 */
static void spiky_run(const char *dir, bool probe)
{
	struct sample a[100], b[100];
	struct rtlab_store *st = run_new(dir, "spiky", "[scenario]\nname = spiky\n");
	uint32_t ida = task_new(st, "alpha"), idb = task_new(st, "beta");
	static const struct {
		uint64_t ms;
		const char *kind, *text;
	} ev[] = { { 100, "start", "2 tasks" }, { 450, "watchdog", "alpha: no job for 5 ms" },
		   { 480, "signal", "SIGUSR1" }, { 520, "miss", "alpha: 1 deadline miss" },
		   { 550, "note", "x" }, { 1600, "end", "duration reached" } };

	for (unsigned k = 0; k < 100; k++) {
		a[k] = (struct sample){ at(10 * k), 0, 10 * US_NS + k };
		b[k] = (struct sample){ at(10 * k + 5), 1, 20 * US_NS };
	}
	a[50].latency_ns = 500 * US_NS;
	a[70].latency_ns = 300 * US_NS;
	b[20].latency_ns = 500 * US_NS;
	b[90].latency_ns = 800 * US_NS;
	samples_put(st, ida, a, 100, NULL, 0);
	samples_put(st, idb, b, 100, NULL, 0);
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		cr_assert_eq(rtlab_store_event(st, at(ev[i].ms), ev[i].kind, ev[i].text), 0);
	run_end(st, dir, RTLAB_RUN_COMPLETE, 2 * SEC_NS);
	if (!probe)
		return;
	probe_tables(dir);
	probe_put(dir, "node_load1", "", at(400), 1.5, 0);
	probe_put(dir, "node_load1", "", at(450), 0, RTLAB_PV_NOT_READY);
	probe_put(dir, "node_load1", "", at(600), 2.5, 0);
	probe_put(dir, "rtlab_pressure_avg_ratio", "resource=\"cpu\",kind=\"some\",window=\"10s\"",
		  at(300), 0.12, 0);
	probe_put(dir, "node_memory_MemAvailable_bytes", "", at(550), 100.0 * 1024 * 1024, 0);
}

/* read_spikes - the top @n of the run in @dir. */
static struct rtlab_spike *read_spikes(const char *dir, size_t n, size_t *ret_n)
{
	struct rtlab_spike *sp = NULL;
	struct rtlab_store *st;

	cr_assert_eq(rtlab_store_open(dir, false, &st), 0);
	cr_assert_eq(rtlab_spikes_read(st, n, &sp, ret_n), 0);
	rtlab_store_close(st);
	return sp;
}

/* The largest first; between equal latencies the earlier; each with its task and CPU. */
Test(spikes, largest_first_ties_by_time)
{
	struct {
		const char *task;
		uint64_t ms;
		int cpu;
		uint64_t lat_us;
	} want[] = { { "beta", 905, 1, 800 }, { "beta", 205, 1, 500 }, { "alpha", 500, 0, 500 },
		     { "alpha", 700, 0, 300 }, { "beta", 5, 1, 20 } };
	char dir[64];
	size_t n;
	struct rtlab_spike *sp;

	tmp_dir(dir, sizeof(dir));
	spiky_run(dir, false);
	sp = read_spikes(dir, 5, &n);
	cr_assert_eq(n, 5);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(sp[i].task_name, want[i].task, "spike %zu", i);
		cr_assert_eq(sp[i].t_ns, at(want[i].ms), "spike %zu", i);
		cr_assert_eq(sp[i].cpu, want[i].cpu, "spike %zu", i);
		cr_assert_eq(sp[i].latency_ns, want[i].lat_us * US_NS, "spike %zu", i);
		for (size_t p = 0; p < _RTLAB_SPIKE_PROBE_MAX; p++)
			cr_assert(!sp[i].around[p].has_before && !sp[i].around[p].has_after,
				  "a run without probe tables has no probe values");
	}
	free(sp);
	rm_tree(dir);
}

/* Fewer samples than asked: all of them; none asked: none. */
Test(spikes, fewer_samples_than_asked)
{
	char dir[64];
	size_t n = 99;
	struct rtlab_spike *sp;

	tmp_dir(dir, sizeof(dir));
	spiky_run(dir, false);
	sp = read_spikes(dir, 1000, &n);
	cr_assert_eq(n, 200);
	cr_assert_eq(sp[199].latency_ns, 10 * US_NS, "the smallest last");
	free(sp);
	sp = read_spikes(dir, 0, &n);
	cr_assert_null(sp);
	cr_assert_eq(n, 0);
	rm_tree(dir);
}

/* Around a spike: the last valid sample before and the first after, scaled to their units. */
Test(spikes, probe_values_around)
{
	char dir[64];
	size_t n;
	struct rtlab_spike *sp, *a500, *b500;
	const struct rtlab_spike_value *v;

	tmp_dir(dir, sizeof(dir));
	spiky_run(dir, true);
	sp = read_spikes(dir, 3, &n);
	cr_assert_eq(n, 3);
	b500 = &sp[1];
	a500 = &sp[2];
	cr_assert_str_eq(a500->task_name, "alpha");

	v = &a500->around[RTLAB_SPIKE_LOAD1];
	cr_assert(v->has_before && v->has_after);
	cr_assert_float_eq(v->before, 1.5, 1e-9, "the not-ready sample at 450 ms is skipped");
	cr_assert_eq(v->before_ns, at(400));
	cr_assert_float_eq(v->after, 2.5, 1e-9);
	cr_assert_eq(v->after_ns, at(600));

	v = &a500->around[RTLAB_SPIKE_PSI_CPU];
	cr_assert(v->has_before && !v->has_after);
	cr_assert_float_eq(v->before, 12.0, 1e-9, "a ratio shown in %%");

	v = &a500->around[RTLAB_SPIKE_MEM_AVAILABLE];
	cr_assert(!v->has_before && v->has_after);
	cr_assert_float_eq(v->after, 100.0, 1e-9, "bytes shown in MiB");

	cr_assert(!a500->around[RTLAB_SPIKE_PSI_IO].has_before);
	cr_assert(!a500->around[RTLAB_SPIKE_PSI_MEMORY].has_after);

	/* beta's spike at 205 ms came before any load sample. */
	v = &b500->around[RTLAB_SPIKE_LOAD1];
	cr_assert(!v->has_before && v->has_after);
	cr_assert_eq(v->after_ns, at(400));
	free(sp);
	rm_tree(dir);
}

/* Events within 1 s: the nearest kept, in time order, and how many there were. */
Test(spikes, events_within_a_second)
{
	static const char *const want[] = { "watchdog", "signal", "miss", "note" };
	char dir[64];
	size_t n;
	struct rtlab_spike *sp, *a500;

	tmp_dir(dir, sizeof(dir));
	spiky_run(dir, false);
	sp = read_spikes(dir, 4, &n);
	a500 = &sp[2];
	cr_assert_eq(a500->events_total, 5, "start at 100 ms counts, end at 1600 ms does not");
	cr_assert_eq(a500->nevents, RTLAB_SPIKE_EVENTS);
	for (size_t i = 0; i < a500->nevents; i++)
		cr_assert_str_eq(a500->events[i].kind, want[i], "event %zu", i);
	cr_assert_str_eq(a500->events[1].text, "SIGUSR1");
	cr_assert_eq(a500->events[0].t_ns, at(450));
	cr_assert_eq(sp[0].events_total, 6, "beta at 905 ms sees all six");
	cr_assert_eq(sp[1].events_total, 5, "beta at 205 ms: not the end at 1600 ms");
	free(sp);
	rm_tree(dir);
}

/* The names of the spike probes, and NULL past them. */
Test(spikes, probe_names)
{
	cr_assert_str_eq(rtlab_spike_probe_name(RTLAB_SPIKE_LOAD1), "load1");
	cr_assert_str_eq(rtlab_spike_probe_name(RTLAB_SPIKE_MEM_AVAILABLE), "MemAvailable MiB");
	cr_assert_null(rtlab_spike_probe_name(_RTLAB_SPIKE_PROBE_MAX));
}
