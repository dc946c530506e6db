/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* buf.c - the growable text buffer the exporters write into. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export-internal.h"

#define BUF_MIN 256

/* ex_buf_room - room for @n more bytes and the NUL, doubling the capacity. */
int ex_buf_room(struct rtlab_buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > SIZE_MAX / 2 - b->len)
		return -ENOMEM;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : BUF_MIN;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

/* rtlab_buf_append - @n bytes of @s at the end. */
int rtlab_buf_append(struct rtlab_buf *b, const char *s, size_t n)
{
	if (ex_buf_room(b, n) < 0)
		return -ENOMEM;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

/* rtlab_buf_puts - a string at the end. */
int rtlab_buf_puts(struct rtlab_buf *b, const char *s)
{
	return rtlab_buf_append(b, s, strlen(s));
}

/* rtlab_buf_printf - formatted text at the end (formatted in place, twice if it did not fit). */
int rtlab_buf_printf(struct rtlab_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ex_buf_room(b, 64) < 0)
		return -ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->data[b->len] = '\0';
		return -EINVAL;
	}
	if ((size_t)n >= b->cap - b->len) {
		if (ex_buf_room(b, (size_t)n) < 0) {
			b->data[b->len] = '\0';
			return -ENOMEM;
		}
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
	return 0;
}

/* rtlab_buf_reset - empty, memory kept. */
void rtlab_buf_reset(struct rtlab_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* rtlab_buf_free - memory released. */
void rtlab_buf_free(struct rtlab_buf *b)
{
	free(b->data);
	*b = (struct rtlab_buf){ 0 };
}
