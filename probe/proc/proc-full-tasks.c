/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-full-tasks.c - ProcessFull's directories: open files, threads, children. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe-parse.h"
#include "proc/proc-full.h"
#include "proc/proc-parse.h"

/* dir_number - a directory entry's name as a non-negative number, or -1. */
static int64_t dir_number(const char *name)
{
	const char *p = name;
	uint64_t v;

	if (!pp_u64(&p, p + strlen(p), &v) || *p || v > INT32_MAX)
		return -1;
	return (int64_t)v;
}

/* full_dir - probe_dirfd_each on the subdirectory @name of the process; -errno. */
static int full_dir(struct full_cx *c, const char *name,
		    int (*fn)(const char *name, unsigned char type, void *arg))
{
	int fd = openat(c->dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -errno;
	r = probe_dirfd_each(fd, fn, c);
	close(fd);
	return r;
}

/* cmp_id - by the int32_t each list's items start with (fd, tid, pid). */
static int cmp_id(const void *a, const void *b)
{
	int32_t x, y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return (x > y) - (x < y);
}

/* fd_one - one fd: its link and its fdinfo. */
static int fd_one(const char *name, unsigned char type, void *arg)
{
	struct full_cx *c = arg;
	struct rtlab_proc_full *f = c->f;
	struct rtlab_proc_fd *fd;
	char rel[64], target[PATH_MAX];
	int64_t num = dir_number(name);
	ssize_t n;

	(void)type;
	if (num < 0)
		return 0;
	if (probe_grow((void **)&f->fds, &f->cap_fds, f->n_fds + 1, sizeof(*f->fds)) < 0)
		return -ENOMEM;
	fd = &f->fds[f->n_fds];
	memset(fd, 0, sizeof(*fd));
	fd->fd = (int32_t)num;
	snprintf(rel, sizeof(rel), "fd/%s", name);
	n = full_readlink(c, rel, target, sizeof(target));
	if (n == -ENOENT)
		return 0;	/* closed meanwhile */
	if (n < 0) {
		fd->target_st = probe_st_from_errno((int)n);
		PV_NA(fd->link_inode, fd->target_st);
	} else {
		fd->target = strdup(target);
		if (!fd->target)
			return -ENOMEM;
		fd->target_st = RTLAB_PV_OK;
		fd->kind = (uint8_t)proc_fd_classify(target, (size_t)n, &fd->link_inode);
	}
	f->n_fds++;
	snprintf(rel, sizeof(rel), "fdinfo/%s", name);
	n = full_read(c, rel, 0);
	if (n < 0) {
		uint8_t st = probe_st_from_errno((int)n);

		PV_NA(fd->pos, st);
		PV_NA(fd->flags, st);
		PV_NA(fd->mnt_id, st);
		PV_NA(fd->ino, st);
		return n == -ENOMEM ? -ENOMEM : 0;
	}
	proc_fdinfo_parse(c->buf, (size_t)n, fd);
	return 0;
}

/* full_fds - the fd directory (DENIED unless the caller may ptrace the process). */
int full_fds(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	int r = full_dir(c, "fd", fd_one);

	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		PV_NA(f->fd_count, full_src_failed(c, RTLAB_PROC_SRC_FD, "fd", r));
		return 0;
	}
	if (f->n_fds)
		qsort(f->fds, f->n_fds, sizeof(*f->fds), cmp_id);
	PV_SET(f->fd_count, f->n_fds);
	full_src(c, RTLAB_PROC_SRC_FD, RTLAB_PV_OK, "fd", 0);
	return 0;
}

/* thread_one - one thread's stat. */
static int thread_one(const char *name, unsigned char type, void *arg)
{
	struct full_cx *c = arg;
	struct rtlab_proc_full *f = c->f;
	struct rtlab_proc_thread *t;
	int64_t tid = dir_number(name);
	char rel[64];
	ssize_t n;

	(void)type;
	if (tid < 0)
		return 0;
	snprintf(rel, sizeof(rel), "task/%s/stat", name);
	n = full_read(c, rel, 0);
	if (n == -ENOMEM)
		return -ENOMEM;
	if (n == -ENOENT || n == -ESRCH)
		return 0;	/* ended meanwhile */
	if (probe_grow((void **)&f->threads, &f->cap_threads, f->n_threads + 1,
		       sizeof(*f->threads)) < 0)
		return -ENOMEM;
	t = &f->threads[f->n_threads++];
	t->tid = (int32_t)tid;
	if (n < 0)
		proc_stat_mark(&t->stat, probe_st_from_errno((int)n));
	else
		proc_stat_parse(c->buf, (size_t)n, &t->stat);
	return 0;
}

/* full_threads - task/<tid>/stat of each thread. */
int full_threads(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	int r = full_dir(c, "task", thread_one);

	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		full_src_failed(c, RTLAB_PROC_SRC_TASK, "task", r);
		return 0;
	}
	if (f->n_threads)
		qsort(f->threads, f->n_threads, sizeof(*f->threads), cmp_id);
	full_src(c, RTLAB_PROC_SRC_TASK, RTLAB_PV_OK, "task", 0);
	return 0;
}

/* child_add - append @pid to the children. */
static int child_add(struct rtlab_proc_full *f, int64_t pid)
{
	if (probe_grow((void **)&f->children, &f->cap_children, f->n_children + 1,
		       sizeof(*f->children)) < 0)
		return -ENOMEM;
	f->children[f->n_children++] = (int32_t)pid;
	return 0;
}

/* children_of_threads - task/<tid>/children (CONFIG_PROC_CHILDREN); -ENOENT without it. */
static int children_of_threads(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	char rel[64];

	for (uint32_t i = 0; i < f->n_threads; i++) {
		ssize_t n;
		const char *p, *end;
		uint64_t pid;

		snprintf(rel, sizeof(rel), "task/%d/children", (int)f->threads[i].tid);
		n = full_read(c, rel, 0);
		if (n < 0 && (i == 0 || n == -ENOMEM))
			return (int)n;
		for (p = c->buf, end = c->buf + (n > 0 ? n : 0); pp_u64(&p, end, &pid);)
			if (pid <= INT32_MAX && child_add(f, (int64_t)pid) < 0)
				return -ENOMEM;
	}
	return 0;
}

/* The scan of /proc for processes whose parent is the one read. */
struct scan_arg {
	struct full_cx *c;
	int proc_fd;
	int err;
};

/* scan_one - one /proc entry: a child if its stat's ppid is ours. */
static int scan_one(const char *name, unsigned char type, void *arg)
{
	struct scan_arg *a = arg;
	struct rtlab_proc_stat st;
	char rel[64], buf[2048];
	int64_t pid = dir_number(name);
	ssize_t n;
	int fd;

	(void)type;
	if (pid <= 0)
		return 0;
	snprintf(rel, sizeof(rel), "%s/stat", name);
	fd = openat(a->proc_fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = pread(fd, buf, sizeof(buf), 0);
	close(fd);
	if (n <= 0 || proc_stat_parse(buf, (size_t)n, &st) < 0 || st.ppid.st != RTLAB_PV_OK)
		return 0;
	if (st.ppid.v == a->c->f->pid && child_add(a->c->f, pid) < 0)
		return -ENOMEM;
	return 0;
}

/* children_by_scan - every process of /proc whose parent is ours (without CONFIG_PROC_CHILDREN). */
static int children_by_scan(struct full_cx *c)
{
	struct scan_arg a = { .c = c };
	char path[PATH_MAX];
	int r = probe_path(c->p, "/proc", path, sizeof(path));

	if (r < 0)
		return r;
	a.proc_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a.proc_fd < 0)
		return -errno;
	r = probe_dirfd_each(a.proc_fd, scan_one, &a);
	close(a.proc_fd);
	return r;
}

/* full_children - the children of every thread, or a scan of /proc. */
int full_children(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	int r = f->n_threads ? children_of_threads(c) : -ENOENT;

	if (r == -ENOENT) {
		f->n_children = 0;
		r = children_by_scan(c);
	}
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		full_src_failed(c, RTLAB_PROC_SRC_CHILDREN, "task/*/children", r);
		return 0;
	}
	if (f->n_children)
		qsort(f->children, f->n_children, sizeof(*f->children), cmp_id);
	full_src(c, RTLAB_PROC_SRC_CHILDREN, RTLAB_PV_OK, "task/*/children", 0);
	return 0;
}
