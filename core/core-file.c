/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core-file.c - reading small /proc and /sys files below the context's root. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "core-internal.h"

/* rtlab_path - "<root><path>". */
int rtlab_path(const struct rtlab_ctx *ctx, const char *path, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s", ctx ? ctx->root : "", path);

	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* rtlab_read_file - read a whole small file (sysfs/procfs) into @buf. */
ssize_t rtlab_read_file(const struct rtlab_ctx *ctx, const char *path, char *buf, size_t size)
{
	_cleanup_(closep) int fd = -1;
	char full[PATH_MAX];
	size_t len = 0;
	int r;

	if (size == 0)
		return -EINVAL;
	r = rtlab_path(ctx, path, full, sizeof(full));
	if (r < 0)
		return r;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

/* rtlab_read_line - first line, trimmed. */
ssize_t rtlab_read_line(const struct rtlab_ctx *ctx, const char *path, char *buf, size_t size)
{
	ssize_t n = rtlab_read_file(ctx, path, buf, size);
	char *nl, *s;
	size_t len;

	if (n < 0)
		return n;
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	s = buf;
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	memmove(buf, s, len);
	buf[len] = '\0';
	return (ssize_t)len;
}

/* rtlab_read_i64 - first line as a signed decimal number. */
int rtlab_read_i64(const struct rtlab_ctx *ctx, const char *path, int64_t *ret)
{
	char buf[64], *end;
	long long v;
	ssize_t n;

	n = rtlab_read_line(ctx, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENODATA;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno)
		return -errno;
	if (*end)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* rtlab_strlcpy - bounded copy. */
size_t rtlab_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
