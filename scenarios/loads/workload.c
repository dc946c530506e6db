/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * workload.c - named workloads: one unit of work run inside an RT task's job.
 * Everything a run needs (buffers, the file) is made here, so that a run
 * allocates nothing and takes no lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "load-internal.h"

#define WL_CPU_DEFAULT 1000
#define WL_MEMORY_DEFAULT (64u << 10)
#define WL_MEMORY_MAX (1ull << 30)
#define WL_SYSCALL_DEFAULT 10
#define WL_IO_DEFAULT (4u << 10)
#define WL_IO_MAX (64ull << 20)

struct rtlab_workload {
	enum rtlab_load_kind kind;
	uint64_t size;			/* iterations, bytes or calls */
	uint64_t rng;
	uint64_t digest;
	uint64_t runs;
	void *buf;			/* memory: the buffer (mapped); io: the data */
	size_t buf_size;
	int fd;				/* io */
};

/* workload_size - the size, default applied; 0: no workload of @kind, or out of range. */
static uint64_t workload_size(enum rtlab_load_kind kind, uint64_t size)
{
	switch (kind) {
	case RTLAB_LOAD_CPU:
		return size ?: WL_CPU_DEFAULT;
	case RTLAB_LOAD_SYSCALL:
		return size ?: WL_SYSCALL_DEFAULT;
	case RTLAB_LOAD_MEMORY:
		size = (size ?: WL_MEMORY_DEFAULT) & ~(uint64_t)15;
		return size <= WL_MEMORY_MAX ? size : 0;
	case RTLAB_LOAD_IO:
		size = size ?: WL_IO_DEFAULT;
		return size <= WL_IO_MAX ? size : 0;
	default:
		return 0;
	}
}

/* memory_prepare - map the buffer and write it all (prefault, seeded contents). */
static int memory_prepare(struct rtlab_workload *w)
{
	void *p = mmap(NULL, w->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	w->buf = p;
	w->buf_size = w->size;
	load_rng_fill(&w->rng, p, w->size);
	return 0;
}

/* io_prepare - the seeded data and the unnamed file. */
static int io_prepare(struct rtlab_workload *w)
{
	w->buf = malloc(w->size);
	if (!w->buf)
		return -ENOMEM;
	load_rng_fill(&w->rng, w->buf, w->size);
	w->fd = load_tmpfile(load_default_dir());
	return w->fd < 0 ? w->fd : 0;
}

/* rtlab_workload_new - check, allocate and prepare. */
int rtlab_workload_new(enum rtlab_load_kind kind, uint64_t size, uint64_t seed,
		       struct rtlab_workload **ret)
{
	struct rtlab_workload *w;
	int r = 0;

	if (!ret || workload_size(kind, size) == 0)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->kind = kind;
	w->size = workload_size(kind, size);
	w->rng = load_rng_init(seed, 0);
	w->fd = -1;
	if (kind == RTLAB_LOAD_MEMORY)
		r = memory_prepare(w);
	else if (kind == RTLAB_LOAD_IO)
		r = io_prepare(w);
	if (r < 0) {
		rtlab_workload_free(w);
		return r;
	}
	*ret = w;
	return 0;
}

/* memory_run - one pass: one half streamed into the other, the roles swapping each run. */
static void memory_run(struct rtlab_workload *w)
{
	size_t half = w->buf_size / 2;
	uint64_t *a = w->buf, *b = (uint64_t *)((char *)w->buf + half);
	bool odd = w->runs & 1;

	w->digest += load_mem_stream(odd ? a : b, odd ? b : a, half / sizeof(uint64_t),
				     w->digest);
}

/* rtlab_workload_run - one unit. */
int rtlab_workload_run(struct rtlab_workload *w)
{
	ssize_t k;

	switch (w->kind) {
	case RTLAB_LOAD_CPU:
		w->digest ^= load_cpu_spin(&w->rng, w->size);
		break;
	case RTLAB_LOAD_MEMORY:
		memory_run(w);
		break;
	case RTLAB_LOAD_SYSCALL:
		(void)load_syscalls(w->size);
		w->digest += w->size;
		break;
	case RTLAB_LOAD_IO:
		k = pwrite(w->fd, w->buf, w->size, 0);
		if (k < 0)
			return -errno;
		w->digest += (uint64_t)k;
		break;
	default:
		return -EINVAL;
	}
	w->runs++;
	return 0;
}

/* rtlab_workload_digest - the fold of the results so far. */
uint64_t rtlab_workload_digest(const struct rtlab_workload *w)
{
	return w->digest;
}

/* rtlab_workload_free - release the buffer and the file. */
struct rtlab_workload *rtlab_workload_free(struct rtlab_workload *w)
{
	if (!w)
		return NULL;
	if (w->fd >= 0)
		close(w->fd);
	if (w->kind == RTLAB_LOAD_MEMORY && w->buf)
		munmap(w->buf, w->buf_size);
	else
		free(w->buf);
	free(w);
	return NULL;
}
