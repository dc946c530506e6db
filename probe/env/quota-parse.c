/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* quota-parse.c - cgroup value files: limits, cpu.max, CPU lists, keyed files, PSI totals. */
#include <errno.h>

#include "env/env-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* At or above this, a v1 byte limit is the page-counter maximum: no limit. */
#define CG_V1_NO_LIMIT (UINT64_C(1) << 62)
/* No CPU or node number is this large (the kernel's NR_CPUS is at most 8192). */
#define CG_CPU_MAX UINT64_C(1048576)

/* line_end_ok - only blanks and a newline (or the end) left on this line. */
static bool line_end_ok(const char *p, const char *end)
{
	p = pp_skip_blanks(p, end);
	return p == end || *p == '\n';
}

/* limit_set_unlimited - @out is "no limit". */
static void limit_set_unlimited(struct rtlab_probe_limit *out)
{
	out->v = UINT64_MAX;
	out->st = RTLAB_PV_OK;
	out->unlimited = true;
}

/* limit_word - "max", "-1" or a number at *pp into @out; false if none. */
static bool limit_word(const char **pp, const char *end, struct rtlab_probe_limit *out)
{
	const char *p = pp_skip_blanks(*pp, end);
	uint64_t v;

	if (pp_lit(&p, end, "max") || pp_lit(&p, end, "-1")) {
		limit_set_unlimited(out);
	} else if (pp_u64(&p, end, &v)) {
		if (v >= CG_V1_NO_LIMIT) {
			limit_set_unlimited(out);
		} else {
			out->v = v;
			out->st = RTLAB_PV_OK;
			out->unlimited = false;
		}
	} else {
		return false;
	}
	*pp = p;
	return true;
}

/* limit_bad - @out malformed; returns -EBADMSG. */
static int limit_bad(struct rtlab_probe_limit *out)
{
	out->v = 0;
	out->st = RTLAB_PV_MALFORMED;
	out->unlimited = false;
	return -EBADMSG;
}

/* cg_limit_parse - "max\n", "-1\n" or "123\n". */
int cg_limit_parse(const char *buf, size_t len, struct rtlab_probe_limit *out)
{
	const char *p = buf, *end = buf + len;

	if (!limit_word(&p, end, out) || !line_end_ok(p, end))
		return limit_bad(out);
	return 0;
}

/* cg_u64_parse - "123\n". */
int cg_u64_parse(const char *buf, size_t len, struct rtlab_pu64 *out)
{
	const char *p = buf, *end = buf + len;
	uint64_t v;

	if (!pp_u64(&p, end, &v) || !line_end_ok(p, end)) {
		PV_NA(*out, RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	PV_SET(*out, v);
	return 0;
}

/* cg_cpumax_parse - "max 100000\n" or "50000 100000\n". */
int cg_cpumax_parse(const char *buf, size_t len, struct rtlab_probe_limit *quota,
		    struct rtlab_pu64 *period)
{
	const char *p = buf, *end = buf + len;
	uint64_t v;

	if (!limit_word(&p, end, quota) || (p < end && *p != ' ' && *p != '\t')) {
		limit_bad(quota);
		PV_NA(*period, RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	if (!pp_u64(&p, end, &v) || v == 0 || !line_end_ok(p, end)) {
		PV_NA(*period, RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	PV_SET(*period, v);
	return 0;
}

/* cg_cpulist_count - "0-3,8\n": 5. */
int cg_cpulist_count(const char *buf, size_t len, struct rtlab_pu64 *out)
{
	const char *p = buf, *end = buf + len;
	uint64_t count = 0, a, b;

	while (!line_end_ok(p, end)) {
		if (!pp_u64(&p, end, &a) || a > CG_CPU_MAX)
			goto bad;
		b = a;
		if (p < end && *p == '-') {
			p++;
			if (!pp_u64(&p, end, &b) || b < a || b > CG_CPU_MAX)
				goto bad;
		}
		count += b - a + 1;
		if (p < end && *p == ',')
			p++;
		else if (!line_end_ok(p, end))
			goto bad;
	}
	if (count == 0)
		goto bad;
	PV_SET(*out, count);
	return 0;
bad:
	PV_NA(*out, RTLAB_PV_MALFORMED);
	return -EBADMSG;
}

/* kv_find - the entry of @keys named [w, w+wl), or NULL. */
static const struct cg_kv *kv_find(const struct cg_kv *keys, size_t nkeys, const char *w, size_t wl)
{
	for (size_t i = 0; i < nkeys; i++)
		if (keys[i].key[0] == w[0] && pp_eq(w, wl, keys[i].key))
			return &keys[i];
	return NULL;
}

/* cg_kv_parse - "key value" lines into the fields @keys name. */
int cg_kv_parse(const char *buf, size_t len, const struct cg_kv *keys, size_t nkeys, void *base,
		unsigned *bad)
{
	const char *p = buf, *end = buf + len;
	unsigned ln = 0;
	int r = 0;

	for (size_t i = 0; i < nkeys; i++)
		PV_NA(*(struct rtlab_pu64 *)((char *)base + keys[i].off), RTLAB_PV_ABSENT);
	while (p < end) {
		const char *w;
		size_t wl;
		const struct cg_kv *k;

		ln++;
		if (pp_word(&p, end, &w, &wl) && (k = kv_find(keys, nkeys, w, wl))) {
			struct rtlab_pu64 *f = (struct rtlab_pu64 *)((char *)base + k->off);
			uint64_t v, mul = k->mul ? k->mul : 1;

			if (pp_u64(&p, end, &v) && line_end_ok(p, end) && v <= UINT64_MAX / mul) {
				PV_SET(*f, v * mul);
			} else {
				PV_NA(*f, RTLAB_PV_MALFORMED);
				r = parse_bad(bad, ln);
			}
		}
		p = pp_next_line(p, end);
	}
	return r;
}

/* psi_total - the total= of the rest of the line at @p. */
static bool psi_total(const char *p, const char *end, struct rtlab_pu64 *out)
{
	const char *w;
	size_t wl;

	while (pp_word(&p, end, &w, &wl)) {
		const char *q = w;
		uint64_t v;

		if (wl > 6 && pp_lit(&q, w + wl, "total=")) {
			if (!pp_u64(&q, w + wl, &v) || q != w + wl)
				return false;
			PV_SET(*out, v);
			return true;
		}
	}
	return false;
}

/* cg_psi_parse - "some avg10=0.00 avg60=0.00 avg300=0.00 total=N" and the "full" line. */
int cg_psi_parse(const char *buf, size_t len, struct rtlab_pu64 *some, struct rtlab_pu64 *full,
		 unsigned *bad)
{
	const char *p = buf, *end = buf + len;
	unsigned ln = 0;
	int r = 0;

	PV_NA(*some, RTLAB_PV_ABSENT);
	PV_NA(*full, RTLAB_PV_ABSENT);
	while (p < end) {
		const char *eol = pp_eol(p, end);
		struct rtlab_pu64 *f = NULL;

		ln++;
		if (pp_lit(&p, eol, "some "))
			f = some;
		else if (pp_lit(&p, eol, "full "))
			f = full;
		if (f && !psi_total(p, eol, f)) {
			PV_NA(*f, RTLAB_PV_MALFORMED);
			r = parse_bad(bad, ln);
		}
		p = eol < end ? eol + 1 : end;
	}
	if (some->st == RTLAB_PV_ABSENT) {
		PV_NA(*some, RTLAB_PV_MALFORMED);
		r = parse_bad(bad, 1);
	}
	return r;
}

/* env_memtotal_parse - the "MemTotal:" line, kB to bytes. */
int env_memtotal_parse(const char *buf, size_t len, struct rtlab_pu64 *out)
{
	const char *p = buf, *end = buf + len;
	uint64_t kb;

	while (p < end) {
		const char *eol = pp_eol(p, end);

		if (pp_lit(&p, eol, "MemTotal:")) {
			if (!pp_u64(&p, eol, &kb) || kb > UINT64_MAX / 1024)
				break;
			p = pp_skip_blanks(p, eol);
			if (!pp_lit(&p, eol, "kB") || !line_end_ok(p, eol))
				break;
			PV_SET(*out, kb * 1024);
			return 0;
		}
		p = eol < end ? eol + 1 : end;
	}
	PV_NA(*out, RTLAB_PV_MALFORMED);
	return -EBADMSG;
}
