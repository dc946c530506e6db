/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* text.c - the exporters' text helpers: strict UTF-8, escaping per format, numbers. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export-internal.h"

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
	static const char hex[] = "0123456789abcdef";
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

/* ex_escape - @s escaped for @mode, bytes that need nothing copied in runs. */
int ex_escape(struct rtlab_buf *b, const char *s, size_t n, enum ex_esc_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	char tmp[8];

	while (i < n) {
		const char *rep = NULL;
		size_t len;

		/* Printable ASCII that no mode escapes: the common case, decided here. */
		if (p[i] >= 0x20 && p[i] < 0x7f && !strchr("\"\\&<>'", p[i])) {
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

/* ex_fmt_u64 - @v in decimal. */
size_t ex_fmt_u64(uint64_t v, char *buf)
{
	char t[24];
	size_t n = 0, i;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = t[n - 1 - i];
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

/* rtlab_fmt_double - shortest text that reads back as @v, or Prometheus' NaN/+Inf/-Inf. */
size_t rtlab_fmt_double(double v, char *buf, size_t size)
{
	char t[40];
	size_t n;

	if (isnan(v))
		snprintf(t, sizeof(t), "NaN");
	else if (isinf(v))
		snprintf(t, sizeof(t), "%sInf", v > 0 ? "+" : "-");
	for (int prec = 15; isfinite(v) && prec <= 17; prec++) {
		snprintf(t, sizeof(t), "%.*g", prec, v);
		if (strtod(t, NULL) == v)
			break;
	}
	/* A locale with a decimal comma: the formats want a point. */
	for (char *c = t; *c; c++)
		if (*c == ',')
			*c = '.';
	n = strlen(t);
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
