/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli-common.c - log sink, error printing and terminal escaping for the CLI. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* cli_escape - make @s safe for a terminal. */
const char *cli_escape(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	size_t len = 0;

	if (size == 0)
		return buf;
	while (*p && len + 5 < size) {
		size_t n = rtlab_utf8_len(p, (size_t)(end - p));

		/* C1 controls (U+0080..U+009F) are terminal controls too. */
		if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
			n = 0;

		if (n == 1 && *p >= 0x20 && *p != 0x7f && *p != '\\') {
			buf[len++] = (char)*p++;
		} else if (n > 1) {
			memcpy(buf + len, p, n);
			len += n;
			p += n;
		} else {
			len += (size_t)snprintf(buf + len, size - len, "\\x%02x", *p++);
		}
	}
	buf[len] = '\0';
	return buf;
}

/* cli_log - the library's messages go to stderr, escaped. */
void cli_log(enum rtlab_log_level level, const char *msg, void *userdata)
{
	char esc[2048];

	(void)userdata;
	fprintf(stderr, "rtlab: %s%s%s\n", level == RTLAB_LOG_INFO ? "" : rtlab_log_level_name(level),
		level == RTLAB_LOG_INFO ? "" : ": ", cli_escape(msg, esc, sizeof(esc)));
}

/* cli_usage_error - one line naming what is wrong with the command line. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "rtlab %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return EXIT_USAGE;
}
