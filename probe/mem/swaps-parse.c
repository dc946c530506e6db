/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* swaps-parse.c - /proc/swaps: one line per active swap area after a header. */
#include <errno.h>
#include <stdlib.h>

#include "mem/mem-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/*
 * unescape - a path as seq_file_path() prints it (space, tab, newline and
 * backslash as "\ooo") back to its bytes, cut to fit @size.
 */
static void unescape(char *dst, size_t size, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < size; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			dst[o++] = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 +
					  (s[i + 3] - '0'));
			i += 3;
		} else {
			dst[o++] = s[i];
		}
	}
	dst[o] = '\0';
}

/* kb_field - the next number on the line, a size in kB, as bytes. */
static bool kb_field(const char **p, const char *eol, struct rtlab_pu64 *out)
{
	uint64_t v;

	if (!pp_u64(p, eol, &v) || v > UINT64_MAX / 1024)
		return false;
	PV_SET(*out, v * 1024);
	return true;
}

/* device_parse - "name type size used priority" into @dev; false if anything is missing. */
static bool device_parse(const char *p, const char *eol, bool cut, struct rtlab_swap_device *dev)
{
	const char *w;
	size_t wl;
	int64_t prio;
	bool ok = pp_word(&p, eol, &w, &wl);

	unescape(dev->name, sizeof(dev->name), ok ? w : "", ok ? wl : 0);
	ok = ok && pp_word(&p, eol, &w, &wl);
	pp_copy(dev->type, sizeof(dev->type), ok ? w : "", ok ? wl : 0);
	ok = ok && kb_field(&p, eol, &dev->size_bytes) && kb_field(&p, eol, &dev->used_bytes);
	if (ok && !cut && pp_i64(&p, eol, &prio) && pp_skip_blanks(p, eol) == eol) {
		PV_SET(dev->priority, prio);
		return true;
	}
	/* A line cut short or with a bad field: none of its numbers is trusted. */
	PV_NA(dev->size_bytes, RTLAB_PV_MALFORMED);
	PV_NA(dev->used_bytes, RTLAB_PV_MALFORMED);
	PV_NA(dev->priority, RTLAB_PV_MALFORMED);
	return false;
}

/* swaps_parse - the header line, then one device per line. */
int swaps_parse(const char *buf, size_t len, struct rtlab_probe_mem *out, struct mem_perr *err)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	*err = (struct mem_perr){ 0 };
	out->n_swaps = 0;
	while (p < end) {
		const char *eol = pp_eol(p, end);
		const char *q = p;

		line++;
		p = eol < end ? eol + 1 : end;
		if (eol == q || (line == 1 && pp_lit(&q, eol, "Filename")))
			continue;
		if (probe_grow((void **)&out->swaps, &out->swaps_cap, out->n_swaps + 1,
			       sizeof(*out->swaps)) < 0)
			return -ENOMEM;
		if (!device_parse(q, eol, eol == end, &out->swaps[out->n_swaps])) {
			mem_perr_set(err, line, "swap area", 9);
			r = -EBADMSG;
		}
		out->n_swaps++;
	}
	return r;
}

/* mem_free_arrays - the swap list. */
void mem_free_arrays(struct rtlab_probe_mem *m)
{
	free(m->swaps);
	m->swaps = NULL;
	m->n_swaps = 0;
	m->swaps_cap = 0;
}
