/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* interrupts-parse.c - /proc/interrupts and /proc/softirqs: per-CPU count tables. */
#include <errno.h>
#include <stdlib.h>

#include "cpu/cpu-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* irq_table_release - free the table's arrays. */
void irq_table_release(struct rtlab_irq_table *t)
{
	free(t->col_cpu);
	free(t->lines);
	free(t->counts);
	*t = (struct rtlab_irq_table){ 0 };
}

/* table_header - "   CPU0   CPU1 ...": the CPU number of each column. */
static int table_header(const char *p, const char *eol, struct rtlab_irq_table *t)
{
	const char *w;
	size_t wl;

	t->ncols = 0;
	while (pp_word(&p, eol, &w, &wl)) {
		const char *q = w + 3;
		void *arr = t->col_cpu;
		uint64_t cpu;
		int r;

		if (wl < 4 || memcmp(w, "CPU", 3) != 0 || *q < '0' || *q > '9' ||
		    !pp_u64(&q, w + wl, &cpu) || q != w + wl || cpu >= CPU_MAX ||
		    t->ncols >= CPU_MAX)
			return -EBADMSG;
		r = probe_grow(&arr, &t->cap_cols, t->ncols + 1, sizeof(*t->col_cpu));
		if (r < 0)
			return r;
		t->col_cpu = arr;
		t->col_cpu[t->ncols++] = (uint32_t)cpu;
	}
	return t->ncols ? 0 : -EBADMSG;
}

/*
 * words_join - the blank-separated words of [p, eol) joined by one space
 * into @dst (truncated), as strings.Fields + Join make node_exporter's labels.
 */
static void words_join(const char *p, const char *eol, char *dst, size_t size)
{
	const char *w;
	size_t wl, n = 0;

	while (pp_word(&p, eol, &w, &wl)) {
		if (n && n + 1 < size)
			dst[n++] = ' ';
		if (n + 1 < size) {
			size_t k = wl < size - 1 - n ? wl : size - 1 - n;

			memcpy(dst + n, w, k);
			n += k;
		}
	}
	dst[n] = '\0';
}

/*
 * devices_split - hwirq, handler and actions out of a numbered row's devices:
 * "5-edge ACPI:Ged" (x86), "27 Level arch_timer" (arm64), "-edge x" (no domain).
 */
static void devices_split(struct rtlab_irq_line *ln)
{
	const char *p = ln->devices, *end = p + strlen(p), *w, *q, *next;
	size_t wl;
	uint64_t v;

	PV_NA(ln->hwirq, RTLAB_PV_ABSENT);
	ln->handler[0] = '\0';
	ln->actions[0] = '\0';
	if (!pp_word(&p, end, &w, &wl))
		return;
	q = w;
	if (pp_u64(&q, w + wl, &v))
		PV_SET(ln->hwirq, v);
	if (q < w + wl && *q == '-') {
		pp_copy(ln->handler, sizeof(ln->handler), q + 1, (size_t)(w + wl - q - 1));
	} else if (q == w + wl) {
		next = p;
		if (pp_word(&next, end, &w, &wl) && (pp_eq(w, wl, "Level") || pp_eq(w, wl, "Edge"))) {
			pp_copy(ln->handler, sizeof(ln->handler), w, wl);
			p = next;
		}
	} else {
		/* Not a number nor a handler: the actions start here. */
		PV_NA(ln->hwirq, RTLAB_PV_ABSENT);
		p = w;
	}
	p = pp_skip_blanks(p, end);
	pp_copy(ln->actions, sizeof(ln->actions), p, (size_t)(end - p));
}

/* row_name - the text before ':' without blanks; false if the line has no ':'. */
static bool row_name(const char **pp, const char *eol, struct rtlab_irq_line *ln)
{
	const char *p = pp_skip_blanks(*pp, eol);
	const char *colon = p < eol ? memchr(p, ':', (size_t)(eol - p)) : NULL;
	const char *e;

	if (!colon)
		return false;
	e = colon;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	pp_copy(ln->name, sizeof(ln->name), p, (size_t)(e - p));
	ln->numbered = e > p;
	for (const char *q = p; q < e; q++)
		ln->numbered = ln->numbered && *q >= '0' && *q <= '9';
	*pp = colon + 1;
	return true;
}

/* row_counts - the row's counts, one per column; false if some are missing. */
static bool row_counts(const char **pp, const char *eol, size_t ncols,
		       struct rtlab_pu64 *cells, struct rtlab_pu64 *total)
{
	uint64_t sum = 0, v;
	bool ok = true;

	for (size_t c = 0; c < ncols; c++) {
		const char *q = *pp;

		if (ok && pp_u64(&q, eol, &v) && (q == eol || *q == ' ' || *q == '\t')) {
			PV_SET(cells[c], v);
			sum += v;
			*pp = q;
		} else {
			PV_NA(cells[c], RTLAB_PV_MALFORMED);
			ok = false;
		}
	}
	if (ok)
		PV_SET(*total, sum);
	else
		PV_NA(*total, RTLAB_PV_MALFORMED);
	return ok;
}

/* row_single - "ERR:   0": one system-wide count into @f. */
static int row_single(const char *p, const char *eol, struct rtlab_pu64 *f)
{
	uint64_t v;

	if (!pp_u64(&p, eol, &v) || pp_skip_blanks(p, eol) != eol) {
		PV_NA(*f, RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	PV_SET(*f, v);
	return 0;
}

/* table_row - one row appended to @t; ERR and MIS go to @x (if not NULL). */
static int table_row(const char *p, const char *eol, bool complete, struct rtlab_irq_table *t,
		     struct rtlab_probe_interrupts *x)
{
	struct rtlab_irq_line ln = { 0 };
	void *lines = t->lines, *counts = t->counts;
	struct rtlab_pu64 *cells;
	size_t cap_lines = t->cap_lines, cap_counts = t->cap_counts;
	int r;

	PV_NA(ln.hwirq, RTLAB_PV_ABSENT);
	if (!row_name(&p, eol, &ln))
		return pp_skip_blanks(p, eol) == eol && complete ? 0 : -EBADMSG;
	if (x && (pp_eq(ln.name, strlen(ln.name), "ERR") || pp_eq(ln.name, strlen(ln.name), "Err")))
		return row_single(p, eol, &x->err) < 0 || !complete ? -EBADMSG : 0;
	if (x && pp_eq(ln.name, strlen(ln.name), "MIS"))
		return row_single(p, eol, &x->mis) < 0 || !complete ? -EBADMSG : 0;

	r = probe_grow(&lines, &cap_lines, t->nlines + 1, sizeof(*t->lines));
	t->lines = lines;
	t->cap_lines = cap_lines;
	if (r == 0)
		r = probe_grow(&counts, &cap_counts, (t->nlines + 1) * t->ncols, sizeof(*t->counts));
	t->counts = counts;
	t->cap_counts = cap_counts;
	if (r < 0)
		return r;
	cells = t->counts + t->nlines * t->ncols;
	r = row_counts(&p, eol, t->ncols, cells, &ln.total) && complete ? 0 : -EBADMSG;
	if (r < 0)
		PV_NA(ln.total, RTLAB_PV_MALFORMED);
	if (ln.numbered) {
		const char *w;
		size_t wl;

		if (pp_word(&p, eol, &w, &wl))
			pp_copy(ln.info, sizeof(ln.info), w, wl);
		words_join(p, eol, ln.devices, sizeof(ln.devices));
		devices_split(&ln);
	} else {
		words_join(p, eol, ln.info, sizeof(ln.info));
	}
	t->lines[t->nlines++] = ln;
	return r;
}

/* table_parse - a header of CPU columns, then rows of counts. */
static int table_parse(const char *buf, size_t len, struct rtlab_irq_table *t,
		       struct rtlab_probe_interrupts *x)
{
	const char *p = buf, *end = buf + len, *eol = pp_eol(buf, end);
	uint32_t line = 1;
	int ret, r;

	t->nlines = 0;
	t->bad_line = 0;
	r = table_header(p, eol, t);
	if (r < 0 || eol == end) {
		t->st = RTLAB_PV_MALFORMED;
		t->ncols = 0;
		t->bad_line = 1;
		return r == -ENOMEM ? r : -EBADMSG;
	}
	t->st = RTLAB_PV_OK;
	ret = 0;
	for (p = eol + 1; p < end; p = eol < end ? eol + 1 : end) {
		eol = pp_eol(p, end);
		line++;
		r = table_row(p, eol, eol < end, t, x);
		if (r == -ENOMEM)
			return r;
		if (r < 0 && !ret) {
			ret = r;
			t->bad_line = line;
		}
	}
	return ret;
}

/* interrupts_parse - /proc/interrupts. */
int interrupts_parse(const char *buf, size_t len, struct rtlab_probe_interrupts *out)
{
	PV_NA(out->err, RTLAB_PV_ABSENT);
	PV_NA(out->mis, RTLAB_PV_ABSENT);
	return table_parse(buf, len, &out->irq, out);
}

/* softirqs_parse - /proc/softirqs. */
int softirqs_parse(const char *buf, size_t len, struct rtlab_irq_table *out)
{
	return table_parse(buf, len, out, NULL);
}
