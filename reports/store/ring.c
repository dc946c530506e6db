/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ring.c - the per-producer record rings: one producer, one consumer, no lock. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-internal.h"

#define RING_MIN 1024

/* store_ring_new - a ring of at least @records records (a power of two), prefaulted. */
int store_ring_new(uint32_t task, size_t records, struct rtlab_ring **ret)
{
	struct rtlab_ring *r;
	size_t n = RING_MIN;

	while (n < records && n < ((size_t)1 << 40))
		n <<= 1;
	r = aligned_alloc(64, sizeof(*r));
	if (!r)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	r->recs = calloc(n, sizeof(*r->recs));
	if (!r->recs) {
		free(r);
		return -ENOMEM;
	}
	/* calloc may hand out untouched zero pages: touch each one now, not in the RT thread. */
	for (size_t i = 0; i < n; i += 4096 / sizeof(*r->recs))
		((volatile struct store_rec *)r->recs)[i].kind = 0;
	r->mask = n - 1;
	r->task = task;
	*ret = r;
	return 0;
}

/* store_ring_free - free it. */
void store_ring_free(struct rtlab_ring *r)
{
	if (!r)
		return;
	free(r->recs);
	free(r);
}

/* ring_push - one record, or false and a lost count of its kind when full. */
static bool ring_push(struct rtlab_ring *r, const struct store_rec *rec)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	if (head - tail > r->mask) {
		atomic_fetch_add_explicit(&r->lost[rec->kind], 1, memory_order_relaxed);
		return false;
	}
	r->recs[head & r->mask] = *rec;
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

/* rtlab_ring_latency - a job's wake-up latency. */
bool rtlab_ring_latency(struct rtlab_ring *r, uint64_t t_ns, int cpu, uint64_t latency_ns)
{
	struct store_rec rec = { .t_ns = t_ns, .a = latency_ns, .cpu = cpu, .kind = REC_LATENCY };

	return ring_push(r, &rec);
}

/* rtlab_ring_job - a job's latency and response time. */
bool rtlab_ring_job(struct rtlab_ring *r, uint64_t t_ns, int cpu, uint64_t latency_ns,
		    uint64_t response_ns)
{
	struct store_rec rec = { .t_ns = t_ns, .a = latency_ns, .b = response_ns + 1, .cpu = cpu,
				 .kind = REC_LATENCY };

	return ring_push(r, &rec);
}

/* rtlab_ring_miss - a missed deadline. */
bool rtlab_ring_miss(struct rtlab_ring *r, uint64_t end_ns, uint64_t job, uint64_t deadline_ns)
{
	struct store_rec rec = { .t_ns = end_ns, .a = deadline_ns, .b = job, .cpu = -1,
				 .kind = REC_MISS };

	return ring_push(r, &rec);
}

/* rtlab_ring_lost - records this ring could not take so far, all kinds. */
uint64_t rtlab_ring_lost(const struct rtlab_ring *r)
{
	uint64_t n = 0;

	for (int k = 0; k < REC__KINDS; k++)
		n += atomic_load_explicit(&r->lost[k], memory_order_relaxed);
	return n;
}

/* store_ring_take - up to @max records into @out (the consumer). */
size_t store_ring_take(struct rtlab_ring *r, struct store_rec *out, size_t max)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	size_t n = head - tail < max ? (size_t)(head - tail) : max;

	for (size_t i = 0; i < n; i++)
		out[i] = r->recs[(tail + i) & r->mask];
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	return n;
}
