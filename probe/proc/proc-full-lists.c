/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-full-lists.c - ProcessFull's lists: argv/environ, namespaces, cgroups, maps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe-parse.h"
#include "proc/proc-full.h"
#include "proc/proc-parse.h"

/* full_strings - a NUL-separated file into one blob and pointers to its strings. */
int full_strings(struct full_cx *c, enum rtlab_proc_src s, const char *name, char ***list,
		 uint32_t *n, char **blob, bool *truncated)
{
	ssize_t len = full_read(c, name, FULL_STRINGS_BYTES + 1);
	const char **ptrs;
	size_t count;

	*n = 0;
	*truncated = false;
	if (len < 0) {
		full_src_failed(c, s, name, (int)len);
		return len == -ENOMEM ? -ENOMEM : 0;
	}
	if (len > FULL_STRINGS_BYTES) {
		len = FULL_STRINGS_BYTES;
		*truncated = true;
	}
	*blob = malloc((size_t)len + 1);
	if (!*blob)
		return -ENOMEM;
	memcpy(*blob, c->buf, (size_t)len);
	(*blob)[len] = '\0';
	count = proc_nul_split(*blob, (size_t)len, NULL, 0);
	if (count > FULL_STRINGS_MAX) {
		count = FULL_STRINGS_MAX;
		*truncated = true;
	}
	ptrs = calloc(count ? count : 1, sizeof(*ptrs));
	if (!ptrs)
		return -ENOMEM;
	proc_nul_split(*blob, (size_t)len, ptrs, count);
	/* The strings live in the blob, which is ours to write. */
	*list = (char **)ptrs;
	*n = (uint32_t)count;
	full_src(c, s, RTLAB_PV_OK, name, 0);
	return 0;
}

/* full_ns - readlink ns/<name> for each namespace: "net:[4026531840]". */
void full_ns(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	char link[128], rel[64];
	bool failed = false;

	full_src(c, RTLAB_PROC_SRC_NS, RTLAB_PV_OK, "ns", 0);
	for (unsigned i = 0; i < RTLAB_PROC_NS__COUNT; i++) {
		ssize_t n;
		uint64_t ino;

		snprintf(rel, sizeof(rel), "ns/%s", rtlab_proc_ns_name(i));
		n = full_readlink(c, rel, link, sizeof(link));
		if (n < 0) {
			PV_NA(f->ns[i], probe_st_from_errno((int)n));
			if (!failed)
				full_src_failed(c, RTLAB_PROC_SRC_NS, rel, (int)n);
			failed = true;
		} else if (proc_ns_inode(link, (size_t)n, &ino) < 0) {
			PV_NA(f->ns[i], RTLAB_PV_MALFORMED);
			if (!failed)
				full_src(c, RTLAB_PROC_SRC_NS, RTLAB_PV_MALFORMED, rel, 0);
			failed = true;
		} else {
			PV_SET(f->ns[i], ino);
		}
	}
}

/* full_cgroups - count the lines, make room, parse again. */
int full_cgroups(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	ssize_t n = full_read(c, "cgroup", 0);
	size_t count;
	int r;

	if (n < 0) {
		full_src_failed(c, RTLAB_PROC_SRC_CGROUP, "cgroup", (int)n);
		return n == -ENOMEM ? -ENOMEM : 0;
	}
	proc_cgroup_parse(c->buf, (size_t)n, NULL, 0, &count);
	if (probe_grow((void **)&f->cgroups, &f->cap_cgroups, count ? count : 1,
		       sizeof(*f->cgroups)) < 0)
		return -ENOMEM;
	r = proc_cgroup_parse(c->buf, (size_t)n, f->cgroups, count, &count);
	f->n_cgroups = (uint32_t)count;
	full_src(c, RTLAB_PROC_SRC_CGROUP, r < 0 ? RTLAB_PV_MALFORMED : RTLAB_PV_OK, "cgroup", 0);
	return 0;
}

/* full_map_line - one line of maps appended to f->maps; -ENOMEM, -EBADMSG or 0. */
static int full_map_line(struct rtlab_proc_full *f, const char *line, size_t len)
{
	struct rtlab_proc_map m = { 0 };
	size_t off, plen;

	if (proc_map_parse(line, len, &m, &off, &plen) < 0)
		return -EBADMSG;
	m.path = strndup(line + off, plen);
	if (!m.path)
		return -ENOMEM;
	if (probe_grow((void **)&f->maps, &f->cap_maps, f->n_maps + 1, sizeof(*f->maps)) < 0) {
		free(m.path);
		return -ENOMEM;
	}
	f->maps[f->n_maps++] = m;
	return 0;
}

/* full_maps - every line of /proc/<pid>/maps. */
int full_maps(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	ssize_t n = full_read(c, "maps", 0);
	const char *p, *end;
	bool bad = false;

	if (n < 0) {
		full_src_failed(c, RTLAB_PROC_SRC_MAPS, "maps", (int)n);
		return n == -ENOMEM ? -ENOMEM : 0;
	}
	for (p = c->buf, end = c->buf + n; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end);
		int r;

		if (eol == p)
			continue;
		r = eol == end ? -EBADMSG : full_map_line(f, p, (size_t)(eol - p));
		if (r == -ENOMEM)
			return r;
		bad |= r < 0;
	}
	full_src(c, RTLAB_PROC_SRC_MAPS, bad ? RTLAB_PV_MALFORMED : RTLAB_PV_OK, "maps", 0);
	return 0;
}
