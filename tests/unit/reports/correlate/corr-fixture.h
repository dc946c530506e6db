/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corr-fixture.h - runs with known spike causes: a run store made with the
 * store API (task, tid, latency rows), then trace_event rows as the ftrace
 * recorder writes them and node_cpu_seconds_total samples as the probe
 * recorder writes them, inserted with SQLite.  Header-only.
 */
#ifndef RTLAB_TEST_CORR_FIXTURE_H
#define RTLAB_TEST_CORR_FIXTURE_H

#include <rtlab/correlate.h>

#include "../render/test-run.h"

/* The measured thread, its CPU, and the programmed wake-up of the spike. */
#define TID 1234
#define CPU0 0
#define P_NS (T0_NS + 500 * 1000000ULL)

/* us_at - P_NS + @us microseconds (negative: before it). */
static inline uint64_t us_at(long long us)
{
	return (uint64_t)((long long)P_NS + us * 1000);
}

/* A fixture run being made. */
struct fx {
	char dir[64];
	sqlite3 *db;
	uint32_t task;
};

/*
 * fx_new - a run with task @name (@policy, @prio, thread TID): small latencies
 * (10 us) every 10 ms of its first second on CPU 0, and the spike: it ran at
 * @ran_us after P_NS.  With @trace, the trace tables.
 */
static inline void fx_new(struct fx *fx, const char *name, const char *policy, int prio,
			  long long ran_us, bool trace)
{
	struct rtlab_store_task t = { name, policy, prio, 10000000ULL, 10000000ULL, 0, "0" };
	struct rtlab_store_task_end e = { 101, 0, 0, 0, 0, 0, TID };
	struct sample s[101];
	struct rtlab_store *st;
	char path[PATH_MAX];

	tmp_dir(fx->dir, sizeof(fx->dir));
	st = run_new(fx->dir, "corr", "[scenario]\nname = corr\n");
	cr_assert_eq(rtlab_store_add_task(st, &t, &fx->task), 0);
	for (unsigned k = 0; k < 100; k++)
		s[k] = (struct sample){ T0_NS + (10 * k + 3) * 1000000ULL, CPU0, 10 * US_NS };
	s[100] = (struct sample){ us_at(ran_us), CPU0, us_at(ran_us) - P_NS };
	samples_put(st, fx->task, s, 101, NULL, 0);
	cr_assert_eq(rtlab_store_end_task(st, fx->task, &e), 0);
	run_end(st, fx->dir, RTLAB_RUN_COMPLETE, 2 * SEC_NS);
	snprintf(path, sizeof(path), "%s/run.db", fx->dir);
	cr_assert_eq(sqlite3_open(path, &fx->db), SQLITE_OK);
	sqlite3_busy_timeout(fx->db, 5000);
	if (trace)
		cr_assert_eq(sqlite3_exec(fx->db,
			"CREATE TABLE IF NOT EXISTS trace_event(t_ns INTEGER NOT NULL,"
			" cpu INTEGER NOT NULL, pid INTEGER, comm TEXT, event TEXT NOT NULL,"
			" fields TEXT);"
			"CREATE INDEX IF NOT EXISTS trace_event_cpu_t ON trace_event(cpu, t_ns);"
			"CREATE TABLE IF NOT EXISTS trace_lost(cpu INTEGER, source TEXT NOT NULL,"
			" count INTEGER NOT NULL);"
			"CREATE TABLE IF NOT EXISTS trace_window(start_ns INTEGER NOT NULL,"
			" end_ns INTEGER NOT NULL, reason TEXT);", NULL, NULL, NULL), SQLITE_OK);
}

/* fx_ev - a trace_event row at @us from P_NS on @cpu, current task @pid/@comm. */
static inline void fx_ev(struct fx *fx, long long us, int cpu, int pid, const char *comm,
			 const char *event, const char *fields)
{
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_prepare_v2(fx->db, "INSERT INTO trace_event VALUES(?, ?, ?, ?, ?, ?)",
					-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, (int64_t)us_at(us));
	sqlite3_bind_int(st, 2, cpu);
	sqlite3_bind_int(st, 3, pid);
	sqlite3_bind_text(st, 4, comm, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, event, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, fields, -1, SQLITE_TRANSIENT);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE, "%s", sqlite3_errmsg(fx->db));
	sqlite3_finalize(st);
}

/* fx_switch - sched_switch on CPU0 at @us: @prev (@ppid, @pprio) -> @next (@npid, @nprio). */
static inline void fx_switch(struct fx *fx, long long us, const char *prev, int ppid, int pprio,
			     const char *next, int npid, int nprio)
{
	char f[512];

	snprintf(f, sizeof(f), "{\"prev_comm\":\"%s\",\"prev_pid\":%d,\"prev_prio\":%d,"
		 "\"prev_state\":%d,\"next_comm\":\"%s\",\"next_pid\":%d,\"next_prio\":%d}", prev,
		 ppid, pprio, ppid == TID ? 1 : 0, next, npid, nprio);
	fx_ev(fx, us, CPU0, ppid, prev, "sched:sched_switch", f);
}

/* fx_wake - sched_waking, then sched_wakeup 1 us later, of TID at @us on @cpu (@pid runs). */
static inline void fx_wake(struct fx *fx, long long us, int cpu, int pid, const char *comm,
			   int prio)
{
	char f[256];

	snprintf(f, sizeof(f), "{\"comm\":\"rtlab-fast\",\"pid\":%d,\"prio\":%d,\"target_cpu\":%d}",
		 TID, prio, CPU0);
	fx_ev(fx, us, cpu, pid, comm, "sched:sched_waking", f);
	fx_ev(fx, us + 1, cpu, pid, comm, "sched:sched_wakeup", f);
}

/* fx_cpu_seconds - node_cpu_seconds_total{cpu="@cpu",mode="@mode"} at @ms from P_NS. */
static inline void fx_cpu_seconds(struct fx *fx, int cpu, const char *mode, long long ms,
				  double seconds)
{
	char labels[64];
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_exec(fx->db,
		"CREATE TABLE IF NOT EXISTS probe_metric(id INTEGER PRIMARY KEY,"
		" family TEXT NOT NULL, name TEXT NOT NULL, labels TEXT NOT NULL,"
		" type TEXT NOT NULL, help TEXT, UNIQUE(name, labels));"
		"CREATE TABLE IF NOT EXISTS probe_sample(t_ns INTEGER NOT NULL,"
		" metric INTEGER NOT NULL REFERENCES probe_metric(id), value,"
		" state INTEGER NOT NULL);",
		NULL, NULL, NULL), SQLITE_OK);
	snprintf(labels, sizeof(labels), "cpu=\"%d\",mode=\"%s\"", cpu, mode);
	cr_assert_eq(sqlite3_prepare_v2(fx->db, "INSERT OR IGNORE INTO probe_metric(family, name,"
					" labels, type) VALUES('cpu', 'node_cpu_seconds_total', ?,"
					" 'counter')", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, labels, -1, SQLITE_TRANSIENT);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	cr_assert_eq(sqlite3_prepare_v2(fx->db, "INSERT INTO probe_sample SELECT ?1, id, ?2, 0"
					" FROM probe_metric WHERE labels = ?3", -1, &st, NULL),
		     SQLITE_OK);
	sqlite3_bind_int64(st, 1, (int64_t)us_at(ms * 1000));
	sqlite3_bind_double(st, 2, seconds);
	sqlite3_bind_text(st, 3, labels, -1, SQLITE_TRANSIENT);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* fx_steal - steal of CPU0 at 400 ms before and 500 ms after P_NS: @before_s, @after_s. */
static inline void fx_steal(struct fx *fx, double before_s, double after_s)
{
	fx_cpu_seconds(fx, CPU0, "steal", -400, before_s);
	fx_cpu_seconds(fx, CPU0, "steal", 500, after_s);
}

/* fx_read - close the writer connection, read the run's top @n spikes explained. */
static inline struct rtlab_corr *fx_read(struct fx *fx, unsigned n)
{
	struct rtlab_corr_opts o = { .spikes = n };
	struct rtlab_corr *c = NULL;
	char err[256] = "";

	sqlite3_close(fx->db);
	fx->db = NULL;
	cr_assert_eq(rtlab_corr_run(fx->dir, &o, &c, err, sizeof(err)), 0, "%s", err);
	cr_assert_not_null(c);
	return c;
}

/* assert_near_us - @ns is @us microseconds within @tol_us. */
#define assert_near_us(ns, us, tol_us)                                                    \
	cr_assert((double)(ns) / 1e3 >= (us) - (tol_us) && (double)(ns) / 1e3 <= (us) + (tol_us), \
		  "%s = %.3f us, expected %.3f +- %.3f", #ns, (double)(ns) / 1e3, (double)(us), \
		  (double)(tol_us))

/* verdict_us - the number right after @after in the verdict of @s (µs), or -1. */
static inline double verdict_us(const struct rtlab_corr_spike *s, const char *after)
{
	const char *p = strstr(s->verdict, after);
	double v = -1;

	if (p && sscanf(p + strlen(after), "%lf", &v) != 1)
		v = -1;
	return v;
}

#endif /* RTLAB_TEST_CORR_FIXTURE_H */
