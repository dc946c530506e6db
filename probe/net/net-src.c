/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-src.c - reading the /proc/net tables whole.
 *
 * Most of them are seq_files that print one record (socket, route,
 * interface) at a time: a read returns at most one kernel page of records,
 * however big the buffer, so one pread is not the whole table once it passes
 * a page.  A read that returns less than a page minus the largest record
 * stopped because the records ran out; any other asks for another read, at
 * the offset the kernel is at (which costs no re-walk of the table).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net-internal.h"

/*
 * A record of these tables is at most this long (a unix socket line with a
 * 108-byte path is about 200), and a page at least 4096 bytes.
 */
#define SEQ_RECORD_MAX 1024
#define SEQ_PAGE_MIN 4096
#define SEQ_SHORT (SEQ_PAGE_MIN - SEQ_RECORD_MAX)

/* src_room - room for @more bytes after @len in @s's buffer (grown while too small). */
static int src_room(struct probe_src *s, size_t len, size_t more)
{
	size_t cap = s->cap;
	char *b;

	if (len + more + 1 <= s->cap)
		return 0;
	while (len + more + 1 > cap)
		cap *= 2;
	b = realloc(s->buf, cap);
	if (!b)
		return -ENOMEM;
	s->buf = b;
	s->cap = cap;
	return 0;
}

/* net_src_read - probe_src_read, then on while the table may go on. */
ssize_t net_src_read(struct rtlab_probe *p, struct probe_src *s)
{
	ssize_t n = probe_src_read(p, s);
	size_t len;

	if (n < 0)
		return n;
	len = (size_t)n;
	while (n > SEQ_SHORT) {
		if (src_room(s, len, SEQ_PAGE_MIN) < 0)
			return -ENOMEM;
		n = pread(s->fd, s->buf + len, s->cap - 1 - len, (off_t)len);
		if (n < 0 && errno == EINTR) {
			n = SEQ_SHORT + 1;
			continue;
		}
		if (n < 0)
			return -errno;
		len += (size_t)n;
	}
	s->buf[len] = '\0';
	s->len = len;
	return (ssize_t)len;
}

/* net_read - read, naming a failure (but an allowed absence) in why. */
ssize_t net_read(struct probe_cx *cx, struct probe_src *s, bool absent_ok)
{
	ssize_t n = net_src_read(cx->p, s);

	if (n < 0 && n != -ENOMEM && !(absent_ok && n == -ENOENT))
		probe_why(cx, "%s: %s", s->path, strerror((int)-n));
	return n;
}

/* net_parsed - OK, or MALFORMED with the line named. */
uint8_t net_parsed(struct probe_cx *cx, const struct probe_src *s, int r, unsigned bad_line)
{
	if (r >= 0)
		return RTLAB_PV_OK;
	if (r == -ENOSPC)
		probe_why(cx, "%s: more values than room for them", s->path);
	else
		probe_why(cx, "%s:%u: malformed", s->path, bad_line);
	return RTLAB_PV_MALFORMED;
}
