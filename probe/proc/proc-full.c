/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc-full.c - ProcessFull: every file of /proc/<pid> about one process,
 * read through one directory fd (so a pid reused meanwhile answers ESRCH
 * instead of mixing two processes), each file's failure kept with its reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe-parse.h"
#include "proc/proc-full.h"
#include "proc/proc-parse.h"

/* read_all - the rest of @fd (at most @max bytes, 0: all) into c->buf, growing it; closes @fd. */
static ssize_t read_all(struct full_cx *c, int fd, size_t max)
{
	size_t len = 0;
	int err = 0;

	for (;;) {
		size_t room;
		ssize_t n;

		if (len + 1 >= c->cap) {
			size_t ncap = c->cap ? c->cap * 2 : 4096;
			char *nb = realloc(c->buf, ncap);

			if (!nb) {
				err = ENOMEM;
				break;
			}
			c->buf = nb;
			c->cap = ncap;
		}
		room = c->cap - 1 - len;
		if (max && max - len < room)
			room = max - len;
		n = read(fd, c->buf + len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			break;
		}
		len += (size_t)n;
		if (n == 0 || (max && len >= max))
			break;
	}
	close(fd);
	if (err)
		return -err;
	c->buf[len] = '\0';
	return (ssize_t)len;
}

/* full_read - a file of the process's directory into c->buf. */
ssize_t full_read(struct full_cx *c, const char *name, size_t max)
{
	int fd = openat(c->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	return fd < 0 ? -errno : read_all(c, fd, max);
}

/* full_read_sys - a system file (path below the probe's root) into c->buf. */
static ssize_t full_read_sys(struct full_cx *c, const char *path)
{
	char full[PATH_MAX];
	int fd, r = probe_path(c->p, path, full, sizeof(full));

	if (r < 0)
		return r;
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : read_all(c, fd, 0);
}

/* full_src - set the state and reason of a source. */
void full_src(struct full_cx *c, enum rtlab_proc_src s, uint8_t st, const char *name, int err)
{
	struct rtlab_proc_srcinfo *si = &c->f->src[s];

	si->st = st;
	if (st == RTLAB_PV_OK)
		si->why[0] = '\0';
	else if (err)
		snprintf(si->why, sizeof(si->why), "/proc/%d/%s: %s", (int)c->f->pid, name,
			 strerror(err < 0 ? -err : err));
	else
		snprintf(si->why, sizeof(si->why), "/proc/%d/%s: %s", (int)c->f->pid, name,
			 rtlab_pv_state_name(st));
}

/* full_src_failed - the source failed with -@err: its state, recorded with the reason. */
uint8_t full_src_failed(struct full_cx *c, enum rtlab_proc_src s, const char *name, int err)
{
	uint8_t st = probe_st_from_errno(err);

	full_src(c, s, st, name, err);
	return st;
}

/* full_readlink - readlinkat below the process's directory. */
ssize_t full_readlink(struct full_cx *c, const char *name, char *buf, size_t size)
{
	ssize_t n = readlinkat(c->dirfd, name, buf, size - 1);

	if (n < 0) {
		buf[0] = '\0';
		return -errno;
	}
	buf[n] = '\0';
	return n;
}

/* A file parsed into a part of ProcessFull. */
struct full_file {
	enum rtlab_proc_src src;
	const char *name;
};

/* parse_src - source @s's content into its part of @f; 0 or -EBADMSG. */
static int parse_src(enum rtlab_proc_src s, const char *buf, size_t len, struct rtlab_proc_full *f)
{
	struct rtlab_pu64 v[3];
	int r;

	switch (s) {
	case RTLAB_PROC_SRC_STATUS:
		return proc_status_parse(buf, len, &f->status);
	case RTLAB_PROC_SRC_STATM:
		return proc_statm_parse(buf, len, &f->statm);
	case RTLAB_PROC_SRC_IO:
		return proc_io_parse(buf, len, &f->io);
	case RTLAB_PROC_SRC_SMAPS_ROLLUP:
		return proc_smaps_parse(buf, len, &f->smaps);
	case RTLAB_PROC_SRC_LIMITS:
		return proc_limits_parse(buf, len, &f->limits);
	case RTLAB_PROC_SRC_OOM_SCORE:
		return proc_i64_parse(buf, len, &f->oom_score);
	case RTLAB_PROC_SRC_OOM_SCORE_ADJ:
		return proc_i64_parse(buf, len, &f->oom_score_adj);
	default:
		r = proc_schedstat_parse(buf, len, v);
		f->sched_run_ns = v[0];
		f->sched_wait_ns = v[1];
		f->sched_timeslices = v[2];
		return r;
	}
}

/* mark_src - source @s's part of @f in state @st. */
static void mark_src(enum rtlab_proc_src s, struct rtlab_proc_full *f, uint8_t st)
{
	switch (s) {
	case RTLAB_PROC_SRC_STATUS:
		proc_status_mark(&f->status, st);
		break;
	case RTLAB_PROC_SRC_STATM:
		proc_statm_mark(&f->statm, st);
		break;
	case RTLAB_PROC_SRC_IO:
		proc_io_mark(&f->io, st);
		break;
	case RTLAB_PROC_SRC_SMAPS_ROLLUP:
		proc_smaps_mark(&f->smaps, st);
		break;
	case RTLAB_PROC_SRC_LIMITS:
		f->limits.count = 0;
		break;
	case RTLAB_PROC_SRC_OOM_SCORE:
		PV_NA(f->oom_score, st);
		break;
	case RTLAB_PROC_SRC_OOM_SCORE_ADJ:
		PV_NA(f->oom_score_adj, st);
		break;
	default:
		PV_NA(f->sched_run_ns, st);
		PV_NA(f->sched_wait_ns, st);
		PV_NA(f->sched_timeslices, st);
		break;
	}
}

/* full_parse - read source @s's file and hand it to its parser (marking on failure). */
static void full_parse(struct full_cx *c, enum rtlab_proc_src s, const char *name)
{
	ssize_t n = full_read(c, name, 0);

	if (n < 0) {
		mark_src(s, c->f, full_src_failed(c, s, name, (int)n));
		return;
	}
	full_src(c, s, parse_src(s, c->buf, (size_t)n, c->f) < 0 ? RTLAB_PV_MALFORMED : RTLAB_PV_OK,
		 name, 0);
}

static const struct full_file parsed_files[] = {
	{ RTLAB_PROC_SRC_STATUS, "status" },
	{ RTLAB_PROC_SRC_STATM, "statm" },
	{ RTLAB_PROC_SRC_IO, "io" },
	{ RTLAB_PROC_SRC_SMAPS_ROLLUP, "smaps_rollup" },
	{ RTLAB_PROC_SRC_LIMITS, "limits" },
	{ RTLAB_PROC_SRC_OOM_SCORE, "oom_score" },
	{ RTLAB_PROC_SRC_OOM_SCORE_ADJ, "oom_score_adj" },
	{ RTLAB_PROC_SRC_SCHEDSTAT, "schedstat" },
};

/* full_line - a one-line text file without its newline (comm, attr/current) into @out. */
static void full_line(struct full_cx *c, enum rtlab_proc_src s, const char *name, char *out,
		      size_t size, uint8_t *st)
{
	ssize_t n = full_read(c, name, size);

	if (n < 0) {
		out[0] = '\0';
		*st = full_src_failed(c, s, name, (int)n);
		return;
	}
	while (n > 0 && (c->buf[n - 1] == '\n' || c->buf[n - 1] == '\0'))
		n--;
	pp_copy(out, size, c->buf, (size_t)n);
	*st = RTLAB_PV_OK;
	full_src(c, s, RTLAB_PV_OK, name, 0);
}

/* full_links - exe, cwd, root. */
static void full_links(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	struct {
		enum rtlab_proc_src src;
		const char *name;
		char *buf;
		uint8_t *st;
	} links[] = {
		{ RTLAB_PROC_SRC_EXE, "exe", f->exe, &f->exe_st },
		{ RTLAB_PROC_SRC_CWD, "cwd", f->cwd, &f->cwd_st },
		{ RTLAB_PROC_SRC_ROOT, "root", f->root, &f->root_st },
	};

	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		ssize_t n = full_readlink(c, links[i].name, links[i].buf, sizeof(f->exe));

		if (n < 0) {
			*links[i].st = full_src_failed(c, links[i].src, links[i].name, (int)n);
		} else {
			*links[i].st = RTLAB_PV_OK;
			full_src(c, links[i].src, RTLAB_PV_OK, links[i].name, 0);
		}
	}
}

/* The kernel's struct sched_attr (include/uapi/linux/sched/types.h), with the clamps. */
struct full_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

#define SCHED_ATTR_SIZE_VER0 48

/* full_sched_mark - the sched_getattr() fields in state @st. */
static void full_sched_mark(struct rtlab_proc_sched *s, uint8_t st)
{
	struct rtlab_pu64 *u[] = { &s->policy,	    &s->flags,	     &s->priority, &s->runtime_ns,
				   &s->deadline_ns, &s->period_ns,   &s->util_min, &s->util_max };

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		PV_NA(*u[i], st);
	PV_NA(s->nice, st);
}

/* full_sched - sched_getattr(): only for the live system's processes. */
static void full_sched(struct full_cx *c)
{
	struct rtlab_proc_sched *s = &c->f->sched;
	struct full_sched_attr a = { 0 };
	struct rtlab_proc_srcinfo *si = &c->f->src[RTLAB_PROC_SRC_SCHED_ATTR];

	if (probe_root(c->p)[0]) {
		full_sched_mark(s, RTLAB_PV_UNSUPPORTED);
		si->st = RTLAB_PV_UNSUPPORTED;
		snprintf(si->why, sizeof(si->why), "sched_getattr: not for a process below %s",
			 probe_root(c->p));
		return;
	}
	if (syscall(SYS_sched_getattr, c->f->pid, &a, (unsigned)sizeof(a), 0U) < 0) {
		int err = errno;

		full_sched_mark(s, probe_st_from_errno(err));
		si->st = probe_st_from_errno(err);
		snprintf(si->why, sizeof(si->why), "sched_getattr(%d): %s", (int)c->f->pid,
			 strerror(err));
		return;
	}
	PV_SET(s->policy, a.sched_policy);
	PV_SET(s->flags, a.sched_flags);
	PV_SET(s->nice, a.sched_nice);
	PV_SET(s->priority, a.sched_priority);
	PV_SET(s->runtime_ns, a.sched_runtime);
	PV_SET(s->deadline_ns, a.sched_deadline);
	PV_SET(s->period_ns, a.sched_period);
	/* Without CONFIG_UCLAMP_TASK the clamps read 0: not a measurement. */
	if (a.size > SCHED_ATTR_SIZE_VER0 &&
	    access("/proc/sys/kernel/sched_util_clamp_max", F_OK) == 0) {
		PV_SET(s->util_min, a.sched_util_min);
		PV_SET(s->util_max, a.sched_util_max);
	} else {
		PV_NA(s->util_min, RTLAB_PV_UNSUPPORTED);
		PV_NA(s->util_max, RTLAB_PV_UNSUPPORTED);
	}
	si->st = RTLAB_PV_OK;
	si->why[0] = '\0';
}

/* full_files - the parsed files, the one-line files, the links, sched_getattr(). */
void full_files(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;

	for (size_t i = 0; i < sizeof(parsed_files) / sizeof(parsed_files[0]); i++)
		full_parse(c, parsed_files[i].src, parsed_files[i].name);
	full_line(c, RTLAB_PROC_SRC_COMM, "comm", f->comm, sizeof(f->comm), &f->comm_st);
	full_line(c, RTLAB_PROC_SRC_ATTR, "attr/current", f->security_label,
		  sizeof(f->security_label), &f->security_label_st);
	full_links(c);
	full_sched(c);
}

/* full_system - boot time (/proc/stat btime) and MemTotal (/proc/meminfo). */
void full_system(struct full_cx *c)
{
	struct proc_meminfo mi;
	struct rtlab_proc_srcinfo *si = &c->f->src[RTLAB_PROC_SRC_SYSTEM];
	ssize_t n = full_read_sys(c, "/proc/stat");
	uint64_t bt;

	si->st = RTLAB_PV_OK;
	si->why[0] = '\0';
	if (n < 0 || proc_btime_parse(c->buf, (size_t)n, &bt) < 0) {
		PV_NA(c->btime, n < 0 ? probe_st_from_errno((int)n) : RTLAB_PV_MALFORMED);
		si->st = c->btime.st;
		snprintf(si->why, sizeof(si->why), "/proc/stat: btime: %s",
			 n < 0 ? strerror((int)-n) : "malformed");
	} else {
		PV_SET(c->btime, bt);
	}
	n = full_read_sys(c, "/proc/meminfo");
	if (n < 0)
		proc_meminfo_mark(&mi, probe_st_from_errno((int)n));
	else
		proc_meminfo_parse(c->buf, (size_t)n, &mi);
	c->mem_total = mi.total;
	if (mi.total.st != RTLAB_PV_OK && si->st == RTLAB_PV_OK) {
		si->st = mi.total.st;
		snprintf(si->why, sizeof(si->why), "/proc/meminfo: MemTotal: %s",
			 n < 0 ? strerror((int)-n) : rtlab_pv_state_name(mi.total.st));
	}
}
