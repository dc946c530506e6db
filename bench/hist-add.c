/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hist-add.c - cost of rtlab_hist_add(), the call every RT wake-up makes:
 * 10^8 adds of pre-generated values (latency-like, log-uniform, constant),
 * minus the cost of the same loop without the add.  Median of 5 rounds.
 */
#include <stdio.h>
#include <stdlib.h>

#include <rtlab/core.h>
#include <rtlab/hist.h>

#define NVALUES (1u << 16)
#define ADDS 100000000u
#define ROUNDS 5

/* next - splitmix64. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* fill - values of one distribution. */
static void fill(uint64_t *v, int kind)
{
	uint64_t s = 42;

	for (unsigned int i = 0; i < NVALUES; i++) {
		uint64_t r = next(&s);

		if (kind == 0)	/* 2-10 us, one in 1000 a 1-7 ms spike */
			v[i] = r % 1000 == 0 ? 1000000 + r % 6000000 : 2000 + r % 8000;
		else if (kind == 1)	/* log-uniform up to 2^36 ns */
			v[i] = (r >> 28) >> (r % 28);
		else
			v[i] = 5000;
	}
}

/* round_ns - ns per iteration of one round (with or without the add). */
static double round_ns(struct rtlab_hist *h, const uint64_t *v, int add)
{
	volatile uint64_t sink = 0;
	uint64_t t0 = rtlab_now_ns();

	for (unsigned int i = 0; i < ADDS; i++) {
		if (add)
			rtlab_hist_add(h, v[i & (NVALUES - 1)]);
		else
			sink += v[i & (NVALUES - 1)];
	}
	return (double)(rtlab_now_ns() - t0) / ADDS;
}

/* cmp - qsort order for doubles. */
static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	static const char *const names[] = { "latency-like", "log-uniform", "constant" };
	uint64_t *v = malloc(NVALUES * sizeof(*v));
	struct rtlab_hist *h = rtlab_hist_new();

	if (!v || !h)
		return 1;
	for (int kind = 0; kind < 3; kind++) {
		double add[ROUNDS], empty[ROUNDS];

		fill(v, kind);
		for (int r = 0; r < ROUNDS; r++) {
			add[r] = round_ns(h, v, 1);
			empty[r] = round_ns(h, v, 0);
		}
		qsort(add, ROUNDS, sizeof(double), cmp);
		qsort(empty, ROUNDS, sizeof(double), cmp);
		printf("rtlab_hist_add %-13s %.2f ns/add (loop %.2f ns, add minus loop %.2f ns)\n",
		       names[kind], add[ROUNDS / 2], empty[ROUNDS / 2],
		       add[ROUNDS / 2] - empty[ROUNDS / 2]);
	}
	rtlab_hist_free(h);
	free(v);
	return 0;
}
