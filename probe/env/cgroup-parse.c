/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup-parse.c - /proc/self/cgroup, the cgroup mounts of mountinfo, directory joining. */
#include <errno.h>
#include <stdio.h>

#include "env/env-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* The v1 controller names, by enum rtlab_cgroup_ctrl ("" for none). */
static const char *const v1_names[RTLAB_CGROUP__COUNT] = {
	[RTLAB_CGROUP_CPU] = "cpu",
	[RTLAB_CGROUP_CPUACCT] = "cpuacct",
	[RTLAB_CGROUP_CPUSET] = "cpuset",
	[RTLAB_CGROUP_MEMORY] = "memory",
	[RTLAB_CGROUP_PIDS] = "pids",
	[RTLAB_CGROUP_IO] = "blkio",
	[RTLAB_CGROUP_UNIFIED] = "",
};

/* list_has - true if the comma-separated [p, end) holds @name as one item. */
static bool list_has(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);

	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *e = c ? c : end;

		if ((size_t)(e - p) == n && memcmp(p, name, n) == 0)
			return true;
		p = e < end ? e + 1 : end;
	}
	return false;
}

/* cg_self_parse - each line: id ':' controllers ':' path. */
int cg_self_parse(const char *buf, size_t len, struct cg_self *out, unsigned *bad)
{
	const char *p = buf, *end = buf + len;
	unsigned ln = 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *eol = pp_eol(p, end);
		const char *c1 = memchr(p, ':', (size_t)(eol - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;

		ln++;
		if (p == eol) {
			p = pp_next_line(p, end);
			continue;
		}
		if (!c2) {
			r = parse_bad(bad, ln);
		} else if (c2 == c1 + 1) {
			/* "0::/path": the unified hierarchy. */
			out->v2 = true;
			pp_copy(out->v2_path, sizeof(out->v2_path), c2 + 1, (size_t)(eol - c2 - 1));
		} else {
			for (unsigned c = 0; c < RTLAB_CGROUP__COUNT; c++) {
				if (!v1_names[c][0] || out->v1[c] ||
				    !list_has(c1 + 1, c2, v1_names[c]))
					continue;
				out->v1[c] = true;
				pp_copy(out->v1_path[c], sizeof(out->v1_path[c]), c2 + 1,
					(size_t)(eol - c2 - 1));
			}
		}
		p = pp_next_line(p, end);
	}
	return r;
}

/* is_oct - an octal digit. */
static bool is_oct(char c)
{
	return c >= '0' && c <= '7';
}

/* unescape - a mountinfo path field ("\040" for a space) into @dst; false if too long. */
static bool unescape(const char *w, size_t wl, char *dst, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < wl; i++) {
		char ch = w[i];

		if (ch == '\\' && i + 3 < wl && w[i + 1] <= '3' && is_oct(w[i + 1]) &&
		    is_oct(w[i + 2]) && is_oct(w[i + 3])) {
			ch = (char)((w[i + 1] - '0') * 64 + (w[i + 2] - '0') * 8 +
				    (w[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= size)
			return false;
		dst[o++] = ch;
	}
	dst[o] = '\0';
	return true;
}

/* mount_set - record a mount (the first one found wins). */
static void mount_set(struct cg_mount *m, const char *root, size_t rl, const char *pt, size_t pl)
{
	if (m->found)
		return;
	if (!unescape(root, rl, m->root, sizeof(m->root)) ||
	    !unescape(pt, pl, m->point, sizeof(m->point)))
		return;
	m->found = true;
}

/* cg_mounts_parse - "id parent maj:min root point opts [optional...] - fstype source superopts". */
int cg_mounts_parse(const char *buf, size_t len, struct cg_mounts *out, unsigned *bad)
{
	const char *p = buf, *end = buf + len;
	unsigned ln = 0;
	int r = 0;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *eol = pp_eol(p, end), *q = p;
		const char *w[6], *root = NULL, *pt = NULL, *fs = NULL, *opts = NULL;
		size_t wl[6], rl = 0, pl = 0, fl = 0, ol = 0;
		bool ok = true, dash = false;

		ln++;
		for (int i = 0; i < 6 && ok; i++)
			ok = pp_word(&q, eol, &w[i], &wl[i]);
		if (ok) {
			root = w[3], rl = wl[3], pt = w[4], pl = wl[4];
			/* Optional fields up to the lone "-". */
			const char *x = w[5];
			size_t xl = wl[5];

			while (!(dash = pp_eq(x, xl, "-")) && pp_word(&q, eol, &x, &xl))
				;
			ok = dash && pp_word(&q, eol, &fs, &fl) && pp_word(&q, eol, &x, &xl) &&
			     pp_word(&q, eol, &opts, &ol);
		}
		if (!ok) {
			if (eol > p)
				r = parse_bad(bad, ln);
		} else if (pp_eq(fs, fl, "cgroup2")) {
			mount_set(&out->v2, root, rl, pt, pl);
		} else if (pp_eq(fs, fl, "cgroup")) {
			for (unsigned c = 0; c < RTLAB_CGROUP__COUNT; c++)
				if (v1_names[c][0] && list_has(opts, opts + ol, v1_names[c]))
					mount_set(&out->v1[c], root, rl, pt, pl);
		}
		p = pp_next_line(p, end);
	}
	return r;
}

/* cg_join - mount point + the part of @path below the mount's root. */
int cg_join(const struct cg_mount *m, const char *path, char *dir, size_t size)
{
	size_t rl = strlen(m->root);
	const char *rest = "";
	int n;

	/* A root of "/" is a prefix of every path; else it must end at a '/'.
	 * A path going up ("/../x", another cgroup namespace) stays at the mount point. */
	if (strstr(path, "/..") || path[0] != '/')
		rest = "";
	else if (rl == 1 && m->root[0] == '/')
		rest = path + 1;
	else if (strncmp(path, m->root, rl) == 0 && (path[rl] == '\0' || path[rl] == '/'))
		rest = path[rl] == '/' ? path + rl + 1 : path + rl;
	n = snprintf(dir, size, "%s%s%s", m->point,
		     rest[0] && !(m->point[0] && m->point[strlen(m->point) - 1] == '/') ? "/" : "",
		     rest);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}
