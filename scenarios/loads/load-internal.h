/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* load-internal.h - what the load kinds share: workers, counters, pacing, generators. */
#ifndef RTLAB_LOAD_INTERNAL_H
#define RTLAB_LOAD_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <sys/types.h>

#include <rtlab/load.h>

#include "core-internal.h"

#define LOAD_WINDOW_NS (10 * RTLAB_NSEC_PER_MSEC)	/* intensity applies to each window */
#define LOAD_CHUNK_BYTES (64u << 10)			/* memory and io work on chunks */
#define LOAD_MIN_SIZE (4u << 10)
#define LOAD_STOP_GRACE_NS (50 * RTLAB_NSEC_PER_MSEC)	/* then child processes are killed */

/*
 * The counters of one thread or child process.  They live in a shared
 * mapping, so that child processes update them too; each has one writer
 * (relaxed stores) and is read by others with relaxed loads.
 */
struct load_slot {
	uint64_t ops;
	uint64_t work_ns;
	uint64_t cpu_ns;
	int error;
} __attribute__((aligned(64)));

/* The mapping shared with child processes: the stop flag and every slot. */
struct load_shared {
	int stop;
	struct load_slot slots[];
};

struct load_worker;

/* What a kind does; the table is indexed by enum rtlab_load_kind. */
struct load_kind {
	uint64_t default_size;		/* 0: the kind takes no size */
	unsigned slots;			/* slots per worker (hackbench: one per process) */
	/* in the worker thread, before it reports ready; NULL: nothing to set up */
	int (*setup)(struct load_worker *w);
	/* one short unit of work, run by the paced loop; 0 or -errno */
	int (*op)(struct load_worker *w);
	/* replaces the paced loop (hackbench supervises processes); NULL: paced loop */
	int (*run)(struct load_worker *w);
	/* in the worker thread at its end, also after a failed set-up; may be NULL */
	void (*cleanup)(struct load_worker *w);
};

struct rtlab_load {
	struct rtlab_ctx *ctx;
	char name[RTLAB_SCENARIO_NAME_MAX];
	char comm[16];			/* thread and process name */
	char dir[PATH_MAX];		/* io: directory of the temporary files */
	enum rtlab_load_kind kind;
	const struct load_kind *ops;
	unsigned threads;
	unsigned intensity_pct;
	uint64_t size_bytes;		/* the default applied */
	uint64_t seed;
	cpu_set_t cpus;
	bool pinned;

	struct load_shared *shared;	/* MAP_SHARED, shared_size bytes */
	size_t shared_size;
	int stop_fd;			/* eventfd: written by rtlab_load_stop() */
	struct load_worker *workers;

	bool started, joined;
	uint64_t start_ns, end_ns;
	pthread_mutex_t lock;		/* start handshake only */
	pthread_cond_t cond;
	unsigned ready;			/* workers done with their set-up */
	int setup_error;		/* the first set-up error */
};

/* One worker thread, and its kind's state (only the fields of its kind are used). */
struct load_worker {
	struct rtlab_load *load;
	unsigned index;
	struct load_slot *slot;		/* its first slot */
	pthread_t thread;
	bool created;
	int error;			/* the thread's own error (set-up, supervision) */
	uint64_t rng;			/* seeded with load seed + index */
	uint64_t sink;			/* results folded in, so no work is optimised away */
	uint64_t tick_ns;		/* timer: the last programmed wake-up */
	/* memory: the buffer; io: one chunk of data */
	void *buf;
	size_t buf_size;
	size_t off;			/* memory, io: where the next chunk goes */
	unsigned pass;			/* memory: passes done (the halves swap each pass) */
	int fd;				/* io: the temporary file, -1 if none */
	/* hackbench: one group */
	int rfd[RTLAB_LOAD_HACKBENCH_FDS];	/* receiver ends, -1 once closed */
	int wfd[RTLAB_LOAD_HACKBENCH_FDS];	/* sender ends */
	pid_t pid[2 * RTLAB_LOAD_HACKBENCH_FDS];	/* children not reaped yet, 0 once reaped */
	unsigned next;			/* a sender: the receiver it writes to next */
};

/* The kinds (load-kinds.c, load-io.c, load-hackbench.c). */
extern const struct load_kind load_kind_cpu, load_kind_memory, load_kind_timer,
	load_kind_syscall, load_kind_fork, load_kind_io, load_kind_hackbench;

/* load_stopped - whether a stop was asked (any thread or child process). */
static inline bool load_stopped(const struct rtlab_load *l)
{
	return __atomic_load_n(&l->shared->stop, __ATOMIC_RELAXED) != 0;
}

/* load_slot_error - record the first error of a slot. */
static inline void load_slot_error(struct load_slot *s, int r)
{
	if (r < 0 && __atomic_load_n(&s->error, __ATOMIC_RELAXED) == 0)
		__atomic_store_n(&s->error, r, __ATOMIC_RELAXED);
}

/* load_splitmix - one step of splitmix64: turns a seed into a well-mixed state. */
static inline uint64_t load_splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* load_rng_init - the generator state of worker @index of a load seeded with @seed. */
static inline uint64_t load_rng_init(uint64_t seed, uint64_t index)
{
	uint64_t s = load_splitmix(seed + index);

	return s ? s : 0x2545f4914f6cdd1dULL;	/* xorshift needs a non-zero state */
}

/* load_rng_next - the next number of a xorshift64* generator. */
static inline uint64_t load_rng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* load_rng_fill - fill @n bytes at @buf from the generator. */
void load_rng_fill(uint64_t *state, void *buf, size_t n);

/* load_cpu_spin - @iters rounds of integer and floating-point arithmetic in registers. */
uint64_t load_cpu_spin(uint64_t *state, uint64_t iters);

/*
 * load_mem_stream - read @words 64-bit words at @src and write them, mixed
 * with @pattern, at @dst; returns the sum of what was read.
 */
uint64_t load_mem_stream(uint64_t *restrict dst, const uint64_t *restrict src, size_t words,
			 uint64_t pattern);

/* load_syscalls - @n cheap system calls that the vDSO cannot answer; returns a fold of results. */
uint64_t load_syscalls(uint64_t n);

/* load_sleep_until - absolute CLOCK_MONOTONIC sleep to @ns, resumed after signals. */
void load_sleep_until(uint64_t ns);

/* load_thread_cpu_ns - CPU time of the calling thread. */
uint64_t load_thread_cpu_ns(void);

/*
 * load_paced_run - call @op for intensity_pct of every window until the load
 * stops or @op fails, counting into @w->slot.  Returns 0 or @op's error.
 * Also used by hackbench senders, in child processes: it makes no
 * allocation, takes no lock and does not log.
 */
int load_paced_run(struct load_worker *w, int (*op)(struct load_worker *w));

/*
 * load_tmpfile - open an unnamed temporary file in @dir (O_TMPFILE, or a
 * name removed at once where the file system lacks it).  Returns the fd or -errno.
 */
int load_tmpfile(const char *dir);

/* load_default_dir - $TMPDIR if set and not empty, else /tmp. */
const char *load_default_dir(void);

#endif /* RTLAB_LOAD_INTERNAL_H */
