/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs-worker.c - statvfs of network file systems off the collecting thread.
 *
 * A worker thread is started when the fs family opens; the collector queues
 * one job per network mount, lets the workers run and waits for the answers
 * until its deadline (the statvfs_timeout_ns option).  A job still running
 * then is stuck: its mount is not asked again while it runs, and the
 * collection goes on without it.  There are as many workers as jobs queued
 * or running, up to WORKERS_MAX, so one hung server does not hold up the
 * other mounts (and mounts are asked in parallel).  Workers are detached;
 * the pool is freed by the last of the probe and the workers to let go of
 * it, so closing never waits for a hung call.  Once the workers exist and
 * the job slots are big enough, a round allocates nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "disk/disk-internal.h"

#define WORKERS_MAX 4
#define WORKER_STACK (256 * 1024)

enum job_phase {
	JOB_FREE,
	JOB_QUEUED,
	JOB_RUNNING,
	JOB_DONE,
};

struct fs_job {
	uint64_t key;		/* the mount */
	uint64_t round;		/* the round that queued it */
	uint8_t phase;		/* enum job_phase */
	int err;		/* the answer: 0 or -errno */
	struct statvfs st;
	char path[PATH_MAX];
};

struct fs_pool {
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* workers: a job was queued, or quit */
	pthread_cond_t done;	/* collector: a job was answered */
	unsigned refs;		/* the probe's and one per worker */
	unsigned workers;
	unsigned idle;		/* workers not running a job */
	bool quit;
	fs_statvfs_fn fn;
	void *arg;
	uint64_t round;
	struct fs_job *jobs;
	size_t njobs;
	size_t jobs_cap;
};

/* pool_free - the last reference is gone. */
static void pool_free(struct fs_pool *pool)
{
	pthread_cond_destroy(&pool->done);
	pthread_cond_destroy(&pool->wake);
	pthread_mutex_destroy(&pool->lock);
	free(pool->jobs);
	free(pool);
}

/* pool_unref - drop a reference (lock held; released here). */
static void pool_unref(struct fs_pool *pool)
{
	bool last = --pool->refs == 0;

	pthread_mutex_unlock(&pool->lock);
	if (last)
		pool_free(pool);
}

/* next_queued - the first queued job, or -1. */
static ssize_t next_queued(const struct fs_pool *pool)
{
	for (size_t i = 0; i < pool->njobs; i++)
		if (pool->jobs[i].phase == JOB_QUEUED)
			return (ssize_t)i;
	return -1;
}

static void *worker_main(void *arg);

/* spawn - one more detached worker with every signal blocked (lock held).  0 or -errno. */
static int spawn(struct fs_pool *pool)
{
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t th;
	int r;

	if (pthread_attr_init(&attr))
		return -ENOMEM;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&th, &attr, worker_main, pool);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r)
		return -r;
	pthread_setname_np(th, "rtlab-statvfs");
	pool->workers++;
	pool->idle++;
	pool->refs++;
	return 0;
}

/*
 * grow_workers - as many workers as jobs queued or running, up to WORKERS_MAX
 * (lock held).  Once there are as many as network mounts, no more are started
 * (no allocation) unless mounts are added or calls hang.
 */
static void grow_workers(struct fs_pool *pool)
{
	unsigned want = 0;

	for (size_t i = 0; i < pool->njobs; i++)
		want += pool->jobs[i].phase == JOB_QUEUED || pool->jobs[i].phase == JOB_RUNNING;
	if (want > WORKERS_MAX)
		want = WORKERS_MAX;
	while (pool->workers < want && !pool->quit && spawn(pool) == 0)
		;
}

/* run_job - job @i, without the lock; its answer is kept if the job is still ours. */
static void run_job(struct fs_pool *pool, size_t i, char *path)
{
	struct fs_job *j = &pool->jobs[i];
	uint64_t key = j->key;
	fs_statvfs_fn fn = pool->fn;
	void *fn_arg = pool->arg;
	struct statvfs st;
	int err;

	j->phase = JOB_RUNNING;
	memcpy(path, j->path, PATH_MAX);
	pool->idle--;
	pthread_mutex_unlock(&pool->lock);

	memset(&st, 0, sizeof(st));
	err = fn(fn_arg, path, &st);

	pthread_mutex_lock(&pool->lock);
	pool->idle++;
	j = &pool->jobs[i];	/* the array may have moved meanwhile */
	if (j->phase == JOB_RUNNING && j->key == key) {
		j->phase = JOB_DONE;
		j->err = err;
		j->st = st;
	}
	pthread_cond_broadcast(&pool->done);
}

/* worker_main - run queued jobs until told to quit. */
static void *worker_main(void *arg)
{
	struct fs_pool *pool = arg;
	char path[PATH_MAX];

	pthread_mutex_lock(&pool->lock);
	for (;;) {
		ssize_t i = -1;

		while (!pool->quit && (i = next_queued(pool)) < 0)
			pthread_cond_wait(&pool->wake, &pool->lock);
		if (pool->quit)
			break;
		run_job(pool, (size_t)i, path);
	}
	pool->workers--;
	pool->idle--;
	pool_unref(pool);
	return NULL;
}

/* fs_pool_new - the pool and its first worker (started now, not on a collection). */
int fs_pool_new(fs_statvfs_fn fn, void *arg, struct fs_pool **ret)
{
	struct fs_pool *pool = calloc(1, sizeof(*pool));
	pthread_condattr_t ca;

	if (!pool)
		return -ENOMEM;
	pool->fn = fn;
	pool->arg = arg;
	pool->refs = 1;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->wake, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&pool->done, &ca);
	pthread_condattr_destroy(&ca);
	/* Without a thread (limits reached), fs_pool_kick() tries again; jobs time out meanwhile. */
	pthread_mutex_lock(&pool->lock);
	spawn(pool);
	pthread_mutex_unlock(&pool->lock);
	*ret = pool;
	return 0;
}

/* fs_pool_put - quit the workers (a hung one leaves when its call returns) and let go. */
void fs_pool_put(struct fs_pool *pool)
{
	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->quit = true;
	pthread_cond_broadcast(&pool->wake);
	pool_unref(pool);
}

/* fs_pool_set_fn - the statvfs the workers call. */
void fs_pool_set_fn(struct fs_pool *pool, fs_statvfs_fn fn, void *arg)
{
	pthread_mutex_lock(&pool->lock);
	pool->fn = fn;
	pool->arg = arg;
	pthread_mutex_unlock(&pool->lock);
}

/* fs_pool_begin - a new round; answers nobody read (late ones) are dropped. */
void fs_pool_begin(struct fs_pool *pool)
{
	pthread_mutex_lock(&pool->lock);
	pool->round++;
	for (size_t i = 0; i < pool->njobs; i++)
		if (pool->jobs[i].phase == JOB_DONE)
			pool->jobs[i].phase = JOB_FREE;
}

/* fs_pool_add - queue statvfs(@path) for the mount @key. */
int fs_pool_add(struct fs_pool *pool, uint64_t key, const char *path)
{
	ssize_t slot = -1;
	struct fs_job *j;

	for (size_t i = 0; i < pool->njobs; i++) {
		j = &pool->jobs[i];
		if (j->phase == JOB_RUNNING && j->key == key)
			return -EBUSY;
		if (j->phase == JOB_FREE && slot < 0)
			slot = (ssize_t)i;
	}
	if (slot < 0) {
		if (probe_grow((void **)&pool->jobs, &pool->jobs_cap, pool->njobs + 1,
			       sizeof(*pool->jobs)) < 0)
			return -ENOMEM;
		slot = (ssize_t)pool->njobs++;
	}
	j = &pool->jobs[slot];
	j->key = key;
	j->round = pool->round;
	j->phase = JOB_QUEUED;
	j->err = 0;
	rtlab_strlcpy(j->path, path, sizeof(j->path));
	return (int)slot;
}

/* fs_pool_kick - wake the workers (started up to one per job) and release the lock. */
void fs_pool_kick(struct fs_pool *pool)
{
	grow_workers(pool);
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
}

/* round_pending - are jobs of this round unanswered; can any of them still start? */
static bool round_pending(const struct fs_pool *pool, bool *hopeless)
{
	unsigned stuck = 0;
	bool pending = false, queued = false;

	for (size_t i = 0; i < pool->njobs; i++) {
		const struct fs_job *j = &pool->jobs[i];

		if (j->phase == JOB_RUNNING && j->round != pool->round)
			stuck++;
		if (j->round == pool->round &&
		    (j->phase == JOB_QUEUED || j->phase == JOB_RUNNING)) {
			pending = true;
			queued |= j->phase == JOB_QUEUED;
		}
	}
	/* Every worker hangs in an earlier round's call and no more may start. */
	*hopeless = queued && stuck >= pool->workers && pool->workers >= WORKERS_MAX;
	return pending;
}

/* fs_pool_wait - until the round is answered or the deadline; unstarted jobs are dropped. */
void fs_pool_wait(struct fs_pool *pool, uint64_t deadline_ns)
{
	struct timespec ts = rtlab_ts_from_ns(deadline_ns);
	bool hopeless = false;

	pthread_mutex_lock(&pool->lock);
	while (round_pending(pool, &hopeless) && !hopeless)
		if (pthread_cond_timedwait(&pool->done, &pool->lock, &ts) == ETIMEDOUT)
			break;
	for (size_t i = 0; i < pool->njobs; i++)
		if (pool->jobs[i].phase == JOB_QUEUED)
			pool->jobs[i].phase = JOB_FREE;
}

/* fs_pool_result - the answer of @slot in this round, or -ETIMEDOUT. */
int fs_pool_result(struct fs_pool *pool, int slot, struct statvfs *st)
{
	const struct fs_job *j;

	if (slot < 0 || (size_t)slot >= pool->njobs)
		return -EINVAL;
	j = &pool->jobs[slot];
	if (j->round != pool->round || j->phase != JOB_DONE)
		return -ETIMEDOUT;
	*st = j->st;
	return j->err;
}

/* fs_pool_end - release the lock taken by fs_pool_wait(). */
void fs_pool_end(struct fs_pool *pool)
{
	pthread_mutex_unlock(&pool->lock);
}
