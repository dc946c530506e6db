/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * text.c - the exporters' text helpers: strict UTF-8, escaping per format,
 * numbers.  The Prometheus writer calls the escaper and the formatters once
 * or more per sample, so they write straight into room the caller reserved
 * and need no stdio in the common cases.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export-internal.h"

static const char hex[] = "0123456789abcdef";

/* esc_ascii - the replacement of ASCII @c in @mode, or NULL if it stays as it is. */
static const char *esc_ascii(unsigned char c, enum ex_esc_mode mode, char tmp[8])
{
	switch (mode) {
	case EX_ESC_PROM_LABEL:
		if (c == '"')
			return "\\\"";
		/* fall through */
	case EX_ESC_PROM_HELP:
		return c == '\\' ? "\\\\" : c == '\n' ? "\\n" : NULL;
	case EX_ESC_JSON:
		if (c == '"' || c == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			tmp[2] = '\0';
			return tmp;
		}
		if (c == '\n')
			return "\\n";
		if (c == '\t')
			return "\\t";
		if (c < 0x20) {
			snprintf(tmp, 8, "\\u%04x", c);
			return tmp;
		}
		return NULL;
	case EX_ESC_HTML:
		return c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" :
		       c == '"' ? "&quot;" : c == '\'' ? "&#39;" : NULL;
	default:
		return NULL;
	}
}

/* esc_invalid - the text written for a byte that is not valid UTF-8. */
static int esc_invalid(struct rtlab_buf *b, unsigned char c, enum ex_esc_mode mode)
{
	char t[6];
	size_t n = 0;

	/* The text \xHH: its backslash is escaped too, except in HTML. */
	t[n++] = '\\';
	if (mode != EX_ESC_HTML)
		t[n++] = '\\';
	t[n++] = 'x';
	t[n++] = hex[c >> 4];
	t[n++] = hex[c & 15];
	return rtlab_buf_append(b, t, n);
}

/* plain_ascii - printable ASCII that no mode escapes. */
static inline bool plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '&' && c != '<' &&
	       c != '>' && c != '\'';
}

/* ex_escape - @s escaped for @mode, bytes that need nothing copied in runs. */
int ex_escape(struct rtlab_buf *b, const char *s, size_t n, enum ex_esc_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	char tmp[8];

	if (mode == EX_ESC_PROM_LABEL || mode == EX_ESC_PROM_HELP) {
		char *end;

		if (n > (SIZE_MAX / 2 - 1) / EX_ESC_GROWTH || ex_buf_room(b, EX_ESC_GROWTH * n))
			return -ENOMEM;
		end = ex_esc_prom(b->data + b->len, s, n, mode == EX_ESC_PROM_LABEL);
		b->len = (size_t)(end - b->data);
		b->data[b->len] = '\0';
		return 0;
	}
	while (i < n) {
		const char *rep = NULL;
		size_t len;

		/* Printable ASCII that no mode escapes: the common case, decided here. */
		if (plain_ascii(p[i])) {
			i++;
			continue;
		}
		len = rtlab_utf8_len(p + i, n - i);

		if (len == 1)
			rep = esc_ascii(p[i], mode, tmp);
		if (len && !rep) {
			i += len;
			continue;
		}
		if (rtlab_buf_append(b, s + run, i - run) < 0)
			return -ENOMEM;
		if (len ? rtlab_buf_puts(b, rep) : esc_invalid(b, p[i], mode))
			return -ENOMEM;
		run = ++i;
	}
	return rtlab_buf_append(b, s + run, i - run);
}

/* ex_escape_str - a C string escaped. */
int ex_escape_str(struct rtlab_buf *b, const char *s, enum ex_esc_mode mode)
{
	return s ? ex_escape(b, s, strlen(s), mode) : 0;
}

/* has_zero - some byte of @v is 0 (exact: no false positive on the whole word). */
static inline uint64_t has_zero(uint64_t v)
{
	return (v - EX_ONES) & ~v & EX_HIGHS;
}

/* word_plain - none of the eight bytes in @x is escaped or outside ASCII. */
static inline bool word_plain(uint64_t x, bool label)
{
	return !((x & EX_HIGHS) | has_zero(x ^ (EX_ONES * '\\')) |
		 has_zero(x ^ (EX_ONES * '\n')) | (label ? has_zero(x ^ (EX_ONES * '"')) : 0));
}

/* ex_esc_prom - eight bytes at a time while nothing needs escaping, else byte by byte. */
char *ex_esc_prom(char *dst, const char *s, size_t n, bool label)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c;
		size_t len;

		for (uint64_t x; n - i >= 8; i += 8, dst += 8) {
			memcpy(&x, p + i, sizeof(x));
			if (!word_plain(x, label))
				break;
			memcpy(dst, &x, sizeof(x));
		}
		if (i == n)
			break;
		c = p[i];
		if (c < 0x80) {
			if (c == '\\' || c == '\n' || (label && c == '"')) {
				*dst++ = '\\';
				c = c == '\n' ? 'n' : c;
			}
			*dst++ = (char)c;
			i++;
			continue;
		}
		len = rtlab_utf8_len(p + i, n - i);
		if (len) {
			memcpy(dst, p + i, len);
			dst += len;
			i += len;
			continue;
		}
		/* Not UTF-8: the text \xHH, its backslash escaped. */
		*dst++ = '\\';
		*dst++ = '\\';
		*dst++ = 'x';
		*dst++ = hex[c >> 4];
		*dst++ = hex[c & 15];
		i++;
	}
	return dst;
}

/* Two decimal digits of 0..99, for the formatters. */
static const char digits2[] = "00010203040506070809101112131415161718192021222324252627282930"
			      "31323334353637383940414243444546474849505152535455565758596061"
			      "62636465666768697071727374757677787980818283848586878889909192"
			      "93949596979899";

/* ex_fmt_u64 - @v in decimal, two digits per division, written from the end. */
size_t ex_fmt_u64(uint64_t v, char *buf)
{
	char t[24];
	char *p = t + sizeof(t);
	size_t n;

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;

		v /= 100;
		*--p = digits2[d + 1];
		*--p = digits2[d];
	}
	if (v >= 10) {
		*--p = digits2[v * 2 + 1];
		*--p = digits2[v * 2];
	} else {
		*--p = (char)('0' + v);
	}
	n = (size_t)(t + sizeof(t) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

/* ex_fmt_i64 - @v in decimal with its sign (INT64_MIN included). */
size_t ex_fmt_i64(int64_t v, char *buf)
{
	if (v >= 0)
		return ex_fmt_u64((uint64_t)v, buf);
	buf[0] = '-';
	return 1 + ex_fmt_u64(~(uint64_t)v + 1, buf + 1);
}

/* fmt_double_stdio - "%.15g", "%.16g" or "%.17g", the first that reads back as @v. */
static size_t fmt_double_stdio(double v, char *buf)
{
	char t[40];
	size_t n;

	for (int prec = 15; prec <= 17; prec++) {
		snprintf(t, sizeof(t), "%.*g", prec, v);
		if (strtod(t, NULL) == v)
			break;
	}
	/* A locale with a decimal comma: the formats want a point. */
	for (char *c = t; *c; c++)
		if (*c == ',')
			*c = '.';
	n = strlen(t);
	if (n >= EX_NUM_MAX)
		n = EX_NUM_MAX - 1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	return n;
}

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

/* put_g - the @prec digits of @d (decimal exponent @x) as "%.*g" writes them; the length. */
static size_t put_g(uint64_t d, int prec, int x, char *buf)
{
	char dig[24];
	size_t nd = ex_fmt_u64(d, dig), n = 0;

	/* %g drops the trailing zeros of the fraction. */
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	if (x < -4 || x >= prec) {
		buf[n++] = dig[0];
		if (nd > 1) {
			buf[n++] = '.';
			memcpy(buf + n, dig + 1, nd - 1);
			n += nd - 1;
		}
		buf[n++] = 'e';
		buf[n++] = x < 0 ? '-' : '+';
		x = x < 0 ? -x : x;
		if (x >= 100)
			buf[n++] = (char)('0' + x / 100);
		buf[n++] = digits2[x % 100 * 2];
		buf[n++] = digits2[x % 100 * 2 + 1];
	} else if (x >= 0) {
		size_t ip = (size_t)x + 1;

		if (nd <= ip) {
			memcpy(buf, dig, nd);
			memset(buf + nd, '0', ip - nd);
			n = ip;
		} else {
			memcpy(buf, dig, ip);
			buf[ip] = '.';
			memcpy(buf + ip + 1, dig + ip, nd - ip);
			n = nd + 1;
		}
	} else {
		size_t z = (size_t)(-x - 1);

		buf[n++] = '0';
		buf[n++] = '.';
		memset(buf + n, '0', z);
		n += z;
		memcpy(buf + n, dig, nd);
		n += nd;
	}
	buf[n] = '\0';
	return n;
}

/*
 * fmt_double_exact - what fmt_double_stdio() writes for a finite, positive,
 * non-integral @a in [1e-6, 1e15), worked out exactly in 128-bit integers:
 * @a is m * 2^-sh, so @a * 10^s is m * 10^s / 2^sh, rounded half to even as
 * printf rounds; the digits read back as @a when they are within half a unit
 * in the last place of it (a quarter below a power of two), ties going to the
 * even mantissa as strtod breaks them.  0 when @a is out of that range.
 */
static size_t fmt_double_exact(double a, char *buf)
{
	static const uint64_t p10[20] = {
		UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
		UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000),
		UINT64_C(1000000000), UINT64_C(10000000000), UINT64_C(100000000000),
		UINT64_C(1000000000000), UINT64_C(10000000000000), UINT64_C(100000000000000),
		UINT64_C(1000000000000000), UINT64_C(10000000000000000),
		UINT64_C(100000000000000000), UINT64_C(1000000000000000000),
		UINT64_C(10000000000000000000),
	};
	int ex, sh, x;
	uint64_t m;

	if (!(a >= 1e-6 && a < 1e15))
		return 0;
	m = (uint64_t)ldexp(frexp(a, &ex), 53);
	sh = 53 - ex;
	if (sh < 1 || sh > 100)
		return 0;
	/* floor(log10(a)), or one less: corrected below. */
	x = (ex - 1) * 78913 >> 18;
	for (int prec = 15; prec <= 17; prec++) {
		int s = prec - 1 - x, fix;
		u128 n, r, half, err, lim;
		uint64_t q;
		bool up, ok;

		for (fix = 0; fix < 3; fix++) {
			if (s < 0 || s > 22)
				return 0;
			n = (u128)m * (s > 19 ? p10[s - 19] * (u128)p10[19] : p10[s]);
			q = (uint64_t)(n >> sh);
			if (q < p10[prec - 1]) {
				x--;
				s++;
			} else if (q >= p10[prec]) {
				x++;
				s--;
			} else {
				break;
			}
		}
		if (fix == 3)
			return 0;
		r = n & (((u128)1 << sh) - 1);
		half = (u128)1 << (sh - 1);
		up = r > half || (r == half && (q & 1));
		err = up ? ((u128)1 << sh) - r : r;
		q += up;
		lim = s > 19 ? p10[s - 19] * (u128)p10[19] : p10[s];
		/* Below a power of two the next double down is half as far. */
		if (!up && err && m == UINT64_C(1) << 52)
			ok = 4 * err <= lim;
		else
			ok = 2 * err < lim || (2 * err == lim && !(m & 1));
		if (ok) {
			int xp = x;

			if (q == p10[prec]) {
				q = p10[prec - 1];
				xp++;
			}
			return put_g(q, prec, xp, buf);
		}
	}
	return 0;
}
#else
/* fmt_double_exact - no 128-bit integers here: stdio does it. */
static size_t fmt_double_exact(double a, char *buf)
{
	(void)a;
	(void)buf;
	return 0;
}
#endif

/* ex_fmt_f64 - integers up to 1e15 as integers, common ranges exactly, the rest with stdio. */
size_t ex_fmt_f64(double v, char *buf)
{
	size_t sign = 0, n;
	double a = v;

	if (isnan(v)) {
		memcpy(buf, "NaN", 4);
		return 3;
	}
	if (isinf(v)) {
		memcpy(buf, v > 0 ? "+Inf" : "-Inf", 5);
		return 4;
	}
	if (signbit(v)) {
		buf[sign++] = '-';
		a = -v;
	}
	/* What "%.15g" writes for a whole number below 1e15 (and -0 for minus zero). */
	if (a < 1e15 && a == (double)(uint64_t)a)
		return sign + ex_fmt_u64((uint64_t)a, buf + sign);
	n = fmt_double_exact(a, buf + sign);
	return n ? sign + n : fmt_double_stdio(v, buf);
}

/* rtlab_fmt_double - shortest text that reads back as @v, or Prometheus' NaN/+Inf/-Inf. */
size_t rtlab_fmt_double(double v, char *buf, size_t size)
{
	char t[EX_NUM_MAX];
	size_t n = ex_fmt_f64(v, t);

	if (!size)
		return 0;
	if (n >= size)
		n = size - 1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	return n;
}

/* ex_strerror - strerror without the shared buffer (the names are static). */
const char *ex_strerror(int err)
{
	const char *s = strerrordesc_np(err < 0 ? -err : err);

	return s ? s : "unknown error";
}
