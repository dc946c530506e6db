/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* parse-msg.c - scenario messages: "file:line: message", with user text escaped. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parse-internal.h"

#define ELLIPSIS "..."

/* escape_one - the escaped form of the sequence at @s (@n bytes left) into @out; its length. */
static size_t escape_one(const unsigned char *s, size_t n, char out[8], size_t *ret_used)
{
	size_t len = rtlab_utf8_len(s, n);

	*ret_used = 1;
	if (s[0] == '\\') {
		memcpy(out, "\\\\", 2);
		return 2;
	}
	if (len == 0 || s[0] < 0x20 || s[0] == 0x7f) {
		snprintf(out, 8, "\\x%02x", s[0]);
		return 4;
	}
	memcpy(out, s, len);
	*ret_used = len;
	return len;
}

/* escaped_len - the length of @s once escaped. */
static size_t escaped_len(const unsigned char *p, size_t n)
{
	size_t total = 0;

	while (n > 0) {
		char one[8];
		size_t used;

		total += escape_one(p, n, one, &used);
		p += used;
		n -= used;
	}
	return total;
}

/* sc_escape - control characters, backslashes and non-UTF-8 bytes as \xNN. */
char *sc_escape(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len = 0;
	/* What must stay free after each sequence: the NUL, and the ellipsis if cut. */
	size_t reserve = escaped_len(p, n) < size ? 1 : sizeof(ELLIPSIS);

	if (size == 0)
		return buf;
	while (n > 0) {
		char one[8];
		size_t used, k = escape_one(p, n, one, &used);

		if (len + k + reserve > size)
			break;
		memcpy(buf + len, one, k);
		len += k;
		p += used;
		n -= used;
	}
	if (n > 0 && len + sizeof(ELLIPSIS) <= size) {
		memcpy(buf + len, ELLIPSIS, sizeof(ELLIPSIS) - 1);
		len += sizeof(ELLIPSIS) - 1;
	}
	buf[len] = '\0';
	return buf;
}

/* sc_msg - "path:line: message" into @err; returns -EINVAL. */
int sc_msg(char *err, size_t errsize, const char *path, unsigned line, const char *fmt, ...)
{
	char epath[256], msg[RTLAB_SCENARIO_ERR_MAX];
	va_list ap;

	if (!err || errsize == 0)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sc_escape(path, epath, sizeof(epath));
	if (line)
		snprintf(err, errsize, "%s:%u: %s", epath, line, msg);
	else
		snprintf(err, errsize, "%s: %s", epath, msg);
	return -EINVAL;
}

/* sc_name_valid - a section or scenario name: [A-Za-z0-9_.-]{1,63}. */
bool sc_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= RTLAB_SCENARIO_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/* sc_format_duration - "1500us", "2s", "0ns": the largest exact unit. */
char *sc_format_duration(uint64_t ns, char *buf, size_t size)
{
	static const struct {
		const char *suffix;
		uint64_t ns;
	} units[] = {
		{ "h", 3600 * RTLAB_NSEC_PER_SEC }, { "m", 60 * RTLAB_NSEC_PER_SEC },
		{ "s", RTLAB_NSEC_PER_SEC }, { "ms", RTLAB_NSEC_PER_MSEC },
		{ "us", RTLAB_NSEC_PER_USEC },
	};
	size_t i;

	for (i = 0; i < RTLAB_ARRAY_SIZE(units); i++)
		if (ns != 0 && ns % units[i].ns == 0)
			break;
	if (i == RTLAB_ARRAY_SIZE(units))
		snprintf(buf, size, "%lluns", (unsigned long long)ns);
	else
		snprintf(buf, size, "%llu%s", (unsigned long long)(ns / units[i].ns),
			 units[i].suffix);
	return buf;
}
