/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mdstat-parse.c - /proc/mdstat (drivers/md/md.c, md_seq_show):
 *
 *	Personalities : [raid1] [raid6] [raid5] [raid4]
 *	md1 : active raid5 sdd1[3] sdc1[1] sdb1[0](F)
 *	      2093056 blocks super 1.2 level 5, 512k chunk, algorithm 2 [3/2] [UU_]
 *	      [====>................]  recovery = 23.4% (245248/1046528) finish=0.6min
 *	        speed=20437K/sec (on the same line)
 *	      bitmap: 1/8 pages [4KB], 65536KB chunk
 *
 *	unused devices: <none>
 *
 * One array is its line and the indented lines after it.
 */
#include <errno.h>
#include <string.h>

#include "disk/disk-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* word_is - does [w, +wl) equal @s? */
#define word_is(w, wl, s) pp_eq((w), (wl), (s))

/* starts - does the text at @p start with @lit? */
static bool starts(const char *p, const char *end, const char *lit)
{
	return pp_lit(&p, end, lit);
}

/* array_reset - a new array: everything absent until read. */
static void array_reset(struct rtlab_md_array *a)
{
	struct rtlab_pu64 *u[] = {
		&a->blocks_kb,		&a->disks_required,
		&a->disks_active,	&a->disks_failed,
		&a->disks_spare,	&a->disks_down,
		&a->sync_done_kb,	&a->sync_total_kb,
		&a->sync_speed_kbps,	&a->blocks_synced_kb,
		&a->bitmap_pages,	&a->bitmap_pages_total,
		&a->raid_disks,		&a->degraded,
		&a->mismatch_sectors,	&a->sync_completed_sectors,
		&a->sync_total_sectors,
	};

	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		PV_NA(*u[i], RTLAB_PV_ABSENT);
	PV_NA(a->sync_ratio, RTLAB_PV_ABSENT);
	PV_NA(a->sync_finish_s, RTLAB_PV_ABSENT);
	a->array_state_st = RTLAB_PV_ABSENT;
	a->level_st = RTLAB_PV_ABSENT;
	a->sync_action_st = RTLAB_PV_ABSENT;
}

/* member_flags - the "(F)(S)..." suffixes after "name[N]". */
static uint8_t member_flags(const char *s, const char *e)
{
	static const char letters[] = "FSWJR";
	uint8_t f = 0;

	for (; e - s >= 3; s += 3) {
		const char *l;

		if (s[0] != '(' || s[2] != ')' || !(l = memchr(letters, s[1], 5)))
			break;
		f |= (uint8_t)(1u << (l - letters));
	}
	return f;
}

/* add_member - "sdb1[1](F)" as a member of array @ai.  Returns 0, -EINVAL, -ENOMEM. */
static int add_member(struct rtlab_probe_raid *out, size_t ai, const char *w, size_t wl)
{
	const char *open = memchr(w, '[', wl), *p, *end = w + wl;
	struct rtlab_md_member *m;
	uint64_t role;

	if (!open || open == w)
		return -EINVAL;
	p = open + 1;
	if (!pp_u64(&p, end, &role) || !pp_lit(&p, end, "]"))
		return -EINVAL;
	if (probe_grow((void **)&out->md_members, &out->md_members_cap, out->nmd_members + 1,
		       sizeof(*out->md_members)) < 0)
		return -ENOMEM;
	m = &out->md_members[out->nmd_members++];
	memset(m, 0, sizeof(*m));
	pp_copy(m->name, sizeof(m->name), w, (size_t)(open - w));
	m->array = (uint32_t)ai;
	PV_SET(m->role, role);
	m->flags = member_flags(p, end);
	return 0;
}

/* parse_head - "md0 : active (auto-read-only) raid1 sdb1[1] sda1[0](F)". */
static int parse_head(const char *p, const char *eol, struct rtlab_probe_raid *out, size_t ai)
{
	struct rtlab_md_array *a = &out->md[ai];
	const char *w;
	size_t wl;
	int r = 0;

	a->first_member = out->nmd_members;
	if (!pp_word(&p, eol, &w, &wl))
		return -EINVAL;
	pp_copy(a->name, sizeof(a->name), w, wl);
	if (!pp_word(&p, eol, &w, &wl) || !word_is(w, wl, ":") || !pp_word(&p, eol, &w, &wl))
		return -EINVAL;
	if (word_is(w, wl, "inactive"))
		a->run = RTLAB_MD_INACTIVE;
	else if (word_is(w, wl, "broken"))
		a->run = RTLAB_MD_BROKEN;
	else if (!word_is(w, wl, "active"))
		return -EINVAL;
	while (pp_word(&p, eol, &w, &wl)) {
		if (word_is(w, wl, "(read-only)")) {
			a->read_only = 1;
		} else if (word_is(w, wl, "(auto-read-only)")) {
			a->read_only = 2;
		} else if (!memchr(w, '[', wl) && !a->personality[0] &&
			   a->run != RTLAB_MD_INACTIVE) {
			pp_copy(a->personality, sizeof(a->personality), w, wl);
		} else {
			int e = add_member(out, ai, w, wl);

			if (e == -ENOMEM)
				return e;
			if (e < 0)
				r = -EBADMSG;
		}
	}
	a->nmembers = out->nmd_members - a->first_member;
	return r;
}

/* pp_pair - "[n/m]" or "(n/m)" with @open/@close as the brackets. */
static bool pp_pair(const char *w, size_t wl, char open, char close, uint64_t *n, uint64_t *m)
{
	const char *p = w + 1, *end = w + wl;

	return wl >= 5 && w[0] == open && w[wl - 1] == close && pp_u64(&p, end, n) &&
	       pp_lit(&p, end, "/") && pp_u64(&p, end, m) && p == end - 1;
}

/* is_map - "[UU_]". */
static bool is_map(const char *w, size_t wl)
{
	if (wl < 3 || w[0] != '[' || w[wl - 1] != ']')
		return false;
	for (size_t i = 1; i + 1 < wl; i++)
		if (w[i] != 'U' && w[i] != '_')
			return false;
	return true;
}

/* parse_status - "2093056 blocks super 1.2 ... [3/2] [UU_]". */
static int parse_status(const char *p, const char *eol, struct rtlab_md_array *a)
{
	const char *w;
	size_t wl;
	uint64_t v, n, m;

	if (!pp_u64(&p, eol, &v) || !pp_word(&p, eol, &w, &wl) || !word_is(w, wl, "blocks"))
		return -EBADMSG;
	PV_SET(a->blocks_kb, v);
	while (pp_word(&p, eol, &w, &wl)) {
		if (word_is(w, wl, "super") && pp_word(&p, eol, &w, &wl)) {
			pp_copy(a->super, sizeof(a->super), w, wl);
		} else if (pp_pair(w, wl, '[', ']', &n, &m)) {
			PV_SET(a->disks_required, n);
			PV_SET(a->disks_active, m);
		} else if (is_map(w, wl)) {
			size_t down = 0;

			pp_copy(a->map, sizeof(a->map), w + 1, wl - 2);
			for (size_t i = 1; i + 1 < wl; i++)
				down += w[i] == '_';
			PV_SET(a->disks_down, down);
		}
	}
	return 0;
}

static const struct {
	const char *word;
	enum rtlab_md_sync sync;
} sync_words[] = {
	{ "resync", RTLAB_MD_SYNC_RESYNC },
	{ "recovery", RTLAB_MD_SYNC_RECOVERY },
	{ "check", RTLAB_MD_SYNC_CHECK },
	{ "reshape", RTLAB_MD_SYNC_RESHAPE },
};

/* sync_word - the action a word names ("recovery"), or NONE. */
static enum rtlab_md_sync sync_word(const char *w, size_t wl)
{
	for (size_t i = 0; i < sizeof(sync_words) / sizeof(sync_words[0]); i++)
		if (word_is(w, wl, sync_words[i].word))
			return sync_words[i].sync;
	return RTLAB_MD_SYNC_NONE;
}

/* parse_sync_value - one "23.4%", "(245248/1046528)", "finish=0.6min", "speed=20437K/sec". */
static void parse_sync_value(const char *w, size_t wl, struct rtlab_md_array *a)
{
	const char *p = w, *end = w + wl;
	uint64_t n, m;
	double f;

	if (pp_pair(w, wl, '(', ')', &n, &m)) {
		PV_SET(a->sync_done_kb, n);
		PV_SET(a->sync_total_kb, m);
	} else if (pp_fixed(&p, end, &f) && pp_lit(&p, end, "%") && p == end) {
		PV_SET(a->sync_ratio, f / 100.0);
	} else if (pp_lit(&p, end, "finish=") && pp_fixed(&p, end, &f) && pp_lit(&p, end, "min")) {
		PV_SET(a->sync_finish_s, f * 60.0);
	} else if (pp_lit(&p, end, "speed=") && pp_u64(&p, end, &n) && pp_lit(&p, end, "K/sec")) {
		PV_SET(a->sync_speed_kbps, n);
	}
}

/* parse_sync - "[==>...]  recovery = 12.6% (x/y) finish=.. speed=.." or "resync=DELAYED". */
static bool parse_sync(const char *p, const char *eol, struct rtlab_md_array *a)
{
	const char *w;
	size_t wl;

	while (pp_word(&p, eol, &w, &wl)) {
		if (wl > 7 && memcmp(w, "resync=", 7) == 0) {
			a->sync = RTLAB_MD_SYNC_RESYNC;
			pp_copy(a->sync_wait, sizeof(a->sync_wait), w + 7, wl - 7);
			return true;
		}
		if (a->sync == RTLAB_MD_SYNC_NONE && w[0] != '[')
			a->sync = (uint8_t)sync_word(w, wl);
		else if (a->sync != RTLAB_MD_SYNC_NONE)
			parse_sync_value(w, wl, a);
	}
	return a->sync != RTLAB_MD_SYNC_NONE;
}

/* parse_bitmap - "bitmap: 1/8 pages [4KB], 65536KB chunk". */
static void parse_bitmap(const char *p, const char *eol, struct rtlab_md_array *a)
{
	uint64_t n, m;

	if (pp_lit(&p, eol, "bitmap:") && pp_u64(&p, eol, &n) && pp_lit(&p, eol, "/") &&
	    pp_u64(&p, eol, &m)) {
		PV_SET(a->bitmap_pages, n);
		PV_SET(a->bitmap_pages_total, m);
	}
}

/* finish - counts and node_exporter's blocks_synced from what was read. */
static int finish(struct rtlab_md_array *a, bool status_seen, bool status_ok)
{
	if (!status_seen && a->run == RTLAB_MD_INACTIVE) {
		PV_SET(a->disks_active, 0);	/* no member yet: no size line */
		return 0;
	}
	if (!status_ok) {
		PV_NA(a->blocks_kb, RTLAB_PV_MALFORMED);
		PV_NA(a->disks_required, RTLAB_PV_MALFORMED);
		PV_NA(a->disks_active, RTLAB_PV_MALFORMED);
		PV_NA(a->blocks_synced_kb, RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	if (a->run == RTLAB_MD_INACTIVE) {
		PV_SET(a->disks_active, 0);
	} else if (strcmp(a->personality, "raid0") == 0 || strcmp(a->personality, "linear") == 0) {
		PV_SET(a->disks_required, a->nmembers);
		PV_SET(a->disks_active, a->nmembers);
	} else if (a->disks_required.st != RTLAB_PV_OK) {
		PV_NA(a->disks_required, RTLAB_PV_UNSUPPORTED);
		PV_NA(a->disks_active, RTLAB_PV_UNSUPPORTED);
	}
	if (a->sync == RTLAB_MD_SYNC_NONE || a->sync == RTLAB_MD_SYNC_RESHAPE)
		a->blocks_synced_kb = a->blocks_kb;
	else if (a->sync_wait[0])
		PV_SET(a->blocks_synced_kb, 0);
	else
		a->blocks_synced_kb = a->sync_done_kb;
	if (a->sync != RTLAB_MD_SYNC_NONE && !a->sync_wait[0] &&
	    a->sync_done_kb.st != RTLAB_PV_OK) {
		PV_NA(a->sync_done_kb, RTLAB_PV_MALFORMED);
		PV_NA(a->blocks_synced_kb, RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	return 0;
}

/* count_flags - disks_failed and disks_spare from the members' flags. */
static void count_flags(struct rtlab_probe_raid *out, struct rtlab_md_array *a)
{
	uint64_t failed = 0, spare = 0;

	for (size_t i = 0; i < a->nmembers; i++) {
		uint8_t f = out->md_members[a->first_member + i].flags;

		failed += !!(f & RTLAB_MD_FAULTY);
		spare += !!(f & RTLAB_MD_SPARE);
	}
	PV_SET(a->disks_failed, failed);
	PV_SET(a->disks_spare, spare);
}

/* parse_array - an array's line and its indented lines; *@pp moves past them. */
static int parse_array(const char **pp, const char *end, struct rtlab_probe_raid *out)
{
	const char *p = *pp, *eol = pp_eol(p, end);
	struct rtlab_md_array *a;
	bool status_ok = false, status_seen = false;
	int r;

	if (probe_grow((void **)&out->md, &out->md_cap, out->nmd + 1, sizeof(*out->md)) < 0)
		return -ENOMEM;
	a = &out->md[out->nmd];
	array_reset(a);
	r = parse_head(p, eol, out, out->nmd);
	if (r == -ENOMEM)
		return r;
	for (p = pp_next_line(p, end); p < end && (*p == ' ' || *p == '\t' || *p == '\n');
	     p = pp_next_line(p, end)) {
		const char *s = pp_skip_blanks(p, end);

		eol = pp_eol(p, end);
		if (s == eol)
			continue;
		if (!status_seen) {
			status_seen = true;
			status_ok = parse_status(s, eol, a) == 0;
		} else if (starts(s, eol, "bitmap:")) {
			parse_bitmap(s, eol, a);
		} else {
			parse_sync(s, eol, a);
		}
	}
	*pp = p;
	if (r == -EINVAL) {	/* not an array line: forget it */
		out->nmd_members = a->first_member;
		return -EBADMSG;
	}
	out->nmd++;
	count_flags(out, a);
	return finish(a, status_seen, status_ok) < 0 ? -EBADMSG : r;
}

/* line_of - the 1-based line number of @p in @buf. */
static size_t line_of(const char *buf, const char *p)
{
	size_t n = 1;

	for (const char *q = buf; (q = memchr(q, '\n', (size_t)(p - q))); q++)
		n++;
	return n;
}

/* mdstat_parse - every array; the Personalities and unused devices lines are skipped. */
int mdstat_parse(const char *buf, size_t len, struct rtlab_probe_raid *out)
{
	const char *p = buf, *end = buf + len;
	int ret = 0;

	out->nmd = 0;
	out->nmd_members = 0;
	out->md_bad_line = 0;
	while (p < end) {
		const char *start = p;
		int r;

		if (*p == ' ' || *p == '\t' || *p == '\n' || starts(p, end, "Personalities") ||
		    starts(p, end, "unused devices")) {
			p = pp_next_line(p, end);
			continue;
		}
		r = parse_array(&p, end, out);
		if (r == -ENOMEM)
			return r;
		if (r < 0 && !ret)
			out->md_bad_line = line_of(buf, start);
		if (r < 0)
			ret = -EBADMSG;
	}
	return ret;
}
