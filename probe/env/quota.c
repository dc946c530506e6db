/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * quota.c - the quota family: the process's cgroup (v1, v2 or hybrid), its
 * limits and usage, the process's rlimits, and the CPUs and memory it can
 * really use.
 *
 * Opening finds the cgroup: /proc/self/cgroup names it, the cgroup mounts of
 * /proc/self/mountinfo say where it is (mountinfo is parsed only then).  Each
 * file of quota-defs.c is then kept open and re-read with pread.  Every
 * collection re-reads /proc/self/cgroup too and finds the cgroup again if the
 * process was moved.  Every Q_REFRESH_NS (fixed, whatever the TTLs) files
 * that were missing are tried again, the limits and settings of this cgroup
 * and of its ancestors are re-read (they bound the effective values; up to
 * that long stale; in between, the kept text of each limit is parsed again).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "env/quota.h"
#include "probe-parse.h"

#define Q_REFRESH_NS (5 * UINT64_C(1000000000))
#define Q_MAX_DEPTH 32
#define Q_AFFINITY_WORDS 128	/* 8192 CPUs, the kernel's largest NR_CPUS */
#define Q_NO_CORES 1e18		/* no CPU quota */

/* One cgroup file of quota_defs[] for this process. */
struct qrow {
	struct probe_src src;
	bool on;		/* the file exists in this cgroup version */
	bool v1;
	bool read;		/* its text holds now (the I/O pass re-parses it) */
	bool have;		/* src holds the text of its last good read */
	int err;		/* -ENOENT: not tried again before the next refresh */
};

struct q_state {
	struct probe_src self_cgroup;
	char snapshot[4096];	/* /proc/self/cgroup when the cgroup was found */
	size_t snaplen;
	bool resolved;
	uint8_t mode;
	char path[RTLAB_CGROUP_PATH_LEN];
	char dir[RTLAB_CGROUP__COUNT][CG_PATH_LEN];
	char top[RTLAB_CGROUP__COUNT][CG_PATH_LEN]; /* the mount points: ancestors stop there */
	struct qrow *rows;
	uint64_t next_refresh;
	struct rtlab_probe_limit anc_mem;	/* the smallest ancestor memory.max */
	double anc_cores; /* the smallest ancestor quota/period, or Q_NO_CORES */
	struct rtlab_probe_limit v1_hier;	/* memory.stat hierarchical_memory_limit */
	/* Re-read with the refresh: they change only by setrlimit()/prlimit(), and 16
	 * getrlimit() calls cost more than all the cgroup files. */
	struct rtlab_probe_rlimit rlimit[RTLAB_PROBE_NRLIMITS];
	struct rtlab_pu64 mem_total;
	struct probe_src online, limits;
	bool live;				/* the probe's root is "/": the process itself */
	struct cg_self self;
	struct cg_mounts mounts;
};

/* rtlab_cgroup_ctrl_name - the controller's v1 name ("io" for blkio). */
const char *rtlab_cgroup_ctrl_name(enum rtlab_cgroup_ctrl c)
{
	static const char *const names[RTLAB_CGROUP__COUNT] = {
		"cpu", "cpuacct", "cpuset", "memory", "pids", "io", "unified",
	};

	return (unsigned)c < RTLAB_CGROUP__COUNT ? names[c] : NULL;
}

/* q_open - MemTotal now, the sources named; the cgroup is found at the first collection. */
static int q_open(struct rtlab_probe *p, void **state)
{
	struct q_state *s = calloc(1, sizeof(*s));
	char buf[8192];
	ssize_t n;

	if (!s)
		return -ENOMEM;
	s->rows = calloc(quota_ndefs, sizeof(*s->rows));
	if (!s->rows) {
		free(s);
		return -ENOMEM;
	}
	for (size_t i = 0; i < quota_ndefs; i++)
		s->rows[i].src.fd = -1;
	probe_src_init(&s->self_cgroup, "/proc/self/cgroup");
	probe_src_init(&s->online, "/sys/devices/system/cpu/online");
	probe_src_init(&s->limits, "/proc/self/limits");
	s->live = probe_root(p)[0] == '\0';
	n = probe_read_small(p, "/proc/meminfo", buf, sizeof(buf));
	if (n < 0)
		PV_NA(s->mem_total, probe_st_from_errno((int)n));
	else
		env_memtotal_parse(buf, (size_t)n, &s->mem_total);
	*state = s;
	return 0;
}

/* q_close_rows - close every cgroup file. */
static void q_close_rows(struct q_state *s)
{
	for (size_t i = 0; i < quota_ndefs; i++) {
		probe_src_close(&s->rows[i].src);
		s->rows[i].on = false;
	}
}

/* q_close - close everything. */
static void q_close(void *state)
{
	struct q_state *s = state;

	q_close_rows(s);
	free(s->rows);
	probe_src_close(&s->self_cgroup);
	probe_src_close(&s->online);
	probe_src_close(&s->limits);
	free(s);
}

/* q_mounts - the cgroup mounts of /proc/self/mountinfo (read once here, not kept). */
static int q_mounts(struct probe_cx *cx, struct q_state *s)
{
	struct probe_src mi;
	unsigned bad = 0;
	ssize_t n;

	probe_src_init(&mi, "/proc/self/mountinfo");
	n = probe_src_read(cx->p, &mi);
	if (n < 0) {
		probe_why(cx, "%s: %s", mi.path, strerror((int)-n));
		probe_src_close(&mi);
		memset(&s->mounts, 0, sizeof(s->mounts));
		return (int)n;
	}
	if (cg_mounts_parse(mi.buf, (size_t)n, &s->mounts, &bad) < 0)
		probe_why(cx, "%s:%u: malformed", mi.path, bad);
	probe_src_close(&mi);
	return 0;
}

/* q_dirs - each controller's directory and mount point; the mode. */
static void q_dirs(struct q_state *s)
{
	char v2dir[CG_PATH_LEN] = "";
	bool any_v1 = false;

	if (s->self.v2 && s->mounts.v2.found &&
	    cg_join(&s->mounts.v2, s->self.v2_path, v2dir, sizeof(v2dir)) < 0)
		v2dir[0] = '\0';
	for (unsigned c = 0; c < RTLAB_CGROUP__COUNT; c++) {
		const struct cg_mount *m = &s->mounts.v1[c];

		s->dir[c][0] = s->top[c][0] = '\0';
		if (c != RTLAB_CGROUP_UNIFIED && s->self.v1[c] && m->found &&
		    cg_join(m, s->self.v1_path[c], s->dir[c], sizeof(s->dir[c])) == 0) {
			pp_copy(s->top[c], sizeof(s->top[c]), m->point, strlen(m->point));
			any_v1 = true;
		} else if (v2dir[0]) {
			pp_copy(s->dir[c], sizeof(s->dir[c]), v2dir, strlen(v2dir));
			pp_copy(s->top[c], sizeof(s->top[c]), s->mounts.v2.point,
				strlen(s->mounts.v2.point));
		}
	}
	if (any_v1)
		s->mode = v2dir[0] ? RTLAB_CGROUP_HYBRID : RTLAB_CGROUP_V1;
	else
		s->mode = v2dir[0] ? RTLAB_CGROUP_V2 : RTLAB_CGROUP_NONE;
	if (s->mode == RTLAB_CGROUP_V2)
		pp_copy(s->path, sizeof(s->path), s->self.v2_path, strlen(s->self.v2_path));
	else if (s->self.v1[RTLAB_CGROUP_MEMORY] || s->self.v1[RTLAB_CGROUP_CPU])
		pp_copy(s->path, sizeof(s->path),
			s->self.v1_path[s->self.v1[RTLAB_CGROUP_MEMORY] ? RTLAB_CGROUP_MEMORY
									: RTLAB_CGROUP_CPU],
			CG_PATH_LEN);
	else
		s->path[0] = '\0';
}

/* q_is_v1 - is controller @c in a v1 hierarchy of its own? */
static bool q_is_v1(const struct q_state *s, unsigned c)
{
	return c != RTLAB_CGROUP_UNIFIED && s->self.v1[c] && s->mounts.v1[c].found && s->dir[c][0];
}

/* q_resolve - find the cgroup again: parse, choose each file's version, name the sources. */
static void q_resolve(struct probe_cx *cx, struct q_state *s, const char *cg, size_t len)
{
	unsigned bad = 0;

	q_close_rows(s);
	s->resolved = true;
	s->snaplen = len < sizeof(s->snapshot) ? len : sizeof(s->snapshot);
	memcpy(s->snapshot, cg, s->snaplen);
	if (cg_self_parse(cg, len, &s->self, &bad) < 0)
		probe_why(cx, "/proc/self/cgroup:%u: malformed", bad);
	q_mounts(cx, s);
	q_dirs(s);
	for (size_t i = 0; i < quota_ndefs; i++) {
		const struct qdef *def = &quota_defs[i];
		struct qrow *row = &s->rows[i];
		const char *name;

		row->v1 = q_is_v1(s, def->ctrl);
		name = row->v1 ? def->v1 : s->mode != RTLAB_CGROUP_V1 ? def->v2 : NULL;
		row->err = 0;
		row->have = false;
		row->on = name && s->dir[def->ctrl][0] &&
			  probe_src_init(&row->src, "%s/%s", s->dir[def->ctrl], name) == 0;
	}
	s->next_refresh = 0;
}

/* limit_min - the smaller finite limit of @a and @b into @a. */
static void limit_min(struct rtlab_probe_limit *a, const struct rtlab_probe_limit *b)
{
	if (b->st != RTLAB_PV_OK || b->unlimited)
		return;
	if (a->st != RTLAB_PV_OK || a->unlimited || b->v < a->v)
		*a = *b;
}

/* anc_read - one small file of an ancestor cgroup; its length or -1. */
static ssize_t anc_read(struct probe_cx *cx, const char *dir, const char *file, char *buf,
			size_t size)
{
	char path[CG_PATH_LEN + 32];

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return -1;
	return probe_read_small(cx->p, path, buf, size);
}

/* anc_one - the memory and CPU limits of ancestor @dir into the running minimums. */
static void anc_one(struct probe_cx *cx, struct q_state *s, const char *dir, bool v1)
{
	struct rtlab_probe_limit lim, quota;
	struct rtlab_pu64 period;
	char buf[64], buf2[64];
	ssize_t n, n2;

	if (v1) {
		n = anc_read(cx, dir, "cpu.cfs_quota_us", buf, sizeof(buf));
		n2 = anc_read(cx, dir, "cpu.cfs_period_us", buf2, sizeof(buf2));
		if (n < 0 || n2 < 0 || cg_limit_parse(buf, (size_t)n, &quota) < 0 ||
		    cg_u64_parse(buf2, (size_t)n2, &period) < 0 || period.v == 0)
			return;
	} else {
		n = anc_read(cx, dir, "memory.max", buf, sizeof(buf));
		if (n >= 0 && cg_limit_parse(buf, (size_t)n, &lim) == 0)
			limit_min(&s->anc_mem, &lim);
		n = anc_read(cx, dir, "cpu.max", buf, sizeof(buf));
		if (n < 0 || cg_cpumax_parse(buf, (size_t)n, &quota, &period) < 0)
			return;
	}
	if (!quota.unlimited && (double)quota.v / (double)period.v < s->anc_cores)
		s->anc_cores = (double)quota.v / (double)period.v;
}

/* anc_walk - the ancestors of controller @c's directory, up to its mount point. */
static void anc_walk(struct probe_cx *cx, struct q_state *s, unsigned c, bool v1)
{
	char dir[CG_PATH_LEN];
	size_t top = strlen(s->top[c]);

	pp_copy(dir, sizeof(dir), s->dir[c], strlen(s->dir[c]));
	for (int depth = 0; depth < Q_MAX_DEPTH; depth++) {
		char *slash = strrchr(dir, '/');

		if (!slash || (size_t)(slash - dir) < top)
			return;
		*slash = '\0';
		anc_one(cx, s, dir, v1);
	}
}

/* rl_set - a struct rlimit value into a limit. */
static void rl_set(struct rtlab_probe_limit *l, rlim_t v)
{
	l->st = RTLAB_PV_OK;
	l->unlimited = v == RLIM_INFINITY;
	l->v = l->unlimited ? UINT64_MAX : (uint64_t)v;
}

/* q_rlimits - getrlimit() for the live process, else <root>/proc/self/limits, into @q. */
static void q_rlimits(struct probe_cx *cx, struct q_state *s, struct rtlab_probe_rlimit *q)
{
	unsigned bad = 0;
	ssize_t n;

	if (s->live) {
		for (int i = 0; i < RTLAB_PROBE_NRLIMITS; i++) {
			struct rlimit rl;

			if (getrlimit(i, &rl) < 0) {
				uint8_t st = probe_st_from_errno(errno);

				q[i].soft = (struct rtlab_probe_limit){ .st = st };
				q[i].hard = (struct rtlab_probe_limit){ .st = st };
				continue;
			}
			rl_set(&q[i].soft, rl.rlim_cur);
			rl_set(&q[i].hard, rl.rlim_max);
		}
		return;
	}
	n = probe_src_read(cx->p, &s->limits);
	if (n < 0) {
		for (int i = 0; i < RTLAB_PROBE_NRLIMITS; i++) {
			uint8_t st = probe_st_from_errno((int)n);

			q[i].soft = (struct rtlab_probe_limit){ .st = st };
			q[i].hard = (struct rtlab_probe_limit){ .st = st };
		}
		if (n != -ENOENT)
			probe_why(cx, "%s: %s", s->limits.path, strerror((int)-n));
	} else if (env_limits_parse(s->limits.buf, (size_t)n, q, &bad) < 0) {
		probe_why(cx, "%s:%u: malformed", s->limits.path, bad);
	}
}

/* q_refresh - try missing files again; re-read the ancestors' limits and the rlimits. */
static void q_refresh(struct probe_cx *cx, struct q_state *s)
{
	for (size_t i = 0; i < quota_ndefs; i++)
		s->rows[i].err = 0;
	s->anc_mem = (struct rtlab_probe_limit){ .v = UINT64_MAX, .unlimited = true };
	s->anc_cores = Q_NO_CORES;
	if (s->mode == RTLAB_CGROUP_V2) {
		anc_walk(cx, s, RTLAB_CGROUP_MEMORY, false);
	} else if (q_is_v1(s, RTLAB_CGROUP_CPU)) {
		anc_walk(cx, s, RTLAB_CGROUP_CPU, true);
	}
	q_rlimits(cx, s, s->rlimit);
	s->next_refresh = cx->now_ns + Q_REFRESH_NS;
}

/* q_mark - the fields of @def in state @st. */
static void q_mark(struct rtlab_probe_quota *q, const struct qdef *def, uint8_t st)
{
	char *base = (char *)q;

	switch (def->kind) {
	case Q_LIMIT:
		*(struct rtlab_probe_limit *)(base + def->off) =
			(struct rtlab_probe_limit){ .st = st };
		break;
	case Q_CPULIST:
		base[def->off2] = '\0';
		/* fall through */
	case Q_U64:
		PV_NA(*(struct rtlab_pu64 *)(base + def->off), st);
		break;
	case Q_CPUMAX:
		q->cpu_quota_us = (struct rtlab_probe_limit){ .st = st };
		PV_NA(q->cpu_period_us, st);
		break;
	case Q_KV:
		for (size_t i = 0; i < def->nkv2; i++)
			PV_NA(*(struct rtlab_pu64 *)(base + def->kv2[i].off), st);
		for (size_t i = 0; i < def->nkv1; i++)
			PV_NA(*(struct rtlab_pu64 *)(base + def->kv1[i].off), st);
		break;
	case Q_PSI:
		PV_NA(*(struct rtlab_pu64 *)(base + def->off), st);
		PV_NA(*(struct rtlab_pu64 *)(base + def->off2), st);
		break;
	default:
		break;
	}
}

/* v1_hier_limit - memory.stat's "hierarchical_memory_limit N" (v1). */
static void v1_hier_limit(struct q_state *s, const char *buf, size_t len)
{
	static const char key[] = "hierarchical_memory_limit ";
	const char *p = memmem(buf, len, key, sizeof(key) - 1);

	s->v1_hier = (struct rtlab_probe_limit){ .st = RTLAB_PV_ABSENT };
	if (p && (p == buf || p[-1] == '\n'))
		cg_limit_parse(p + sizeof(key) - 1, len - (size_t)(p - buf) - (sizeof(key) - 1),
			       &s->v1_hier);
}

/* q_apply - parse one file into its fields; returns 0 or -EBADMSG with *@bad. */
static int q_apply(struct q_state *s, struct rtlab_probe_quota *q, const struct qdef *def,
		   const struct qrow *row, const char *buf, size_t len, unsigned *bad)
{
	char *base = (char *)q;

	*bad = 1;
	switch (def->kind) {
	case Q_LIMIT:
		return cg_limit_parse(buf, len, (struct rtlab_probe_limit *)(base + def->off));
	case Q_U64:
		return cg_u64_parse(buf, len, (struct rtlab_pu64 *)(base + def->off));
	case Q_CPUMAX:
		return cg_cpumax_parse(buf, len, &q->cpu_quota_us, &q->cpu_period_us);
	case Q_CPULIST:
		pp_copy(base + def->off2, def->size2, buf, (size_t)(pp_eol(buf, buf + len) - buf));
		return cg_cpulist_count(buf, len, (struct rtlab_pu64 *)(base + def->off));
	case Q_KV:
		*bad = 0;
		if (row->v1 && strcmp(def->v1, "memory.stat") == 0)
			v1_hier_limit(s, buf, len);
		return row->v1 ? cg_kv_parse(buf, len, def->kv1, def->nkv1, q, bad)
			       : cg_kv_parse(buf, len, def->kv2, def->nkv2, q, bad);
	case Q_PSI:
		*bad = 0;
		return cg_psi_parse(buf, len, (struct rtlab_pu64 *)(base + def->off),
				    (struct rtlab_pu64 *)(base + def->off2), bad);
	default:
		return 0;	/* Q_IO: the I/O pass */
	}
}

/*
 * q_rows - read and parse every file (a limit or a setting read before is
 * parsed from its kept text unless @due); failures are marked, and named in
 * why[].
 */
static void q_rows(struct probe_cx *cx, struct q_state *s, struct rtlab_probe_quota *q, bool due)
{
	for (size_t i = 0; i < quota_ndefs; i++)
		q_mark(q, &quota_defs[i], RTLAB_PV_ABSENT);
	s->v1_hier = (struct rtlab_probe_limit){ .st = RTLAB_PV_ABSENT };
	for (size_t i = 0; i < quota_ndefs; i++) {
		const struct qdef *def = &quota_defs[i];
		struct qrow *row = &s->rows[i];
		unsigned bad = 0;
		ssize_t n;

		row->read = false;
		if (!row->on || row->err)
			continue;
		n = def->slow && !due && row->have ? (ssize_t)row->src.len :
			probe_src_read(cx->p, &row->src);
		row->have = n >= 0;
		if (n < 0) {
			q_mark(q, def, probe_st_from_errno((int)n));
			if (n == -ENOENT)
				row->err = (int)n;
			else
				probe_why(cx, "%s: %s", row->src.path, strerror((int)-n));
			continue;
		}
		row->read = true;
		if (q_apply(s, q, def, row, row->src.buf, (size_t)n, &bad) < 0)
			probe_why(cx, "%s:%u: malformed", row->src.path, bad);
	}
}

/* io_defaults - a limit file read fine that does not list a device: no limit for it. */
static void io_defaults(struct rtlab_probe_quota *q, const bool seen[4])
{
	for (size_t i = 0; i < q->nio; i++) {
		struct rtlab_probe_limit *l[4] = { &q->io[i].rbps, &q->io[i].wbps, &q->io[i].riops,
						   &q->io[i].wiops };

		for (size_t k = 0; k < 4; k++)
			if (seen[k] && l[k]->st == RTLAB_PV_ABSENT)
				*l[k] = (struct rtlab_probe_limit){ UINT64_MAX, RTLAB_PV_OK, true };
	}
}

/* io_pass - merge the per-device files into q->io, growing it (then again) if needed. */
static int io_pass(struct probe_cx *cx, struct q_state *s, struct rtlab_probe_quota *q)
{
	bool seen[4];
	int r;

again:
	memset(seen, 0, sizeof(seen));
	q->nio = 0;
	q->io_st = RTLAB_PV_ABSENT;
	for (size_t i = 0; i < quota_ndefs; i++) {
		const struct qdef *def = &quota_defs[i];
		const struct qrow *row = &s->rows[i];
		unsigned bad = 0;

		if (def->kind != Q_IO || !row->read)
			continue;
		r = cg_io_parse(row->src.buf, row->src.len, def->io_kind, q->io, q->io_cap, &q->nio,
				&bad);
		if (r == -ENOSPC) {
			r = probe_grow((void **)&q->io, &q->io_cap, q->io_cap + 1, sizeof(*q->io));
			if (r < 0)
				return r;
			goto again;
		}
		if (r < 0)
			probe_why(cx, "%s:%u: malformed", row->src.path, bad);
		q->io_st = RTLAB_PV_OK;
		if (def->io_kind == CG_IO_MAX)
			memset(seen, 1, sizeof(seen));
		else if (def->io_kind >= CG_BLKIO_RBPS && def->io_kind <= CG_BLKIO_WIOPS)
			seen[def->io_kind - CG_BLKIO_RBPS] = true;
	}
	io_defaults(q, seen);
	return 0;
}

/* q_affinity - the CPUs this thread may run on (the live process only). */
static void q_affinity(const struct q_state *s, struct rtlab_probe_quota *q)
{
	unsigned long mask[Q_AFFINITY_WORDS];
	uint64_t count = 0;
	long n;

	if (!s->live) {
		PV_NA(q->cpus_affinity, RTLAB_PV_ABSENT);
		return;
	}
	n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	if (n < 0) {
		PV_NA(q->cpus_affinity, probe_st_from_errno(errno));
		return;
	}
	for (size_t i = 0; i < (size_t)n / sizeof(mask[0]); i++)
		count += (uint64_t)__builtin_popcountl(mask[i]);
	PV_SET(q->cpus_affinity, count);
}

/* q_online - /sys/devices/system/cpu/online, counted. */
static void q_online(struct probe_cx *cx, struct q_state *s, struct rtlab_probe_quota *q)
{
	ssize_t n = probe_src_read(cx->p, &s->online);

	if (n < 0) {
		PV_NA(q->cpus_online, probe_st_from_errno((int)n));
		probe_why(cx, "%s: %s", s->online.path, strerror((int)-n));
	} else if (cg_cpulist_count(s->online.buf, (size_t)n, &q->cpus_online) < 0) {
		probe_why(cx, "%s:1: malformed", s->online.path);
	}
}

/* dmin - the smaller of two doubles. */
static double dmin(double a, double b)
{
	return b < a ? b : a;
}

/* ceil_u64 - a non-negative finite @x rounded up. */
static uint64_t ceil_u64(double x)
{
	uint64_t i = (uint64_t)x;

	return (double)i < x ? i + 1 : i;
}

/* derived_st - the state of a derived value: absent without cgroups, else its source's trouble. */
static uint8_t derived_st(const struct q_state *s, uint8_t src_st)
{
	if (s->mode == RTLAB_CGROUP_NONE)
		return RTLAB_PV_ABSENT;
	return src_st == RTLAB_PV_ABSENT ? RTLAB_PV_OK : src_st;
}

/* q_derive_cpu - the quota in cores and the effective CPU counts. */
static void q_derive_cpu(const struct q_state *s, struct rtlab_probe_quota *q)
{
	const struct rtlab_pu64 *base = rtlab_pv_ok(q->cpus_affinity.st) ? &q->cpus_affinity
									 : &q->cpus_online;
	double cores = s->anc_cores, e;
	uint64_t ei;

	if (rtlab_pv_ok(q->cpu_quota_us.st) && !q->cpu_quota_us.unlimited &&
	    rtlab_pv_ok(q->cpu_period_us.st) && q->cpu_period_us.v)
		cores = dmin(cores, (double)q->cpu_quota_us.v / (double)q->cpu_period_us.v);
	q->cpu_quota_cores.st = derived_st(s, q->cpu_quota_us.st);
	q->cpu_quota_cores.unlimited = cores >= Q_NO_CORES;
	q->cpu_quota_cores.v = cores;
	if (!rtlab_pv_ok(base->st)) {
		PV_NA(q->effective_cpus, base->st);
		PV_NA(q->effective_cpus_int, base->st);
		return;
	}
	e = (double)base->v;
	ei = base->v;
	if (rtlab_pv_ok(q->cpuset_ncpus.st) && q->cpuset_ncpus.v < ei) {
		e = (double)q->cpuset_ncpus.v;
		ei = q->cpuset_ncpus.v;
	}
	if (cores < Q_NO_CORES) {
		e = dmin(e, cores);
		if (ceil_u64(cores) < ei)
			ei = ceil_u64(cores);
	}
	PV_SET(q->effective_cpus, e);
	PV_SET(q->effective_cpus_int, ei ? ei : 1);
}

/* q_derive_mem - the hierarchical limit, the effective memory, the working set. */
static void q_derive_mem(const struct q_state *s, struct rtlab_probe_quota *q)
{
	struct rtlab_probe_limit h = { UINT64_MAX, RTLAB_PV_OK, true };

	limit_min(&h, &q->mem_max_bytes);
	limit_min(&h, &s->anc_mem);
	limit_min(&h, &s->v1_hier);
	h.st = derived_st(s, q->mem_max_bytes.st);
	q->mem_max_hier_bytes = h;
	q->mem_total_bytes = s->mem_total;
	if (rtlab_pv_ok(s->mem_total.st))
		PV_SET(q->effective_mem_bytes,
		       rtlab_pv_ok(h.st) && !h.unlimited && h.v < s->mem_total.v ? h.v
										 : s->mem_total.v);
	else if (rtlab_pv_ok(h.st) && !h.unlimited)
		PV_SET(q->effective_mem_bytes, h.v);
	else
		PV_NA(q->effective_mem_bytes, s->mem_total.st);
	if (rtlab_pv_ok(q->mem_current_bytes.st) && rtlab_pv_ok(q->mem_stat.inactive_file_bytes.st))
		PV_SET(q->mem_working_set_bytes,
		       q->mem_current_bytes.v > q->mem_stat.inactive_file_bytes.v
			       ? q->mem_current_bytes.v - q->mem_stat.inactive_file_bytes.v
			       : 0);
	else
		PV_NA(q->mem_working_set_bytes, q->mem_current_bytes.st == RTLAB_PV_OK
							? q->mem_stat.inactive_file_bytes.st
							: q->mem_current_bytes.st);
}

/* q_publish - the mode, path and directories into the data. */
static void q_publish(const struct q_state *s, struct rtlab_probe_quota *q)
{
	q->mode = s->mode;
	pp_copy(q->path, sizeof(q->path), s->path, strlen(s->path));
	for (unsigned c = 0; c < RTLAB_CGROUP__COUNT; c++)
		pp_copy(q->dir[c], sizeof(q->dir[c]), s->dir[c], strlen(s->dir[c]));
}

/* q_collect - cgroup files, CPUs, rlimits, then what they add up to. */
static int q_collect(struct probe_cx *cx, void *state)
{
	struct q_state *s = state;
	struct rtlab_probe_quota *q = &cx->d->quota;
	ssize_t n = probe_src_read(cx->p, &s->self_cgroup);
	bool due;
	int r;

	if (n < 0) {
		probe_why(cx, "%s: %s", s->self_cgroup.path, strerror((int)-n));
		if (!s->resolved)
			q_resolve(cx, s, "", 0);
	} else if (!s->resolved || (size_t)n != s->snaplen ||
		   memcmp(s->self_cgroup.buf, s->snapshot, s->snaplen) != 0) {
		q_resolve(cx, s, s->self_cgroup.buf, (size_t)n);
	}
	due = cx->now_ns >= s->next_refresh;
	if (due)
		q_refresh(cx, s);
	q_publish(s, q);
	q_rows(cx, s, q, due);
	r = io_pass(cx, s, q);
	if (r < 0)
		return r;
	q_online(cx, s, q);
	q_affinity(s, q);
	q_derive_cpu(s, q);
	q_derive_mem(s, q);
	memcpy(q->rlimit, s->rlimit, sizeof(q->rlimit));
	return 0;
}

/* quota_release - the per-device array. */
void quota_release(struct rtlab_probe_data *d)
{
	free(d->quota.io);
	d->quota.io = NULL;
	d->quota.nio = d->quota.io_cap = 0;
}

const struct probe_family probe_fam_quota = {
	.name = "quota",
	.id = RTLAB_PF_QUOTA,
	.open = q_open,
	.close = q_close,
	.collect = q_collect,
	.emit = quota_emit,
	.release = quota_release,
};
