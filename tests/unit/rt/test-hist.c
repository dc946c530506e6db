/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-hist.c - the log-linear histogram: layout, exact stats, percentile error bound. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rtlab/hist.h>

#define NBUCKETS_EXPECTED (128 + 29 * 128)
#define PPM 1000000ULL		/* q is expressed in parts per million of the whole */

struct rng {
	uint64_t state;
};

/* rng_next - splitmix64: a fixed-seed PRNG, so every run sees the same samples. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* rng_range - a value in [lo, hi] (the modulo bias is negligible here). */
static uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi)
{
	return lo + rng_next(r) % (hi - lo + 1);
}

/* cmp_u64 - qsort order for uint64_t. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* new_hist - a fresh histogram; fails the test if allocation fails. */
static struct rtlab_hist *new_hist(void)
{
	struct rtlab_hist *h = rtlab_hist_new();

	cr_assert_not_null(h, "rtlab_hist_new failed");
	return h;
}

/* exact_rank - ceil(q_ppm * n / 1e6) in integers, at least 1: the nearest rank. */
static uint64_t exact_rank(uint64_t q_ppm, uint64_t n)
{
	uint64_t rank = (q_ppm * n + PPM - 1) / PPM;

	return rank ? rank : 1;
}

/* check_q - percentile q_ppm of @h against the sorted samples, within 1/256. */
static uint64_t check_q(const struct rtlab_hist *h, const uint64_t *sorted, size_t n,
			uint64_t q_ppm, const char *what)
{
	double q = (double)q_ppm / 10000.0;
	uint64_t want = sorted[exact_rank(q_ppm, n) - 1];
	uint64_t got = rtlab_hist_percentile(h, q);
	uint64_t diff = got > want ? got - want : want - got;

	cr_assert(diff * 256 <= want,
		  "%s: n=%zu p%.4f: expected %" PRIu64 " (+-1/256), got %" PRIu64
		  " (off by %" PRIu64 ")", what, n, q, want, got, diff);
	return got;
}

/* check_samples - record @samples, compare stats and many percentiles with exact ones. */
static void check_samples(uint64_t *samples, size_t n, const char *what)
{
	static const uint64_t named[] = {
		500000, 900000, 990000, 999000, 999900,	/* p50 p90 p99 p99.9 p99.99 */
		1, 10, 100, 125000, 333000, 333333, 666667, 999990, 999999, 1000000,
	};
	struct rtlab_hist *h = new_hist();
	uint64_t sum = 0, prev = 0;

	for (size_t i = 0; i < n; i++) {
		rtlab_hist_add(h, samples[i]);
		sum += samples[i];
	}
	qsort(samples, n, sizeof(*samples), cmp_u64);
	cr_assert_eq(rtlab_hist_count(h), n, "%s: count: expected %zu, got %" PRIu64, what, n,
		     rtlab_hist_count(h));
	cr_assert_eq(rtlab_hist_min(h), samples[0], "%s: min: expected %" PRIu64 ", got %" PRIu64,
		     what, samples[0], rtlab_hist_min(h));
	cr_assert_eq(rtlab_hist_max(h), samples[n - 1], "%s: max: expected %" PRIu64
		     ", got %" PRIu64, what, samples[n - 1], rtlab_hist_max(h));
	cr_assert_eq(rtlab_hist_sum(h), sum, "%s: sum: expected %" PRIu64 ", got %" PRIu64, what,
		     sum, rtlab_hist_sum(h));
	cr_assert_eq(rtlab_hist_percentile(h, 100.0), samples[n - 1],
		     "%s: p100 must be the exact max %" PRIu64 ", got %" PRIu64, what,
		     samples[n - 1], rtlab_hist_percentile(h, 100.0));
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		check_q(h, samples, n, named[i], what);
	/* Sweep p0.01 .. p100 in steps of 0.01; the result must never decrease. */
	for (uint64_t q_ppm = 100; q_ppm <= PPM; q_ppm += 100) {
		uint64_t got = check_q(h, samples, n, q_ppm, what);

		cr_assert_geq(got, prev, "%s: p%.2f = %" PRIu64 " is below the previous %" PRIu64,
			      what, (double)q_ppm / 10000.0, got, prev);
		prev = got;
	}
	rtlab_hist_free(h);
}

/* alloc_samples - a zeroed array of @n samples. */
static uint64_t *alloc_samples(size_t n)
{
	uint64_t *s = calloc(n, sizeof(*s));

	cr_assert_not_null(s, "out of memory");
	return s;
}

/* An empty histogram reports zeros everywhere. */
Test(hist, empty)
{
	struct rtlab_hist *h = new_hist();

	cr_assert_eq(rtlab_hist_nbuckets(), NBUCKETS_EXPECTED, "nbuckets: expected %d, got %zu",
		     NBUCKETS_EXPECTED, rtlab_hist_nbuckets());
	cr_assert_eq(rtlab_hist_count(h), 0);
	cr_assert_eq(rtlab_hist_overflow(h), 0);
	cr_assert_eq(rtlab_hist_min(h), 0, "min of empty: got %" PRIu64, rtlab_hist_min(h));
	cr_assert_eq(rtlab_hist_max(h), 0, "max of empty: got %" PRIu64, rtlab_hist_max(h));
	cr_assert_eq(rtlab_hist_sum(h), 0);
	cr_assert(rtlab_hist_mean(h) == 0.0, "mean of empty: got %f", rtlab_hist_mean(h));
	cr_assert_eq(rtlab_hist_percentile(h, 50.0), 0);
	cr_assert_eq(rtlab_hist_percentile(h, 100.0), 0);
	for (size_t i = 0; i < rtlab_hist_nbuckets(); i++)
		cr_assert_eq(rtlab_hist_bucket(h, i, NULL, NULL), 0, "bucket %zu not empty", i);
	cr_assert_null(rtlab_hist_free(h));
	cr_assert_null(rtlab_hist_free(NULL));
}

/* count, min, max, sum and mean are exact. */
Test(hist, exact_stats)
{
	static const uint64_t v[] = { 1000, 7, 123456789, 250, 68719476735ULL, 3 };
	struct rtlab_hist *h = new_hist();
	uint64_t sum = 0;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		rtlab_hist_add(h, v[i]);
		sum += v[i];
	}
	cr_assert_eq(rtlab_hist_count(h), 6, "count: expected 6, got %" PRIu64,
		     rtlab_hist_count(h));
	cr_assert_eq(rtlab_hist_min(h), 3, "min: expected 3, got %" PRIu64, rtlab_hist_min(h));
	cr_assert_eq(rtlab_hist_max(h), 68719476735ULL, "max: expected 2^36-1, got %" PRIu64,
		     rtlab_hist_max(h));
	cr_assert_eq(rtlab_hist_sum(h), sum, "sum: expected %" PRIu64 ", got %" PRIu64, sum,
		     rtlab_hist_sum(h));
	cr_assert(rtlab_hist_mean(h) == (double)sum / 6.0, "mean: expected %f, got %f",
		  (double)sum / 6.0, rtlab_hist_mean(h));
	cr_assert_eq(rtlab_hist_overflow(h), 0, "2^36-1 is not an overflow");
	rtlab_hist_free(h);
}

/* Below 256 ns every value has its own bucket, so percentiles there are exact. */
Test(hist, exact_below_256)
{
	struct rtlab_hist *h = new_hist();
	uint64_t lo, hi, n;

	for (uint64_t v = 0; v < 256; v++)
		for (uint64_t k = 0; k <= v % 3; k++)
			rtlab_hist_add(h, v);
	for (uint64_t v = 0; v < 256; v++) {
		cr_assert_eq(rtlab_hist_bucket_index(v), v, "index of %" PRIu64 ": got %zu", v,
			     rtlab_hist_bucket_index(v));
		n = rtlab_hist_bucket(h, v, &lo, &hi);
		cr_assert(lo == v && hi == v, "bucket %" PRIu64 ": expected [%" PRIu64 ", %" PRIu64
			  "], got [%" PRIu64 ", %" PRIu64 "]", v, v, v, lo, hi);
		cr_assert_eq(n, v % 3 + 1, "bucket %" PRIu64 ": expected count %" PRIu64
			     ", got %" PRIu64, v, v % 3 + 1, n);
	}
	for (uint64_t v = 0; v < 256; v++) {
		struct rtlab_hist *one = new_hist();

		rtlab_hist_add(one, v);
		rtlab_hist_add(one, 255 - v);
		cr_assert_eq(rtlab_hist_percentile(one, 50.0), v < 255 - v ? v : 255 - v,
			     "p50 of {%" PRIu64 ", %" PRIu64 "}: got %" PRIu64, v, 255 - v,
			     rtlab_hist_percentile(one, 50.0));
		rtlab_hist_free(one);
	}
	rtlab_hist_free(h);
}

/* check_value_bucket - @v maps into a bucket that contains it, no wider than lo/128. */
static void check_value_bucket(const struct rtlab_hist *h, uint64_t v)
{
	size_t i = rtlab_hist_bucket_index(v);
	uint64_t lo = UINT64_MAX, hi = 0;

	cr_assert_lt(i, rtlab_hist_nbuckets(), "value %" PRIu64 ": index %zu out of range", v, i);
	rtlab_hist_bucket(h, i, &lo, &hi);
	cr_assert(lo <= v && v <= hi, "value %" PRIu64 " -> bucket %zu = [%" PRIu64 ", %" PRIu64
		  "], which does not hold it", v, i, lo, hi);
	cr_assert(hi - lo + 1 == 1 || hi - lo + 1 <= lo / 128, "bucket %zu = [%" PRIu64 ", %"
		  PRIu64 "] is wider than lo/128", i, lo, hi);
}

/* Every value maps into a bucket holding it; buckets tile [0, 2^36 - 1] without gaps. */
Test(hist, bucket_round_trip)
{
	struct rtlab_hist *h = new_hist();
	struct rng r = { 42 };
	uint64_t lo, hi, next = 0;

	for (uint64_t v = 0; v < (1 << 17); v++)
		check_value_bucket(h, v);
	for (unsigned int k = 0; k < 36; k++) {
		check_value_bucket(h, (1ULL << k));
		check_value_bucket(h, (1ULL << k) + 1);
		check_value_bucket(h, (2ULL << k) - 1);
	}
	for (int i = 0; i < 1000000; i++)
		check_value_bucket(h, rng_next(&r) >> rng_range(&r, 28, 63));
	for (size_t i = 0; i < rtlab_hist_nbuckets(); i++) {
		rtlab_hist_bucket(h, i, &lo, &hi);
		cr_assert_eq(lo, next, "bucket %zu starts at %" PRIu64 ", expected %" PRIu64, i, lo,
			     next);
		cr_assert_geq(hi, lo, "bucket %zu is empty: [%" PRIu64 ", %" PRIu64 "]", i, lo, hi);
		cr_assert_eq(rtlab_hist_bucket_index(lo), i, "index of lo %" PRIu64, lo);
		cr_assert_eq(rtlab_hist_bucket_index(hi), i, "index of hi %" PRIu64, hi);
		next = hi + 1;
	}
	cr_assert_eq(next - 1, RTLAB_HIST_MAX_NS, "last bucket ends at %" PRIu64, next - 1);
	cr_assert_eq(rtlab_hist_bucket_index(RTLAB_HIST_MAX_NS + 1), rtlab_hist_nbuckets());
	cr_assert_eq(rtlab_hist_bucket_index(UINT64_MAX), rtlab_hist_nbuckets());
	lo = hi = 12345;
	cr_assert_eq(rtlab_hist_bucket(h, rtlab_hist_nbuckets(), &lo, &hi), 0);
	cr_assert(lo == 12345 && hi == 12345, "out-of-range bucket wrote its range");
	rtlab_hist_free(h);
}

/* Values above the max count as overflows, still feed count/min/max/sum. */
Test(hist, overflow)
{
	struct rtlab_hist *h = new_hist();
	uint64_t total = 0;

	rtlab_hist_add(h, 100);
	rtlab_hist_add(h, RTLAB_HIST_MAX_NS);
	rtlab_hist_add(h, RTLAB_HIST_MAX_NS + 1);
	rtlab_hist_add(h, 1ULL << 40);
	cr_assert_eq(rtlab_hist_count(h), 4, "count: expected 4, got %" PRIu64,
		     rtlab_hist_count(h));
	cr_assert_eq(rtlab_hist_overflow(h), 2, "overflow: expected 2, got %" PRIu64,
		     rtlab_hist_overflow(h));
	cr_assert_eq(rtlab_hist_max(h), 1ULL << 40, "max: got %" PRIu64, rtlab_hist_max(h));
	cr_assert_eq(rtlab_hist_sum(h), 100 + 2 * RTLAB_HIST_MAX_NS + 1 + (1ULL << 40));
	for (size_t i = 0; i < rtlab_hist_nbuckets(); i++)
		total += rtlab_hist_bucket(h, i, NULL, NULL);
	cr_assert_eq(total, 2, "bucketed: expected 2, got %" PRIu64, total);
	/* Ranks 3 and 4 fall among the overflows: the exact max. */
	cr_assert_eq(rtlab_hist_percentile(h, 75.0), 1ULL << 40, "p75: got %" PRIu64,
		     rtlab_hist_percentile(h, 75.0));
	cr_assert_eq(rtlab_hist_percentile(h, 50.01), 1ULL << 40);
	cr_assert_eq(rtlab_hist_percentile(h, 25.0), 100);
	/* The sum saturates. */
	rtlab_hist_add(h, UINT64_MAX);
	rtlab_hist_add(h, UINT64_MAX);
	cr_assert_eq(rtlab_hist_sum(h), UINT64_MAX, "sum must saturate, got %" PRIu64,
		     rtlab_hist_sum(h));
	cr_assert_eq(rtlab_hist_max(h), UINT64_MAX);
	cr_assert_eq(rtlab_hist_overflow(h), 4);
	cr_assert_eq(rtlab_hist_count(h), 6);
	rtlab_hist_free(h);
}

/* reset empties everything and the histogram is usable afterwards. */
Test(hist, reset)
{
	struct rtlab_hist *h = new_hist();

	for (uint64_t v = 1; v < 100000; v += 7)
		rtlab_hist_add(h, v);
	rtlab_hist_add(h, UINT64_MAX);
	rtlab_hist_reset(h);
	cr_assert_eq(rtlab_hist_count(h), 0);
	cr_assert_eq(rtlab_hist_overflow(h), 0);
	cr_assert_eq(rtlab_hist_min(h), 0);
	cr_assert_eq(rtlab_hist_max(h), 0);
	cr_assert_eq(rtlab_hist_sum(h), 0);
	cr_assert_eq(rtlab_hist_percentile(h, 50.0), 0);
	for (size_t i = 0; i < rtlab_hist_nbuckets(); i++)
		cr_assert_eq(rtlab_hist_bucket(h, i, NULL, NULL), 0, "bucket %zu after reset", i);
	rtlab_hist_add(h, 500);
	rtlab_hist_add(h, 700);
	cr_assert_eq(rtlab_hist_min(h), 500, "min after reset: got %" PRIu64, rtlab_hist_min(h));
	cr_assert_eq(rtlab_hist_max(h), 700, "max after reset: got %" PRIu64, rtlab_hist_max(h));
	cr_assert_eq(rtlab_hist_count(h), 2);
	cr_assert_eq(rtlab_hist_sum(h), 1200);
	rtlab_hist_free(h);
}

/* merge of two histograms equals the histogram of the union. */
Test(hist, merge)
{
	struct rtlab_hist *a = new_hist(), *b = new_hist(), *all = new_hist();
	struct rtlab_hist *empty = new_hist();
	struct rng r = { 7 };
	size_t n = 60000, na = 0;
	uint64_t *s = alloc_samples(n), amin, amax, asum;

	for (size_t i = 0; i < n; i++) {
		bool to_a = i % 3 != 0;

		s[i] = to_a ? rng_range(&r, 1000, 90000) : rng_range(&r, 50000, 40000000);
		if (i == 10)
			s[i] = RTLAB_HIST_MAX_NS + 5;
		rtlab_hist_add(to_a ? a : b, s[i]);
		rtlab_hist_add(all, s[i]);
		na += to_a;
	}
	amin = rtlab_hist_min(a);
	amax = rtlab_hist_max(a);
	asum = rtlab_hist_sum(a);
	rtlab_hist_merge(a, empty);
	cr_assert_eq(rtlab_hist_count(a), na, "empty merge: count %zu became %" PRIu64, na,
		     rtlab_hist_count(a));
	cr_assert(rtlab_hist_min(a) == amin && rtlab_hist_max(a) == amax &&
		  rtlab_hist_sum(a) == asum, "empty merge changed min/max/sum");
	cr_assert_eq(rtlab_hist_count(empty), 0, "merge wrote into its source");
	rtlab_hist_merge(empty, a);
	rtlab_hist_merge(empty, b);
	cr_assert_eq(rtlab_hist_count(empty), n, "count: expected %zu, got %" PRIu64, n,
		     rtlab_hist_count(empty));
	cr_assert_eq(rtlab_hist_overflow(empty), 1);
	cr_assert_eq(rtlab_hist_min(empty), rtlab_hist_min(all));
	cr_assert_eq(rtlab_hist_max(empty), rtlab_hist_max(all));
	cr_assert_eq(rtlab_hist_sum(empty), rtlab_hist_sum(all));
	for (size_t i = 0; i < rtlab_hist_nbuckets(); i++)
		cr_assert_eq(rtlab_hist_bucket(empty, i, NULL, NULL),
			     rtlab_hist_bucket(all, i, NULL, NULL), "bucket %zu differs", i);
	for (uint64_t q_ppm = 100; q_ppm <= PPM; q_ppm += 100) {
		double q = (double)q_ppm / 10000.0;

		cr_assert_eq(rtlab_hist_percentile(empty, q), rtlab_hist_percentile(all, q),
			     "p%.2f: union %" PRIu64 ", merged %" PRIu64, q,
			     rtlab_hist_percentile(all, q), rtlab_hist_percentile(empty, q));
	}
	rtlab_hist_free(a);
	rtlab_hist_free(b);
	rtlab_hist_free(all);
	/* And the merged percentiles hold the error bound against the sorted union. */
	check_samples(s, n, "merge-union");
	rtlab_hist_free(empty);
	free(s);
}

/* Uniform over 1 ns .. 10 s. */
Test(hist, percentile_uniform)
{
	struct rng r = { 1 };
	size_t n = 100000;
	uint64_t *s = alloc_samples(n);

	for (size_t i = 0; i < n; i++)
		s[i] = rng_range(&r, 1, 10 * 1000000000ULL);
	check_samples(s, n, "uniform");
	free(s);
}

/* Log-uniform: a random octave 2^0 .. 2^35, then uniform inside it. */
Test(hist, percentile_log_uniform)
{
	struct rng r = { 2 };
	size_t n = 100000;
	uint64_t *s = alloc_samples(n);

	for (size_t i = 0; i < n; i++) {
		unsigned int k = (unsigned int)rng_range(&r, 0, 35);

		s[i] = (1ULL << k) + rng_next(&r) % (1ULL << k);
	}
	check_samples(s, n, "log-uniform");
	free(s);
}

/* Latency-like: a 2-6 us body, a 40-60 us mode (1 %) and rare 5 ms spikes (0.05 %). */
Test(hist, percentile_bimodal)
{
	struct rng r = { 3 };
	size_t n = 200000;
	uint64_t *s = alloc_samples(n);

	for (size_t i = 0; i < n; i++) {
		uint64_t dice = rng_range(&r, 0, 9999);

		if (dice < 5)
			s[i] = rng_range(&r, 4900000, 5100000);
		else if (dice < 105)
			s[i] = rng_range(&r, 40000, 60000);
		else
			s[i] = 2000 + rng_range(&r, 0, 1000) + rng_range(&r, 0, 1000) +
			       rng_range(&r, 0, 2000);
	}
	check_samples(s, n, "bimodal");
	free(s);
}

/* Small counts and degenerate distributions. */
Test(hist, percentile_small)
{
	uint64_t one[] = { 123456789 };
	uint64_t two[] = { 5000000, 1000 };
	uint64_t ten[] = { 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 };
	uint64_t *c = alloc_samples(1000);
	struct rtlab_hist *h = new_hist();

	check_samples(one, 1, "1 sample");
	check_samples(two, 2, "2 samples");
	check_samples(ten, 10, "10 samples");
	for (size_t i = 0; i < 1000; i++)
		c[i] = 777777;
	check_samples(c, 1000, "constant");
	/* Clamping to [min, max] makes a constant distribution exact. */
	for (size_t i = 0; i < 1000; i++)
		rtlab_hist_add(h, 777777);
	cr_assert_eq(rtlab_hist_percentile(h, 0.01), 777777, "constant p0.01: got %" PRIu64,
		     rtlab_hist_percentile(h, 0.01));
	cr_assert_eq(rtlab_hist_percentile(h, 50.0), 777777);
	/* p50 of 10 values is rank 5 exactly, not rank 6. */
	rtlab_hist_reset(h);
	for (size_t i = 0; i < 10; i++)
		rtlab_hist_add(h, ten[i]);
	cr_assert_eq(rtlab_hist_percentile(h, 50.0), 50, "p50 of 10..100: expected 50, got %"
		     PRIu64, rtlab_hist_percentile(h, 50.0));
	cr_assert_eq(rtlab_hist_percentile(h, 70.0), 70, "p70 of 10..100: expected 70, got %"
		     PRIu64, rtlab_hist_percentile(h, 70.0));
	cr_assert_eq(rtlab_hist_percentile(h, 10.0), 10);
	cr_assert_eq(rtlab_hist_percentile(h, 10.001), 20);
	rtlab_hist_free(h);
	free(c);
}

/* q outside (0, 100] or NaN gives 0. */
Test(hist, invalid_q)
{
	static const double bad[] = { 0.0, -0.0, -1.0, 100.0000001, 1000.0, -INFINITY, INFINITY };
	struct rtlab_hist *h = new_hist();

	rtlab_hist_add(h, 1000);
	rtlab_hist_add(h, 2000);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(rtlab_hist_percentile(h, bad[i]), 0, "q=%g: expected 0, got %" PRIu64,
			     bad[i], rtlab_hist_percentile(h, bad[i]));
	cr_assert_eq(rtlab_hist_percentile(h, NAN), 0, "q=NaN: expected 0");
	cr_assert_eq(rtlab_hist_percentile(h, 1e-300), rtlab_hist_percentile(h, 50.0),
		     "tiny q must be rank 1, like p50 of 2 samples");
	rtlab_hist_free(h);
}

#define WRITER_ADDS 3000000ULL

struct writer_arg {
	struct rtlab_hist *h;
	int done;
};

/* writer_main - the single writer: WRITER_ADDS values in [1000, 1000 + 999999]. */
static void *writer_main(void *p)
{
	struct writer_arg *w = p;

	for (uint64_t i = 0; i < WRITER_ADDS; i++)
		rtlab_hist_add(w->h, 1000 + (i * 7919) % 1000000);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* One thread records while this one reads: counts never go back, values stay sane. */
Test(hist, concurrent_reader)
{
	struct writer_arg w = { .h = new_hist() };
	uint64_t prev = 0, c, p, min, max, reads = 0;
	pthread_t t;

	cr_assert_eq(pthread_create(&t, NULL, writer_main, &w), 0, "pthread_create failed");
	do {
		c = rtlab_hist_count(w.h);
		cr_assert_geq(c, prev, "count went back from %" PRIu64 " to %" PRIu64, prev, c);
		prev = c;
		p = rtlab_hist_percentile(w.h, 99.0);
		min = rtlab_hist_min(w.h);
		max = rtlab_hist_max(w.h);
		if (c > 0) {
			cr_assert(min >= 1000 && min <= max && max <= 1000999,
				  "min %" PRIu64 " max %" PRIu64 " out of range", min, max);
			cr_assert(p >= 1000 && p <= 1000999, "p99 %" PRIu64 " out of range", p);
		}
		reads++;
	} while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	pthread_join(t, NULL);
	cr_assert_eq(rtlab_hist_count(w.h), WRITER_ADDS, "final count: expected %llu, got %"
		     PRIu64, WRITER_ADDS, rtlab_hist_count(w.h));
	cr_assert_eq(rtlab_hist_min(w.h), 1000);
	cr_assert_eq(rtlab_hist_max(w.h), 1000999);
	cr_assert_gt(reads, 0);
	rtlab_hist_free(w.h);
}

Test(hist, percentile_multi_equals_merge)
{
	struct rtlab_hist *a = rtlab_hist_new(), *b = rtlab_hist_new(), *e = rtlab_hist_new();
	struct rtlab_hist *m = rtlab_hist_new();
	const struct rtlab_hist *parts[3] = { a, e, b };
	struct rng r = { 42 };

	cr_assert(a && b && e && m);
	for (int i = 0; i < 20000; i++)
		rtlab_hist_add(a, rng_range(&r, 1000, 40000));
	for (int i = 0; i < 3000; i++)
		rtlab_hist_add(b, rng_range(&r, 30000, 9000000));
	rtlab_hist_merge(m, a);
	rtlab_hist_merge(m, b);
	for (double q = 0.01; q <= 100.0; q += 0.37)
		cr_expect_eq(rtlab_hist_percentile_multi(parts, 3, q), rtlab_hist_percentile(m, q),
			     "q=%.2f", q);
	cr_expect_eq(rtlab_hist_percentile_multi(parts, 3, 100), rtlab_hist_max(m));
	cr_expect_eq(rtlab_hist_percentile_multi(&parts[1], 1, 50), 0, "only an empty histogram");
	cr_expect_eq(rtlab_hist_percentile_multi(parts, 3, 0), 0, "q = 0 is invalid");
	rtlab_hist_free(a);
	rtlab_hist_free(b);
	rtlab_hist_free(e);
	rtlab_hist_free(m);
}
