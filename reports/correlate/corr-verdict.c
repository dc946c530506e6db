/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corr-verdict.c - a spike's verdict: its gap cut into parts (delay, wait,
 * entry), each instant of the gap given to what held the CPU then (hard IRQ,
 * else softirq, else another task), and the largest part's cause in one line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/correlate-internal.h"

/* Occupants fill at least 1/EXPLAINED_DIV of a part for it to be explained by them. */
#define EXPLAINED_DIV 2

/* What the sweep collects. */
struct sweep {
	const struct rtlab_corr_spike *s;
	uint64_t bound[_RTLAB_CORR_PART_MAX + 1];	/* the parts' edges */
	const struct rtlab_corr_item **in;	/* the items that hold the CPU in the gap */
	size_t nin;
	struct rtlab_corr_occupant *occ;
	size_t nocc, cap;
};

/* clamp - @v within [@lo, @hi]. */
static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* parts - the edges: programmed wake-up, woken, switched in, ran. */
static void parts(struct sweep *sw, struct rtlab_corr_spike *s)
{
	uint64_t lo = s->programmed_ns, hi = s->t_ns;
	uint64_t in = s->has_switch_in ? clamp(s->switch_in_ns, lo, hi) : hi;
	uint64_t woken = s->has_wakeup ? clamp(s->wakeup_ns, lo, in) : in;

	sw->bound[0] = lo;
	sw->bound[1] = woken;
	sw->bound[2] = in;
	sw->bound[3] = hi;
	for (int p = 0; p < _RTLAB_CORR_PART_MAX; p++)
		s->part_ns[p] = sw->bound[p + 1] - sw->bound[p];
}

/* holds_cpu - @it could hold the CPU: an IRQ, a softirq, or a task other than idle and us. */
static bool holds_cpu(const struct rtlab_corr_spike *s, const struct rtlab_corr_item *it)
{
	if (it->kind == RTLAB_CORR_IRQ || it->kind == RTLAB_CORR_SOFTIRQ)
		return true;
	return it->kind == RTLAB_CORR_RUN && it->pid > 0 && it->pid != s->tid;
}

/* rank - who wins an instant: a hard IRQ, then a softirq, then a task. */
static int rank(enum rtlab_corr_kind k)
{
	return k == RTLAB_CORR_IRQ ? 3 : k == RTLAB_CORR_SOFTIRQ ? 2 : 1;
}

/* occupant - the entry of @it in the occupant list, added if new; NULL without memory. */
static struct rtlab_corr_occupant *occupant(struct sweep *sw, const struct rtlab_corr_item *it)
{
	int id = it->kind == RTLAB_CORR_RUN ? it->pid : it->num;
	struct rtlab_corr_occupant *o;

	for (size_t i = 0; i < sw->nocc; i++)
		if (sw->occ[i].kind == it->kind && sw->occ[i].id == id)
			return &sw->occ[i];
	if (sw->nocc == sw->cap) {
		size_t cap = sw->cap ? 2 * sw->cap : 16;
		void *v = realloc(sw->occ, cap * sizeof(*sw->occ));

		if (!v)
			return NULL;
		sw->occ = v;
		sw->cap = cap;
	}
	o = &sw->occ[sw->nocc++];
	*o = (struct rtlab_corr_occupant){ .kind = it->kind, .id = id, .prio = it->prio };
	memcpy(o->name, it->name, sizeof(o->name));
	return o;
}

/* cmp_u64 - ascending, for qsort. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* segment - give [@a, @b) (inside one part, no item edge inside) to its holder. */
static int segment(struct sweep *sw, uint64_t a, uint64_t b)
{
	const struct rtlab_corr_item *best = NULL;
	struct rtlab_corr_occupant *o;
	int p = 0;

	for (size_t i = 0; i < sw->nin; i++) {
		const struct rtlab_corr_item *it = sw->in[i];

		if (it->start_ns <= a && it->end_ns >= b &&
		    (!best || rank(it->kind) > rank(best->kind)))
			best = it;
	}
	if (!best)
		return 0;
	o = occupant(sw, best);
	if (!o)
		return -ENOMEM;
	while (p + 1 < _RTLAB_CORR_PART_MAX && a >= sw->bound[p + 1])
		p++;
	o->part_ns[p] += b - a;
	o->total_ns += b - a;
	return 0;
}

/* edges - the sorted edges of the gap's parts and of the items in it (malloc'ed). */
static uint64_t *edges(const struct sweep *sw, size_t *ret_n)
{
	uint64_t *e = malloc((2 * sw->nin + _RTLAB_CORR_PART_MAX + 1) * sizeof(*e));
	size_t n = 0;

	if (!e)
		return NULL;
	for (int p = 0; p <= _RTLAB_CORR_PART_MAX; p++)
		e[n++] = sw->bound[p];
	for (size_t i = 0; i < sw->nin; i++) {
		e[n++] = clamp(sw->in[i]->start_ns, sw->bound[0], sw->bound[3]);
		e[n++] = clamp(sw->in[i]->end_ns, sw->bound[0], sw->bound[3]);
	}
	qsort(e, n, sizeof(*e), cmp_u64);
	*ret_n = n;
	return e;
}

/* sweep - the occupants of the gap and their time in each part. */
static int sweep(struct sweep *sw)
{
	const struct rtlab_corr_spike *s = sw->s;
	uint64_t *e;
	size_t n = 0;
	int r = 0;

	sw->in = calloc(s->nitems + 1, sizeof(*sw->in));
	if (!sw->in)
		return -ENOMEM;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct rtlab_corr_item *it = &s->items[i];

		if (holds_cpu(s, it) && it->end_ns > sw->bound[0] && it->start_ns < sw->bound[3])
			sw->in[sw->nin++] = it;
	}
	e = edges(sw, &n);
	if (!e)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i + 1 < n; i++)
		if (e[i + 1] > e[i])
			r = segment(sw, e[i], e[i + 1]);
	free(e);
	return r;
}

/* cmp_occ - the largest total first (then by kind and id, to be stable). */
static int cmp_occ(const void *a, const void *b)
{
	const struct rtlab_corr_occupant *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns > y->total_ns ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* largest_in - the occupant with the most time in part @p, or NULL. */
static const struct rtlab_corr_occupant *largest_in(const struct sweep *sw, int p)
{
	const struct rtlab_corr_occupant *best = NULL;

	for (size_t i = 0; i < sw->nocc; i++)
		if (sw->occ[i].part_ns[p] && (!best || sw->occ[i].part_ns[p] > best->part_ns[p]))
			best = &sw->occ[i];
	return best;
}

/* keep - the largest occupants into @s, the time occupied per part. */
static void keep(struct rtlab_corr_spike *s, struct sweep *sw)
{
	if (sw->nocc)
		qsort(sw->occ, sw->nocc, sizeof(*sw->occ), cmp_occ);
	for (size_t i = 0; i < sw->nocc; i++)
		for (int p = 0; p < _RTLAB_CORR_PART_MAX; p++)
			s->occupied_ns[p] += sw->occ[i].part_ns[p];
	s->noccupants = sw->nocc < RTLAB_CORR_OCCUPANTS ? sw->nocc : RTLAB_CORR_OCCUPANTS;
	if (s->noccupants)
		memcpy(s->occupants, sw->occ, s->noccupants * sizeof(*sw->occ));
}

/* main_part - the largest part (the earlier among equal ones). */
static enum rtlab_corr_part main_part(const struct rtlab_corr_spike *s)
{
	int m = 0;

	for (int p = 1; p < _RTLAB_CORR_PART_MAX; p++)
		if (s->part_ns[p] > s->part_ns[m])
			m = p;
	return (enum rtlab_corr_part)m;
}

/* occupied_in - the time of part @p held by any occupant. */
static uint64_t occupied_in(const struct sweep *sw, int p)
{
	uint64_t ns = 0;

	for (size_t i = 0; i < sw->nocc; i++)
		ns += sw->occ[i].part_ns[p];
	return ns;
}

/*
 * corr_verdict - parts, sweep, cause, line: the largest part is explained by
 * its largest occupant when occupants hold at least half of it.
 */
int corr_verdict(struct rtlab_corr_spike *s)
{
	struct sweep sw = { .s = s };
	const struct rtlab_corr_occupant *o = NULL;
	int r = 0, p;

	parts(&sw, s);
	p = (int)main_part(s);
	s->cause_part = (enum rtlab_corr_part)p;
	if (s->traced)
		r = sweep(&sw);
	if (r == 0 && s->traced && occupied_in(&sw, p) * EXPLAINED_DIV >= s->part_ns[p])
		o = largest_in(&sw, p);
	if (r == 0)
		r = corr_verdict_line(s, o);
	if (r == 0)
		keep(s, &sw);
	free(sw.in);
	free(sw.occ);
	return r;
}
