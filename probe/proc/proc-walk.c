/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc-walk.c - the process walk: list /proc, keep each process's files
 * open, and re-read them with pread on every walk.
 *
 * The known processes are slots sorted by pid.  A walk lists /proc (only
 * when a task may have started since the last listing), merges the listing
 * into the slots (closing those of processes that ended, opening nothing yet
 * for new ones), then reads every slot; a process that ends meanwhile is
 * left out.  The arrays only grow, so a stable set of processes costs no
 * allocation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cpu/cpu-parse.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"
#include "proc/proc-walk.h"

/* /proc is listed again at least this often, even if no new pid was seen. */
#define RESCAN_NS RTLAB_NSEC_PER_SEC
/* Per-process fds kept open leave this many of RLIMIT_NOFILE to the rest of the program. */
#define FD_RESERVE 256

/* walk_why - the first problem of the walk, kept. */
void walk_why(struct rtlab_proc_table *t, const char *fmt, ...)
{
	va_list ap;

	if (t->why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
}

/* walk_pid_path - "<pid>/<name>" without printf (it is done for every new process). */
void walk_pid_path(char *buf, size_t size, int32_t pid, const char *name)
{
	char digits[12];
	size_t n = 0, len = 0;
	uint32_t v = pid < 0 ? 0 : (uint32_t)pid;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof(digits));
	while (n && len + 1 < size)
		buf[len++] = digits[--n];
	if (len + 1 < size)
		buf[len++] = '/';
	for (; *name && len + 1 < size; name++)
		buf[len++] = *name;
	buf[len] = '\0';
}

/* fd_budget - how many per-process fds the walker may keep open. */
static size_t fd_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 1024;
	if (rl.rlim_cur > 2 * FD_RESERVE)
		return (size_t)rl.rlim_cur - FD_RESERVE;
	return (size_t)rl.rlim_cur / 2;
}

/* walker_btime - the boot time from /proc/stat's btime line. */
static void walker_btime(struct rtlab_proc_walker *w)
{
	ssize_t n = probe_src_read(w->p, &w->stat);
	uint64_t bt;

	if (n < 0)
		PV_NA(w->btime, probe_st_from_errno((int)n));
	else if (proc_btime_parse(w->stat.buf, (size_t)n, &bt) < 0)
		PV_NA(w->btime, RTLAB_PV_MALFORMED);
	else
		PV_SET(w->btime, bt);
}

/* rtlab_proc_walker_new - open <root>/proc; nothing else is read until the first walk. */
int rtlab_proc_walker_new(struct rtlab_probe *p, struct rtlab_proc_walker **ret)
{
	struct rtlab_proc_walker *w;
	struct rtlab_proc_table t = { 0 };
	char path[PATH_MAX];
	int fd, r;

	if (!p || !ret)
		return -EINVAL;
	r = probe_path(p, "/proc", path, sizeof(path));
	if (r < 0)
		return r;
	/* Opened first: a tree without /proc costs no allocation, however often it is tried. */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = calloc(1, sizeof(*w));
	if (!w) {
		close(fd);
		return -ENOMEM;
	}
	w->p = p;
	w->proc_fd = fd;
	w->live = probe_root(p)[0] == '\0';
	w->page_size = sysconf(_SC_PAGESIZE);
	w->hz = sysconf(_SC_CLK_TCK);
	if (w->page_size <= 0)
		w->page_size = 4096;
	if (w->hz <= 0)
		w->hz = 100;
	w->fd_budget = fd_budget();
	probe_src_init(&w->loadavg, "/proc/loadavg");
	probe_src_init(&w->meminfo, "/proc/meminfo");
	probe_src_init(&w->stat, "/proc/stat");
	probe_src_init(&w->uptime, "/proc/uptime");
	walker_btime(w);
	walk_meminfo(w, &t);
	*ret = w;
	return 0;
}

/* walk_slot_close - close the kept fds of @s. */
void walk_slot_close(struct rtlab_proc_walker *w, struct walk_slot *s)
{
	for (size_t i = 0; i < WF__COUNT; i++) {
		if (s->fd[i] >= 0) {
			close(s->fd[i]);
			s->fd[i] = -1;
			w->fds_kept--;
		}
	}
}

/* rtlab_proc_walker_free - close every kept fd. */
struct rtlab_proc_walker *rtlab_proc_walker_free(struct rtlab_proc_walker *w)
{
	if (!w)
		return NULL;
	for (size_t i = 0; i < w->nslots; i++)
		walk_slot_close(w, &w->slots[i]);
	close(w->proc_fd);
	probe_src_close(&w->loadavg);
	probe_src_close(&w->meminfo);
	probe_src_close(&w->stat);
	probe_src_close(&w->uptime);
	free(w->slots);
	free(w->next);
	free(w->pids);
	free(w);
	return NULL;
}

/* rtlab_proc_table_release - free the entries. */
void rtlab_proc_table_release(struct rtlab_proc_table *t)
{
	if (!t)
		return;
	free(t->procs);
	t->procs = NULL;
	t->count = 0;
	t->cap = 0;
}

/*
 * grow - probe_grow with room to spare (half as much again, and 64), so that
 * processes starting in bursts (a build, a test run) do not reallocate.
 */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	return n <= *cap ? 0 : probe_grow(arr, cap, n + n / 2 + 64, size);
}

/* list_one - a /proc entry: keep the names that are pids. */
static int list_one(const char *name, unsigned char type, void *arg)
{
	struct rtlab_proc_walker *w = arg;
	const char *p = name;
	uint64_t pid;

	(void)type;
	if (*p < '1' || *p > '9' || !pp_u64(&p, p + strlen(p), &pid) || *p || pid > INT32_MAX)
		return 0;
	if (grow((void **)&w->pids, &w->cap_pids, w->npids + 1, sizeof(*w->pids)) < 0)
		return -ENOMEM;
	if (w->npids && w->pids[w->npids - 1] > (int32_t)pid)
		w->pids_sorted = false;
	w->pids[w->npids++] = (int32_t)pid;
	return 0;
}

/* sift_down - heap sort's step on @a[0..n). */
static void sift_down(int32_t *a, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		int32_t tmp;

		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[i] >= a[c])
			return;
		tmp = a[i];
		a[i] = a[c];
		a[c] = tmp;
		i = c;
	}
}

/* sort_pids - in place, without allocating (procfs lists in order; other trees may not). */
static void sort_pids(int32_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n; end > 1; end--) {
		int32_t tmp = a[0];

		a[0] = a[end - 1];
		a[end - 1] = tmp;
		sift_down(a, 0, end - 1);
	}
}

/* new_slot - a process seen for the first time: nothing open, no previous reading. */
static struct walk_slot new_slot(int32_t pid)
{
	struct walk_slot s = { .pid = pid };

	for (size_t i = 0; i < WF__COUNT; i++)
		s.fd[i] = -1;
	return s;
}

/* merge - the sorted listing into the sorted slots: keep, add, and drop (closing). */
static void merge(struct rtlab_proc_walker *w)
{
	size_t i = 0, j = 0, k = 0;
	struct walk_slot *tmp;

	while (i < w->nslots || j < w->npids) {
		if (j == w->npids || (i < w->nslots && w->slots[i].pid < w->pids[j])) {
			walk_slot_close(w, &w->slots[i++]);
		} else if (i == w->nslots || w->pids[j] < w->slots[i].pid) {
			w->next[k++] = new_slot(w->pids[j++]);
		} else {
			w->next[k++] = w->slots[i++];
			j++;
		}
	}
	/* Swap the arrays; the capacities follow them. */
	tmp = w->slots;
	w->slots = w->next;
	w->next = tmp;
	i = w->cap_slots;
	w->cap_slots = w->cap_next;
	w->cap_next = i;
	w->nslots = k;
}

/*
 * need_listing - whether a task may have started since /proc was last
 * listed: on the live system, /proc/loadavg's last allocated pid tells
 * (read before listing, so a task that starts during the listing moves it
 * again); on a fixture tree, always.
 */
static bool need_listing(struct rtlab_proc_walker *w, uint64_t now,
			 const struct rtlab_probe_load *l)
{
	bool moved = true;

	if (l && l->last_pid.st == RTLAB_PV_OK) {
		moved = !w->have_last_pid || l->last_pid.v != w->last_pid;
		w->last_pid = l->last_pid.v;
		w->have_last_pid = true;
	} else {
		w->have_last_pid = false;
	}
	return moved || !w->live || !w->scan_t_ns || now - w->scan_t_ns >= RESCAN_NS;
}

/* list - list /proc and merge the listing into the slots. */
static int list(struct rtlab_proc_walker *w, uint64_t now)
{
	int r;

	w->npids = 0;
	w->pids_sorted = true;
	r = probe_dirfd_each(w->proc_fd, list_one, w);
	if (r < 0)
		return r;
	if (!w->pids_sorted)
		sort_pids(w->pids, w->npids);
	if (grow((void **)&w->next, &w->cap_next, w->nslots + w->npids, sizeof(*w->next)) < 0)
		return -ENOMEM;
	merge(w);
	w->scan_t_ns = now;
	return 0;
}

/* walk_start - reset the table's counts for a walk of @fields at @now. */
static void walk_start(struct rtlab_proc_walker *w, uint32_t fields, uint64_t now,
		       struct rtlab_proc_table *t)
{
	t->why[0] = '\0';
	t->fields = fields;
	t->t_ns = now;
	t->interval_ns = w->prev_t_ns ? now - w->prev_t_ns : 0;
	memset(t->by_state, 0, sizeof(t->by_state));
	PV_SET(t->threads, 0);
	for (size_t i = 0; i < RTLAB_PROC_NSTATES; i++) {
		if (fields & RTLAB_PROC_W_THREADS)
			PV_SET(t->thread_by_state[i], 0);
		else
			PV_NA(t->thread_by_state[i], RTLAB_PV_ABSENT);
	}
}

/* rtlab_proc_walk - list if needed, then read every known process. */
int rtlab_proc_walk(struct rtlab_proc_walker *w, uint32_t fields, struct rtlab_proc_table *t)
{
	uint64_t now = rtlab_now_ns();
	struct rtlab_probe_load load;
	const struct rtlab_probe_load *l = NULL;
	size_t k = 0;
	int r;

	if (!w || !t)
		return -EINVAL;
	walk_start(w, fields, now, t);
	if (w->live || (fields & RTLAB_PROC_W_SYSTEM)) {
		ssize_t n = probe_src_read(w->p, &w->loadavg);

		if (n >= 0) {
			load_parse(w->loadavg.buf, (size_t)n, &load);
			l = &load;
		} else if (fields & RTLAB_PROC_W_SYSTEM) {
			walk_why(t, "%s: %s", w->loadavg.path, strerror((int)-n));
		}
	}
	t->rescanned = need_listing(w, now, l);
	if (t->rescanned) {
		r = list(w, now);
		if (r < 0) {
			walk_why(t, "/proc: %s", strerror(-r));
			t->count = 0;
			return r;
		}
	}
	walk_system(w, fields, t, l);
	if (grow((void **)&t->procs, &t->cap, w->nslots, sizeof(*t->procs)) < 0) {
		t->count = 0;
		return -ENOMEM;
	}
	for (size_t i = 0; i < w->nslots; i++) {
		struct walk_slot *s = &w->slots[i];

		if (walk_read_one(w, s, fields, &t->procs[k], t) < 0) {
			walk_slot_close(w, s);
			continue;
		}
		w->slots[k++] = *s;
	}
	w->nslots = k;
	t->count = k;
	w->prev_t_ns = now;
	t->walk_ns = rtlab_now_ns() - now;
	return 0;
}
