/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-alloc.c - collections make no heap allocation in steady state.
 *
 * After a warm-up (files opened, buffers and arrays grown), every family is
 * collected again and again with both TTLs at 1 ns, so each call really
 * re-reads everything; malloc, calloc, realloc and aligned allocations made by
 * this thread in that window are counted and must be zero.  Counting works by
 * interposing the allocator (this executable is linked with the static
 * library); under AddressSanitizer, which owns the allocator, the sanitizer's
 * allocation hook counts instead.
 */
#include <stdatomic.h>

#include "test-probe.h"

static _Thread_local bool counting;
static atomic_ulong allocations;

#if defined(__SANITIZE_ADDRESS__)
/* From the sanitizer runtime (gcc ships no header for it). */
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *));

/* on_malloc - the sanitizer's hook: one allocation of this thread. */
static void on_malloc(const volatile void *ptr, size_t size)
{
	(void)ptr;
	(void)size;
	if (counting)
		atomic_fetch_add(&allocations, 1);
}

/* on_free - nothing to count. */
static void on_free(const volatile void *ptr)
{
	(void)ptr;
}

/* count_setup - install the hooks once. */
static void count_setup(void)
{
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}
#else
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void *__libc_memalign(size_t align, size_t size);

/* count - one allocation of this thread, if the window is open. */
static void count(void)
{
	if (counting)
		atomic_fetch_add(&allocations, 1);
}

void *malloc(size_t size)
{
	count();
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	count();
	return __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t size)
{
	count();
	return __libc_realloc(ptr, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	count();
	return __libc_memalign(align, size);
}

int posix_memalign(void **ret, size_t align, size_t size)
{
	void *p;

	count();
	p = __libc_memalign(align, size);
	if (!p)
		return ENOMEM;
	*ret = p;
	return 0;
}

/* count_setup - interposition needs no set-up. */
static void count_setup(void)
{
}
#endif

/* steady_allocations - allocations made by @rounds collections of @fams after warm-up. */
static unsigned long steady_allocations(struct rtlab_probe *p, uint64_t fams, int rounds)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	unsigned long n;

	cr_assert_not_null(d);
	count_setup();
	for (int i = 0; i < 3; i++)
		cr_assert_eq(rtlab_probe_collect(p, fams, d), 0);
	atomic_store(&allocations, 0);
	counting = true;
	for (int i = 0; i < rounds; i++)
		rtlab_probe_collect(p, fams, d);
	counting = false;
	n = atomic_load(&allocations);
	rtlab_probe_data_free(d);
	return n;
}

/*
 * live_steady_allocations - the fewest allocations of three windows: on a
 * live machine a burst of new processes, mounts or sockets legitimately grows
 * an array once, while an allocation made by every collection shows in all three.
 */
static unsigned long live_steady_allocations(struct rtlab_probe *p, uint64_t fams, int rounds)
{
	unsigned long best = ULONG_MAX;

	for (int i = 0; i < 3 && best; i++) {
		unsigned long n = steady_allocations(p, fams, rounds);

		if (n < best)
			best = n;
	}
	return best;
}

/* A probe whose every family is collected afresh on every call. */
static struct rtlab_probe *fresh_probe(const char *root)
{
	struct rtlab_probe_opts o = { .ttl_fast_ns = 1, .ttl_slow_ns = 1 };

	return probe_at(root, &o);
}

/* The counter sees the library's own allocations, so that zero below means something. */
Test(alloc, the_counter_sees_the_library_allocate)
{
	struct rtlab_probe_data *d;

	count_setup();
	atomic_store(&allocations, 0);
	counting = true;
	d = rtlab_probe_data_new();
	counting = false;
	rtlab_probe_data_free(d);
	cr_assert_geq(atomic_load(&allocations), 1);
}

/* The live machine, every family but the process walk, one by one then all together. */
Test(alloc, live_steady_state_allocates_nothing)
{
	struct rtlab_probe *p = fresh_probe("");

	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++) {
		if (!(RTLAB_PROBE_DEFAULT & RTLAB_PF_BIT(f)))
			continue;
		cr_expect_eq(live_steady_allocations(p, RTLAB_PF_BIT(f), 20), 0,
			     "family %s allocates in steady state", rtlab_probe_family_name(f));
	}
	cr_expect_eq(live_steady_allocations(p, RTLAB_PROBE_DEFAULT, 20), 0,
		     "collect_all allocates");
	rtlab_probe_free(p);
}

/* The process family too (it walks /proc). */
Test(alloc, live_procs_steady_state_allocates_nothing)
{
	struct rtlab_probe *p = fresh_probe("");

	cr_expect_eq(live_steady_allocations(p, RTLAB_PF_BIT(RTLAB_PF_PROCS), 10), 0,
		     "the procs family allocates in steady state");
	rtlab_probe_free(p);
}

/* Every fixture tree, all families. */
Test(alloc, fixture_trees_steady_state_allocate_nothing)
{
	static const char *const trees[] = { "vm", "manycore", "cgroup1", "cgroup2", "container",
					     "laptop", "amdgpu" };
	char root[PATH_MAX];

	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		struct rtlab_probe *p;

		fixture_root(trees[i], root, sizeof(root));
		if (access(root, F_OK) != 0)
			continue;
		p = fresh_probe(root);
		cr_expect_eq(steady_allocations(p, RTLAB_PROBE_ALL, 10), 0,
			     "tree %s: collection allocates in steady state", trees[i]);
		rtlab_probe_free(p);
	}
}
