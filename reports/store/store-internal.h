/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-internal.h - what the run store's files share. */
#ifndef RTLAB_STORE_INTERNAL_H
#define RTLAB_STORE_INTERNAL_H

#include <limits.h>
#include <sqlite3.h>
#include <stdatomic.h>

#include <rtlab/store.h>

struct rtlab_store {
	sqlite3 *db;
	char path[PATH_MAX];
};

/* What a ring carries. */
enum store_rec_kind {
	REC_LATENCY,		/* t = actual wake time, a = latency, b = response + 1 (0:
				 * not measured), cpu */
	REC_MISS,		/* t = end of the job, a = absolute deadline, b = job index */
	REC__KINDS,
};

/* One record: 32 bytes. */
struct store_rec {
	uint64_t t_ns;
	uint64_t a;
	uint64_t b;
	int32_t cpu;
	uint32_t kind;
};

/* A single-producer single-consumer ring: head written by the producer, tail by the writer. */
struct rtlab_ring {
	_Alignas(64) _Atomic uint64_t head;
	_Alignas(64) _Atomic uint64_t tail;
	_Alignas(64) _Atomic uint64_t lost[REC__KINDS];
	uint64_t mask;
	uint32_t task;
	struct store_rec *recs;
	struct rtlab_ring *next;	/* the writer's list */
};

/* store_exec - run @sql (no result rows); 0 or -EIO. */
int store_exec(sqlite3 *db, const char *sql);

/* store_prepare - a statement of @sql; 0 or -EIO. */
int store_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret);

/* store_has_table - true if @db has the table @name (false also when it cannot say). */
bool store_has_table(sqlite3 *db, const char *name);

/* store_step_done - step @stmt to its end and reset it; 0 or -EIO. */
int store_step_done(sqlite3_stmt *stmt);

/* store_facts_bind - bind the machine facts of the run row to @stmt from parameter @first. */
int store_facts_bind(sqlite3_stmt *stmt, int first);

/* store_ring_new - a ring of at least @records records for @task, prefaulted. */
int store_ring_new(uint32_t task, size_t records, struct rtlab_ring **ret);

/* store_ring_free - free it. */
void store_ring_free(struct rtlab_ring *r);

/* store_ring_take - up to @max records from @r into @out (consumer side); their number. */
size_t store_ring_take(struct rtlab_ring *r, struct store_rec *out, size_t max);

#endif /* RTLAB_STORE_INTERNAL_H */
