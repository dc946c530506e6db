/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * store-throughput.c - how many latency samples per second the run store's
 * writer puts into run.db.
 *
 * Two measures on a fresh run.db in a temporary folder:
 *  - drain: N records already waiting in 4 rings, the writer started, the
 *    time until every one is in the database (the writer's own ceiling);
 *  - offered: 4 producer threads each pushing at a fixed rate (absolute
 *    sleeps every 1000 records) for D seconds into rings holding 2 s of
 *    their records (as a run sizes them), the writer draining every 20 ms:
 *    records written per second and lost;
 *  - scenario: a real run of 4 SCHED_FIFO tasks at 10 kHz (100 us periods,
 *    two per CPU of the first two) for S seconds with rtlab's runner: jobs,
 *    rows written and records lost, read back from run.db.
 *
 *	bench-store-throughput [--records N] [--rate PER_S] [--seconds D]
 *			       [--scenario-seconds S]   (0: skip the scenario run)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rtlab/run.h>
#include <rtlab/store.h>

#define PRODUCERS 4

struct producer {
	struct rtlab_ring *ring;
	uint64_t rate;		/* records per second */
	uint64_t until_ns;
	uint64_t pushed;
};

/* run_new - a run.db in a new temporary folder @dir, with PRODUCERS tasks. */
static struct rtlab_store *run_new(char *dir, size_t size, uint32_t *ids)
{
	struct rtlab_run_info info = { "store-throughput", "", 0, 1, 0 };
	struct rtlab_store *st;

	snprintf(dir, size, "/tmp/rtlab-bench-store-XXXXXX");
	if (!mkdtemp(dir) || rtlab_store_create(dir, &st) < 0 || rtlab_store_begin(st, &info) < 0)
		return NULL;
	for (int i = 0; i < PRODUCERS; i++) {
		struct rtlab_store_task t = { "task", "fifo", 90, 100000, 100000, 0, "" };

		if (rtlab_store_add_task(st, &t, &ids[i]) < 0)
			return NULL;
	}
	return st;
}

/* cleanup - the run's files and folder. */
static void cleanup(struct rtlab_store *st, const char *dir)
{
	char path[256];

	rtlab_store_close(st);
	for (const char *const *f = (const char *const[]){ "run.db", "run.db-wal", "run.db-shm",
							  NULL }; *f; f++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *f);
		unlink(path);
	}
	rmdir(dir);
}

/* bench_drain - @n records waiting, then the writer: records per second. */
static double bench_drain(uint64_t n)
{
	struct rtlab_ring *rings[PRODUCERS];
	struct rtlab_writer *w;
	struct rtlab_store *st;
	uint32_t ids[PRODUCERS];
	char dir[64];
	uint64_t t0, t1;

	st = run_new(dir, sizeof(dir), ids);
	if (!st || rtlab_writer_new(st, 1000000, &w) < 0)
		return -1;
	for (int i = 0; i < PRODUCERS; i++) {
		if (rtlab_writer_ring(w, ids[i], n / PRODUCERS, &rings[i]) < 0)
			return -1;
		for (uint64_t k = 0; k < n / PRODUCERS; k++)
			rtlab_ring_latency(rings[i], k * 1000, i, 1000 + k % 5000);
	}
	t0 = rtlab_now_ns();
	if (rtlab_writer_start(w, -1) < 0)
		return -1;
	while (rtlab_writer_written(w) < n / PRODUCERS * PRODUCERS)
		usleep(1000);
	t1 = rtlab_now_ns();
	rtlab_writer_stop(w);
	rtlab_writer_free(w);
	cleanup(st, dir);
	return (double)(n / PRODUCERS * PRODUCERS) / ((double)(t1 - t0) / 1e9);
}

/* produce - push at p->rate until p->until_ns: 1000 records, then sleep to the next slot. */
static void *produce(void *arg)
{
	struct producer *p = arg;
	uint64_t next = rtlab_now_ns(), step = 1000 * UINT64_C(1000000000) / p->rate;

	while (next < p->until_ns) {
		struct timespec ts;

		for (int i = 0; i < 1000; i++, p->pushed++)
			rtlab_ring_latency(p->ring, next, 0, 1000 + p->pushed % 5000);
		next += step;
		ts.tv_sec = (time_t)(next / 1000000000u);
		ts.tv_nsec = (long)(next % 1000000000u);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	return NULL;
}

/* bench_offered - PRODUCERS threads at @rate in all for @seconds; prints the figures. */
static int bench_offered(uint64_t rate, double seconds)
{
	struct producer p[PRODUCERS];
	pthread_t th[PRODUCERS];
	struct rtlab_writer *w;
	struct rtlab_store *st;
	uint32_t ids[PRODUCERS];
	uint64_t t0, t1, lost = 0, pushed = 0;
	char dir[64];

	st = run_new(dir, sizeof(dir), ids);
	if (!st || rtlab_writer_new(st, 0, &w) < 0)
		return -1;
	t0 = rtlab_now_ns();
	for (int i = 0; i < PRODUCERS; i++) {
		p[i] = (struct producer){ .rate = rate / PRODUCERS,
					  .until_ns = t0 + (uint64_t)(seconds * 1e9) };
		if (rtlab_writer_ring(w, ids[i], 2 * p[i].rate, &p[i].ring) < 0)
			return -1;
	}
	if (rtlab_writer_start(w, -1) < 0)
		return -1;
	for (int i = 0; i < PRODUCERS; i++)
		pthread_create(&th[i], NULL, produce, &p[i]);
	for (int i = 0; i < PRODUCERS; i++) {
		pthread_join(th[i], NULL);
		lost += rtlab_ring_lost(p[i].ring);
		pushed += p[i].pushed;
	}
	rtlab_writer_stop(w);
	t1 = rtlab_now_ns();
	printf("offered %llu/s for %.1f s: %llu pushed, %llu written (%.0f/s), %llu lost\n",
	       (unsigned long long)rate, seconds, (unsigned long long)pushed,
	       (unsigned long long)rtlab_writer_written(w),
	       (double)rtlab_writer_written(w) / ((double)(t1 - t0) / 1e9),
	       (unsigned long long)lost);
	rtlab_writer_free(w);
	cleanup(st, dir);
	return lost ? 1 : 0;
}

/* bench_scenario - 4 tasks at 10 kHz for @seconds through the runner; 0, 1 (lost) or -1. */
static int bench_scenario(unsigned seconds)
{
	static const char fmt[] =
		"[scenario]\nname = store-4x10khz\nduration = %us\n"
		"[task a]\npriority = 90\nperiod = 100us\ncpu = 0\n"
		"[task b]\npriority = 89\nperiod = 100us\ncpu = 0\n"
		"[task c]\npriority = 90\nperiod = 100us\ncpu = %d\n"
		"[task d]\npriority = 89\nperiod = 100us\ncpu = %d\n";
	struct rtlab_scenario *sc = NULL;
	struct rtlab_run_summary s;
	struct rtlab_run_opts o = { .runs_dir = NULL };
	char text[512], dir[64], err[512];
	struct rtlab_store *st;
	struct rtlab_run *run;
	int cpu1 = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0, r;

	snprintf(text, sizeof(text), fmt, seconds, cpu1, cpu1);
	snprintf(dir, sizeof(dir), "/tmp/rtlab-bench-runs-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	o.runs_dir = dir;
	r = rtlab_scenario_parse_text("store-4x10khz", text, strlen(text), &sc, err, sizeof(err));
	if (r == 0)
		r = rtlab_scenario_validate(sc, err, sizeof(err));
	if (r == 0)
		r = rtlab_run_new(NULL, sc, &o, &run, err, sizeof(err));
	if (r == 0) {
		r = rtlab_run_exec(run, err, sizeof(err));
		if (r == 0)
			r = rtlab_store_open(rtlab_run_dir(run), false, &st);
		if (r == 0) {
			r = rtlab_run_summary_read(st, &s);
			rtlab_store_close(st);
		}
		printf("scenario: 4 tasks at 10 kHz for %u s in %s\n", seconds, rtlab_run_dir(run));
		rtlab_run_free(run);
	}
	rtlab_scenario_free(sc);
	if (r < 0) {
		fprintf(stderr, "store-throughput: scenario: %s\n", err);
		return -1;
	}
	for (size_t i = 0; i < s.ntasks; i++)
		printf("  %-4s jobs %9llu  rows %9llu  lost %llu  max latency %.1f us\n",
		       s.tasks[i].name, (unsigned long long)s.tasks[i].jobs,
		       (unsigned long long)s.tasks[i].samples, (unsigned long long)s.tasks[i].lost,
		       (double)s.tasks[i].max_ns / 1e3);
	r = s.tasks[s.ntasks - 1].lost ? 1 : 0;
	rtlab_run_summary_free(&s);
	return r;
}

int main(int argc, char **argv)
{
	uint64_t records = 4000000, rate = 1000000;
	double seconds = 10, drain;
	unsigned scenario_s = 60;
	int r;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--records") == 0)
			records = strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--rate") == 0)
			rate = strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = strtod(argv[i + 1], NULL);
		else if (strcmp(argv[i], "--scenario-seconds") == 0)
			scenario_s = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else
			argc = -1;
	}
	if (argc < 0 || argc % 2 == 0 || records < PRODUCERS || rate < 4000 || seconds <= 0) {
		fprintf(stderr, "usage: %s [--records N] [--rate PER_S] [--seconds D] "
			"[--scenario-seconds S]\n", argv[0]);
		return 2;
	}
	drain = bench_drain(records);
	if (drain < 0) {
		fprintf(stderr, "store-throughput: cannot set up a run store\n");
		return 1;
	}
	printf("drain: %llu records waiting in %d rings written at %.0f records/s\n",
	       (unsigned long long)records, PRODUCERS, drain);
	r = bench_offered(rate, seconds);
	if (r >= 0 && scenario_s)
		r = bench_scenario(scenario_s);
	return r < 0 ? 1 : 0;
}
