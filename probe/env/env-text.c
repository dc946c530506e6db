/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* env-text.c - environ blocks, key="value" files and the text helpers of the detectors. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "env/env-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

#define CONTAINER_ID_LEN 64

/* env_get - "KEY=value" entries separated by NULs. */
bool env_get(const char *buf, size_t len, const char *key, const char **val, size_t *vlen)
{
	const char *p = buf, *end = buf + len;
	size_t kl = strlen(key);

	if (!buf)
		return false;
	while (p < end) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		const char *e = nul ? nul : end;

		if ((size_t)(e - p) > kl && memcmp(p, key, kl) == 0 && p[kl] == '=') {
			*val = p + kl + 1;
			*vlen = (size_t)(e - p - (ptrdiff_t)kl - 1);
			return true;
		}
		p = e < end ? e + 1 : end;
	}
	return false;
}

/* env_kv_quoted - a line key="value" (or key=value), quotes taken off. */
bool env_kv_quoted(const char *buf, size_t len, const char *key, const char **val, size_t *vlen)
{
	const char *p = buf, *end = buf + len;

	if (!buf)
		return false;
	while (p < end) {
		const char *eol = pp_eol(p, end), *q = p;

		p = eol < end ? eol + 1 : end;
		if (!pp_lit(&q, eol, key) || !pp_lit(&q, eol, "="))
			continue;
		if (eol - q >= 2 && *q == '"' && eol[-1] == '"') {
			q++;
			*vlen = (size_t)(eol - q - 1);
		} else {
			*vlen = (size_t)(eol - q);
		}
		*val = q;
		return true;
	}
	return false;
}

/* env_text_has - memmem on a bounded buffer. */
bool env_text_has(const char *buf, size_t len, const char *needle)
{
	return buf && memmem(buf, len, needle, strlen(needle)) != NULL;
}

/* env_text_line - the first line, trimmed. */
void env_text_line(const struct env_text *t, char *dst, size_t size)
{
	const char *p, *e;

	if (size)
		dst[0] = '\0';
	if (!t->buf || t->st != RTLAB_PV_OK)
		return;
	e = pp_eol(t->buf, t->buf + t->len);
	p = pp_skip_blanks(t->buf, e);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\0'))
		e--;
	pp_copy(dst, size, p, (size_t)(e - p));
}

/* env_evidence_vadd - env_evidence_add() with a va_list. */
void env_evidence_vadd(char *ev, const char *fmt, va_list ap)
{
	size_t n = strnlen(ev, RTLAB_PROBE_EVIDENCE_LEN - 1);

	if (n && n + 2 < RTLAB_PROBE_EVIDENCE_LEN) {
		memcpy(ev + n, "; ", 3);
		n += 2;
	}
	if (n + 1 >= RTLAB_PROBE_EVIDENCE_LEN)
		return;
	vsnprintf(ev + n, RTLAB_PROBE_EVIDENCE_LEN - n, fmt, ap);
}

/* env_evidence_add - "a; b" with the new sign at the end (truncated to fit). */
void env_evidence_add(char *ev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	env_evidence_vadd(ev, fmt, ap);
	va_end(ap);
}

/* is_hex - a lowercase hexadecimal digit (container ids are lowercase). */
static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* env_hex_id - the first run of exactly 64 hex digits. */
bool env_hex_id(const char *buf, size_t len, char *id, size_t size)
{
	size_t run = 0;

	if (!buf)
		return false;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && is_hex(buf[i])) {
			run++;
			continue;
		}
		if (run == CONTAINER_ID_LEN) {
			pp_copy(id, size, buf + i - run, run);
			return true;
		}
		run = 0;
	}
	return false;
}
