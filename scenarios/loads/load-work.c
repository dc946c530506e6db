/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* load-work.c - the units of work that loads and named workloads are made of. */
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "load-internal.h"

/* load_rng_fill - fill @n bytes at @buf from the generator. */
void load_rng_fill(uint64_t *state, void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		uint64_t v = load_rng_next(state);
		size_t k = n < sizeof(v) ? n : sizeof(v);

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

/*
 * load_cpu_spin - a xorshift step and a floating-point multiply-add per
 * round, both carried from round to round, so that nothing can be folded
 * away and nothing touches memory.  The float stays bounded (it halves each
 * round and gains at most 255).
 */
uint64_t load_cpu_spin(uint64_t *state, uint64_t iters)
{
	uint64_t x = *state;
	double f = (double)(x & 0xffff);

	for (uint64_t i = 0; i < iters; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		f = f * 0.5 + (double)(x & 0xff);
	}
	*state = x;
	return x ^ (uint64_t)f;
}

/* load_mem_stream - copy @words words from @src to @dst, mixed with @pattern. */
uint64_t load_mem_stream(uint64_t *restrict dst, const uint64_t *restrict src, size_t words,
			 uint64_t pattern)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < words; i++) {
		uint64_t v = src[i];

		sum += v;
		dst[i] = v ^ (pattern + i);
	}
	return sum;
}

/*
 * load_syscalls - alternate getppid() and clock_gettime() made as real
 * system calls (the vDSO answers the libc clock_gettime() in user space).
 */
uint64_t load_syscalls(uint64_t n)
{
	uint64_t fold = 0;

	for (uint64_t i = 0; i < n; i++) {
		struct timespec ts = { 0 };

		if (i & 1) {
			syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
			fold += (uint64_t)ts.tv_nsec;
		} else {
			fold += (uint64_t)syscall(SYS_getppid);
		}
	}
	return fold;
}
