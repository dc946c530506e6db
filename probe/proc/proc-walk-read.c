/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-walk-read.c - the walk's reading of one process, and of the table's header. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpu/cpu-parse.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"
#include "proc/proc-walk.h"

static const char *const wf_names[WF__COUNT] = {
	[WF_STAT] = "stat",	[WF_STATM] = "statm",	  [WF_STATUS] = "status",
	[WF_IO] = "io",		[WF_CMDLINE] = "cmdline", [WF_FDDIR] = "fd",
};

/* The groups of an entry that are per-process reads. */
#define ENTRY_GROUPS                                                                       \
	(RTLAB_PROC_W_STATM | RTLAB_PROC_W_STATUS | RTLAB_PROC_W_IO | RTLAB_PROC_W_CMDLINE | \
	 RTLAB_PROC_W_FDS | RTLAB_PROC_W_OWNER)

/* slot_fd - the fd of file @k of @s: kept, or opened now (and kept if the budget allows). */
static int slot_fd(struct rtlab_proc_walker *w, struct walk_slot *s, enum walk_file k, bool *kept)
{
	char rel[40];
	int fd;

	*kept = s->fd[k] >= 0;
	if (*kept)
		return s->fd[k];
	walk_pid_path(rel, sizeof(rel), s->pid, wf_names[k]);
	fd = openat(w->proc_fd, rel,
		    O_RDONLY | O_CLOEXEC | O_NOCTTY | (k == WF_FDDIR ? O_DIRECTORY : 0));
	if (fd < 0)
		return -errno;
	if (w->fds_kept < w->fd_budget) {
		s->fd[k] = fd;
		w->fds_kept++;
		*kept = true;
	}
	return fd;
}

/* slot_done - after a use of @fd: close it if it is not kept, or if @drop. */
static void slot_done(struct rtlab_proc_walker *w, struct walk_slot *s, enum walk_file k, int fd,
		      bool kept, bool drop)
{
	if (!kept) {
		close(fd);
	} else if (drop) {
		close(fd);
		s->fd[k] = -1;
		w->fds_kept--;
	}
}

/*
 * slot_read - file @k of @s into @buf with one pread.  A kept fd of a process
 * that ended answers ESRCH: the pid is opened again once (it may be reused).
 */
static ssize_t slot_read(struct rtlab_proc_walker *w, struct walk_slot *s, enum walk_file k,
			 char *buf, size_t size)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		bool fresh = s->fd[k] < 0, kept;
		int fd = slot_fd(w, s, k, &kept);
		ssize_t n;
		int err;

		if (fd < 0)
			return fd;
		do
			n = pread(fd, buf, size, 0);
		while (n < 0 && errno == EINTR);
		err = n < 0 ? errno : 0;
		slot_done(w, s, k, fd, kept, n < 0);
		if (n >= 0)
			return n;
		if (err != ESRCH || fresh)
			return -err;
	}
	return -ESRCH;
}

/* count_one - probe_dirfd_each callback counting entries. */
static int count_one(const char *name, unsigned char type, void *arg)
{
	(void)name;
	(void)type;
	(*(uint64_t *)arg)++;
	return 0;
}

/* slot_count_fds - the entries of /proc/<pid>/fd. */
static int slot_count_fds(struct rtlab_proc_walker *w, struct walk_slot *s, uint64_t *n)
{
	bool kept;
	int fd = slot_fd(w, s, WF_FDDIR, &kept);
	int r;

	if (fd < 0)
		return fd;
	*n = 0;
	r = probe_dirfd_each(fd, count_one, n);
	slot_done(w, s, WF_FDDIR, fd, kept, r < 0);
	return r;
}

/* group_mark - the fields of group @g of @e in state @st. */
static void group_mark(uint32_t g, struct rtlab_proc_entry *e, uint8_t st)
{
	switch (g) {
	case RTLAB_PROC_W_STATM:
		proc_statm_mark(&e->statm, st);
		break;
	case RTLAB_PROC_W_STATUS:
		proc_status_mark(&e->status, st);
		break;
	case RTLAB_PROC_W_IO:
		proc_io_mark(&e->io, st);
		break;
	case RTLAB_PROC_W_CMDLINE:
		e->cmdline[0] = '\0';
		e->cmdline_len = 0;
		e->cmdline_truncated = false;
		e->cmdline_st = st;
		break;
	case RTLAB_PROC_W_FDS:
		PV_NA(e->fd_count, st);
		break;
	case RTLAB_PROC_W_OWNER:
		PV_NA(e->owner_uid, st);
		PV_NA(e->owner_gid, st);
		break;
	}
}

/* group_parse - the content of group @g's file into @e; 0 or -EBADMSG. */
static int group_parse(uint32_t g, const char *buf, size_t n, struct rtlab_proc_entry *e)
{
	switch (g) {
	case RTLAB_PROC_W_STATM:
		return proc_statm_parse(buf, n, &e->statm);
	case RTLAB_PROC_W_STATUS:
		return proc_status_parse(buf, n, &e->status);
	case RTLAB_PROC_W_IO:
		return proc_io_parse(buf, n, &e->io);
	default:
		/* The command line: raw, bounded, without its last NUL. */
		e->cmdline_truncated = n >= RTLAB_PROC_CMDLINE_MAX;
		if (n >= RTLAB_PROC_CMDLINE_MAX)
			n = RTLAB_PROC_CMDLINE_MAX - 1;
		memcpy(e->cmdline, buf, n);
		if (n && !e->cmdline_truncated && buf[n - 1] == '\0')
			n--;
		e->cmdline[n] = '\0';
		e->cmdline_len = (uint16_t)n;
		e->cmdline_st = RTLAB_PV_OK;
		return 0;
	}
}

/* The file of each group read with slot_read. */
static const struct {
	uint32_t group;
	enum walk_file file;
} group_files[] = {
	{ RTLAB_PROC_W_STATM, WF_STATM },
	{ RTLAB_PROC_W_STATUS, WF_STATUS },
	{ RTLAB_PROC_W_IO, WF_IO },
	{ RTLAB_PROC_W_CMDLINE, WF_CMDLINE },
};

/* entry_failed - group @g of @e could not be read: error @err on @file. */
static void entry_failed(struct rtlab_proc_table *t, struct rtlab_proc_entry *e, uint32_t g,
			 const char *file, int err)
{
	group_mark(g, e, probe_st_from_errno(err));
	walk_why(t, "/proc/%d/%s: %s", (int)e->pid, file, strerror(err < 0 ? -err : err));
}

/* entry_groups - the optional groups of @e: read those asked for, mark the others absent. */
static void entry_groups(struct rtlab_proc_walker *w, struct walk_slot *s, uint32_t fields,
			 struct rtlab_proc_entry *e, struct rtlab_proc_table *t)
{
	uint32_t absent = ~fields & ENTRY_GROUPS;
	uint32_t todo = absent & ~e->marked_absent;
	struct stat sb;
	uint64_t nfd;
	int r;

	for (uint32_t g = 1; g & ENTRY_GROUPS; g <<= 1)
		if (todo & g)
			group_mark(g, e, RTLAB_PV_ABSENT);
	e->marked_absent = absent;
	for (size_t i = 0; i < sizeof(group_files) / sizeof(group_files[0]); i++) {
		uint32_t g = group_files[i].group;
		enum walk_file k = group_files[i].file;
		size_t size = sizeof(w->buf) - 1;
		ssize_t n;

		if (!(fields & g))
			continue;
		if (g == RTLAB_PROC_W_CMDLINE)
			size = RTLAB_PROC_CMDLINE_MAX;
		n = slot_read(w, s, k, w->buf, size);
		if (n < 0)
			entry_failed(t, e, g, wf_names[k], (int)n);
		else if (group_parse(g, w->buf, (size_t)n, e) < 0)
			walk_why(t, "/proc/%d/%s: malformed", (int)e->pid, wf_names[k]);
	}
	if (fields & RTLAB_PROC_W_FDS) {
		r = slot_count_fds(w, s, &nfd);
		if (r < 0)
			entry_failed(t, e, RTLAB_PROC_W_FDS, "fd", r);
		else
			PV_SET(e->fd_count, nfd);
	}
	if (fields & RTLAB_PROC_W_OWNER) {
		char rel[16];

		walk_pid_path(rel, sizeof(rel), s->pid, "");
		if (fstatat(w->proc_fd, rel, &sb, 0) < 0) {
			entry_failed(t, e, RTLAB_PROC_W_OWNER, "", errno);
		} else {
			PV_SET(e->owner_uid, sb.st_uid);
			PV_SET(e->owner_gid, sb.st_gid);
		}
	}
}

/* pct - @num / @den x 100 into @out, or @out in state @st when it cannot be computed. */
static void pct(struct rtlab_pf64 *out, bool ok, double num, double den, uint8_t st)
{
	if (ok && den > 0)
		PV_SET(*out, num / den * 100.0);
	else
		PV_NA(*out, ok ? RTLAB_PV_NOT_READY : st);
}

/* worst - the first state of @a and @b that is not OK (OK if both are). */
static uint8_t worst(uint8_t a, uint8_t b)
{
	return a != RTLAB_PV_OK ? a : b;
}

/* entry_cpu - CPU ticks and % of @e, pid reuse detected by the start time. */
static void entry_cpu(struct walk_slot *s, struct rtlab_proc_entry *e,
		      const struct rtlab_proc_table *t, long hz)
{
	const struct rtlab_proc_stat *st = &e->stat;
	uint64_t ticks = st->utime_ticks.v + st->stime_ticks.v;
	bool ok = st->utime_ticks.st == RTLAB_PV_OK && st->stime_ticks.st == RTLAB_PV_OK;

	e->is_new = !s->have_start;
	if (st->starttime_ticks.st == RTLAB_PV_OK) {
		if (s->have_start && s->start_ticks != st->starttime_ticks.v) {
			/* Another process with the same pid: no previous reading. */
			e->is_new = true;
			s->have_prev = false;
		}
		s->start_ticks = st->starttime_ticks.v;
		s->have_start = true;
	}
	if (ok)
		PV_SET(e->cpu_ticks, ticks);
	else
		PV_NA(e->cpu_ticks, worst(st->utime_ticks.st, st->stime_ticks.st));
	if (ok && s->have_prev && t->interval_ns && ticks >= s->prev_ticks)
		PV_SET(e->cpu_pct, (double)(ticks - s->prev_ticks) / (double)hz /
					   ((double)t->interval_ns / 1e9) * 100.0);
	else
		PV_NA(e->cpu_pct, ok ? RTLAB_PV_NOT_READY : e->cpu_ticks.st);
	s->prev_ticks = ticks;
	s->have_prev = ok;
}

/* entry_basic - the values derived from stat, and the table's counts. */
static void entry_basic(struct rtlab_proc_walker *w, struct walk_slot *s,
			struct rtlab_proc_entry *e, struct rtlab_proc_table *t)
{
	const struct rtlab_proc_stat *st = &e->stat;
	bool ok;

	entry_cpu(s, e, t, w->hz);
	if (st->rss_pages.st == RTLAB_PV_OK && (int64_t)st->rss_pages.v >= 0)
		PV_SET(e->rss_bytes, st->rss_pages.v * (uint64_t)w->page_size);
	else
		PV_NA(e->rss_bytes, worst(st->rss_pages.st, RTLAB_PV_MALFORMED));
	ok = e->rss_bytes.st == RTLAB_PV_OK && w->mem_total.st == RTLAB_PV_OK;
	pct(&e->mem_pct, ok, (double)e->rss_bytes.v, (double)w->mem_total.v,
	    worst(e->rss_bytes.st, w->mem_total.st));
	if (w->btime.st == RTLAB_PV_OK && st->starttime_ticks.st == RTLAB_PV_OK)
		PV_SET(e->start_unix_s,
		       (double)w->btime.v + (double)st->starttime_ticks.v / (double)w->hz);
	else
		PV_NA(e->start_unix_s, worst(w->btime.st, st->starttime_ticks.st));
	if (st->state_st == RTLAB_PV_OK)
		t->by_state[rtlab_proc_state_index(st->state)]++;
	if (st->num_threads.st == RTLAB_PV_OK && (int64_t)st->num_threads.v > 0)
		t->threads.v += st->num_threads.v;
}

/* What thread_one() needs: the walker's buffer, the table's counts, the task directory. */
struct thread_arg {
	struct rtlab_proc_walker *w;
	struct rtlab_proc_table *t;
	int32_t pid;
	int task_fd;
};

/* thread_one - count the state of one thread (not the leader) of the process. */
static int thread_one(const char *name, unsigned char type, void *arg)
{
	struct thread_arg *a = arg;
	char rel[40];
	const char *p = name;
	uint64_t tid;
	ssize_t n;
	int fd;

	(void)type;
	if (!pp_u64(&p, p + strlen(p), &tid) || *p || tid == (uint64_t)a->pid)
		return 0;
	walk_pid_path(rel, sizeof(rel), (int32_t)tid, "stat");
	fd = openat(a->task_fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* the thread ended */
	n = pread(fd, a->w->buf, sizeof(a->w->buf), 0);
	close(fd);
	if (n > 0)
		a->t->thread_by_state[rtlab_proc_state_index(proc_stat_state(a->w->buf,
									       (size_t)n))].v++;
	return 0;
}

/* entry_threads - the states of @e's threads (the leader's from its stat). */
static void entry_threads(struct rtlab_proc_walker *w, struct rtlab_proc_entry *e,
			  struct rtlab_proc_table *t)
{
	struct thread_arg a = { .w = w, .t = t, .pid = e->pid };
	char rel[24];

	if (e->stat.state_st == RTLAB_PV_OK)
		t->thread_by_state[rtlab_proc_state_index(e->stat.state)].v++;
	if (e->stat.num_threads.st != RTLAB_PV_OK || (int64_t)e->stat.num_threads.v <= 1)
		return;
	walk_pid_path(rel, sizeof(rel), e->pid, "task");
	a.task_fd = openat(w->proc_fd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a.task_fd < 0)
		return;
	probe_dirfd_each(a.task_fd, thread_one, &a);
	close(a.task_fd);
}

/* walk_read_one - stat, the derived values, the asked groups. */
int walk_read_one(struct rtlab_proc_walker *w, struct walk_slot *s, uint32_t fields,
		  struct rtlab_proc_entry *e, struct rtlab_proc_table *t)
{
	ssize_t n = slot_read(w, s, WF_STAT, w->buf, sizeof(w->buf) - 1);

	if (n == -ENOENT || n == -ESRCH)
		return -ESRCH;
	e->pid = s->pid;
	if (n < 0) {
		proc_stat_mark(&e->stat, probe_st_from_errno((int)n));
		walk_why(t, "/proc/%d/stat: %s", (int)s->pid, strerror((int)-n));
	} else if (proc_stat_parse(w->buf, (size_t)n, &e->stat) < 0) {
		walk_why(t, "/proc/%d/stat:1: malformed", (int)s->pid);
	}
	entry_basic(w, s, e, t);
	entry_groups(w, s, fields, e, t);
	if (fields & RTLAB_PROC_W_THREADS)
		entry_threads(w, e, t);
	return 0;
}
