/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe.c - the probe object, the family table and collection with per-family TTLs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe-internal.h"

#define TTL_SLOW_DEFAULT_NS (5 * UINT64_C(1000000000))
#define STATVFS_TIMEOUT_DEFAULT_NS (200 * UINT64_C(1000000))

struct rtlab_probe {
	struct rtlab_ctx *ctx;
	struct rtlab_probe_opts opts;
	char root[PATH_MAX];
	char nvml_path[PATH_MAX];
	bool opened[RTLAB_PF__COUNT];
	int open_err[RTLAB_PF__COUNT];
	void *state[RTLAB_PF__COUNT];
	void (*trace)(void *arg, const char *path);
	void *trace_arg;
	struct probe_kept *kept;	/* fds of small files read on the slow TTL */
};

/* In enum rtlab_probe_family order. */
static const struct probe_family *const families[RTLAB_PF__COUNT] = {
	[RTLAB_PF_CPU] = &probe_fam_cpu,
	[RTLAB_PF_CPUIDLE] = &probe_fam_cpuidle,
	[RTLAB_PF_LOAD] = &probe_fam_load,
	[RTLAB_PF_PSI] = &probe_fam_psi,
	[RTLAB_PF_MEM] = &probe_fam_mem,
	[RTLAB_PF_VMSTAT] = &probe_fam_vmstat,
	[RTLAB_PF_NUMA] = &probe_fam_numa,
	[RTLAB_PF_INTERRUPTS] = &probe_fam_interrupts,
	[RTLAB_PF_DISK] = &probe_fam_disk,
	[RTLAB_PF_FS] = &probe_fam_fs,
	[RTLAB_PF_RAID] = &probe_fam_raid,
	[RTLAB_PF_NET] = &probe_fam_net,
	[RTLAB_PF_NETSTAT] = &probe_fam_netstat,
	[RTLAB_PF_ROUTE] = &probe_fam_route,
	[RTLAB_PF_SOCKETS] = &probe_fam_sockets,
	[RTLAB_PF_PROCS] = &probe_fam_procs,
	[RTLAB_PF_THERMAL] = &probe_fam_thermal,
	[RTLAB_PF_POWER] = &probe_fam_power,
	[RTLAB_PF_GPU] = &probe_fam_gpu,
	[RTLAB_PF_QUOTA] = &probe_fam_quota,
	[RTLAB_PF_RUNTIME] = &probe_fam_runtime,
	[RTLAB_PF_CLOUD] = &probe_fam_cloud,
};

static const char *const family_names[RTLAB_PF__COUNT] = {
	[RTLAB_PF_CPU] = "cpu",
	[RTLAB_PF_CPUIDLE] = "cpuidle",
	[RTLAB_PF_LOAD] = "load",
	[RTLAB_PF_PSI] = "psi",
	[RTLAB_PF_MEM] = "mem",
	[RTLAB_PF_VMSTAT] = "vmstat",
	[RTLAB_PF_NUMA] = "numa",
	[RTLAB_PF_INTERRUPTS] = "interrupts",
	[RTLAB_PF_DISK] = "disk",
	[RTLAB_PF_FS] = "fs",
	[RTLAB_PF_RAID] = "raid",
	[RTLAB_PF_NET] = "net",
	[RTLAB_PF_NETSTAT] = "netstat",
	[RTLAB_PF_ROUTE] = "route",
	[RTLAB_PF_SOCKETS] = "sockets",
	[RTLAB_PF_PROCS] = "procs",
	[RTLAB_PF_THERMAL] = "thermal",
	[RTLAB_PF_POWER] = "power",
	[RTLAB_PF_GPU] = "gpu",
	[RTLAB_PF_QUOTA] = "quota",
	[RTLAB_PF_RUNTIME] = "runtime",
	[RTLAB_PF_CLOUD] = "cloud",
};

/* family - the table entry of @f, or NULL if out of range. */
static const struct probe_family *family(unsigned f)
{
	return f < RTLAB_PF__COUNT ? families[f] : NULL;
}

/* rtlab_probe_family_name - the family's short name. */
const char *rtlab_probe_family_name(enum rtlab_probe_family f)
{
	return (unsigned)f < RTLAB_PF__COUNT ? family_names[f] : NULL;
}

/* rtlab_probe_family_is_slow - on the slow TTL? */
bool rtlab_probe_family_is_slow(enum rtlab_probe_family f)
{
	const struct probe_family *fam = family(f);

	return fam && fam->slow;
}

/* rtlab_probe_families_parse - a comma-separated list of family names into a mask. */
int rtlab_probe_families_parse(const char *s, uint64_t *ret, size_t *bad_pos)
{
	uint64_t mask = 0;
	const char *p = s;

	if (!s || !*s) {
		if (bad_pos)
			*bad_pos = 0;
		return -EINVAL;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		bool found = false;

		if (n == 3 && strncmp(p, "all", 3) == 0) {
			mask |= RTLAB_PROBE_ALL;
			found = true;
		} else if (n == 7 && strncmp(p, "default", 7) == 0) {
			mask |= RTLAB_PROBE_DEFAULT;
			found = true;
		}
		for (unsigned f = 0; !found && f < RTLAB_PF__COUNT; f++) {
			if (strlen(family_names[f]) == n && strncmp(p, family_names[f], n) == 0) {
				mask |= RTLAB_PF_BIT(f);
				found = true;
			}
		}
		if (!found) {
			if (bad_pos)
				*bad_pos = (size_t)(p - s);
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	*ret = mask;
	return 0;
}

/* rtlab_probe_new - a probe with @opts (defaults filled in); nothing opened yet. */
int rtlab_probe_new(struct rtlab_ctx *ctx, const struct rtlab_probe_opts *opts,
		    struct rtlab_probe **ret)
{
	struct rtlab_probe *p;
	const char *root;
	size_t n;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->kept = probe_kept_new();
	if (!p->kept) {
		free(p);
		return -ENOMEM;
	}
	p->ctx = ctx;
	if (opts)
		p->opts = *opts;
	root = p->opts.root ? p->opts.root : (ctx ? rtlab_ctx_root(ctx) : "");
	n = rtlab_strlcpy(p->root, root ? root : "", sizeof(p->root));
	if (n >= sizeof(p->root)) {
		probe_kept_free(p->kept);
		free(p);
		return -ENAMETOOLONG;
	}
	/* "/" and "dir/" mean the same as "" and "dir": paths start with '/'. */
	while (n > 0 && p->root[n - 1] == '/')
		p->root[--n] = '\0';
	p->opts.root = p->root;
	if (!p->opts.ttl_slow_ns)
		p->opts.ttl_slow_ns = TTL_SLOW_DEFAULT_NS;
	if (!p->opts.statvfs_timeout_ns)
		p->opts.statvfs_timeout_ns = STATVFS_TIMEOUT_DEFAULT_NS;
	if (rtlab_strlcpy(p->nvml_path, p->opts.nvml_path ? p->opts.nvml_path : "libnvidia-ml.so.1",
			  sizeof(p->nvml_path)) >= sizeof(p->nvml_path)) {
		probe_kept_free(p->kept);
		free(p);
		return -ENAMETOOLONG;
	}
	p->opts.nvml_path = p->nvml_path;
	*ret = p;
	return 0;
}

/* rtlab_probe_free - close every family's state. */
struct rtlab_probe *rtlab_probe_free(struct rtlab_probe *p)
{
	if (!p)
		return NULL;
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++) {
		const struct probe_family *fam = family(f);

		if (fam && p->opened[f] && fam->close)
			fam->close(p->state[f]);
	}
	probe_kept_free(p->kept);
	free(p);
	return NULL;
}

/* rtlab_probe_data_new - zeroed data. */
struct rtlab_probe_data *rtlab_probe_data_new(void)
{
	return calloc(1, sizeof(struct rtlab_probe_data));
}

/* rtlab_probe_data_free - free the families' arrays, then @d. */
struct rtlab_probe_data *rtlab_probe_data_free(struct rtlab_probe_data *d)
{
	if (!d)
		return NULL;
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++) {
		const struct probe_family *fam = family(f);

		if (fam && fam->release)
			fam->release(d);
	}
	free(d);
	return NULL;
}

/* probe_ctx - the probe's context. */
struct rtlab_ctx *probe_ctx(const struct rtlab_probe *p)
{
	return p->ctx;
}

/* probe_opts - the options with defaults. */
const struct rtlab_probe_opts *probe_opts(const struct rtlab_probe *p)
{
	return &p->opts;
}

/* probe_set_trace - call @fn(@arg, path) for every file read (NULL: stop). */
void probe_set_trace(struct rtlab_probe *p, void (*fn)(void *arg, const char *path), void *arg)
{
	p->trace = fn;
	p->trace_arg = arg;
}

/* probe_tracing - is a trace function set? */
bool probe_tracing(const struct rtlab_probe *p)
{
	return p->trace != NULL;
}

/* probe_traced - report one file read to the trace function, if any. */
void probe_traced(const struct rtlab_probe *p, const char *path)
{
	if (p->trace)
		p->trace(p->trace_arg, path);
}

/* probe_kept - the table of kept fds. */
struct probe_kept *probe_kept(const struct rtlab_probe *p)
{
	return p->kept;
}

/* probe_root - the root prefix ("" for /). */
const char *probe_root(const struct rtlab_probe *p)
{
	return p->root;
}

/* probe_why - the first problem of this collection, kept as text. */
void probe_why(struct probe_cx *cx, const char *fmt, ...)
{
	char *why = cx->d->why[cx->fam];
	va_list ap;

	if (why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(cx->d->why[0]), fmt, ap);
	va_end(ap);
}

/* probe_st_from_errno - value state for a read that failed with -@err or @err. */
enum rtlab_pv_state probe_st_from_errno(int err)
{
	switch (err < 0 ? -err : err) {
	case ENOENT:
	case ENOTDIR:
	case ENODEV:
	case ENXIO:
		return RTLAB_PV_ABSENT;
	case EACCES:
	case EPERM:
		return RTLAB_PV_DENIED;
	case EOPNOTSUPP:
	case EINVAL:
		return RTLAB_PV_UNSUPPORTED;
	case ETIMEDOUT:
		return RTLAB_PV_TIMEOUT;
	case EBADMSG:
		return RTLAB_PV_MALFORMED;
	default:
		return RTLAB_PV_ERROR;
	}
}

/* collect_one - collect family @f unless its TTL has not run out. */
static int collect_one(struct rtlab_probe *p, unsigned f, struct rtlab_probe_data *d, uint64_t now)
{
	const struct probe_family *fam = family(f);
	uint64_t ttl;
	struct probe_cx cx;
	int r;

	if (!fam)
		return 0;
	ttl = fam->slow ? p->opts.ttl_slow_ns : p->opts.ttl_fast_ns;
	if (d->t_ns[f] && ttl && now - d->t_ns[f] < ttl)
		return 0;
	if (!p->opened[f]) {
		p->open_err[f] = fam->open ? fam->open(p, &p->state[f]) : 0;
		p->opened[f] = true;
	}
	d->why[f][0] = '\0';
	cx = (struct probe_cx){ .p = p, .d = d, .fam = f, .now_ns = now, .prev_ns = d->t_ns[f] };
	if (p->open_err[f] < 0) {
		probe_why(&cx, "%s: cannot be set up: %s", fam->name, strerror(-p->open_err[f]));
		d->err[f] = p->open_err[f];
		d->t_ns[f] = now;
		return p->open_err[f] == -ENOMEM ? -ENOMEM : 0;
	}
	r = fam->collect(&cx, p->state[f]);
	d->err[f] = r < 0 ? r : 0;
	d->t_ns[f] = now;
	return r == -ENOMEM ? r : 0;
}

/* rtlab_probe_collect - collect each family of @families whose TTL ran out. */
int rtlab_probe_collect(struct rtlab_probe *p, uint64_t families_mask, struct rtlab_probe_data *d)
{
	uint64_t now = rtlab_now_ns();
	int ret = 0;

	if (!p || !d)
		return -EINVAL;
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++) {
		if (families_mask & RTLAB_PF_BIT(f)) {
			int r = collect_one(p, f, d, now);

			if (r < 0 && !ret)
				ret = r;
		}
	}
	return ret;
}

/* rtlab_probe_collect_all - the default families. */
int rtlab_probe_collect_all(struct rtlab_probe *p, struct rtlab_probe_data *d)
{
	return rtlab_probe_collect(p, RTLAB_PROBE_DEFAULT, d);
}

/* rtlab_probe_emit - the collected families' samples, in family order. */
int rtlab_probe_emit(const struct rtlab_probe_data *d, uint64_t families_mask,
		     const struct rtlab_probe_sink *sink)
{
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++) {
		const struct probe_family *fam = family(f);
		struct probe_emit e = { .sink = sink };
		int r;

		if (!fam || !(families_mask & RTLAB_PF_BIT(f)) || !d->t_ns[f])
			continue;
		if (sink->family) {
			r = sink->family(sink->arg, f, d);
			if (r)
				return r;
		}
		if (fam->emit)
			fam->emit(&e, d);
		if (e.err)
			return e.err;
	}
	return 0;
}
