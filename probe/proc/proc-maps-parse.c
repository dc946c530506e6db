/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-maps-parse.c - one line of /proc/<pid>/maps. */
#include <errno.h>

#include "probe-internal.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"

/* proc_map_parse - "start-end perms offset maj:min inode   path". */
int proc_map_parse(const char *buf, size_t len, struct rtlab_proc_map *out, size_t *path_off,
		   size_t *path_len)
{
	const char *p = buf, *end = pp_eol(buf, buf + len);
	uint64_t maj, min;

	if (!proc_hex(&p, end, &out->start) || !pp_lit(&p, end, "-") ||
	    !proc_hex(&p, end, &out->end) || !pp_lit(&p, end, " ") || end - p < 5 || p[4] != ' ')
		return -EBADMSG;
	for (size_t i = 0; i < 4; i++)
		out->perms[i] = p[i] > ' ' && p[i] < 0x7f ? p[i] : '?';
	out->perms[4] = '\0';
	p += 4;
	if (!proc_hex(&p, end, &out->offset) || !proc_hex(&p, end, &maj) || !pp_lit(&p, end, ":") ||
	    !proc_hex(&p, end, &min) || maj > UINT32_MAX || min > UINT32_MAX ||
	    !pp_u64(&p, end, &out->inode))
		return -EBADMSG;
	out->dev_major = (uint32_t)maj;
	out->dev_minor = (uint32_t)min;
	if (p < end && *p != ' ')
		return -EBADMSG;
	p = pp_skip_blanks(p, end);
	*path_off = (size_t)(p - buf);
	*path_len = (size_t)(end - p);
	return 0;
}
