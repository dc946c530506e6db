/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sysfs-read.c - reading one-value sysfs attributes below the probe's root. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "disk/disk-internal.h"
#include "disk/disk-parse.h"

/* Attributes read here are short: a number, a word, a label (BTRFS_LABEL_SIZE 256). */
#define ATTR_MAX 512

/* sysfs_read_u64 - one number; ABSENT, DENIED... from the error, MALFORMED if not a number. */
int sysfs_read_u64(const struct rtlab_probe *p, const char *path, struct rtlab_pu64 *out)
{
	char buf[ATTR_MAX];
	ssize_t n = probe_read_kept(p, path, buf, sizeof(buf));
	uint64_t v;

	if (n < 0) {
		PV_NA(*out, probe_st_from_errno((int)n));
		return (int)n;
	}
	if (sysfs_u64_parse(buf, (size_t)n, &v) < 0) {
		PV_NA(*out, RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	PV_SET(*out, v);
	return 0;
}

/* sysfs_read_word - the first line, trimmed; "" and a state when it cannot be read. */
int sysfs_read_word(const struct rtlab_probe *p, const char *path, char *dst, size_t size,
		    uint8_t *st)
{
	char buf[ATTR_MAX];
	ssize_t n = probe_read_kept(p, path, buf, sizeof(buf));

	if (size)
		dst[0] = '\0';
	if (n < 0) {
		*st = (uint8_t)probe_st_from_errno((int)n);
		return (int)n;
	}
	/* An empty label is a value: only a file that cannot be read is not. */
	sysfs_word_parse(buf, (size_t)n, dst, size);
	*st = RTLAB_PV_OK;
	return 0;
}

/* safe_name - a name from a file that may be used as one path component. */
bool safe_name(const char *name)
{
	return name[0] && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* path_fmt - vsnprintf with truncation as an error. */
int path_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		if (size)
			buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}
