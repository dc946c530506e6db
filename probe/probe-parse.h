/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-parse.h - small, fast scanning helpers for the families' pure parsers.
 *
 * They walk a [p, end) byte range that need not be NUL-terminated, never read
 * past end, and report failure instead of guessing: a parser that cannot read
 * a field marks it RTLAB_PV_MALFORMED.
 */
#ifndef RTLAB_PROBE_PARSE_H
#define RTLAB_PROBE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* pp_skip_blanks - past spaces and tabs (not newlines). */
static inline const char *pp_skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* pp_eol - the newline that ends the line at @p, or @end. */
static inline const char *pp_eol(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

/* pp_next_line - the start of the line after @p's, or @end. */
static inline const char *pp_next_line(const char *p, const char *end)
{
	const char *nl = pp_eol(p, end);

	return nl < end ? nl + 1 : end;
}

/*
 * pp_u64 - a decimal number after optional blanks; *p moves past it.  False
 * (and *p unchanged) if there is no digit or the number overflows 64 bits.
 */
static inline bool pp_u64(const char **pp, const char *end, uint64_t *ret)
{
	const char *p = pp_skip_blanks(*pp, end);
	uint64_t v = 0;
	const char *start = p;

	while (p < end && *p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
		p++;
	}
	if (p == start)
		return false;
	*ret = v;
	*pp = p;
	return true;
}

/* pp_i64 - like pp_u64 with an optional '-' sign. */
static inline bool pp_i64(const char **pp, const char *end, int64_t *ret)
{
	const char *p = pp_skip_blanks(*pp, end);
	bool neg = false;
	uint64_t v;

	if (p < end && *p == '-') {
		neg = true;
		p++;
	}
	if (p < end && (*p < '0' || *p > '9'))
		return false;
	if (!pp_u64(&p, end, &v) || v > (uint64_t)INT64_MAX + neg)
		return false;
	*ret = neg ? (int64_t)(0 - v) : (int64_t)v;
	*pp = p;
	return true;
}

/*
 * pp_fixed - a non-negative decimal "123.45" (no exponent) as a double, as
 * PSI and loadavg print them.  False if there is no digit.
 */
static inline bool pp_fixed(const char **pp, const char *end, double *ret)
{
	const char *p = *pp;
	uint64_t ip, fp = 0;
	double scale = 1.0;

	if (!pp_u64(&p, end, &ip))
		return false;
	if (p < end && *p == '.') {
		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			if (scale > 1e-15) {
				fp = fp * 10 + (uint64_t)(*p - '0');
				scale /= 10.0;
			}
			p++;
		}
	}
	*ret = (double)ip + (double)fp * scale;
	*pp = p;
	return true;
}

/* pp_word - the next blank-separated word on this line; false at end of line. */
static inline bool pp_word(const char **pp, const char *end, const char **w, size_t *wl)
{
	const char *p = pp_skip_blanks(*pp, end);
	const char *s = p;

	while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	if (p == s)
		return false;
	*w = s;
	*wl = (size_t)(p - s);
	*pp = p;
	return true;
}

/* pp_lit - if the text at *pp starts with @lit, move past it and return true. */
static inline bool pp_lit(const char **pp, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *pp) < n || memcmp(*pp, lit, n) != 0)
		return false;
	*pp += n;
	return true;
}

/* pp_eq - true if [w, w+wl) equals the NUL-terminated @s. */
static inline bool pp_eq(const char *w, size_t wl, const char *s)
{
	return strlen(s) == wl && memcmp(w, s, wl) == 0;
}

/* pp_copy - [w, w+wl) into @dst (size @size, truncated, NUL-terminated). */
static inline void pp_copy(char *dst, size_t size, const char *w, size_t wl)
{
	if (size == 0)
		return;
	if (wl >= size)
		wl = size - 1;
	memcpy(dst, w, wl);
	dst[wl] = '\0';
}

#endif /* RTLAB_PROBE_PARSE_H */
