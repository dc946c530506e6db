/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* io-parse.c - per-device cgroup I/O files: v2 io.max and io.stat, v1 blkio.throttle.*. */
#include <errno.h>
#include <stddef.h>

#include "env/env-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

#define IO_OFF(f) offsetof(struct rtlab_probe_cgroup_io, f)

/* A "key=value" of io.max / io.stat, or a v1 operation name. */
struct io_key {
	const char *key;
	size_t off;
	bool limit;	/* a struct rtlab_probe_limit, else a struct rtlab_pu64 */
};

static const struct io_key v2_keys[] = {
	{ "rbps", IO_OFF(rbps), true },	  { "wbps", IO_OFF(wbps), true },
	{ "riops", IO_OFF(riops), true }, { "wiops", IO_OFF(wiops), true },
	{ "rbytes", IO_OFF(rbytes), false }, { "wbytes", IO_OFF(wbytes), false },
	{ "dbytes", IO_OFF(dbytes), false }, { "rios", IO_OFF(rios), false },
	{ "wios", IO_OFF(wios), false },     { "dios", IO_OFF(dios), false },
};

/* v1 blkio.throttle.io_service_bytes / io_serviced operations, by kind. */
static const struct io_key v1_bytes[] = {
	{ "Read", IO_OFF(rbytes), false },
	{ "Write", IO_OFF(wbytes), false },
	{ "Discard", IO_OFF(dbytes), false },
};

static const struct io_key v1_ios[] = {
	{ "Read", IO_OFF(rios), false },
	{ "Write", IO_OFF(wios), false },
	{ "Discard", IO_OFF(dios), false },
};

/* The single limit of each v1 throttle file. */
static const size_t v1_limit_off[] = {
	[CG_BLKIO_RBPS] = IO_OFF(rbps),
	[CG_BLKIO_WBPS] = IO_OFF(wbps),
	[CG_BLKIO_RIOPS] = IO_OFF(riops),
	[CG_BLKIO_WIOPS] = IO_OFF(wiops),
};

/* dev_new - a device entry with every field absent. */
static void dev_new(struct rtlab_probe_cgroup_io *d, uint32_t major, uint32_t minor)
{
	struct rtlab_probe_limit *l[] = { &d->rbps, &d->wbps, &d->riops, &d->wiops };
	struct rtlab_pu64 *c[] = { &d->rbytes, &d->wbytes, &d->dbytes, &d->rios, &d->wios,
				   &d->dios };

	memset(d, 0, sizeof(*d));
	d->major = major;
	d->minor = minor;
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		l[i]->st = RTLAB_PV_ABSENT;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		c[i]->st = RTLAB_PV_ABSENT;
}

/* dev_get - the entry of major:minor, appended if new; NULL if there is no room. */
static struct rtlab_probe_cgroup_io *dev_get(struct rtlab_probe_cgroup_io *devs, size_t cap,
					     size_t *n, uint32_t major, uint32_t minor)
{
	for (size_t i = 0; i < *n; i++)
		if (devs[i].major == major && devs[i].minor == minor)
			return &devs[i];
	if (*n >= cap)
		return NULL;
	dev_new(&devs[*n], major, minor);
	return &devs[(*n)++];
}

/* set_value - a number (or "max" for limits) into the field at @off of @d. */
static bool set_value(struct rtlab_probe_cgroup_io *d, const struct io_key *k, const char *w,
		      size_t wl)
{
	const char *p = w, *end = w + wl;
	char *f = (char *)d + k->off;
	uint64_t v;

	if (k->limit) {
		struct rtlab_probe_limit *l = (struct rtlab_probe_limit *)f;

		if (pp_eq(w, wl, "max")) {
			l->v = UINT64_MAX;
			l->unlimited = true;
		} else if (pp_u64(&p, end, &v) && p == end) {
			l->v = v;
			l->unlimited = false;
		} else {
			return false;
		}
		l->st = RTLAB_PV_OK;
		return true;
	}
	if (!pp_u64(&p, end, &v) || p != end)
		return false;
	PV_SET(*(struct rtlab_pu64 *)f, v);
	return true;
}

/* key_find - the entry of @keys named [w, w+wl), or NULL. */
static const struct io_key *key_find(const struct io_key *keys, size_t n, const char *w, size_t wl)
{
	for (size_t i = 0; i < n; i++)
		if (pp_eq(w, wl, keys[i].key))
			return &keys[i];
	return NULL;
}

/* line_v2 - "key=value" words after the device. */
static bool line_v2(struct rtlab_probe_cgroup_io *d, const char *p, const char *eol)
{
	const size_t nk = sizeof(v2_keys) / sizeof(v2_keys[0]);
	const char *w;
	size_t wl;
	bool ok = true;

	while (pp_word(&p, eol, &w, &wl)) {
		const char *eq = memchr(w, '=', wl);
		const struct io_key *k;

		if (!eq) {
			ok = false;
			continue;
		}
		k = key_find(v2_keys, nk, w, (size_t)(eq - w));
		if (k && !set_value(d, k, eq + 1, (size_t)(w + wl - eq - 1)))
			ok = false;
	}
	return ok;
}

/* line_v1 - "value" (a throttle file) or "Operation value" (a service file). */
static bool line_v1(struct rtlab_probe_cgroup_io *d, enum cg_io_kind kind, const char *p,
		    const char *eol)
{
	const struct io_key *keys = kind == CG_BLKIO_BYTES ? v1_bytes : v1_ios;
	const struct io_key *k;
	const char *w, *v;
	size_t wl, vl;

	if (kind >= CG_BLKIO_RBPS && kind <= CG_BLKIO_WIOPS) {
		struct io_key lk = { "", v1_limit_off[kind], true };

		return pp_word(&p, eol, &w, &wl) && set_value(d, &lk, w, wl) &&
		       !pp_word(&p, eol, &v, &vl);
	}
	if (!pp_word(&p, eol, &w, &wl) || !pp_word(&p, eol, &v, &vl))
		return false;
	k = key_find(keys, 3, w, wl);
	return !k || set_value(d, k, v, vl);
}

/* cg_io_parse - one per-device file merged into @devs. */
int cg_io_parse(const char *buf, size_t len, enum cg_io_kind kind,
		struct rtlab_probe_cgroup_io *devs, size_t cap, size_t *n, unsigned *bad)
{
	const char *p = buf, *end = buf + len;
	unsigned ln = 0;
	int r = 0;

	while (p < end) {
		const char *eol = pp_eol(p, end), *q = p;
		struct rtlab_probe_cgroup_io *d;
		uint64_t major, minor;
		bool ok;

		ln++;
		p = eol < end ? eol + 1 : end;
		if (pp_skip_blanks(q, eol) == eol || pp_lit(&q, eol, "Total"))
			continue;
		if (!pp_u64(&q, eol, &major) || !pp_lit(&q, eol, ":") || !pp_u64(&q, eol, &minor) ||
		    major > UINT32_MAX || minor > UINT32_MAX) {
			r = parse_bad(bad, ln);
			continue;
		}
		d = dev_get(devs, cap, n, (uint32_t)major, (uint32_t)minor);
		if (!d)
			return -ENOSPC;
		if (kind == CG_IO_MAX || kind == CG_IO_STAT)
			ok = line_v2(d, q, eol);
		else
			ok = line_v1(d, kind, q, eol);
		if (!ok)
			r = parse_bad(bad, ln);
	}
	return r;
}
