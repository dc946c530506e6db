/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Latency histograms with log-linear buckets (the HDR histogram layout).
 *
 * Layout: values below 256 ns each have their own bucket (exact).  Above,
 * every power of two [2^k, 2^(k+1)) is split into 128 equal sub-buckets of
 * width 2^(k-7).  The largest tracked value is RTLAB_HIST_MAX_NS (2^36 - 1 ns,
 * about 68.7 s); larger values are counted as overflows (they still update
 * count, min, max and mean, which are always exact).
 *
 * Error bound: a percentile is reported as the midpoint of the bucket that
 * holds the sample of that rank, clamped to [min, max].  Its relative error
 * against the exact sample value is at most 1/256 (0.39 %) for every value
 * from 1 ns to RTLAB_HIST_MAX_NS, and 0 below 256 ns.
 *
 * Memory: one fixed block allocated by rtlab_hist_new(); rtlab_hist_add()
 * does no allocation, takes no lock and makes no system call, so an RT
 * thread may call it.  A histogram has a single writer; readers on other
 * threads see each field with relaxed atomic loads (a snapshot may mix two
 * consecutive states, never a torn value).
 */
#ifndef RTLAB_HIST_H
#define RTLAB_HIST_H

#include <rtlab/core.h>

#define RTLAB_HIST_SUB_BITS 7
#define RTLAB_HIST_MAX_NS ((1ULL << 36) - 1)

struct rtlab_hist;

/** rtlab_hist_new - allocate an empty histogram, or NULL with errno set. */
RTLAB_API struct rtlab_hist *rtlab_hist_new(void);

/** rtlab_hist_free - free @h (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_hist *rtlab_hist_free(struct rtlab_hist *h);

/** rtlab_hist_reset - empty @h without freeing it (single writer only). */
RTLAB_API void rtlab_hist_reset(struct rtlab_hist *h);

/** rtlab_hist_add - record one value in nanoseconds.  Hot-path safe. */
RTLAB_API void rtlab_hist_add(struct rtlab_hist *h, uint64_t value_ns);

/**
 * rtlab_hist_merge - add every sample of @src into @dst (count, buckets,
 * overflow, min, max, sum).  @dst must not be written concurrently.
 */
RTLAB_API void rtlab_hist_merge(struct rtlab_hist *dst, const struct rtlab_hist *src);

/** rtlab_hist_count - number of values recorded (overflows included). */
RTLAB_API uint64_t rtlab_hist_count(const struct rtlab_hist *h);

/** rtlab_hist_overflow - number of values above RTLAB_HIST_MAX_NS. */
RTLAB_API uint64_t rtlab_hist_overflow(const struct rtlab_hist *h);

/** rtlab_hist_min - exact minimum, or 0 when empty. */
RTLAB_API uint64_t rtlab_hist_min(const struct rtlab_hist *h);

/** rtlab_hist_max - exact maximum, or 0 when empty. */
RTLAB_API uint64_t rtlab_hist_max(const struct rtlab_hist *h);

/** rtlab_hist_sum - exact sum of all values (saturates at UINT64_MAX). */
RTLAB_API uint64_t rtlab_hist_sum(const struct rtlab_hist *h);

/** rtlab_hist_mean - exact mean in ns, or 0.0 when empty. */
RTLAB_API double rtlab_hist_mean(const struct rtlab_hist *h);

/**
 * rtlab_hist_percentile - the value at percentile @q (0 < q <= 100), by
 * nearest rank: the ceil(q/100 * count)-th smallest value, within the error
 * bound above.  q = 100 returns the exact max; a rank that falls among
 * overflows returns the exact max.  Returns 0 for an empty histogram or a q
 * outside (0, 100].
 */
RTLAB_API uint64_t rtlab_hist_percentile(const struct rtlab_hist *h, double q);

/**
 * rtlab_hist_percentile_multi - rtlab_hist_percentile() of the union of the
 * @n histograms @hs (as if merged, without allocating a merged copy).
 */
RTLAB_API uint64_t rtlab_hist_percentile_multi(const struct rtlab_hist *const *hs, size_t n,
					       double q);

/** rtlab_hist_nbuckets - number of buckets (constant for the layout). */
RTLAB_API size_t rtlab_hist_nbuckets(void);

/**
 * rtlab_hist_bucket - bucket @i: its count, and its value range
 * [*ret_lo, *ret_hi] in ns (both inclusive; either pointer may be NULL).
 * Returns the count, 0 for i out of range.
 */
RTLAB_API uint64_t rtlab_hist_bucket(const struct rtlab_hist *h, size_t i, uint64_t *ret_lo,
				     uint64_t *ret_hi);

/** rtlab_hist_bucket_index - the bucket a value falls in (values above the max: nbuckets). */
RTLAB_API size_t rtlab_hist_bucket_index(uint64_t value_ns);

#endif /* RTLAB_HIST_H */
