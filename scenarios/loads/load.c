/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load.c - a load's life: check the configuration, start the worker threads
 * (SCHED_OTHER, pinned if asked) and wait for their set-up, stop, join,
 * counters.  What each kind does is in load-kinds.c, load-io.c and
 * load-hackbench.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load-internal.h"

static const struct load_kind *const kinds[RTLAB_LOAD__COUNT] = {
	[RTLAB_LOAD_CPU] = &load_kind_cpu,
	[RTLAB_LOAD_HACKBENCH] = &load_kind_hackbench,
	[RTLAB_LOAD_MEMORY] = &load_kind_memory,
	[RTLAB_LOAD_IO] = &load_kind_io,
	[RTLAB_LOAD_TIMER] = &load_kind_timer,
	[RTLAB_LOAD_SYSCALL] = &load_kind_syscall,
	[RTLAB_LOAD_FORK] = &load_kind_fork,
};

/* check_counts - kind, threads (groups), intensity. */
static int check_counts(struct rtlab_ctx *ctx, const struct rtlab_load_config *cfg,
			const char *name)
{
	unsigned max = cfg->kind == RTLAB_LOAD_HACKBENCH ? RTLAB_LOAD_HACKBENCH_GROUPS_MAX
							  : RTLAB_LOAD_THREADS_MAX;

	if ((unsigned)cfg->kind >= RTLAB_LOAD__COUNT)
		return rtlab_err(ctx, -EINVAL, "load %s: unknown kind %d", name, (int)cfg->kind);
	if (cfg->threads < 1 || cfg->threads > max)
		return rtlab_err(ctx, -EINVAL, "load %s: threads %u is out of range (1..%u)", name,
				 cfg->threads, max);
	if (cfg->intensity_pct < 1 || cfg->intensity_pct > 100)
		return rtlab_err(ctx, -EINVAL, "load %s: intensity %u%% is out of range (1..100)",
				 name, cfg->intensity_pct);
	return 0;
}

/* check_size - only memory and io take a size, of at least LOAD_MIN_SIZE. */
static int check_size(struct rtlab_ctx *ctx, const struct rtlab_load_config *cfg,
		      const char *name)
{
	if (cfg->size_bytes == 0)
		return 0;
	if (!kinds[cfg->kind]->default_size)
		return rtlab_err(ctx, -EINVAL, "load %s: a %s load takes no size (only memory "
				 "and io do)", name, rtlab_load_kind_name(cfg->kind));
	if (cfg->size_bytes < LOAD_MIN_SIZE)
		return rtlab_err(ctx, -EINVAL, "load %s: size %llu B is below the minimum %u B",
				 name, (unsigned long long)cfg->size_bytes, LOAD_MIN_SIZE);
	if (cfg->size_bytes > SIZE_MAX / 2)
		return rtlab_err(ctx, -EINVAL, "load %s: size %llu B is too large", name,
				 (unsigned long long)cfg->size_bytes);
	return 0;
}

/* check_place - every CPU online; io: the directory exists. */
static int check_place(struct rtlab_ctx *ctx, const struct rtlab_load_config *cfg,
		       const char *name)
{
	struct stat st;
	cpu_set_t online;
	int r;

	if (cfg->cpus && CPU_COUNT(cfg->cpus) > 0) {
		r = rtlab_cpus_online(ctx, &online);
		for (int c = 0; r == 0 && c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, cfg->cpus) && !CPU_ISSET(c, &online))
				r = rtlab_err(ctx, -EINVAL, "load %s: CPU %d is not online", name,
					      c);
		if (r < 0)
			return r;
	}
	if (cfg->kind != RTLAB_LOAD_IO || !cfg->dir)
		return 0;
	if (stat(cfg->dir, &st) < 0) {
		r = -errno;
		return rtlab_err(ctx, r, "load %s: directory %s: %s", name, cfg->dir,
				 strerror(-r));
	}
	if (!S_ISDIR(st.st_mode))
		return rtlab_err(ctx, -ENOTDIR, "load %s: %s is not a directory", name, cfg->dir);
	return 0;
}

/* load_alloc - the load, its shared mapping, workers and stop eventfd. */
static int load_alloc(struct rtlab_load *l)
{
	size_t nslots = (size_t)l->threads * (l->ops->slots ?: 1);
	void *p;

	l->shared_size = sizeof(struct load_shared) + nslots * sizeof(struct load_slot);
	p = mmap(NULL, l->shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	l->shared = p;
	l->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (l->stop_fd < 0)
		return -errno;
	l->workers = calloc(l->threads, sizeof(*l->workers));
	if (!l->workers)
		return -ENOMEM;
	for (unsigned i = 0; i < l->threads; i++) {
		struct load_worker *w = &l->workers[i];

		w->load = l;
		w->index = i;
		w->slot = &l->shared->slots[(size_t)i * (l->ops->slots ?: 1)];
		w->rng = load_rng_init(l->seed, i);
		w->fd = -1;
		memset(w->rfd, -1, sizeof(w->rfd));
		memset(w->wfd, -1, sizeof(w->wfd));
	}
	return 0;
}

/* rtlab_load_new - validate and allocate. */
int rtlab_load_new(struct rtlab_ctx *ctx, const struct rtlab_load_config *cfg,
		   struct rtlab_load **ret)
{
	const char *name;
	struct rtlab_load *l;
	int r;

	if (!cfg || !ret)
		return rtlab_err(ctx, -EINVAL, "load: no configuration");
	name = cfg->name ?: rtlab_load_kind_name(cfg->kind) ?: "?";
	r = check_counts(ctx, cfg, name);
	if (r == 0)
		r = check_size(ctx, cfg, name);
	if (r == 0)
		r = check_place(ctx, cfg, name);
	if (r < 0)
		return r;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->ctx = ctx;
	l->stop_fd = -1;
	rtlab_strlcpy(l->name, name, sizeof(l->name));
	rtlab_strlcpy(l->comm, name, sizeof(l->comm));
	rtlab_strlcpy(l->dir, cfg->dir ?: load_default_dir(), sizeof(l->dir));
	l->kind = cfg->kind;
	l->ops = kinds[cfg->kind];
	l->threads = cfg->threads;
	l->intensity_pct = cfg->intensity_pct;
	l->size_bytes = cfg->size_bytes ?: l->ops->default_size;
	l->seed = cfg->seed;
	l->pinned = cfg->cpus && CPU_COUNT(cfg->cpus) > 0;
	if (l->pinned)
		l->cpus = *cfg->cpus;
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cond, NULL);
	r = load_alloc(l);
	if (r < 0) {
		rtlab_load_free(l);
		return rtlab_err(ctx, r, "load %s: %s", name, strerror(-r));
	}
	*ret = l;
	return 0;
}

/* worker_ready - report a worker's set-up to rtlab_load_start(). */
static void worker_ready(struct rtlab_load *l, int r)
{
	pthread_mutex_lock(&l->lock);
	if (r < 0 && l->setup_error == 0)
		l->setup_error = r;
	l->ready++;
	pthread_cond_signal(&l->cond);
	pthread_mutex_unlock(&l->lock);
}

/* worker_main - a worker thread: set up, work until stopped, clean up. */
static void *worker_main(void *arg)
{
	struct load_worker *w = arg;
	struct rtlab_load *l = w->load;
	int r;

	(void)pthread_setname_np(pthread_self(), l->comm);
	r = l->ops->setup ? l->ops->setup(w) : 0;
	worker_ready(l, r);
	if (r == 0) {
		r = l->ops->run ? l->ops->run(w) : load_paced_run(w, l->ops->op);
		if (r < 0)
			rtlab_err(l->ctx, r, "load %s: worker %u failed: %s", l->name, w->index,
				  strerror(-r));
	}
	if (l->ops->cleanup)
		l->ops->cleanup(w);
	w->error = r;
	return NULL;
}

/* thread_attr - SCHED_OTHER whatever the caller runs at, and the load's CPUs. */
static int thread_attr(const struct rtlab_load *l, pthread_attr_t *attr)
{
	struct sched_param sp = { .sched_priority = 0 };
	int r;

	r = pthread_attr_init(attr);
	if (r == 0)
		r = pthread_attr_setinheritsched(attr, PTHREAD_EXPLICIT_SCHED);
	if (r == 0)
		r = pthread_attr_setschedpolicy(attr, SCHED_OTHER);
	if (r == 0)
		r = pthread_attr_setschedparam(attr, &sp);
	if (r == 0 && l->pinned)
		r = pthread_attr_setaffinity_np(attr, sizeof(l->cpus), &l->cpus);
	return -r;
}

/* create_workers - start the threads; *@ret_n tells how many were started. */
static int create_workers(struct rtlab_load *l, unsigned *ret_n)
{
	pthread_attr_t attr;
	unsigned n = 0;
	int r;

	r = thread_attr(l, &attr);
	for (; r == 0 && n < l->threads; n++) {
		struct load_worker *w = &l->workers[n];

		r = -pthread_create(&w->thread, &attr, worker_main, w);
		if (r < 0)
			break;
		w->created = true;
	}
	pthread_attr_destroy(&attr);
	*ret_n = n;
	if (r < 0)
		return rtlab_err(l->ctx, r, "load %s: cannot create worker %u: %s", l->name, n,
				 strerror(-r));
	return 0;
}

/* rtlab_load_start - start the workers and wait for their set-up. */
int rtlab_load_start(struct rtlab_load *l)
{
	unsigned n;
	int r;

	if (l->started)
		return rtlab_err(l->ctx, -EALREADY, "load %s: already started", l->name);
	l->started = true;
	rtlab_store_u64(&l->start_ns, rtlab_now_ns());
	r = create_workers(l, &n);
	pthread_mutex_lock(&l->lock);
	while (l->ready < n)
		pthread_cond_wait(&l->cond, &l->lock);
	if (r == 0)
		r = l->setup_error;
	pthread_mutex_unlock(&l->lock);
	if (r < 0)
		rtlab_load_join(l);
	return r;
}

/* rtlab_load_stop - raise the flag and wake the supervisors (async-signal-safe). */
void rtlab_load_stop(struct rtlab_load *l)
{
	uint64_t one = 1;
	ssize_t k;

	__atomic_store_n(&l->shared->stop, 1, __ATOMIC_RELAXED);
	k = write(l->stop_fd, &one, sizeof(one));
	(void)k;
}

/* rtlab_load_join - stop and wait for every worker. */
int rtlab_load_join(struct rtlab_load *l)
{
	struct rtlab_load_stats st;

	if (!l->started)
		return 0;
	if (!l->joined) {
		rtlab_load_stop(l);
		for (unsigned i = 0; i < l->threads; i++)
			if (l->workers[i].created)
				pthread_join(l->workers[i].thread, NULL);
		rtlab_store_u64(&l->end_ns, rtlab_now_ns());
		__atomic_store_n(&l->joined, true, __ATOMIC_RELEASE);
	}
	rtlab_load_stats(l, &st);
	return st.error;
}

/* rtlab_load_stats - sum the slots. */
void rtlab_load_stats(const struct rtlab_load *l, struct rtlab_load_stats *ret)
{
	unsigned per = l->ops->slots ?: 1;
	bool joined = __atomic_load_n(&l->joined, __ATOMIC_ACQUIRE);
	uint64_t start = rtlab_load_u64(&l->start_ns);

	*ret = (struct rtlab_load_stats){ .workers = l->threads * per };
	if (start)
		ret->elapsed_ns = (joined ? rtlab_load_u64(&l->end_ns) : rtlab_now_ns()) - start;
	for (unsigned i = 0; i < l->threads; i++) {
		const struct load_worker *w = &l->workers[i];

		if (ret->error == 0 && joined)
			ret->error = w->error;
		for (unsigned k = 0; k < per; k++) {
			const struct load_slot *s = &w->slot[k];
			int e = __atomic_load_n(&s->error, __ATOMIC_RELAXED);

			ret->ops += rtlab_load_u64(&s->ops);
			ret->work_ns += rtlab_load_u64(&s->work_ns);
			ret->cpu_ns += rtlab_load_u64(&s->cpu_ns);
			if (ret->error == 0)
				ret->error = e;
		}
	}
}

/* rtlab_load_name - the load's name. */
const char *rtlab_load_name(const struct rtlab_load *l)
{
	return l->name;
}

/* rtlab_load_free - join and release everything. */
struct rtlab_load *rtlab_load_free(struct rtlab_load *l)
{
	if (!l)
		return NULL;
	rtlab_load_join(l);
	if (l->stop_fd >= 0)
		close(l->stop_fd);
	if (l->shared)
		munmap(l->shared, l->shared_size);
	free(l->workers);
	pthread_cond_destroy(&l->cond);
	pthread_mutex_destroy(&l->lock);
	free(l);
	return NULL;
}
