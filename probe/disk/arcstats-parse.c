/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * arcstats-parse.c - /proc/spl/kstat/zfs/arcstats, a named kstat of OpenZFS's SPL:
 *
 *	13 1 0x01 147 39984 4520614563 93126530467302
 *	name                            type data
 *	hits                            4    8373493
 *
 * Type 4 is KSTAT_DATA_UINT64, 3 KSTAT_DATA_INT64 (a negative value is malformed here).
 */
#include <errno.h>
#include <string.h>

#include "disk/disk-parse.h"
#include "disk/zfs-arc.h"
#include "probe-internal.h"
#include "probe-parse.h"

#define ARC_NAME(id, name) [id] = name,
#define ARC_ONE(id, name) +1

_Static_assert(0 ZFS_ARC_LIST(ARC_ONE) == RTLAB_ZFS_ARC__COUNT, "zfs-arc.h lists every counter");

/* In enum rtlab_zfs_arc_stat order. */
static const char *const arc_names[RTLAB_ZFS_ARC__COUNT] = { ZFS_ARC_LIST(ARC_NAME) };

/* zfs_arc_name - the counter's name in arcstats. */
const char *zfs_arc_name(unsigned i)
{
	return i < RTLAB_ZFS_ARC__COUNT ? arc_names[i] : NULL;
}

/* arc_index - the counter a name is, or -1 for the ones not kept. */
static int arc_index(const char *w, size_t wl)
{
	for (int i = 0; i < RTLAB_ZFS_ARC__COUNT; i++)
		if (pp_eq(w, wl, arc_names[i]))
			return i;
	return -1;
}

/* parse_row - "name type value" into out->arc[]; false if a kept counter is unreadable. */
static bool parse_row(const char *p, const char *eol, struct rtlab_probe_raid *out)
{
	const char *w;
	size_t wl;
	uint64_t type, v;
	int i;

	if (!pp_word(&p, eol, &w, &wl))
		return true;
	i = arc_index(w, wl);
	if (i < 0)
		return true;
	if (pp_u64(&p, eol, &type) && (type == 3 || type == 4) && pp_u64(&p, eol, &v) &&
	    pp_skip_blanks(p, eol) == eol) {
		PV_SET(out->arc[i], v);
		return true;
	}
	PV_NA(out->arc[i], RTLAB_PV_MALFORMED);
	return false;
}

/* arcstats_parse - the rows after the "name type data" header. */
int arcstats_parse(const char *buf, size_t len, struct rtlab_probe_raid *out)
{
	const char *p = buf, *end = buf + len;
	bool header = false;
	int ret = 0;

	for (int i = 0; i < RTLAB_ZFS_ARC__COUNT; i++)
		PV_NA(out->arc[i], RTLAB_PV_ABSENT);
	for (; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end);
		const char *q = p, *w;
		size_t wl;

		if (!header) {
			header = pp_word(&q, eol, &w, &wl) && pp_eq(w, wl, "name") &&
				 pp_word(&q, eol, &w, &wl) && pp_eq(w, wl, "type") &&
				 pp_word(&q, eol, &w, &wl) && pp_eq(w, wl, "data");
			continue;
		}
		if (!parse_row(p, eol, out))
			ret = -EBADMSG;
	}
	out->arc_st = header ? RTLAB_PV_OK : RTLAB_PV_MALFORMED;
	if (!header) {
		for (int i = 0; i < RTLAB_ZFS_ARC__COUNT; i++)
			PV_NA(out->arc[i], RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	return ret;
}
