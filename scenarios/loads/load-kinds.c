/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load-kinds.c - the loads made of threads alone (cpu, memory, timer,
 * syscall) and fork.  One op of each is short (micro-seconds) so that
 * intensity and stop requests are followed closely.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "load-internal.h"

#define CPU_OP_ITERS 1000		/* one cpu op: about a micro-second */
#define TIMER_INTERVAL_NS (100 * RTLAB_NSEC_PER_USEC)
#define TIMER_OP_ITERS 200		/* the little work done after each wake-up */
#define SYSCALL_OP_CALLS 32
#define MEMORY_DEFAULT_SIZE (64ull << 20)

/* cpu_op - arithmetic in registers. */
static int cpu_op(struct load_worker *w)
{
	w->sink ^= load_cpu_spin(&w->rng, CPU_OP_ITERS);
	return 0;
}

/* syscall_op - a batch of system calls. */
static int syscall_op(struct load_worker *w)
{
	w->sink += load_syscalls(SYSCALL_OP_CALLS);
	return 0;
}

/* timer_op - sleep to the next 100 us tick (absolute), then a little work. */
static int timer_op(struct load_worker *w)
{
	uint64_t now = rtlab_now_ns();

	w->tick_ns += TIMER_INTERVAL_NS;
	if (w->tick_ns <= now)
		w->tick_ns = now + TIMER_INTERVAL_NS;
	load_sleep_until(w->tick_ns);
	w->sink ^= load_cpu_spin(&w->rng, TIMER_OP_ITERS);
	return 0;
}

/*
 * memory_setup - map the buffer (not prefaulted: the first passes fault every
 * page in) and pick, from the generator, the chunk where the passes start.
 */
static int memory_setup(struct load_worker *w)
{
	size_t size = w->load->size_bytes;
	size_t chunks;
	void *p;

	size -= size % (2 * sizeof(uint64_t));
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		int r = -errno;

		return rtlab_err(w->load->ctx, r, "load %s: cannot map %zu bytes: %s",
				 w->load->name, size, strerror(-r));
	}
	w->buf = p;
	w->buf_size = size;
	chunks = (size / 2 + LOAD_CHUNK_BYTES - 1) / LOAD_CHUNK_BYTES;
	w->off = (size_t)(load_rng_next(&w->rng) % chunks) * LOAD_CHUNK_BYTES;
	return 0;
}

/*
 * memory_op - stream one chunk from one half of the buffer into the other;
 * the halves swap roles after each pass over them.
 */
static int memory_op(struct load_worker *w)
{
	size_t half = w->buf_size / 2;
	size_t n = half - w->off < LOAD_CHUNK_BYTES ? half - w->off : LOAD_CHUNK_BYTES;
	unsigned char *a = w->buf, *b = a + half;
	unsigned char *src = w->pass & 1 ? b : a, *dst = w->pass & 1 ? a : b;

	w->sink += load_mem_stream((uint64_t *)(dst + w->off), (const uint64_t *)(src + w->off),
				   n / sizeof(uint64_t), w->sink);
	w->off += n;
	if (w->off >= half) {
		w->off = 0;
		w->pass++;
	}
	return 0;
}

/* memory_cleanup - unmap the buffer. */
static void memory_cleanup(struct load_worker *w)
{
	if (w->buf)
		munmap(w->buf, w->buf_size);
	w->buf = NULL;
}

/*
 * fork_op - fork a child that exits at once, and reap it.  The child asks
 * for SIGKILL should this thread die first, so it cannot outlive rtlab.
 */
static int fork_op(struct load_worker *w)
{
	pid_t pid;
	int st;

	(void)w;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

const struct load_kind load_kind_cpu = { .op = cpu_op };
const struct load_kind load_kind_syscall = { .op = syscall_op };
const struct load_kind load_kind_timer = { .op = timer_op };
const struct load_kind load_kind_fork = { .op = fork_op };
const struct load_kind load_kind_memory = {
	.default_size = MEMORY_DEFAULT_SIZE,
	.setup = memory_setup,
	.op = memory_op,
	.cleanup = memory_cleanup,
};
