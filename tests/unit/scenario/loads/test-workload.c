/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-workload.c - named workloads: kinds and sizes accepted, runs that
 * allocate nothing, results that depend on the seed alone, and the
 * generators behind every seeded choice of the loads.
 *
 * Allocations are counted by interposing the allocator (this executable is
 * linked with the static library); under AddressSanitizer, which owns the
 * allocator, its allocation hook counts instead.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>

#include "load-test.h"
#include "../../alloc-count.h"
#include "loads/load-internal.h"

/* allocations_during - allocations made by @runs runs of @w. */
static unsigned long allocations_during(struct rtlab_workload *w, int runs)
{
	hook_allocator();
	atomic_store(&allocations, 0);
	counting = true;
	for (int i = 0; i < runs; i++)
		rtlab_workload_run(w);
	counting = false;
	return atomic_load(&allocations);
}

struct wl_case {
	int kind;
	uint64_t size;
};

ParameterizedTestParameters(workload, runs_without_allocating)
{
	static struct wl_case params[] = {
		{ RTLAB_LOAD_CPU, 0 }, { RTLAB_LOAD_CPU, 50000 },
		{ RTLAB_LOAD_MEMORY, 0 }, { RTLAB_LOAD_MEMORY, 1 << 20 }, { RTLAB_LOAD_MEMORY, 24 },
		{ RTLAB_LOAD_SYSCALL, 0 }, { RTLAB_LOAD_SYSCALL, 100 },
		{ RTLAB_LOAD_IO, 0 }, { RTLAB_LOAD_IO, 100000 },
	};

	return cr_make_param_array(struct wl_case, params, sizeof(params) / sizeof(params[0]));
}

/* Runs allocate nothing (checked against a counter that sees new() allocate). */
ParameterizedTest(struct wl_case *p, workload, runs_without_allocating)
{
	struct rtlab_workload *w = NULL;

	hook_allocator();
	atomic_store(&allocations, 0);
	counting = true;
	cr_assert_eq(rtlab_workload_new((enum rtlab_load_kind)p->kind, p->size, 1, &w), 0);
	counting = false;
	cr_assert_geq(atomic_load(&allocations), 1, "the counter does not see allocations");
	cr_assert_eq(rtlab_workload_run(w), 0);
	cr_assert_eq(allocations_during(w, 50), 0);
	cr_assert_null(rtlab_workload_free(w));
}

/* Kinds without a named workload, and sizes out of range. */
Test(workload, refused)
{
	static const struct wl_case bad[] = {
		{ RTLAB_LOAD_HACKBENCH, 0 }, { RTLAB_LOAD_TIMER, 0 }, { RTLAB_LOAD_FORK, 0 },
		{ RTLAB_LOAD__COUNT, 0 }, { -1, 0 }, { RTLAB_LOAD_MEMORY, 15 },
		{ RTLAB_LOAD_MEMORY, (1ull << 30) + 16 }, { RTLAB_LOAD_IO, (64ull << 20) + 1 },
	};
	struct rtlab_workload *w = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(rtlab_workload_new((enum rtlab_load_kind)bad[i].kind, bad[i].size, 1,
						&w), -EINVAL, "case %zu", i);
	cr_assert_null(w);
	cr_assert_eq(rtlab_workload_new(RTLAB_LOAD_CPU, 0, 1, NULL), -EINVAL);
	cr_assert_null(rtlab_workload_free(NULL));
}

/* digest_after - the digest of a fresh workload after @runs runs. */
static uint64_t digest_after(enum rtlab_load_kind kind, uint64_t size, uint64_t seed, int runs)
{
	struct rtlab_workload *w = NULL;
	uint64_t d;

	cr_assert_eq(rtlab_workload_new(kind, size, seed, &w), 0);
	for (int i = 0; i < runs; i++)
		cr_assert_eq(rtlab_workload_run(w), 0);
	d = rtlab_workload_digest(w);
	rtlab_workload_free(w);
	return d;
}

/* The same seed gives the same results, another seed others; every run counts. */
Test(workload, seeded)
{
	static const enum rtlab_load_kind kinds[] = { RTLAB_LOAD_CPU, RTLAB_LOAD_MEMORY };

	for (size_t i = 0; i < 2; i++) {
		uint64_t a = digest_after(kinds[i], 0, 9, 5);

		cr_expect_eq(a, digest_after(kinds[i], 0, 9, 5));
		cr_expect_neq(a, digest_after(kinds[i], 0, 10, 5));
		cr_expect_neq(a, digest_after(kinds[i], 0, 9, 4));
	}
}

/* The io and syscall digests count what was done. */
Test(workload, counted)
{
	cr_assert_eq(digest_after(RTLAB_LOAD_IO, 0, 1, 3), 3 * 4096);
	cr_assert_eq(digest_after(RTLAB_LOAD_IO, 1000, 1, 2), 2000);
	cr_assert_eq(digest_after(RTLAB_LOAD_SYSCALL, 0, 1, 3), 30);
	cr_assert_eq(digest_after(RTLAB_LOAD_SYSCALL, 7, 1, 1), 7);
}

/* The memory workload really moves its data: a run reads what the last one wrote. */
Test(workload, memory_streams)
{
	uint64_t one = digest_after(RTLAB_LOAD_MEMORY, 64, 5, 1);
	uint64_t two = digest_after(RTLAB_LOAD_MEMORY, 64, 5, 2);

	cr_assert_neq(one, 0);
	cr_assert_neq(two, 2 * one, "the second run read the same data as the first");
}

/* A cpu workload of N iterations takes time that grows with N. */
Test(workload, cpu_scales)
{
	struct rtlab_workload *small = NULL, *big = NULL;
	uint64_t t0, t_small = UINT64_MAX, t_big = UINT64_MAX;

	cr_assert_eq(rtlab_workload_new(RTLAB_LOAD_CPU, 1000, 1, &small), 0);
	cr_assert_eq(rtlab_workload_new(RTLAB_LOAD_CPU, 1000000, 1, &big), 0);
	for (int i = 0; i < 5; i++) {
		t0 = rtlab_now_ns();
		rtlab_workload_run(small);
		if (rtlab_now_ns() - t0 < t_small)
			t_small = rtlab_now_ns() - t0;
		t0 = rtlab_now_ns();
		rtlab_workload_run(big);
		if (rtlab_now_ns() - t0 < t_big)
			t_big = rtlab_now_ns() - t0;
	}
	cr_assert_gt(t_big, 50 * t_small, "1e6 iterations: %llu ns, 1e3: %llu ns",
		     (unsigned long long)t_big, (unsigned long long)t_small);
	rtlab_workload_free(small);
	rtlab_workload_free(big);
}

/* Worker generators: the same seed and index give the same sequence, any change another. */
Test(workload, generators)
{
	uint64_t a = load_rng_init(1, 0), b = load_rng_init(1, 0);
	uint64_t c = load_rng_init(1, 1), d = load_rng_init(2, 0);
	unsigned same_c = 0, same_d = 0;

	for (int i = 0; i < 1000; i++) {
		uint64_t x = load_rng_next(&a);

		cr_assert_eq(x, load_rng_next(&b));
		same_c += x == load_rng_next(&c);
		same_d += x == load_rng_next(&d);
	}
	cr_assert_eq(same_c, 0);
	cr_assert_eq(same_d, 0);
	cr_assert_neq(load_rng_init(0, 0), 0, "a zero seed must still give a working generator");
}
