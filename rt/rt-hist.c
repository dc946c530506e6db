/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rt-hist.c - log-linear (HDR) latency histograms.
 *
 * Bucket of a value v: with s = max(0, floor(log2 v) - 7), the index is
 * (s << 7) + (v >> s).  For v < 256 this is v itself (s = 0, exact buckets);
 * above, each power of two [2^k, 2^(k+1)) owns 128 buckets of width 2^(k-7).
 * Values above RTLAB_HIST_MAX_NS land at index >= NBUCKETS and are counted
 * as overflows instead.
 *
 * One writer updates the fields with relaxed loads and relaxed stores (no
 * read-modify-write instructions); readers use relaxed loads.  The count is
 * stored last with release order and read first with acquire order (both
 * plain moves on x86), so a reader that sees N samples sees min and max of at
 * least those N.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rtlab/hist.h>

#include "core-internal.h"

#define SUB_COUNT (1U << RTLAB_HIST_SUB_BITS)
#define MAX_BITS 36
#define NBUCKETS ((size_t)SUB_COUNT + (MAX_BITS - RTLAB_HIST_SUB_BITS) * (size_t)SUB_COUNT)
#define HIST_ALIGN 64

_Static_assert(RTLAB_HIST_MAX_NS == (1ULL << MAX_BITS) - 1, "MAX_BITS out of sync");
_Static_assert(NBUCKETS == 128 + 29 * 128, "unexpected bucket count");

struct rtlab_hist {
	/* Hot fields first: they share one cache line. */
	uint64_t count;
	uint64_t overflow;
	uint64_t min;		/* UINT64_MAX while empty */
	uint64_t max;
	uint64_t sum;		/* saturates at UINT64_MAX */
	uint64_t buckets[NBUCKETS];
};

/* bucket_of - the raw index of @v; >= NBUCKETS for values above the max. */
static inline size_t bucket_of(uint64_t v)
{
	/* v | SUB_COUNT keeps clz defined and makes s = 0 for v < 256. */
	unsigned int s = 63U - RTLAB_HIST_SUB_BITS - (unsigned int)__builtin_clzll(v | SUB_COUNT);

	return ((size_t)s << RTLAB_HIST_SUB_BITS) + (size_t)(v >> s);
}

/* bucket_range - the inclusive value range of bucket @i (i < NBUCKETS). */
static void bucket_range(size_t i, uint64_t *ret_lo, uint64_t *ret_hi)
{
	unsigned int s;
	uint64_t lo;

	if (i < 2 * SUB_COUNT) {
		*ret_lo = i;
		*ret_hi = i;
		return;
	}
	s = (unsigned int)(i >> RTLAB_HIST_SUB_BITS) - 1;
	lo = (uint64_t)((i & (SUB_COUNT - 1)) | SUB_COUNT) << s;
	*ret_lo = lo;
	*ret_hi = lo + (1ULL << s) - 1;
}

/* load_count - the count, read before (acquire) the fields it covers. */
static inline uint64_t load_count(const struct rtlab_hist *h)
{
	return __atomic_load_n(&h->count, __ATOMIC_ACQUIRE);
}

/* rtlab_hist_new - allocate one cache-aligned block and empty it. */
struct rtlab_hist *rtlab_hist_new(void)
{
	struct rtlab_hist *h;
	int r;

	r = posix_memalign((void **)&h, HIST_ALIGN, sizeof(*h));
	if (r) {
		errno = r;
		return NULL;
	}
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
	return h;
}

/* rtlab_hist_free - release @h. */
struct rtlab_hist *rtlab_hist_free(struct rtlab_hist *h)
{
	free(h);
	return NULL;
}

/* rtlab_hist_reset - zero every field with relaxed stores (readers may be running). */
void rtlab_hist_reset(struct rtlab_hist *h)
{
	rtlab_store_u64(&h->count, 0);
	for (size_t i = 0; i < NBUCKETS; i++)
		rtlab_store_u64(&h->buckets[i], 0);
	rtlab_store_u64(&h->overflow, 0);
	rtlab_store_u64(&h->min, UINT64_MAX);
	rtlab_store_u64(&h->max, 0);
	rtlab_store_u64(&h->sum, 0);
}

/* rtlab_hist_add - record @v: one bucket (or overflow), min, max, sum, count. */
void rtlab_hist_add(struct rtlab_hist *h, uint64_t v)
{
	size_t i = bucket_of(v);
	uint64_t sum;

	if (__builtin_expect(i < NBUCKETS, 1))
		rtlab_store_u64(&h->buckets[i], rtlab_load_u64(&h->buckets[i]) + 1);
	else
		rtlab_store_u64(&h->overflow, rtlab_load_u64(&h->overflow) + 1);
	if (v < rtlab_load_u64(&h->min))
		rtlab_store_u64(&h->min, v);
	if (v > rtlab_load_u64(&h->max))
		rtlab_store_u64(&h->max, v);
	if (__builtin_add_overflow(rtlab_load_u64(&h->sum), v, &sum))
		sum = UINT64_MAX;
	rtlab_store_u64(&h->sum, sum);
	__atomic_store_n(&h->count, rtlab_load_u64(&h->count) + 1, __ATOMIC_RELEASE);
}

/* rtlab_hist_merge - add @src's samples to @dst (@dst has no other writer). */
void rtlab_hist_merge(struct rtlab_hist *dst, const struct rtlab_hist *src)
{
	uint64_t count = load_count(src), v, sum;

	if (count == 0)
		return;
	for (size_t i = 0; i < NBUCKETS; i++) {
		v = rtlab_load_u64(&src->buckets[i]);
		if (v)
			rtlab_store_u64(&dst->buckets[i], rtlab_load_u64(&dst->buckets[i]) + v);
	}
	v = rtlab_load_u64(&src->overflow);
	rtlab_store_u64(&dst->overflow, rtlab_load_u64(&dst->overflow) + v);
	v = rtlab_load_u64(&src->min);
	if (v < rtlab_load_u64(&dst->min))
		rtlab_store_u64(&dst->min, v);
	v = rtlab_load_u64(&src->max);
	if (v > rtlab_load_u64(&dst->max))
		rtlab_store_u64(&dst->max, v);
	if (__builtin_add_overflow(rtlab_load_u64(&dst->sum), rtlab_load_u64(&src->sum), &sum))
		sum = UINT64_MAX;
	rtlab_store_u64(&dst->sum, sum);
	__atomic_store_n(&dst->count, rtlab_load_u64(&dst->count) + count, __ATOMIC_RELEASE);
}

/* rtlab_hist_count - values recorded. */
uint64_t rtlab_hist_count(const struct rtlab_hist *h)
{
	return load_count(h);
}

/* rtlab_hist_overflow - values above RTLAB_HIST_MAX_NS. */
uint64_t rtlab_hist_overflow(const struct rtlab_hist *h)
{
	return rtlab_load_u64(&h->overflow);
}

/* rtlab_hist_min - smallest value, 0 when empty. */
uint64_t rtlab_hist_min(const struct rtlab_hist *h)
{
	return load_count(h) ? rtlab_load_u64(&h->min) : 0;
}

/* rtlab_hist_max - largest value, 0 when empty. */
uint64_t rtlab_hist_max(const struct rtlab_hist *h)
{
	return rtlab_load_u64(&h->max);
}

/* rtlab_hist_sum - saturating sum of the values. */
uint64_t rtlab_hist_sum(const struct rtlab_hist *h)
{
	return rtlab_load_u64(&h->sum);
}

/* rtlab_hist_mean - sum / count, 0.0 when empty. */
double rtlab_hist_mean(const struct rtlab_hist *h)
{
	uint64_t count = load_count(h);

	return count ? (double)rtlab_load_u64(&h->sum) / (double)count : 0.0;
}

/*
 * nearest_rank - ceil(q / 100 * count), clamped to [1, count].  The product
 * is shrunk by a few ulps first so that a result that is mathematically an
 * integer (q = 70, count = 100) is not pushed up to the next rank by rounding.
 */
static uint64_t nearest_rank(double q, uint64_t count)
{
	double x = q * (double)count / 100.0;
	uint64_t rank;

	x -= x * 8 * __DBL_EPSILON__;
	if (x >= (double)count)
		return count;
	rank = (uint64_t)x;
	rank += (double)rank < x;
	return rank ? rank : 1;
}

/* rtlab_hist_percentile_multi - percentile of the union of @n histograms, no allocation. */
uint64_t rtlab_hist_percentile_multi(const struct rtlab_hist *const *hs, size_t n, double q)
{
	uint64_t count = 0, rank, acc = 0, lo, hi, mid, min = UINT64_MAX, max = 0;

	for (size_t k = 0; k < n; k++) {
		uint64_t c = load_count(hs[k]);

		if (c == 0)
			continue;
		count += c;
		if (rtlab_load_u64(&hs[k]->max) > max)
			max = rtlab_load_u64(&hs[k]->max);
		if (rtlab_load_u64(&hs[k]->min) < min)
			min = rtlab_load_u64(&hs[k]->min);
	}
	if (!(q > 0.0 && q <= 100.0) || count == 0)
		return 0;
	if (q == 100.0)
		return max;
	rank = nearest_rank(q, count);
	for (size_t i = 0; i < NBUCKETS; i++) {
		for (size_t k = 0; k < n; k++)
			acc += rtlab_load_u64(&hs[k]->buckets[i]);
		if (acc < rank)
			continue;
		bucket_range(i, &lo, &hi);
		mid = lo + (hi - lo + 1) / 2;
		if (mid < min)
			mid = min;
		return mid > max ? max : mid;
	}
	return max;
}

/* rtlab_hist_percentile - midpoint of the bucket holding the nearest-rank sample. */
uint64_t rtlab_hist_percentile(const struct rtlab_hist *h, double q)
{
	return rtlab_hist_percentile_multi(&h, 1, q);
}

/* rtlab_hist_nbuckets - bucket count of the layout. */
size_t rtlab_hist_nbuckets(void)
{
	return NBUCKETS;
}

/* rtlab_hist_bucket - count and inclusive range of bucket @i. */
uint64_t rtlab_hist_bucket(const struct rtlab_hist *h, size_t i, uint64_t *ret_lo,
			   uint64_t *ret_hi)
{
	uint64_t lo, hi;

	if (i >= NBUCKETS)
		return 0;
	bucket_range(i, &lo, &hi);
	if (ret_lo)
		*ret_lo = lo;
	if (ret_hi)
		*ret_hi = hi;
	return rtlab_load_u64(&h->buckets[i]);
}

/* rtlab_hist_bucket_index - public form of bucket_of(), capped at NBUCKETS. */
size_t rtlab_hist_bucket_index(uint64_t value_ns)
{
	size_t i = bucket_of(value_ns);

	return i < NBUCKETS ? i : NBUCKETS;
}
