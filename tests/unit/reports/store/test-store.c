/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-store.c - run.db: round trip, rings and lost records, a crashed run, bad files. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/store.h>

#include "../../run-db.h"

/* new_run - a run.db in @dir with the run row and one task; the task id. */
static uint32_t new_run(const char *dir, struct rtlab_store **st)
{
	static const char text[] = "[scenario]\nname = t\nduration = 1s\n";
	struct rtlab_run_info info = { "t", text, sizeof(text) - 1, 7, 1000000000 };
	struct rtlab_store_task t = { "t1", "fifo", 80, 1000000, 1000000, 0, "0" };
	uint32_t id = 0;

	cr_assert_eq(rtlab_store_create(dir, st), 0);
	cr_assert_eq(rtlab_store_begin(*st, &info), 0);
	cr_assert_eq(rtlab_store_add_task(*st, &t, &id), 0);
	cr_assert_gt(id, 0);
	return id;
}

struct producer {
	struct rtlab_ring *ring;
	unsigned n;
};

/* produce - @n latencies (value i) and one miss every 100 (the ring holds them all). */
static void *produce(void *arg)
{
	struct producer *p = arg;

	for (unsigned i = 0; i < p->n; i++) {
		rtlab_ring_latency(p->ring, 1000 + i, 0, i);
		if (i % 100 == 99)
			rtlab_ring_miss(p->ring, 2000 + i, i, 1500 + i);
	}
	return NULL;
}

/* Everything written comes back: run row, facts, samples, misses, histogram, loads, events. */
Test(store, round_trip)
{
	struct rtlab_store *st, *ro;
	struct rtlab_writer *w;
	struct producer p = { .n = 50000 };
	struct rtlab_store_task_end end = { 50000, 1, 500, 3, 49999, 12345 };
	const uint64_t lo[] = { 0, 1000, 2000 }, hi[] = { 1000, 2000, 3000 }, cnt[] = { 5, 0, 7 };
	struct rtlab_store_load load = { "l", "cpu", "0-1", 2, 50, 99, 5, 10 };
	char dir[64], text[256];
	pthread_t th;
	uint32_t id;

	temp_dir(dir, sizeof(dir), "store");
	id = new_run(dir, &st);
	cr_assert_eq(rtlab_writer_new(st, 5000000, &w), 0);
	cr_assert_eq(rtlab_writer_ring(w, id, 1 << 16, &p.ring), 0);
	cr_assert_eq(rtlab_writer_start(w, -1), 0);
	cr_assert_eq(pthread_create(&th, NULL, produce, &p), 0);
	pthread_join(th, NULL);
	cr_assert_eq(rtlab_writer_stop(w), 0);
	cr_assert_eq(rtlab_writer_written(w), 50000 + 500);
	cr_assert_eq(rtlab_ring_lost(p.ring), 0);
	rtlab_writer_free(w);
	cr_assert_eq(rtlab_store_end_task(st, id, &end), 0);
	cr_assert_eq(rtlab_store_hist(st, id, lo, hi, cnt, 3), 0);
	cr_assert_eq(rtlab_store_add_load(st, &load), 0);
	cr_assert_eq(rtlab_store_event(st, 0, "signal", "SIGTERM"), 0);
	cr_assert_eq(rtlab_store_end(st, RTLAB_RUN_COMPLETE), 0);
	rtlab_store_close(st);

	cr_assert_eq(rtlab_store_open(dir, false, &ro), 0);
	cr_assert(strstr(rtlab_store_path(ro), "/run.db"));
	rtlab_store_close(ro);
	cr_assert_eq(db_i64(dir, "SELECT version FROM schema_version"), RTLAB_STORE_SCHEMA_VERSION);
	cr_assert_str_eq(db_text(dir, "SELECT status FROM run", text, sizeof(text)),
			 "complete");
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM latency"), 50000);
	cr_assert_eq(db_i64(dir, "SELECT sum(latency_ns) FROM latency"),
		     (int64_t)49999 * 50000 / 2);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM miss"), 500);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM latency WHERE response_ns IS NULL"), 50000);
	cr_assert_eq(db_i64(dir, "SELECT deadline_ns FROM miss WHERE job = 99"), 1599);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM hist"), 2, "empty buckets kept");
	cr_assert_eq(db_i64(dir, "SELECT misses FROM task"), 500);
	cr_assert_eq(db_i64(dir, "SELECT lost FROM task"), 0);
	cr_assert_eq(db_i64(dir, "SELECT ops FROM load"), 99);
	cr_assert_str_eq(db_text(dir, "SELECT text FROM event", text, sizeof(text)),
			 "SIGTERM");
	cr_assert_eq(db_i64(dir, "SELECT seed FROM run"), 7);
	cr_assert_gt(db_i64(dir, "SELECT end_ns - start_ns FROM run"), 0);
	cr_assert_gt(db_i64(dir, "SELECT ncpus FROM run"), 0);
	cr_assert_neq(db_text(dir, "SELECT kernel FROM run", text, sizeof(text))[0], '\0');
	cr_assert_neq(db_text(dir, "SELECT preempt FROM run", text, sizeof(text))[0], '\0');
	cr_assert(strncmp(db_text(dir, "SELECT scenario_hash FROM run", text, sizeof(text)),
			  "fnv1a64:", 8) == 0);
	cr_assert_str_eq(db_text(dir, "SELECT journal_mode FROM pragma_journal_mode",
				    text, sizeof(text)), "wal");
	rmtree(dir);
}

/* A full ring counts what it cannot take; the counts are stored per task and kind. */
Test(store, full_ring_counts_lost_records)
{
	struct rtlab_store *st;
	struct rtlab_writer *w;
	struct rtlab_ring *r;
	unsigned taken = 0;
	char dir[64], text[64];
	uint32_t id;

	temp_dir(dir, sizeof(dir), "store");
	id = new_run(dir, &st);
	cr_assert_eq(rtlab_writer_new(st, 0, &w), 0);
	cr_assert_eq(rtlab_writer_ring(w, id, 10, &r), 0, "rounded up to 1024");
	for (unsigned i = 0; i < 1500; i++)
		taken += rtlab_ring_latency(r, i, 1, i);
	cr_assert_eq(taken, 1024);
	cr_assert_not(rtlab_ring_miss(r, 1, 2, 3));
	cr_assert_eq(rtlab_ring_lost(r), 477);
	cr_assert_eq(rtlab_writer_stop(w), 0, "a writer never started drains at stop");
	cr_assert_eq(rtlab_writer_written(w), 1024);
	rtlab_writer_free(w);
	rtlab_store_end(st, RTLAB_RUN_INTERRUPTED);
	rtlab_store_close(st);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM latency"), 1024);
	cr_assert_eq(db_i64(dir, "SELECT count FROM lost WHERE kind = 'latency'"), 476);
	cr_assert_eq(db_i64(dir, "SELECT count FROM lost WHERE kind = 'miss'"), 1);
	cr_assert_eq(db_i64(dir, "SELECT lost FROM task"), 477);
	cr_assert_str_eq(db_text(dir, "SELECT status FROM run", text, sizeof(text)),
			 "interrupted");
	rmtree(dir);
}

/* A process that dies in the middle of a run leaves a readable run marked incomplete. */
Test(store, crash_leaves_incomplete)
{
	char dir[64], text[64];
	int status;
	pid_t pid;

	temp_dir(dir, sizeof(dir), "store");
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct rtlab_store *st;
		struct rtlab_writer *w;
		struct rtlab_ring *r;
		uint32_t id = new_run(dir, &st);

		if (rtlab_writer_new(st, 1000000, &w) < 0 || rtlab_writer_ring(w, id, 0, &r) < 0 ||
		    rtlab_writer_start(w, -1) < 0)
			_exit(1);
		for (unsigned i = 0; i < 100; i++)
			rtlab_ring_latency(r, i, 0, i);
		usleep(100000);
		abort();
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status));
	cr_assert_str_eq(db_text(dir, "SELECT status FROM run", text, sizeof(text)),
			 "incomplete");
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM latency"), 100);
	rmtree(dir);
}

/* Bad places: no run, not a run store, a run that exists already. */
Test(store, bad_paths)
{
	struct rtlab_store *st;
	char dir[64], path[PATH_MAX];
	sqlite3 *db;

	temp_dir(dir, sizeof(dir), "store");
	cr_assert_eq(rtlab_store_open(dir, false, &st), -ENOENT);
	cr_assert_eq(rtlab_store_open("/nonexistent/rtlab", false, &st), -ENOENT);
	snprintf(path, sizeof(path), "%s/run.db", dir);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE x(y)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(rtlab_store_open(dir, false, &st), -EPROTO);
	cr_assert_eq(rtlab_store_create(dir, &st), -EEXIST);
	cr_assert_eq(rtlab_store_end(NULL, (enum rtlab_run_status)9), -EINVAL);
	cr_assert_null(rtlab_run_status_name((enum rtlab_run_status)9));
	rmtree(dir);
}

/* The summary: the run's facts and exact nearest-rank percentiles per task and over all. */
Test(store, summary_percentiles)
{
	struct rtlab_store *st, *ro;
	struct rtlab_writer *w;
	struct rtlab_ring *r, *r2;
	struct rtlab_store_task t2 = { "b", "rr", 10, 2000000, 2000000, 0, "" };
	struct rtlab_store_task_end end = { 1000, 0, 3, 1, 1000, 500500 };
	struct rtlab_run_summary s;
	const struct rtlab_task_summary *a, *all;
	char dir[64];
	uint32_t id, id2;

	temp_dir(dir, sizeof(dir), "store");
	id = new_run(dir, &st);
	cr_assert_eq(rtlab_store_add_task(st, &t2, &id2), 0);
	cr_assert_eq(rtlab_writer_new(st, 0, &w), 0);
	cr_assert_eq(rtlab_writer_ring(w, id, 2000, &r), 0);
	cr_assert_eq(rtlab_writer_ring(w, id2, 2000, &r2), 0);
	/*
	 * Task a: latencies 1..1000 in a shuffled order, responses 10 x latency;
	 * task b: 1000 times 5000, no response time.
	 */
	for (unsigned i = 0; i < 1000; i++) {
		uint64_t v = (i * 7919) % 1000 + 1;

		rtlab_ring_job(r, i, 0, v, 10 * v);
		rtlab_ring_latency(r2, i, 1, 5000);
	}
	cr_assert_eq(rtlab_writer_stop(w), 0);
	rtlab_writer_free(w);
	cr_assert_eq(rtlab_store_end_task(st, id, &end), 0);
	cr_assert_eq(rtlab_store_end(st, RTLAB_RUN_COMPLETE), 0);
	rtlab_store_close(st);

	cr_assert_eq(rtlab_store_open(dir, false, &ro), 0);
	cr_assert_eq(rtlab_run_summary_read(ro, &s), 0);
	cr_assert_str_eq(s.name, "t");
	cr_assert_str_eq(s.status, "complete");
	cr_assert_eq(s.seed, 7);
	cr_assert_eq(s.ntasks, 3);
	a = &s.tasks[0];
	all = &s.tasks[2];
	cr_assert_str_eq(a->name, "t1");
	cr_assert_eq(a->samples, 1000);
	cr_assert_eq(a->min_ns, 1);
	cr_assert_eq(a->max_ns, 1000);
	cr_assert_float_eq(a->mean_ns, 500.5, 1e-9);
	cr_assert_eq(a->p50_ns, 500);
	cr_assert_eq(a->p90_ns, 900);
	cr_assert_eq(a->p99_ns, 990);
	cr_assert_eq(a->p999_ns, 999);
	cr_assert_eq(a->p9999_ns, 1000);
	cr_assert_eq(a->misses, 3);
	cr_assert_eq(a->responses, 1000);
	cr_assert_eq(a->resp_p50_ns, 5000);
	cr_assert_eq(a->resp_p99_ns, 9900);
	cr_assert_eq(a->resp_max_ns, 10000);
	cr_assert_float_eq(a->resp_mean_ns, 5005, 1e-9);
	cr_assert_eq(s.tasks[1].responses, 0);
	cr_assert_str_eq(s.tasks[1].policy, "rr");
	cr_assert_eq(s.tasks[1].p50_ns, 5000);
	cr_assert_str_eq(all->name, "all");
	cr_assert_eq(all->samples, 2000);
	cr_assert_eq(all->p50_ns, 1000, "the 1000th of 2000 sorted values");
	cr_assert_eq(all->p90_ns, 5000);
	cr_assert_eq(all->misses, 3);
	cr_assert_eq(all->responses, 1000);
	rtlab_run_summary_free(&s);
	rtlab_store_close(ro);
	rmtree(dir);
}
