/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-json.c - an event's own fields as a JSON object, written into a reused buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "ftrace-internal.h"

#define TEXT_ESC_MAX 1024	/* bytes of "\xHH" text kept for a string that is not UTF-8 */

/* ftrace_buf_free - the buffer's memory. */
void ftrace_buf_free(struct ftrace_buf *b)
{
	free(b->p);
	*b = (struct ftrace_buf){ 0 };
}

/* buf_room - room for @n more bytes and a NUL; 0 or -ENOMEM. */
static int buf_room(struct ftrace_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->len + n + 1 <= b->cap)
		return 0;
	while (cap < b->len + n + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* put - @n bytes at the end (the NUL is written once, at the end of the object). */
static inline int put(struct ftrace_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap && buf_room(b, n) < 0)
		return -ENOMEM;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

/* utf8_seq - the length of the valid UTF-8 sequence at @p (at most @n bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned int v;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, v = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, v = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, v = p[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
		v = (v << 6) | (p[i] & 0x3fu);
	}
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) || (len == 2 && v < 0x80) ||
	    (len == 3 && v < 0x800) || (len == 4 && v < 0x10000))
		return 0;
	return len;
}

/* is_utf8 - whether @n bytes at @p are valid UTF-8. */
static bool is_utf8(const unsigned char *p, size_t n)
{
	for (size_t i = 0, k; i < n; i += k) {
		k = utf8_seq(p + i, n - i);
		if (!k)
			return false;
	}
	return true;
}

/* put_string - @n bytes of UTF-8 as a JSON string: '"', '\\' and control bytes escaped. */
static int put_string(struct ftrace_buf *b, const char *s, size_t n)
{
	static const char short_esc[32] = { ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n',
					    ['\r'] = 'r', ['\t'] = 't' };
	size_t start = 0;
	int r = put(b, "\"", 1);

	for (size_t i = 0; i < n && r >= 0; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		r = put(b, s + start, i - start);
		start = i + 1;
		if (r < 0)
			break;
		if (c >= 0x20 || short_esc[c]) {
			esc[0] = '\\';
			esc[1] = c >= 0x20 ? (char)c : short_esc[c];
			r = put(b, esc, 2);
		} else {
			snprintf(esc, sizeof(esc), "\\u%04X", c);
			r = put(b, esc, 6);
		}
	}
	if (r >= 0)
		r = put(b, s + start, n - start);
	return r >= 0 ? put(b, "\"", 1) : r;
}

/* put_text - a C string of at most @n bytes; bytes that are not UTF-8 become "\xHH". */
static int put_text(struct ftrace_buf *b, const char *p, size_t n)
{
	char esc[TEXT_ESC_MAX];
	size_t len = 0;

	n = strnlen(p, n);
	if (is_utf8((const unsigned char *)p, n))
		return put_string(b, p, n);
	for (size_t i = 0; i < n && len + 5 < sizeof(esc); i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			esc[len++] = (char)c;
		else
			len += (size_t)snprintf(esc + len, sizeof(esc) - len, "\\x%02x", c);
	}
	return put_string(b, esc, len);
}

/* put_u64 - @v in decimal, with a '-' first when @neg. */
static int put_u64(struct ftrace_buf *b, unsigned long long v, bool neg)
{
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		d[--i] = '-';
	return put(b, d + i, sizeof(d) - i);
}

/* put_number - @size bytes at @p as a JSON number (unsigned above 2^63: a decimal string). */
static int put_number(struct ftrace_buf *b, struct tep_handle *tep, const void *p, int size,
		      bool is_signed)
{
	unsigned long long v = tep_read_number(tep, p, size);
	int r;

	if (is_signed && size < 8 && size > 0 && (v >> (size * 8 - 1)) & 1)
		v |= ~0ULL << (size * 8);
	if (is_signed && (long long)v < 0)
		return put_u64(b, 0ULL - v, true);
	if (is_signed || v <= (unsigned long long)INT64_MAX)
		return put_u64(b, v, false);
	r = put(b, "\"", 1);
	if (r >= 0)
		r = put_u64(b, v, false);
	return r >= 0 ? put(b, "\"", 1) : r;
}

/* is_text - a char array or string field. */
static bool is_text(const struct tep_format_field *f)
{
	return (f->flags & TEP_FIELD_IS_STRING) ||
	       ((f->flags & TEP_FIELD_IS_ARRAY) && f->elementsize == 1 && strstr(f->type, "char"));
}

/* put_array - @n elements of @esize bytes as a JSON array of numbers. */
static int put_array(struct ftrace_buf *b, struct tep_handle *tep, const unsigned char *p,
		     unsigned int n, unsigned int esize, bool is_signed)
{
	int r = put(b, "[", 1);

	for (unsigned int i = 0; esize && i < n && r >= 0; i++) {
		if (i)
			r = put(b, ",", 1);
		if (r >= 0)
			r = put_number(b, tep, p + i * esize, (int)esize, is_signed);
	}
	return r >= 0 ? put(b, "]", 1) : r;
}

/* put_field - one field of @rec (null when it lies outside the record). */
static int put_field(struct ftrace_buf *b, struct tep_event *ev, const struct tep_format_field *f,
		     const struct tep_record *rec)
{
	const unsigned char *data = rec->data;
	bool sgn = f->flags & TEP_FIELD_IS_SIGNED;
	unsigned int off = (unsigned int)f->offset, len = (unsigned int)f->size;

	if (f->offset < 0 || f->size < 0 || (int)(off + len) > rec->size)
		return put(b, "null", 4);
	if (f->flags & TEP_FIELD_IS_DYNAMIC) {
		unsigned long long loc = tep_read_number(ev->tep, data + off, f->size);

		off = (unsigned int)(loc & 0xffff) +
		      ((f->flags & TEP_FIELD_IS_RELATIVE) ? off + (unsigned int)f->size : 0);
		len = (unsigned int)(loc >> 16) & 0xffff;
		if ((int)(off + len) > rec->size)
			return put(b, "null", 4);
		if (is_text(f) || strstr(f->type, "char"))
			return put_text(b, (const char *)data + off, len);
		return put_array(b, ev->tep, data + off, f->elementsize ? len / f->elementsize : 0,
				 f->elementsize, sgn);
	}
	if (is_text(f))
		return put_text(b, (const char *)data + off, len);
	if (f->flags & TEP_FIELD_IS_ARRAY)
		return put_array(b, ev->tep, data + off, f->arraylen, f->elementsize, sgn);
	return put_number(b, ev->tep, data + off, f->size, sgn);
}

/* ftrace_fields_json - every field of the event's own format, in order, into @b. */
int ftrace_fields_json(struct ftrace_buf *b, struct tep_event *ev, const struct tep_record *rec)
{
	int r;

	b->len = 0;
	r = put(b, "{", 1);
	for (struct tep_format_field *f = ev->format.fields; f && r >= 0; f = f->next) {
		if (f != ev->format.fields)
			r = put(b, ",", 1);
		if (r >= 0)
			r = put_string(b, f->name, strlen(f->name));
		if (r >= 0)
			r = put(b, ":", 1);
		if (r >= 0)
			r = put_field(b, ev, f, rec);
	}
	if (r >= 0)
		r = put(b, "}", 1);
	if (r >= 0)
		b->p[b->len] = '\0';
	return r;
}
