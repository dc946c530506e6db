/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-cgroup-parse.c - /proc/<pid>/cgroup: "hierarchy-ID:controllers:path" lines. */
#include <errno.h>
#include <string.h>

#include "probe-internal.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"

/* cgroup_line - one line [p, eol) into @cg; false if malformed. */
static bool cgroup_line(const char *p, const char *eol, struct rtlab_proc_cgroup *cg)
{
	const char *colon;
	uint64_t id;
	size_t n;

	if (!pp_u64(&p, eol, &id) || id > UINT32_MAX || !pp_lit(&p, eol, ":"))
		return false;
	colon = memchr(p, ':', (size_t)(eol - p));
	if (!colon)
		return false;
	cg->hierarchy = (uint32_t)id;
	n = (size_t)(colon - p);
	pp_copy(cg->controllers, sizeof(cg->controllers), p, n);
	cg->truncated = n >= sizeof(cg->controllers);
	p = colon + 1;
	n = (size_t)(eol - p);
	pp_copy(cg->path, sizeof(cg->path), p, n);
	cg->truncated |= n >= sizeof(cg->path);
	return true;
}

/* proc_cgroup_parse - every line; the path is the rest of the line (it may hold colons). */
int proc_cgroup_parse(const char *buf, size_t len, struct rtlab_proc_cgroup *out, size_t max,
		      size_t *count)
{
	const char *p = buf, *end = buf + len;
	struct rtlab_proc_cgroup scratch;
	int r = 0;

	*count = 0;
	while (p < end) {
		const char *eol = pp_eol(p, end);

		struct rtlab_proc_cgroup *cg = *count < max ? &out[*count] : &scratch;

		if (p < eol) {
			if (eol < end && cgroup_line(p, eol, cg))
				(*count)++;
			else
				r = -EBADMSG;
		}
		p = eol < end ? eol + 1 : end;
	}
	return r;
}
