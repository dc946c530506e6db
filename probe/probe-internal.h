/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-internal.h - what the probe's families share (not installed).
 *
 * A family is a struct probe_family in the table of probe.c.  Its collect()
 * reads its sources with probe_src_read() (the file is opened once below the
 * probe's root and re-read with pread), hands the bytes to a pure parser
 * (family-parse.c: parse(buf, len, out), unit-tested on fixtures and fuzzed),
 * and fills its part of struct rtlab_probe_data.  Its emit() turns that part
 * into named samples with the pe_*() helpers.
 */
#ifndef RTLAB_PROBE_INTERNAL_H
#define RTLAB_PROBE_INTERNAL_H

#include <dirent.h>
#include <limits.h>
#include <sys/types.h>

#include <rtlab/probe.h>

#include "core-internal.h"

struct rtlab_probe;
struct probe_cx;
struct probe_emit;

struct probe_family {
	const char *name;
	enum rtlab_probe_family id;
	bool slow;			/* on the slow TTL */
	/* Allocate the family's private state (fds, buffers); NULL if none is needed. */
	int (*open)(struct rtlab_probe *p, void **state);
	void (*close)(void *state);
	/* Fill cx->d's part.  Problems go to probe_why(); return -errno only if nothing is usable. */
	int (*collect)(struct probe_cx *cx, void *state);
	/* The family's samples, grouped by metric name. */
	void (*emit)(struct probe_emit *e, const struct rtlab_probe_data *d);
	/* Free the arrays the family grew inside @d (may be NULL). */
	void (*release)(struct rtlab_probe_data *d);
};

/* One collection of one family. */
struct probe_cx {
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	enum rtlab_probe_family fam;
	uint64_t now_ns;		/* CLOCK_MONOTONIC at the start of this collection */
	uint64_t prev_ns;		/* d->t_ns[fam] before this collection (0 = first) */
};

/* probe_ctx - the probe's context (log sink). */
struct rtlab_ctx *probe_ctx(const struct rtlab_probe *p);

/* probe_opts - the probe's options, defaults filled in. */
const struct rtlab_probe_opts *probe_opts(const struct rtlab_probe *p);

/* probe_root - "" or the root directory every path is read below. */
const char *probe_root(const struct rtlab_probe *p);

/*
 * probe_why - record the first problem of this collection of the family, as
 * "path:line: what" (free text); later calls in the same collection are ignored.
 */
void probe_why(struct probe_cx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* probe_st_from_errno - the value state for a failed read: ENOENT→absent, EACCES→denied... */
enum rtlab_pv_state probe_st_from_errno(int err);

/*
 * probe_set_trace - have @fn(@arg, path) called with the full path of every
 * file the families read (sources and small files) and every directory they
 * scan with probe_dir_each(): the benchmark uses it to measure the floor, a
 * bare pread of the same files (getdents of the directories).  Paths are
 * below the root.  NULL turns it off.
 */
void probe_set_trace(struct rtlab_probe *p, void (*fn)(void *arg, const char *path), void *arg);

/* probe_tracing - true while a trace function is set (a path worth formatting). */
bool probe_tracing(const struct rtlab_probe *p);

/* probe_traced - tell the trace function (if any) that @path was read. */
void probe_traced(const struct rtlab_probe *p, const char *path);

/* --- Sources: files opened once, re-read with pread. --- */

struct probe_src {
	char path[PATH_MAX];	/* below the root, "/proc/stat" */
	int fd;			/* -1: not open */
	char *buf;		/* NUL-terminated content after probe_src_read() */
	size_t cap;
	size_t len;
};

/*
 * probe_src_init - set up @s (new or closed, any content) for @path
 * (printf-style, below the root); opens nothing, allocates nothing.
 */
int probe_src_init(struct probe_src *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * probe_src_read - (open if needed and) read the whole file from offset 0:
 * one pread for a small file, more for a /proc table longer than a kernel
 * page, growing the buffer while the content does not fit.  Returns the
 * length (s->buf, s->len) or -errno.  No allocation once the buffer is big enough.
 */
ssize_t probe_src_read(struct rtlab_probe *p, struct probe_src *s);

/* probe_src_close - close the fd and free the buffer (s can be re-used after probe_src_init). */
void probe_src_close(struct probe_src *s);

/* The state of a family that only needs its sources. */
struct probe_srcs {
	size_t n;
	struct probe_src src[];
};

/* probe_srcs_open - *@state: a struct probe_srcs of @n sources named by @paths (nothing opened). */
int probe_srcs_open(const char *const *paths, size_t n, void **state);

/* probe_srcs_close - close and free a struct probe_srcs (a family's .close). */
void probe_srcs_close(void *state);

/* probe_path - "<root><path>" into @buf; -ENAMETOOLONG. */
int probe_path(const struct rtlab_probe *p, const char *path, char *buf, size_t size);

/* probe_opendir - opendir("<root><path>"); NULL with errno set.  Allocates: not for collect(). */
DIR *probe_opendir(const struct rtlab_probe *p, const char *path);

/*
 * probe_dir_each - call @fn(name, d_type, arg) for each entry of <root><path>
 * but "." and "..", in directory order, with getdents64 on a stack buffer (no
 * heap allocation, unlike opendir).  Stops at @fn's first non-zero return and
 * returns it; else 0 or -errno.  d_type may be DT_UNKNOWN.
 */
int probe_dir_each(const struct rtlab_probe *p, const char *path,
		   int (*fn)(const char *name, unsigned char type, void *arg), void *arg);

/* probe_dirfd_each - the same on a directory fd kept open (re-read from its start). */
int probe_dirfd_each(int dirfd, int (*fn)(const char *name, unsigned char type, void *arg),
		     void *arg);

/*
 * probe_pread_small - one pread from offset 0 of @fd into @buf (@size > 0),
 * retried on EINTR, NUL-terminated; the length or -errno.
 */
ssize_t probe_pread_small(int fd, char *buf, size_t size);

/* probe_read_small - read a small file below the root into @buf (no fd kept). */
ssize_t probe_read_small(const struct rtlab_probe *p, const char *path, char *buf, size_t size);

/* --- Kept fds of small files read on the slow TTL (probe-kept.c) --- */

struct probe_kept;

/* probe_kept_new - an empty table of kept fds (fixed size); NULL without memory. */
struct probe_kept *probe_kept_new(void);

/* probe_kept_free - close every kept fd and free the table (NULL is fine). */
void probe_kept_free(struct probe_kept *k);

/* probe_kept - the probe's table of kept fds. */
struct probe_kept *probe_kept(const struct rtlab_probe *p);

/*
 * probe_read_kept - probe_read_small() of a file whose fd is kept open from
 * one read to the next (a pread each time), for attributes of objects whose
 * path cannot come to name another object (block devices, CPUs).  A file
 * gone (ENODEV, ENOENT) is looked up again.  Allocates nothing.
 */
ssize_t probe_read_kept(const struct rtlab_probe *p, const char *path, char *buf, size_t size);

/*
 * probe_dir_each_kept - probe_dir_each() of a directory whose fd is kept
 * open (getdents from its start each time).  A removed sysfs directory lists
 * nothing on its old fd, so an empty listing is taken again from a fresh
 * open: fine for directories that are seldom empty (/sys/block, /sys/fs/btrfs).
 */
int probe_dir_each_kept(const struct rtlab_probe *p, const char *path,
			int (*fn)(const char *name, unsigned char type, void *arg), void *arg);

/* --- Values --- */

#define PV_SET(f, val)                           \
	do {                                     \
		(f).v = (val);                   \
		(f).st = RTLAB_PV_OK;            \
	} while (0)

#define PV_NA(f, state)                          \
	do {                                     \
		(f).v = 0;                       \
		(f).st = (state);                \
	} while (0)

/* --- Emitting samples (probe-emit.c) --- */

struct probe_emit {
	const struct rtlab_probe_sink *sink;
	int err;		/* first non-zero return of the sink; later samples are dropped */
};

void pe_sample(struct probe_emit *e, const struct rtlab_metric *m, const struct rtlab_label *l,
	       size_t nl, struct rtlab_mval v);

static inline struct rtlab_mval mv_u64(struct rtlab_pu64 x)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_U64, .st = x.st, .u = x.v };
}

static inline struct rtlab_mval mv_i64(struct rtlab_pi64 x)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_I64, .st = x.st, .i = x.v };
}

static inline struct rtlab_mval mv_f64(struct rtlab_pf64 x)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_F64, .st = x.st, .f = x.v };
}

/*
 * mv_scaled - a u64 times @k as a double (ticks to seconds, ms to seconds...).
 * When @k is 1/N for a whole N the value is divided by N, which rounds once:
 * 307643 ticks / 100 is 3076.43, where * 0.01 gives 3076.4300000000003.
 */
static inline struct rtlab_mval mv_scaled(struct rtlab_pu64 x, double k)
{
	double inv = 1.0 / k;
	double f = k < 1.0 && inv < 1e15 && (double)(uint64_t)inv == inv ? (double)x.v / inv :
									    (double)x.v * k;

	return (struct rtlab_mval){ .kind = RTLAB_MV_F64, .st = x.st, .f = f };
}

/* mv_one - the value 1 with state @st (info metrics whose labels carry strings). */
static inline struct rtlab_mval mv_one(uint8_t st)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_U64, .st = st, .u = 1 };
}

/* pe_emit(e, &metric, mval) and pe_emitl(e, &metric, mval, {"cpu", "0"}, {"mode", "user"}). */
#define pe_emit(e, m, v) pe_sample((e), (m), NULL, 0, (v))
#define pe_emitl(e, m, v, ...)                                                            \
	pe_sample((e), (m), (const struct rtlab_label[]){ __VA_ARGS__ },                  \
		  sizeof((const struct rtlab_label[]){ __VA_ARGS__ }) / sizeof(struct rtlab_label), \
		  (v))

/* --- Array growth for the families' variable parts (no allocation when big enough). --- */

/* probe_grow - make *@arr hold at least @n items of @size bytes (new ones zeroed). */
int probe_grow(void **arr, size_t *cap, size_t n, size_t size);

/* The families (probe.c holds the table). */
extern const struct probe_family probe_fam_cpu, probe_fam_cpuidle, probe_fam_load, probe_fam_psi,
	probe_fam_mem, probe_fam_vmstat, probe_fam_numa, probe_fam_interrupts, probe_fam_disk,
	probe_fam_fs, probe_fam_raid, probe_fam_net, probe_fam_netstat, probe_fam_route,
	probe_fam_sockets, probe_fam_procs, probe_fam_thermal, probe_fam_power, probe_fam_gpu,
	probe_fam_quota, probe_fam_runtime, probe_fam_cloud;

#endif /* RTLAB_PROBE_INTERNAL_H */
