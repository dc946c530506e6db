/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sysfs-parse.c - one-value sysfs attributes: numbers, words, the I/O scheduler list. */
#include <errno.h>
#include <string.h>

#include "disk/disk-parse.h"
#include "probe-parse.h"

/* sysfs_u64_parse - "123\n". */
int sysfs_u64_parse(const char *buf, size_t len, uint64_t *ret)
{
	const char *p = buf, *end = buf + len;
	uint64_t v;

	if (!pp_u64(&p, end, &v))
		return -EBADMSG;
	p = pp_skip_blanks(p, end);
	if (p < end && *p != '\n')
		return -EBADMSG;
	*ret = v;
	return 0;
}

/* sysfs_word_parse - the first line, trimmed. */
int sysfs_word_parse(const char *buf, size_t len, char *dst, size_t size)
{
	const char *p = buf, *end = buf + len;
	const char *eol;

	p = pp_skip_blanks(p, end);
	eol = pp_eol(p, end);
	while (eol > p && (eol[-1] == ' ' || eol[-1] == '\t' || eol[-1] == '\r'))
		eol--;
	pp_copy(dst, size, p, (size_t)(eol - p));
	return eol > p ? 0 : -EBADMSG;
}

/* list_add - append word [w, +wl) to the space-separated @list of used length *@used. */
static void list_add(char *list, size_t size, size_t *used, const char *w, size_t wl)
{
	if (*used && *used + 1 < size)
		list[(*used)++] = ' ';
	if (*used + 1 < size) {
		pp_copy(list + *used, size - *used, w, wl);
		*used += strlen(list + *used);
	}
}

/* disk_sched_parse - "none [mq-deadline] kyber bfq": the bracketed one is in use. */
int disk_sched_parse(const char *buf, size_t len, char *sel, size_t sel_size, char *list,
		     size_t list_size)
{
	const char *p = buf, *end = pp_eol(buf, buf + len);
	const char *w, *first = NULL;
	size_t wl, first_len = 0, used = 0, words = 0;
	bool selected = false;

	if (sel_size)
		sel[0] = '\0';
	if (list_size)
		list[0] = '\0';
	while (pp_word(&p, end, &w, &wl)) {
		if (wl >= 2 && w[0] == '[' && w[wl - 1] == ']') {
			w++;
			wl -= 2;
			pp_copy(sel, sel_size, w, wl);
			selected = true;
		}
		if (!words++) {
			first = w;
			first_len = wl;
		}
		list_add(list, list_size, &used, w, wl);
	}
	if (!selected && words == 1) {
		pp_copy(sel, sel_size, first, first_len);	/* "none" alone */
		selected = true;
	}
	return selected ? 0 : -EBADMSG;
}

/* md_sync_completed_parse - "done / total", or "none"/"delayed" when nothing runs. */
int md_sync_completed_parse(const char *buf, size_t len, uint64_t *done, uint64_t *total)
{
	const char *p = buf, *end = buf + len;
	uint64_t d, t;

	p = pp_skip_blanks(p, end);
	if (pp_lit(&p, end, "none") || pp_lit(&p, end, "delayed"))
		return -ENODATA;
	if (!pp_u64(&p, end, &d))
		return -EBADMSG;
	p = pp_skip_blanks(p, end);
	if (!pp_lit(&p, end, "/") || !pp_u64(&p, end, &t))
		return -EBADMSG;
	*done = d;
	*total = t;
	return 0;
}

/* lvm_part - copy the LVM name part [s, e) into @dst, "--" becoming "-". */
static void lvm_part(char *dst, size_t size, const char *s, const char *e)
{
	size_t n = 0;

	if (!size)
		return;
	while (s < e && n + 1 < size) {
		if (s[0] == '-' && s + 1 < e && s[1] == '-')
			s++;
		dst[n++] = *s++;
	}
	dst[n] = '\0';
}

/* lvm_sep - the next single '-' (not part of "--") in [s, e), or @e. */
static const char *lvm_sep(const char *s, const char *e)
{
	while (s < e) {
		if (*s == '-') {
			if (s + 1 < e && s[1] == '-') {
				s += 2;
				continue;
			}
			return s;
		}
		s++;
	}
	return e;
}

/* dm_lvm_split - "my--vg-root" is vg "my-vg", lv "root"; "vg-lv-real" has layer "real". */
int dm_lvm_split(const char *name, char *vg, size_t vg_size, char *lv, size_t lv_size,
		 char *layer, size_t layer_size)
{
	const char *end = name + strlen(name);
	const char *s1 = lvm_sep(name, end);
	const char *s2;

	if (s1 == end || s1 == name)
		return -EINVAL;
	s2 = lvm_sep(s1 + 1, end);
	lvm_part(vg, vg_size, name, s1);
	lvm_part(lv, lv_size, s1 + 1, s2);
	lvm_part(layer, layer_size, s2 < end ? s2 + 1 : end, end);
	return 0;
}
