/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escape.c - text from a run made safe for HTML, a terminal, or a gnuplot string. */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "render/render-internal.h"

enum esc_mode {
	ESC_HTML,
	ESC_TEXT,
	ESC_GP,
};

/* The five characters HTML needs as entities (text and attribute values alike). */
static const char *const html_entity[128] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

/* is_control - a C0 control, DEL, or (two bytes) a C1 control U+0080..U+009F. */
static bool is_control(const unsigned char *p, size_t n)
{
	if (n == 1)
		return *p < 0x20 || *p == 0x7f;
	return n == 2 && p[0] == 0xc2 && p[1] < 0xa0;
}

/* put_bad - bytes that cannot go out as they are: \xHH each, '?' in gnuplot strings. */
static void put_bad(FILE *f, const unsigned char *p, size_t n, enum esc_mode mode)
{
	for (size_t i = 0; i < n; i++) {
		if (mode == ESC_GP)
			fputc('?', f);
		else
			fprintf(f, "\\x%02x", p[i]);
	}
}

/* put_one - one valid, non-control character (@n bytes at @p). */
static void put_one(FILE *f, const unsigned char *p, size_t n, enum esc_mode mode)
{
	if (n == 1 && mode == ESC_HTML && html_entity[*p])
		fputs(html_entity[*p], f);
	else if (n == 1 && mode == ESC_GP && *p == '\'')
		fputs("''", f);
	else if (n == 1 && mode == ESC_TEXT && *p == '\\')
		fputs("\\x5c", f);
	else
		fwrite(p, 1, n, f);
}

/* put_escaped - @s written for @mode. */
static void put_escaped(FILE *f, const char *s, enum esc_mode mode)
{
	const unsigned char *p = (const unsigned char *)s, *end;

	if (!s)
		return;
	end = p + strlen(s);
	while (p < end) {
		size_t n = rtlab_utf8_len(p, (size_t)(end - p));

		if (n == 0) {
			put_bad(f, p, 1, mode);
			n = 1;
		} else if (is_control(p, n) && !(mode == ESC_HTML && (*p == '\n' || *p == '\t'))) {
			put_bad(f, p, n, mode);
		} else {
			put_one(f, p, n, mode);
		}
		p += n;
	}
}

/* render_html - HTML-escaped. */
void render_html(FILE *f, const char *s)
{
	put_escaped(f, s, ESC_HTML);
}

/* render_text - terminal-safe. */
void render_text(FILE *f, const char *s)
{
	put_escaped(f, s, ESC_TEXT);
}

/* render_text_buf - render_text() into @buf (truncated to fit); @buf. */
const char *render_text_buf(const char *s, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	if (!f) {
		buf[0] = '\0';
		return buf;
	}
	/* Unbuffered: the stream's own buffer would hide how far the text got. */
	setvbuf(f, NULL, _IONBF, 0);
	put_escaped(f, s, ESC_TEXT);
	fclose(f);
	buf[size - 1] = '\0';
	return buf;
}

/* render_gp_string - a gnuplot single-quoted literal. */
void render_gp_string(FILE *f, const char *s)
{
	fputc('\'', f);
	put_escaped(f, s, ESC_GP);
	fputc('\'', f);
}

/* render_num - @v with about four significant digits, never in exponent form above 1e-3. */
const char *render_num(double v, char *buf, size_t size)
{
	double a = fabs(v);

	if (a >= 1e15 || (a > 0 && a < 1e-3))
		snprintf(buf, size, "%.3g", v);
	else if (a >= 100 || a == 0)
		snprintf(buf, size, "%.0f", v);
	else if (a >= 1)
		snprintf(buf, size, "%.2f", v);
	else
		snprintf(buf, size, "%.3f", v);
	return buf;
}

/* render_vfmt - vasprintf() of @fmt: the text (free() it), or NULL without memory. */
char *render_vfmt(const char *fmt, va_list ap)
{
	char *text = NULL;

	return vasprintf(&text, fmt, ap) < 0 ? NULL : text;
}

/* render_err - format the message, return @r. */
int render_err(char *err, size_t size, int r, const char *fmt, ...)
{
	va_list ap;

	if (!err || !size)
		return r;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return r;
}
