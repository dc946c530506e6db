/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * alloc-count.h - count malloc/calloc/realloc calls of the whole process
 * while alloc_counting is set, by defining them over glibc's (which they call
 * through __libc_*).  Not under AddressSanitizer, which owns malloc: there
 * ALLOC_COUNTING is 0 and the tests that need it skip.
 */
#ifndef RTLAB_TEST_ALLOC_COUNT_H
#define RTLAB_TEST_ALLOC_COUNT_H

#include <stddef.h>

#include <criterion/criterion.h>

#include <rtlab/rtlab.h>

#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_COUNTING 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_COUNTING 0
#endif
#endif
#ifndef ALLOC_COUNTING
#define ALLOC_COUNTING 1
#endif

static int alloc_counting;
static unsigned long alloc_calls;

#if ALLOC_COUNTING
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);

/* note_alloc - one more call while counting. */
static inline void note_alloc(void)
{
	if (__atomic_load_n(&alloc_counting, __ATOMIC_RELAXED))
		__atomic_add_fetch(&alloc_calls, 1, __ATOMIC_RELAXED);
}

/* malloc - counted. */
void *malloc(size_t size)
{
	note_alloc();
	return __libc_malloc(size);
}

/* calloc - counted. */
void *calloc(size_t n, size_t size)
{
	note_alloc();
	return __libc_calloc(n, size);
}

/* realloc - counted. */
void *realloc(void *p, size_t size)
{
	note_alloc();
	return __libc_realloc(p, size);
}
#endif

/* alloc_begin - start counting from 0. */
static inline void alloc_begin(void)
{
	__atomic_store_n(&alloc_calls, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&alloc_counting, 1, __ATOMIC_SEQ_CST);
}

/* alloc_end - stop counting; the calls seen since alloc_begin(). */
static inline unsigned long alloc_end(void)
{
	__atomic_store_n(&alloc_counting, 0, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&alloc_calls, __ATOMIC_RELAXED);
}

/*
 * alloc_in_collections - allocations made by 20 collections of @families
 * after 3 to warm up (the first of which must allocate: the counter works).
 */
static inline unsigned long alloc_in_collections(struct rtlab_probe *p, uint64_t families,
						 struct rtlab_probe_data *d)
{
	alloc_begin();
	rtlab_probe_collect(p, families, d);
	cr_assert_gt(alloc_end(), 0, "the first collection grows arrays: counted");
	for (int i = 0; i < 2; i++)
		rtlab_probe_collect(p, families, d);
	alloc_begin();
	for (int i = 0; i < 20; i++)
		rtlab_probe_collect(p, families, d);
	return alloc_end();
}

#endif /* RTLAB_TEST_ALLOC_COUNT_H */
