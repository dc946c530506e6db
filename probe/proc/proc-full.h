/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-full.h - ProcessFull's insides, shared by the files that read its parts. */
#ifndef RTLAB_PROBE_PROC_FULL_H
#define RTLAB_PROBE_PROC_FULL_H

#include "probe-internal.h"

/* One reading of one process. */
struct full_cx {
	struct rtlab_probe *p;
	struct rtlab_proc_full *f;
	int dirfd;		/* <root>/proc/<pid>: every file is read through it */
	char *buf;		/* the last file read (NUL-terminated), grown as needed */
	size_t cap;
	struct rtlab_pu64 btime;	/* boot time, seconds since the epoch */
	struct rtlab_pu64 mem_total;	/* MemTotal, bytes */
};

/* Bounds of the lists read from a process's memory (cmdline, environ). */
#define FULL_STRINGS_MAX 4096
#define FULL_STRINGS_BYTES (256 * 1024)

/*
 * full_read - the file @name (relative to the process's directory) into
 * c->buf, at most @max bytes (0: all of it).  Returns the length or -errno.
 */
ssize_t full_read(struct full_cx *c, const char *name, size_t max);

/* full_src - the state and reason of source @s: "/proc/<pid>/<name>: what" (@err: -errno or 0). */
void full_src(struct full_cx *c, enum rtlab_proc_src s, uint8_t st, const char *name, int err);

/* full_src_failed - source @s failed with -errno @err; returns its state. */
uint8_t full_src_failed(struct full_cx *c, enum rtlab_proc_src s, const char *name, int err);

/* full_files - the files of one structure each, their parsers, their failures. */
void full_files(struct full_cx *c);

/* full_system - btime and MemTotal (source "system"). */
void full_system(struct full_cx *c);

/* full_readlink - the link @name into @buf (size @size, NUL-terminated); length or -errno. */
ssize_t full_readlink(struct full_cx *c, const char *name, char *buf, size_t size);

/* full_strings - cmdline or environ into a list of strings; returns 0 or -errno (-ENOMEM). */
int full_strings(struct full_cx *c, enum rtlab_proc_src s, const char *name, char ***list,
		 uint32_t *n, char **blob, bool *truncated);

/* full_ns - the namespace links. */
void full_ns(struct full_cx *c);

/* full_cgroups - /proc/<pid>/cgroup; -ENOMEM or 0. */
int full_cgroups(struct full_cx *c);

/* full_fds - the open files (fd links and fdinfo); -ENOMEM or 0. */
int full_fds(struct full_cx *c);

/* full_threads - task/<tid>/stat of every thread; -ENOMEM or 0. */
int full_threads(struct full_cx *c);

/* full_children - the children's pids (task/<tid>/children, or a scan of /proc); -ENOMEM or 0. */
int full_children(struct full_cx *c);

/* full_maps - /proc/<pid>/maps; -ENOMEM or 0. */
int full_maps(struct full_cx *c);

#endif /* RTLAB_PROBE_PROC_FULL_H */
