/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* meminfo-parse.c - /proc/meminfo and nodeN/meminfo ("Key:   123 kB" lines), derived values. */
#include <errno.h>
#include <stdio.h>

#include "mem/mem-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* One parse: where it writes, what it found wrong, where the key search stands. */
struct mi_parse {
	struct rtlab_meminfo *out;
	struct mem_perr *err;
	size_t cursor;
	bool node;		/* "Node N " before each key, metrics node_memory_numa_* */
	int r;
};

/* meminfo_mark - every named field in state @st, the extras dropped. */
void meminfo_mark(struct rtlab_meminfo *mi, enum rtlab_pv_state st)
{
	for (size_t i = 0; i < meminfo_nkeys; i++)
		PV_NA(*meminfo_field(mi, &meminfo_keys[i]), st);
	mi->n_extra = 0;
	mi->n_extra_dropped = 0;
}

/* bad - note line @line's problem (@what, @wl bytes) for the caller's why text. */
static void bad(struct mi_parse *c, unsigned line, const char *what, size_t wl)
{
	mem_perr_set(c->err, line, what, wl);
	c->r = -EBADMSG;
}

/*
 * value_scan - "   123 kB\n" or "   123\n" after a key's colon into *@v
 * (bytes if in kB) and *@kb.  Returns the '\n' that ends the line, or NULL
 * if the line holds anything else, is cut short at @end, or bytes overflow.
 */
static const char *value_scan(const char *p, const char *end, uint64_t *v, bool *kb)
{
	*kb = false;
	if (!mem_u64(&p, end, v))
		return NULL;
	p = pp_skip_blanks(p, end);
	if (end - p >= 2 && p[0] == 'k' && p[1] == 'B') {
		if (*v > UINT64_MAX / 1024)
			return NULL;
		*kb = true;
		*v *= 1024;
		p += 2;
	}
	return p < end && *p == '\n' ? p : NULL;
}

/* key_end - the ':' after the key at @p, or where its line ends ('\n' or @end) without one. */
static const char *key_end(const char *p, const char *end)
{
	while (p < end && *p != ':' && *p != '\n')
		p++;
	return p;
}

/*
 * line_fast - the line at @p if it is the key the kernel prints next ("Key:",
 * the key at the cursor) with a value in its unit: stored, and the next line
 * returned.  NULL otherwise: line_parse() then looks at the line in full.
 */
static const char *line_fast(struct mi_parse *c, const char *p, const char *end)
{
	const struct meminfo_key *k = &meminfo_keys[c->cursor < meminfo_nkeys ? c->cursor : 0];
	const char *eol;
	uint64_t v;
	bool kb;

	if ((size_t)(end - p) <= k->len || p[k->len] != ':' || !mem_same(p, k->key, k->len))
		return NULL;
	eol = value_scan(p + k->len + 1, end, &v, &kb);
	if (!eol || kb != k->kb)
		return NULL;
	PV_SET(*meminfo_field(c->out, k), v);
	c->cursor = (size_t)(k - meminfo_keys) + 1;
	return eol + 1;
}

/* extra_add - a key without a named field, kept with a metric name of its own. */
static void extra_add(struct mi_parse *c, const char *k, size_t n, bool ok, uint64_t v, bool kb)
{
	struct rtlab_meminfo *mi = c->out;
	struct rtlab_meminfo_extra *x;
	char m[32];

	if (mi->n_extra >= RTLAB_MEMINFO_EXTRA_MAX) {
		mi->n_extra_dropped++;
		return;
	}
	x = &mi->extra[mi->n_extra++];
	pp_copy(x->name, sizeof(x->name), k, n);
	meminfo_mangle(k, n, m, sizeof(m));
	snprintf(x->metric, sizeof(x->metric), "%s%s%s",
		 c->node ? "node_memory_numa_" : "node_memory_", m, kb && !c->node ? "_bytes" : "");
	x->bytes = kb;
	if (ok)
		PV_SET(x->value, v);
	else
		PV_NA(x->value, RTLAB_PV_MALFORMED);
}

/* line_parse - the "Key: value [kB]" line at @p; returns where the next line starts. */
static const char *line_parse(struct mi_parse *c, const char *p, const char *end, unsigned line)
{
	const char *colon, *eol;
	uint64_t v = 0, id;
	bool kb = false;
	int i;

	if (*p == '\n')
		return p + 1;
	if (c->node && !(pp_lit(&p, end, "Node") && pp_u64(&p, end, &id))) {
		bad(c, line, "no \"Node N\" prefix", 18);
		return pp_next_line(p, end);
	}
	p = pp_skip_blanks(p, end);
	eol = line_fast(c, p, end);
	if (eol)
		return eol;
	colon = key_end(p, end);
	if (colon == p || colon == end || *colon != ':') {
		bad(c, line, "no key", 6);
		return pp_next_line(colon, end);
	}
	eol = value_scan(colon + 1, end, &v, &kb);
	i = meminfo_key_find(p, (size_t)(colon - p), &c->cursor);
	if (i >= 0 && eol && kb == meminfo_keys[i].kb) {
		PV_SET(*meminfo_field(c->out, &meminfo_keys[i]), v);
		return eol + 1;
	}
	if (i >= 0)
		PV_NA(*meminfo_field(c->out, &meminfo_keys[i]), RTLAB_PV_MALFORMED);
	else
		extra_add(c, p, (size_t)(colon - p), eol != NULL, v, kb);
	if (!eol || i >= 0)
		bad(c, line, p, (size_t)(colon - p));
	return eol ? eol + 1 : pp_next_line(colon, end);
}

/* meminfo_run - every line of the buffer, in one pass. */
static int meminfo_run(const char *buf, size_t len, struct rtlab_meminfo *out,
		       struct mem_perr *err, bool node)
{
	struct mi_parse c = { .out = out, .err = err, .node = node };
	const char *p = buf, *end = buf + len;
	unsigned line = 0;

	*err = (struct mem_perr){ 0 };
	meminfo_mark(out, RTLAB_PV_ABSENT);
	while (p < end)
		p = line_parse(&c, p, end, ++line);
	return c.r;
}

/* meminfo_parse - /proc/meminfo. */
int meminfo_parse(const char *buf, size_t len, struct rtlab_meminfo *out, struct mem_perr *err)
{
	return meminfo_run(buf, len, out, err, false);
}

/* node_meminfo_parse - nodeN/meminfo. */
int node_meminfo_parse(const char *buf, size_t len, struct rtlab_meminfo *out,
		       struct mem_perr *err)
{
	return meminfo_run(buf, len, out, err, true);
}

/* pu_bad - the state of the first of @a, @b that is not OK (OK if both are). */
static uint8_t pu_bad(struct rtlab_pu64 a, struct rtlab_pu64 b)
{
	return a.st != RTLAB_PV_OK ? a.st : b.st;
}

/* share - @part of @whole in percent, @part capped at @whole. */
static double share(uint64_t part, uint64_t whole)
{
	return 100.0 * (double)(part < whole ? part : whole) / (double)whole;
}

/* mem_derive - used = total - available, swap used, their shares. */
void mem_derive(struct rtlab_probe_mem *m)
{
	const struct rtlab_meminfo *mi = &m->info;
	struct rtlab_pu64 t = mi->mem_total_bytes, a = mi->mem_available_bytes;
	struct rtlab_pu64 st = mi->swap_total_bytes, sf = mi->swap_free_bytes;
	uint8_t bad_st = pu_bad(t, a);

	if (bad_st == RTLAB_PV_OK && t.v == 0)
		bad_st = RTLAB_PV_MALFORMED;
	if (bad_st == RTLAB_PV_OK) {
		PV_SET(m->used_bytes, t.v > a.v ? t.v - a.v : 0);
		PV_SET(m->used_percent, share(m->used_bytes.v, t.v));
		PV_SET(m->available_percent, share(a.v, t.v));
	} else {
		PV_NA(m->used_bytes, bad_st);
		PV_NA(m->used_percent, bad_st);
		PV_NA(m->available_percent, bad_st);
	}
	bad_st = pu_bad(st, sf);
	if (bad_st == RTLAB_PV_OK) {
		PV_SET(m->swap_used_bytes, st.v > sf.v ? st.v - sf.v : 0);
		if (st.v)
			PV_SET(m->swap_used_percent, share(m->swap_used_bytes.v, st.v));
		else
			PV_NA(m->swap_used_percent, RTLAB_PV_ABSENT);
	} else {
		PV_NA(m->swap_used_bytes, bad_st);
		PV_NA(m->swap_used_percent, bad_st);
	}
}
