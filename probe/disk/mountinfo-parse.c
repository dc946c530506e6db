/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mountinfo-parse.c - /proc/<pid>/mountinfo (proc(5)):
 *
 *	36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 *	id par maj:min root mount-point options [tags...] - fstype source super-options
 *
 * Paths and names are escaped by the kernel (a space is \040, a newline \012).
 */
#include <errno.h>
#include <string.h>

#include "disk/disk-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* is_odigit - an octal digit? */
static bool is_odigit(char c)
{
	return c >= '0' && c <= '7';
}

/* mnt_unescape - "\ooo" (three octal digits, value < 256) becomes that byte. */
size_t mnt_unescape(char *dst, const char *src, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		if (src[i] == '\\' && n - i >= 4 && src[i + 1] >= '0' && src[i + 1] <= '3' &&
		    is_odigit(src[i + 2]) && is_odigit(src[i + 3])) {
			int v = (src[i + 1] - '0') * 64 + (src[i + 2] - '0') * 8 +
				(src[i + 3] - '0');

			if (v) {	/* "\000" would cut the string: keep it as text */
				dst[o++] = (char)v;
				i += 4;
				continue;
			}
		}
		dst[o++] = src[i++];
	}
	dst[o] = '\0';
	return o;
}

/* pool_add - decode [w, +wl) into the string pool (room was made beforehand). */
static const char *pool_add(struct rtlab_probe_fs *out, const char *w, size_t wl)
{
	char *s = out->strs + out->strs_len;

	out->strs_len += mnt_unescape(s, w, wl) + 1;
	return s;
}

/* pp_devnum - "maj:min". */
static bool pp_devnum(const char **pp, const char *end, uint32_t *major, uint32_t *minor)
{
	const char *p = *pp;
	uint64_t a, b;

	if (!pp_u64(&p, end, &a) || !pp_lit(&p, end, ":") || !pp_u64(&p, end, &b) ||
	    a > UINT32_MAX || b > UINT32_MAX)
		return false;
	*major = (uint32_t)a;
	*minor = (uint32_t)b;
	*pp = p;
	return true;
}

/* has_option - is @opt one of the comma-separated @opts? */
static bool has_option(const char *opts, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *s = opts; s;) {
		const char *c = strchr(s, ',');
		size_t l = c ? (size_t)(c - s) : strlen(s);

		if (l == n && memcmp(s, opt, n) == 0)
			return true;
		s = c ? c + 1 : NULL;
	}
	return false;
}

/* fnv32 - a hash of @s, to compare mount points quickly. */
static uint32_t fnv32(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* parse_line - one mountinfo line into @m; false if it is malformed. */
static bool parse_line(const char *p, const char *eol, struct rtlab_probe_fs *out,
		       struct rtlab_fs_mount *m)
{
	const char *w[3], *tags = NULL, *tags_end = NULL, *t;
	size_t wl[3], tl;
	uint64_t id, parent;

	if (!pp_u64(&p, eol, &id) || !pp_u64(&p, eol, &parent) || id > UINT32_MAX ||
	    parent > UINT32_MAX)
		return false;
	p = pp_skip_blanks(p, eol);
	if (!pp_devnum(&p, eol, &m->major, &m->minor))
		return false;
	for (int i = 0; i < 3; i++)	/* root, mount point, options */
		if (!pp_word(&p, eol, &w[i], &wl[i]))
			return false;
	for (;;) {	/* optional fields up to "-" */
		if (!pp_word(&p, eol, &t, &tl))
			return false;
		if (tl == 1 && t[0] == '-')
			break;
		if (!tags)
			tags = t;
		tags_end = t + tl;
	}
	m->mount_id = (uint32_t)id;
	m->parent_id = (uint32_t)parent;
	m->root = pool_add(out, w[0], wl[0]);
	m->mount_point = pool_add(out, w[1], wl[1]);
	m->options = pool_add(out, w[2], wl[2]);
	m->tags = pool_add(out, tags ? tags : "", tags ? (size_t)(tags_end - tags) : 0);
	for (int i = 0; i < 3; i++)	/* fstype, source, super options */
		if (!pp_word(&p, eol, &w[i], &wl[i]))
			return false;
	m->fstype = pool_add(out, w[0], wl[0]);
	m->source = pool_add(out, w[1], wl[1]);
	m->super_options = pool_add(out, w[2], wl[2]);
	return true;
}

/* classify - kind, exclusion, read-only; statvfs fields absent until collected. */
static void classify(struct rtlab_fs_mount *m)
{
	m->kind = (uint8_t)fs_kind_of(m->fstype);
	m->excluded = fs_excluded(m->fstype);
	PV_SET(m->readonly, has_option(m->options, "ro") || has_option(m->super_options, "ro"));
	m->error = 0;
	PV_NA(m->block_bytes, RTLAB_PV_ABSENT);
	PV_NA(m->size_bytes, RTLAB_PV_ABSENT);
	PV_NA(m->free_bytes, RTLAB_PV_ABSENT);
	PV_NA(m->avail_bytes, RTLAB_PV_ABSENT);
	PV_NA(m->used_bytes, RTLAB_PV_ABSENT);
	PV_NA(m->files, RTLAB_PV_ABSENT);
	PV_NA(m->files_free, RTLAB_PV_ABSENT);
	PV_NA(m->name_max, RTLAB_PV_ABSENT);
	m->slot = (int32_t)fnv32(m->mount_point);
}

/* mark_hidden - a mount with a later one at the same mount point is covered by it. */
static void mark_hidden(struct rtlab_probe_fs *out)
{
	for (size_t i = 0; i < out->nmounts; i++) {
		struct rtlab_fs_mount *m = &out->mounts[i];

		m->hidden = false;
		for (size_t j = i + 1; j < out->nmounts; j++) {
			const struct rtlab_fs_mount *o = &out->mounts[j];

			if (o->slot == m->slot && strcmp(o->mount_point, m->mount_point) == 0) {
				m->hidden = true;
				break;
			}
		}
	}
	for (size_t i = 0; i < out->nmounts; i++)
		out->mounts[i].slot = -1;
}

/* make_room - mounts for every line, the pool for every string (decoding never grows them). */
static int make_room(const char *buf, size_t len, struct rtlab_probe_fs *out)
{
	size_t lines = 1;

	for (const char *p = buf, *end = buf + len; (p = memchr(p, '\n', (size_t)(end - p)));
	     p++)
		lines++;
	/* A line's 7 strings decode to at most its bytes, plus 7 NULs. */
	if (probe_grow((void **)&out->strs, &out->strs_cap, len + 8 * lines + 16, 1) < 0 ||
	    probe_grow((void **)&out->mounts, &out->mounts_cap, lines, sizeof(*out->mounts)) < 0)
		return -ENOMEM;
	return 0;
}

/* mountinfo_parse - every line; malformed ones are skipped. */
int mountinfo_parse(const char *buf, size_t len, struct rtlab_probe_fs *out)
{
	const char *p = buf, *end = buf + len;
	size_t line = 0;
	int ret = 0;

	out->nmounts = 0;
	out->strs_len = 0;
	out->bad_line = 0;
	if (make_room(buf, len, out) < 0)
		return -ENOMEM;
	while (p < end) {
		const char *eol = pp_eol(p, end);
		struct rtlab_fs_mount *m = &out->mounts[out->nmounts];
		size_t mark = out->strs_len;

		line++;
		if (pp_skip_blanks(p, eol) != eol) {
			memset(m, 0, sizeof(*m));
			if (parse_line(p, eol, out, m)) {
				classify(m);
				out->nmounts++;
			} else {
				out->strs_len = mark;
				if (!out->bad_line)
					out->bad_line = line;
				ret = -EBADMSG;
			}
		}
		p = pp_next_line(p, end);
	}
	mark_hidden(out);
	return ret;
}
