/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * alloc-count.h - count the heap allocations a thread makes in a window,
 * for the tests that prove a path allocates nothing.  Include it in one file
 * of a test executable linked with the static library: it interposes
 * malloc, calloc, realloc and memalign (each counts, then calls glibc's own
 * entry point); under AddressSanitizer, which owns the allocator, its
 * allocation hook counts instead.
 *
 *	hook_allocator();  atomic_store(&allocations, 0);  counting = true;
 *	... the path ...
 *	counting = false;  atomic_load(&allocations) == 0
 */
#ifndef RTLAB_TEST_ALLOC_COUNT_H
#define RTLAB_TEST_ALLOC_COUNT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

static _Thread_local bool counting;
static atomic_ulong allocations;

/* note_alloc - count one allocation made by this thread while counting. */
static inline void note_alloc(void)
{
	if (counting)
		atomic_fetch_add(&allocations, 1);
}

#if defined(__SANITIZE_ADDRESS__)
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *));

/* asan_malloc - the sanitizer's allocation hook. */
static inline void asan_malloc(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	note_alloc();
}

/* asan_free - frees are not counted. */
static inline void asan_free(const volatile void *p)
{
	(void)p;
}

/* hook_allocator - install the sanitizer's hooks. */
static inline void hook_allocator(void)
{
	__sanitizer_install_malloc_and_free_hooks(asan_malloc, asan_free);
}
#else
/* Each wrapper counts, then calls glibc's own entry point. */
#define ALLOC_COUNTED(ret, name, params, args) \
	ret __libc_##name params;              \
	ret name params;                       \
	ret name params                        \
	{                                      \
		note_alloc();                  \
		return __libc_##name args;     \
	}
ALLOC_COUNTED(void *, malloc, (size_t n), (n))
ALLOC_COUNTED(void *, calloc, (size_t k, size_t n), (k, n))
ALLOC_COUNTED(void *, realloc, (void *p, size_t n), (p, n))
ALLOC_COUNTED(void *, memalign, (size_t a, size_t n), (a, n))

/* hook_allocator - the wrappers need no set-up. */
static inline void hook_allocator(void)
{
}
#endif

#endif /* RTLAB_TEST_ALLOC_COUNT_H */
