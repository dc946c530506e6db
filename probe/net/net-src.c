/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-src.c - reading the /proc/net tables in a collection: a failure (but an
 * allowed absence) named in the family's why, a parse failure with its line.
 * probe_src_read() reads tables longer than a kernel page whole.
 */
#include <errno.h>
#include <string.h>

#include "net/net-internal.h"

/* net_read - read, naming a failure (but an allowed absence) in why. */
ssize_t net_read(struct probe_cx *cx, struct probe_src *s, bool absent_ok)
{
	ssize_t n = probe_src_read(cx->p, s);

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
