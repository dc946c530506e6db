/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* stat-list.c - "name value" lines (vmstat, numastat) kept as a list in the kernel's order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "mem/mem-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* name_fit - how many bytes of a name of @n bytes an item keeps. */
static size_t name_fit(size_t n)
{
	const size_t cap = sizeof(((struct rtlab_vmstat_item *)NULL)->name) - 1;

	return n < cap ? n : cap;
}

/* same_name - does @it hold the name [w, w + wl)? */
static bool same_name(const struct rtlab_vmstat_item *it, const char *w, size_t wl)
{
	wl = name_fit(wl);
	return it->name_len == wl && memcmp(it->name, w, wl) == 0;
}

/* item_reset - @it becomes the new line [w, w + wl), with no previous value. */
static void item_reset(struct rtlab_vmstat_item *it, const char *w, size_t wl, const char *prefix,
		       const char *suffix)
{
	char m[sizeof(it->name)];

	wl = name_fit(wl);
	pp_copy(it->name, sizeof(it->name), w, wl);
	it->name_len = (uint8_t)wl;
	it->metric[0] = '\0';
	if (prefix) {
		meminfo_mangle(w, wl, m, sizeof(m));
		snprintf(it->metric, sizeof(it->metric), "%s%s%s", prefix, m, suffix ? suffix : "");
	}
	PV_NA(it->prev, RTLAB_PV_NOT_READY);
	PV_NA(it->rate_per_s, RTLAB_PV_NOT_READY);
	it->counter = false;
	it->slot = -1;
}

/* item_at - the list's item @i for line [w, w + wl): kept if its name is the same, else new. */
static struct rtlab_vmstat_item *item_at(struct rtlab_vmstat_list *l, size_t i, const char *w,
					 size_t wl, const char *prefix, const char *suffix,
					 bool *changed)
{
	struct rtlab_vmstat_item *it;

	if (i < l->n && same_name(&l->items[i], w, wl)) {
		it = &l->items[i];
		it->prev = it->value;
		return it;
	}
	if (probe_grow((void **)&l->items, &l->cap, i + 1, sizeof(*l->items)) < 0)
		return NULL;
	it = &l->items[i];
	item_reset(it, w, wl, prefix, suffix);
	*changed = true;
	return it;
}

/*
 * line_fast - the line at @p if it is exactly "<@it's name> <number>\n" (the
 * steady state: the kernel prints the same lines every time): the value
 * stored, the previous one kept; returns the next line, NULL if not so.
 */
static const char *line_fast(const char *p, const char *end, struct rtlab_vmstat_item *it)
{
	const char *q;
	uint64_t v;

	if ((size_t)(end - p) <= it->name_len || p[it->name_len] != ' ' ||
	    !mem_same(p, it->name, it->name_len))
		return NULL;
	q = p + it->name_len + 1;
	if (!mem_u64(&q, end, &v) || q == end || *q != '\n')
		return NULL;
	it->prev = it->value;
	PV_SET(it->value, v);
	return q + 1;
}

/* One parse of a list. */
struct sl_parse {
	struct rtlab_vmstat_list *l;
	const char *prefix, *suffix;
	bool *changed;
	struct mem_perr *err;
	size_t i;		/* the next item */
	int r;
};

/* line_slow - any line: a new or renamed item, a bad value, no name.  Returns the next line. */
static const char *line_slow(struct sl_parse *c, const char *p, const char *end, unsigned line)
{
	const char *eol = pp_eol(p, end), *w;
	struct rtlab_vmstat_item *it;
	size_t wl;
	uint64_t v;

	if (!pp_word(&p, eol, &w, &wl)) {
		if (eol > p) {
			mem_perr_set(c->err, line, "no name", 7);
			c->r = -EBADMSG;
		}
		return eol < end ? eol + 1 : end;
	}
	it = item_at(c->l, c->i++, w, wl, c->prefix, c->suffix, c->changed);
	if (!it) {
		c->r = -ENOMEM;
		return end;
	}
	if (eol < end && pp_u64(&p, eol, &v) && pp_skip_blanks(p, eol) == eol) {
		PV_SET(it->value, v);
	} else {
		PV_NA(it->value, RTLAB_PV_MALFORMED);
		mem_perr_set(c->err, line, w, wl);
		c->r = -EBADMSG;
	}
	return eol < end ? eol + 1 : end;
}

/* stat_list_parse - every "name value" line; the names of the last reading are kept. */
int stat_list_parse(const char *buf, size_t len, struct rtlab_vmstat_list *l, const char *prefix,
		    const char *suffix, bool *changed, struct mem_perr *err)
{
	struct sl_parse c = { .l = l, .prefix = prefix, .suffix = suffix, .changed = changed,
			      .err = err };
	const char *p = buf, *end = buf + len, *next;
	unsigned line = 0;

	*err = (struct mem_perr){ 0 };
	*changed = false;
	while (p < end && c.r != -ENOMEM) {
		line++;
		next = c.i < l->n ? line_fast(p, end, &l->items[c.i]) : NULL;
		if (next) {
			c.i++;
			p = next;
		} else {
			p = line_slow(&c, p, end, line);
		}
	}
	if (c.r == -ENOMEM)
		return c.r;
	if (c.i != l->n)
		*changed = true;
	l->n = c.i;
	return c.r;
}

/* stat_list_mark - every value in @st; counters' rates too. */
void stat_list_mark(struct rtlab_vmstat_list *l, enum rtlab_pv_state st)
{
	for (size_t i = 0; i < l->n; i++) {
		PV_NA(l->items[i].value, st);
		if (l->items[i].counter)
			PV_NA(l->items[i].rate_per_s, st);
	}
}

/* stat_list_free - the items. */
void stat_list_free(struct rtlab_vmstat_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
	l->cap = 0;
}
