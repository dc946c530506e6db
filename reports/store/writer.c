/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* writer.c - the writer thread: every ring drained into run.db, one transaction per pass. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store-internal.h"

#define WRITER_FLUSH_NS (20 * UINT64_C(1000000))
#define WRITER_CHUNK 4096

struct rtlab_writer {
	struct rtlab_store *st;
	uint64_t flush_ns;
	struct rtlab_ring *rings;
	pthread_t thread;
	bool started;
	_Atomic bool stop;
	_Atomic uint64_t written;
	int error;			/* the first error, read after the join */
	sqlite3_stmt *ins_latency, *ins_miss;
	struct store_rec *chunk;
};

/* rtlab_writer_new - a writer into @st, not started. */
int rtlab_writer_new(struct rtlab_store *st, uint64_t flush_ns, struct rtlab_writer **ret)
{
	struct rtlab_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->st = st;
	w->flush_ns = flush_ns ? flush_ns : WRITER_FLUSH_NS;
	w->chunk = calloc(WRITER_CHUNK, sizeof(*w->chunk));
	if (!w->chunk ||
	    store_prepare(st->db, "INSERT INTO latency VALUES(?, ?, ?, ?, ?)",
			  &w->ins_latency) < 0 ||
	    store_prepare(st->db, "INSERT INTO miss VALUES(?, ?, ?, ?, ?)", &w->ins_miss) < 0) {
		int r = w->chunk ? -EIO : -ENOMEM;

		rtlab_writer_free(w);
		return r;
	}
	*ret = w;
	return 0;
}

/* rtlab_writer_ring - a ring for producer @task. */
int rtlab_writer_ring(struct rtlab_writer *w, uint32_t task, size_t records,
		      struct rtlab_ring **ret)
{
	struct rtlab_ring *r;
	int e;

	if (w->started)
		return -EBUSY;
	e = store_ring_new(task, records, &r);
	if (e < 0)
		return e;
	r->next = w->rings;
	w->rings = r;
	*ret = r;
	return 0;
}

/* insert - one record as a latency or a miss row; 0 or -EIO. */
static int insert(struct rtlab_writer *w, uint32_t task, const struct store_rec *rec)
{
	sqlite3_stmt *s = rec->kind == REC_LATENCY ? w->ins_latency : w->ins_miss;

	sqlite3_bind_int64(s, 1, (int64_t)rec->t_ns);
	sqlite3_bind_int64(s, 2, task);
	if (rec->kind == REC_LATENCY) {
		sqlite3_bind_int(s, 3, rec->cpu);
		sqlite3_bind_int64(s, 4, (int64_t)rec->a);
		if (rec->b)
			sqlite3_bind_int64(s, 5, (int64_t)(rec->b - 1));
		else
			sqlite3_bind_null(s, 5);
	} else {
		sqlite3_bind_int64(s, 3, (int64_t)rec->b);
		sqlite3_bind_int64(s, 4, (int64_t)rec->a);
		sqlite3_bind_int64(s, 5, (int64_t)rec->t_ns);
	}
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_reset(s);
		return -EIO;
	}
	sqlite3_reset(s);
	return 0;
}

/* pending - does any ring hold a record? */
static bool pending(const struct rtlab_writer *w)
{
	for (const struct rtlab_ring *r = w->rings; r; r = r->next)
		if (atomic_load_explicit(&r->head, memory_order_acquire) !=
		    atomic_load_explicit(&r->tail, memory_order_relaxed))
			return true;
	return false;
}

/* drain - everything the rings hold now, in one transaction; 0 or -EIO. */
static int drain(struct rtlab_writer *w)
{
	uint64_t n_total = 0;
	int r = 0;

	if (!pending(w))
		return 0;
	if (store_exec(w->st->db, "BEGIN") < 0)
		return -EIO;
	for (struct rtlab_ring *ring = w->rings; ring && r == 0; ring = ring->next) {
		size_t n;

		while (r == 0 && (n = store_ring_take(ring, w->chunk, WRITER_CHUNK)) > 0) {
			for (size_t i = 0; r == 0 && i < n; i++)
				r = insert(w, ring->task, &w->chunk[i]);
			n_total += n;
		}
	}
	if (store_exec(w->st->db, r == 0 ? "COMMIT" : "ROLLBACK") < 0 && r == 0)
		r = -EIO;
	if (r == 0)
		atomic_fetch_add_explicit(&w->written, n_total, memory_order_relaxed);
	return r;
}

/* sleep_ns - a relative sleep, resumed after signals. */
static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* writer_main - drain, sleep, until asked to stop; then a last drain. */
static void *writer_main(void *arg)
{
	struct rtlab_writer *w = arg;

	while (!atomic_load(&w->stop)) {
		int r = drain(w);

		if (r < 0 && !w->error)
			w->error = r;
		sleep_ns(w->flush_ns);
	}
	if (drain(w) < 0 && !w->error)
		w->error = -EIO;
	return NULL;
}

/* rtlab_writer_start - the thread, on @cpu if >= 0. */
int rtlab_writer_start(struct rtlab_writer *w, int cpu)
{
	pthread_attr_t attr;
	int r;

	if (w->started)
		return -EBUSY;
	pthread_attr_init(&attr);
	/* Not inherited from an RT creator: the writer runs at normal priority. */
	pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&attr, SCHED_OTHER);
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	}
	r = pthread_create(&w->thread, &attr, writer_main, w);
	pthread_attr_destroy(&attr);
	if (r)
		return -r;
	pthread_setname_np(w->thread, "rtlab-writer");
	w->started = true;
	return 0;
}

/* store_lost - a lost row per ring and kind that lost records, and each task's total. */
static int store_lost(struct rtlab_writer *w)
{
	static const char *const kinds[REC__KINDS] = { "latency", "miss" };
	sqlite3_stmt *ins, *upd;
	int r = store_prepare(w->st->db, "INSERT INTO lost VALUES(?, ?, ?)", &ins);

	if (r < 0)
		return r;
	if (store_prepare(w->st->db, "UPDATE task SET lost = lost + ? WHERE id = ?", &upd) < 0) {
		sqlite3_finalize(ins);
		return -EIO;
	}
	for (struct rtlab_ring *ring = w->rings; ring && r == 0; ring = ring->next) {
		for (int k = 0; r == 0 && k < REC__KINDS; k++) {
			uint64_t n = atomic_load(&ring->lost[k]);

			if (!n)
				continue;
			sqlite3_bind_int64(ins, 1, ring->task);
			sqlite3_bind_text(ins, 2, kinds[k], -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 3, (int64_t)n);
			r = store_step_done(ins);
			sqlite3_bind_int64(upd, 1, (int64_t)n);
			sqlite3_bind_int64(upd, 2, ring->task);
			if (r == 0)
				r = store_step_done(upd);
		}
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	return r;
}

/* rtlab_writer_stop - join after a last drain, then the lost counts. */
int rtlab_writer_stop(struct rtlab_writer *w)
{
	int r;

	if (w->started) {
		atomic_store(&w->stop, true);
		pthread_join(w->thread, NULL);
		w->started = false;
	} else if (drain(w) < 0 && !w->error) {
		w->error = -EIO;
	}
	r = store_lost(w);
	return w->error ? w->error : r;
}

/* rtlab_writer_written - records written so far. */
uint64_t rtlab_writer_written(const struct rtlab_writer *w)
{
	return atomic_load_explicit(&w->written, memory_order_relaxed);
}

/* rtlab_writer_free - stop if needed, free everything. */
struct rtlab_writer *rtlab_writer_free(struct rtlab_writer *w)
{
	if (!w)
		return NULL;
	if (w->started)
		rtlab_writer_stop(w);
	while (w->rings) {
		struct rtlab_ring *r = w->rings;

		w->rings = r->next;
		store_ring_free(r);
	}
	sqlite3_finalize(w->ins_latency);
	sqlite3_finalize(w->ins_miss);
	free(w->chunk);
	free(w);
	return NULL;
}
