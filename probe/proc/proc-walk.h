/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-walk.h - the process walker's insides, shared by its listing and reading halves. */
#ifndef RTLAB_PROBE_PROC_WALK_H
#define RTLAB_PROBE_PROC_WALK_H

#include "probe-internal.h"

/* The per-process files a walk may keep open, by index. */
enum walk_file {
	WF_STAT,
	WF_STATM,
	WF_STATUS,
	WF_IO,
	WF_CMDLINE,
	WF_FDDIR,
	WF__COUNT,
};

/* What the walker remembers of one process between walks. */
struct walk_slot {
	int32_t pid;
	bool have_start;		/* start_ticks known: a later change means pid reuse */
	bool have_prev;			/* prev_ticks is from the previous walk */
	int fd[WF__COUNT];		/* -1: not kept open */
	uint64_t start_ticks;
	uint64_t prev_ticks;		/* utime + stime at the previous walk */
};

struct rtlab_proc_walker {
	struct rtlab_probe *p;
	int proc_fd;			/* <root>/proc, listed with getdents */
	/* the root is "/": /proc/loadavg's last pid tells of new tasks */
	bool live;
	struct walk_slot *slots, *next;	/* by pid; next: the merge's scratch */
	size_t nslots, cap_slots, cap_next;
	int32_t *pids;			/* the listing */
	size_t npids, cap_pids;
	bool pids_sorted;
	uint64_t prev_t_ns;		/* the previous walk, 0 if none */
	uint64_t scan_t_ns;		/* the last listing of /proc */
	uint64_t last_pid;		/* /proc/loadavg at the last listing */
	bool have_last_pid;
	long page_size, hz;
	struct rtlab_pu64 btime;	/* boot time, seconds since the epoch */
	struct rtlab_pu64 mem_total;	/* bytes */
	size_t fd_budget, fds_kept;	/* per-process fds kept open, and how many may be */
	struct probe_src loadavg, meminfo, stat, uptime;
	uint64_t prev_cpu[RTLAB_PROC_CPU__COUNT];
	bool have_prev_cpu;
	char buf[8192];			/* one per-process file */
};

/* walk_why - record the first problem of this walk in t->why. */
void walk_why(struct rtlab_proc_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* walk_slot_close - close the fds @s keeps. */
void walk_slot_close(struct rtlab_proc_walker *w, struct walk_slot *s);

/*
 * walk_read_one - read process @s into @e (the groups of @fields), and count
 * it in @t.  Returns 0, or -ESRCH if the process is gone (leave it out).
 */
int walk_read_one(struct rtlab_proc_walker *w, struct walk_slot *s, uint32_t fields,
		  struct rtlab_proc_entry *e, struct rtlab_proc_table *t);

/*
 * walk_system - the table's header (RTLAB_PROC_W_SYSTEM; @l: /proc/loadavg
 * parsed, or NULL if it could not be read), or its fields marked absent.
 */
void walk_system(struct rtlab_proc_walker *w, uint32_t fields, struct rtlab_proc_table *t,
		 const struct rtlab_probe_load *l);

/* walk_meminfo - MemTotal (and the header's memory fields) from /proc/meminfo. */
void walk_meminfo(struct rtlab_proc_walker *w, struct rtlab_proc_table *t);

/* walk_pid_path - "<pid>/<name>" (relative to /proc) into @buf. */
void walk_pid_path(char *buf, size_t size, int32_t pid, const char *name);

#endif /* RTLAB_PROBE_PROC_WALK_H */
