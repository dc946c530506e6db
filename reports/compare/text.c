/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* text.c - text from run files made safe for XML and JSON: valid UTF-8, no controls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare-internal.h"

/* XML's references for the characters that need one (tab and newline kept in attributes). */
static const char *const xml_refs[] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
	['\''] = "&apos;", ['\t'] = "&#9;", ['\n'] = "&#10;",
};

/* is_text - whether the valid UTF-8 sequence at @p (@n bytes) is text. */
static bool is_text(const unsigned char *p, size_t n)
{
	if (n == 1)
		return (*p >= 0x20 && *p != 0x7f) || *p == '\t' || *p == '\n';
	/* U+FFFE and U+FFFF are not characters (XML refuses them). */
	return !(n == 3 && p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xbe);
}

/* put_clean - @s into @f, each byte that is not text as "\xHH"; with @xml, references too. */
static void put_clean(FILE *f, const char *s, bool xml)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);

	while (p < end) {
		size_t n = rtlab_utf8_len(p, (size_t)(end - p));

		if (!n || !is_text(p, n))
			fprintf(f, "\\x%02x", *p++);
		else if (xml && n == 1 && *p < RTLAB_ARRAY_SIZE(xml_refs) && xml_refs[*p])
			fputs(xml_refs[*p++], f);
		else if (fwrite(p, 1, n, f) == n)
			p += n;
		else
			return;
	}
}

/* cmp_text_clean - the cleaned copy, made in a memory stream. */
char *cmp_text_clean(const char *s)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	bool bad;

	if (!f)
		return NULL;
	put_clean(f, s, false);
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		free(out);
		return NULL;
	}
	return out;
}

/* cmp_xml_put - cleaned and escaped; a failed write shows in ferror(@f). */
void cmp_xml_put(FILE *f, const char *s)
{
	put_clean(f, s, true);
}

/* cmp_utc_text - ISO 8601, UTC, no zone (JUnit's timestamp). */
const char *cmp_utc_text(time_t when, char *buf, size_t size)
{
	struct tm tm;

	if (!gmtime_r(&when, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(buf, size, "1970-01-01T00:00:00");
	return buf;
}
