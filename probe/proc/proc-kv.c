/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-kv.c - table-driven parsing of "Key: value" files (status, io, smaps_rollup, ...). */
#include <errno.h>
#include <string.h>

#include "probe-internal.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"

/* kv_u - the pu64 at @off in @out. */
static struct rtlab_pu64 *kv_u(void *out, size_t off)
{
	return (struct rtlab_pu64 *)((char *)out + off);
}

/* kv_i - the pi64 at @off in @out. */
static struct rtlab_pi64 *kv_i(void *out, size_t off)
{
	return (struct rtlab_pi64 *)((char *)out + off);
}

/* kv_st - the state byte at @off in @out. */
static uint8_t *kv_st(void *out, size_t off)
{
	return (uint8_t *)out + off;
}

/* kv_mark_one - the field of @f in @out in state @st. */
static void kv_mark_one(const struct kv_field *f, void *out, uint8_t st)
{
	struct rtlab_proc_status *s = out;

	switch (f->kind) {
	case KV_U64X4:
		for (size_t i = 0; i < 4; i++)
			PV_NA(*kv_u(out, f->off + i * sizeof(struct rtlab_pu64)), st);
		break;
	case KV_PAIR:
		for (size_t i = 0; i < 2; i++)
			PV_NA(*kv_u(out, f->off + i * sizeof(struct rtlab_pu64)), st);
		break;
	case KV_STATE:
	case KV_TEXT:
		*((char *)out + f->off) = '\0';
		*kv_st(out, f->st_off) = st;
		break;
	case KV_GROUPS:
		s->n_groups = 0;
		s->groups_truncated = false;
		s->groups_st = st;
		break;
	case KV_I64:
		PV_NA(*kv_i(out, f->off), st);
		break;
	default:
		PV_NA(*kv_u(out, f->off), st);
		break;
	}
}

/* kv_mark - every field of the table in state @st. */
void kv_mark(const struct kv_field *tab, size_t n, void *out, uint8_t st)
{
	for (size_t i = 0; i < n; i++)
		kv_mark_one(&tab[i], out, st);
}

/* proc_hex - a hexadecimal number of at most 16 digits (after an optional "0x"). */
bool proc_hex(const char **pp, const char *end, uint64_t *ret)
{
	const char *p = pp_skip_blanks(*pp, end);
	const char *start;
	uint64_t v = 0;

	if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	start = p;
	while (p < end) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (p - start >= 16)
			return false;
		v = v << 4 | d;
		p++;
	}
	if (p == start)
		return false;
	*ret = v;
	*pp = p;
	return true;
}

/* kv_oct - an octal number (umask, fdinfo flags). */
static bool kv_oct(const char **pp, const char *end, uint64_t *ret)
{
	const char *p = pp_skip_blanks(*pp, end);
	const char *start = p;
	uint64_t v = 0;

	while (p < end && *p >= '0' && *p <= '7') {
		if (v >> 61)
			return false;
		v = v << 3 | (uint64_t)(*p - '0');
		p++;
	}
	if (p == start)
		return false;
	*ret = v;
	*pp = p;
	return true;
}

/* kv_kb - "123 kB" (or a bare number) as bytes. */
static bool kv_kb(const char **pp, const char *end, uint64_t *ret)
{
	uint64_t v;

	if (!pp_u64(pp, end, &v))
		return false;
	*pp = pp_skip_blanks(*pp, end);
	if (pp_lit(pp, end, "kB")) {
		if (v > UINT64_MAX / 1024)
			return false;
		v *= 1024;
	}
	*ret = v;
	return true;
}

/* kv_groups - "Groups:\t4 24 27 \n" into the status struct. */
static bool kv_groups(const char **pp, const char *end, struct rtlab_proc_status *s)
{
	uint64_t v;

	s->n_groups = 0;
	s->groups_truncated = false;
	for (;;) {
		*pp = pp_skip_blanks(*pp, end);
		if (*pp == end || **pp == '\n')
			return true;
		if (!pp_u64(pp, end, &v) || v > UINT32_MAX)
			return false;
		if (s->n_groups < RTLAB_PROC_GROUPS_MAX)
			s->groups[s->n_groups++] = (uint32_t)v;
		else
			s->groups_truncated = true;
	}
}

/* kv_numbers - @n decimals into consecutive pu64 at @f->off (n = 1: one value). */
static bool kv_numbers(const char **pp, const char *end, void *out, size_t off, size_t n,
		       char sep)
{
	uint64_t v[4];

	for (size_t i = 0; i < n; i++) {
		if (i && sep && !pp_lit(pp, end, (char[]){ sep, '\0' }))
			return false;
		if (!pp_u64(pp, end, &v[i]))
			return false;
	}
	for (size_t i = 0; i < n; i++)
		PV_SET(*kv_u(out, off + i * sizeof(struct rtlab_pu64)), v[i]);
	return true;
}

/* kv_last - a blank-separated list of decimals: keep the last. */
static bool kv_last(const char **pp, const char *end, int64_t *ret)
{
	int64_t v;
	bool any = false;

	while (pp_i64(pp, end, &v)) {
		*ret = v;
		any = true;
	}
	return any;
}

/* kv_value - parse the value at *pp (up to @eol) of field @f into @out. */
static bool kv_value(const struct kv_field *f, const char **pp, const char *eol, void *out)
{
	const char *p = pp_skip_blanks(*pp, eol);
	uint64_t u;
	int64_t i;
	uint8_t st;
	bool ok;

	switch (f->kind) {
	case KV_U64:
		return kv_numbers(pp, eol, out, f->off, 1, 0);
	case KV_U64X4:
		return kv_numbers(pp, eol, out, f->off, 4, 0);
	case KV_PAIR:
		return kv_numbers(pp, eol, out, f->off, 2, '/');
	case KV_I64:
		ok = pp_i64(pp, eol, &i);
		if (ok)
			PV_SET(*kv_i(out, f->off), i);
		return ok;
	case KV_LAST:
		ok = kv_last(pp, eol, &i);
		if (ok)
			PV_SET(*kv_i(out, f->off), i);
		return ok;
	case KV_GROUPS:
		ok = kv_groups(pp, eol, out);
		st = ok ? RTLAB_PV_OK : RTLAB_PV_MALFORMED;
		((struct rtlab_proc_status *)out)->groups_st = st;
		return ok;
	case KV_STATE:
		if (p == eol || *p == ' ')
			return false;
		*((char *)out + f->off) = *p;
		*kv_st(out, f->st_off) = RTLAB_PV_OK;
		*pp = eol;
		return true;
	case KV_TEXT: {
		const char *e = eol;

		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		pp_copy((char *)out + f->off, f->size, p, (size_t)(e - p));
		*kv_st(out, f->st_off) = RTLAB_PV_OK;
		*pp = eol;
		return true;
	}
	case KV_KB:
		ok = kv_kb(pp, eol, &u);
		break;
	case KV_HEX:
		ok = proc_hex(pp, eol, &u);
		break;
	case KV_OCT:
		ok = kv_oct(pp, eol, &u);
		break;
	default:
		return false;
	}
	if (ok)
		PV_SET(*kv_u(out, f->off), u);
	return ok;
}

/* kv_find - the table index of key [k, k+kl), trying @hint first (files keep their order). */
static size_t kv_find(const struct kv_field *tab, size_t n, const char *k, size_t kl, size_t hint)
{
	for (size_t j = 0; j < n; j++) {
		size_t i = (hint + j) % n;

		if (pp_eq(k, kl, tab[i].key))
			return i;
	}
	return n;
}

/* kv_parse - the lines of a "Key: value" file by @tab. */
int kv_parse(const char *buf, size_t len, const struct kv_field *tab, size_t n, void *out)
{
	const char *p = buf, *end = buf + len;
	size_t hint = 0;
	int r = 0;

	kv_mark(tab, n, out, RTLAB_PV_ABSENT);
	while (p < end) {
		const char *eol = pp_eol(p, end);
		const char *colon = memchr(p, ':', (size_t)(eol - p));
		size_t i;

		if (colon && n) {
			i = kv_find(tab, n, p, (size_t)(colon - p), hint);
			if (i < n) {
				const char *v = colon + 1;

				hint = i + 1;
				if (eol == end || !kv_value(&tab[i], &v, eol, out) ||
				    pp_skip_blanks(v, eol) != eol) {
					kv_mark_one(&tab[i], out, RTLAB_PV_MALFORMED);
					r = -EBADMSG;
				}
			}
		}
		p = eol < end ? eol + 1 : end;
	}
	return r;
}
