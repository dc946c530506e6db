/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* psi-parse.c - a /proc/pressure file: "some" and "full" lines of key=value words. */
#include <errno.h>

#include "mem/mem-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* psi_line_mark - the four values of @l in state @st. */
static void psi_line_mark(struct rtlab_psi_line *l, enum rtlab_pv_state st)
{
	PV_NA(l->avg10, st);
	PV_NA(l->avg60, st);
	PV_NA(l->avg300, st);
	PV_NA(l->total_us, st);
}

/* psi_mark - both lines. */
void psi_mark(struct rtlab_psi_pressure *ps, enum rtlab_pv_state st)
{
	psi_line_mark(&ps->some, st);
	psi_line_mark(&ps->full, st);
}

/* word_value - the value of word [w, we) if it is "@key=value"; NULL if not. */
static const char *word_value(const char *w, const char *we, const char *key)
{
	return pp_lit(&w, we, key) && pp_lit(&w, we, "=") ? w : NULL;
}

/* psi_word - one "key=value" word into @l; a word it does not know is left alone. */
static void psi_word(const char *w, const char *we, struct rtlab_psi_line *l)
{
	static const char *const avg_keys[] = { "avg10", "avg60", "avg300" };
	struct rtlab_pf64 *avg[] = { &l->avg10, &l->avg60, &l->avg300 };
	const char *v = word_value(w, we, "total");
	uint64_t u;
	double f;

	if (v) {
		if (pp_u64(&v, we, &u) && v == we)
			PV_SET(l->total_us, u);
		return;
	}
	for (size_t i = 0; i < 3; i++) {
		v = word_value(w, we, avg_keys[i]);
		if (v && pp_fixed(&v, we, &f) && v == we)
			PV_SET(*avg[i], f);
	}
}

/* psi_line_parse - the words after "some"/"full"; false if a value is missing or bad. */
static bool psi_line_parse(const char *p, const char *eol, bool cut, struct rtlab_psi_line *l)
{
	const char *w;
	size_t wl;

	psi_line_mark(l, RTLAB_PV_MALFORMED);
	if (cut)
		return false;
	while (pp_word(&p, eol, &w, &wl))
		psi_word(w, w + wl, l);
	return l->avg10.st == RTLAB_PV_OK && l->avg60.st == RTLAB_PV_OK &&
	       l->avg300.st == RTLAB_PV_OK && l->total_us.st == RTLAB_PV_OK;
}

/*
 * psi_line_fast - " avg10=A avg60=B avg300=C total=T\n" after "some"/"full",
 * exactly as the kernel prints it, into @l; the next line, or NULL if not so.
 */
static const char *psi_line_fast(const char *p, const char *end, struct rtlab_psi_line *l)
{
	double a10, a60, a300;
	uint64_t t;

	if (!(pp_lit(&p, end, " avg10=") && pp_fixed(&p, end, &a10) &&
	      pp_lit(&p, end, " avg60=") && pp_fixed(&p, end, &a60) &&
	      pp_lit(&p, end, " avg300=") && pp_fixed(&p, end, &a300) &&
	      pp_lit(&p, end, " total=") && mem_u64(&p, end, &t) && p < end && *p == '\n'))
		return NULL;
	PV_SET(l->avg10, a10);
	PV_SET(l->avg60, a60);
	PV_SET(l->avg300, a300);
	PV_SET(l->total_us, t);
	return p + 1;
}

/* psi_line_slow - any line, word by word; returns where the next one starts. */
static const char *psi_line_slow(const char *p, const char *end, unsigned line,
				 struct rtlab_psi_pressure *out, struct mem_perr *err, int *r)
{
	const char *eol = pp_eol(p, end), *w;
	struct rtlab_psi_line *l;
	size_t wl;

	if (pp_word(&p, eol, &w, &wl)) {
		l = pp_eq(w, wl, "some") ? &out->some : pp_eq(w, wl, "full") ? &out->full : NULL;
		if (!l || !psi_line_parse(p, eol, eol == end, l)) {
			mem_perr_set(err, line, w, wl);
			*r = -EBADMSG;
		}
	}
	return eol < end ? eol + 1 : end;
}

/* psi_parse - the "some" and "full" lines; a line not printed stays ABSENT. */
int psi_parse(const char *buf, size_t len, struct rtlab_psi_pressure *out, struct mem_perr *err)
{
	const char *p = buf, *end = buf + len, *next;
	unsigned line = 0;
	int r = 0;

	*err = (struct mem_perr){ 0 };
	psi_mark(out, RTLAB_PV_ABSENT);
	while (p < end) {
		const char *q = p;

		line++;
		next = NULL;
		if (pp_lit(&q, end, "some"))
			next = psi_line_fast(q, end, &out->some);
		else if (pp_lit(&q, end, "full"))
			next = psi_line_fast(q, end, &out->full);
		p = next ? next : psi_line_slow(p, end, line, out, err, &r);
	}
	return r;
}
