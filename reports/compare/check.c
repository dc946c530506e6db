/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check.c - each threshold checked on the rows it names: NEW's figure against its limit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare-internal.h"

/* find_row - the row of task @name, or SIZE_MAX. */
static size_t find_row(const struct rtlab_compare *c, const char *name)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (strcmp(c->rows[i].head->name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* no_samples - the error for a latency figure of a task that has none. */
static int no_samples(const char *role, const char *task, const struct rtlab_threshold *t,
		      char *err, size_t errsize)
{
	snprintf(err, errsize, "%s has no latency samples for task '%s': '%s' cannot be checked",
		 role, task, t->text);
	return -ENODATA;
}

/* add_check - threshold @t on row @ri (skipped when relative without BASE, unless @named). */
static int add_check(struct rtlab_compare *c, size_t ri, const struct rtlab_threshold *t,
		     bool named, char *err, size_t errsize)
{
	struct rtlab_compare_row *row = &c->rows[ri];
	bool rel = t->kind == RTLAB_THRESHOLD_RELATIVE;
	struct rtlab_compare_check *k;

	if (rel && !row->base) {
		if (!named)
			return 0;
		snprintf(err, errsize, "threshold '%s': BASE has no task '%s' to compare with",
			 t->text, t->task);
		return -EINVAL;
	}
	if (rtlab_compare_metric_is_latency(t->metric)) {
		if (!row->head->samples)
			return no_samples("NEW", row->head->name, t, err, errsize);
		if (rel && !row->base->samples)
			return no_samples("BASE", row->head->name, t, err, errsize);
	}
	k = realloc(c->checks, (c->nchecks + 1) * sizeof(*k));
	if (!k)
		return -ENOMEM;
	c->checks = k;
	k = &c->checks[c->nchecks++];
	k->row = ri;
	k->th = t;
	k->value = rtlab_compare_metric_value(row->head, t->metric);
	k->base = rel ? rtlab_compare_metric_value(row->base, t->metric) : 0;
	k->limit = rel ? k->base + k->base * t->pct / 100 : (double)t->bound;
	k->pass = k->value <= k->limit;
	c->failures += !k->pass;
	if (row->verdict[t->metric] < !k->pass)
		row->verdict[t->metric] = !k->pass;
	return 0;
}

/* cmp_checks_run - named tasks get their thresholds, the others every task (not "all"). */
int cmp_checks_run(struct rtlab_compare *c, char *err, size_t errsize)
{
	int r = 0;

	for (size_t i = 0; i < c->thresholds->n && r == 0; i++) {
		const struct rtlab_threshold *t = &c->thresholds->items[i];
		size_t ri;

		if (!t->task[0]) {
			for (ri = 0; ri + 1 < c->nrows && r == 0; ri++)
				r = add_check(c, ri, t, false, err, errsize);
			continue;
		}
		ri = find_row(c, t->task);
		if (ri == SIZE_MAX) {
			snprintf(err, errsize, "threshold '%s': NEW has no task '%s'", t->text,
				 t->task);
			return -EINVAL;
		}
		r = add_check(c, ri, t, true, err, errsize);
	}
	if (r == 0 && c->nchecks == 0) {
		snprintf(err, errsize, "no threshold could be checked: relative thresholds need "
			 "tasks that both runs have");
		r = -EINVAL;
	}
	return r;
}

/* rtlab_compare_check_text - "NEW 27.50us > limit 25.00us = BASE 22.70us +10%". */
const char *rtlab_compare_check_text(const struct rtlab_compare_check *k, char *buf,
				     size_t size)
{
	enum rtlab_compare_metric m = k->th->metric;
	char v[32], l[32], b[32], rule[64];

	rtlab_compare_format(m, k->value, false, v, sizeof(v));
	rtlab_compare_format(m, k->limit, false, l, sizeof(l));
	if (k->th->kind == RTLAB_THRESHOLD_ABSOLUTE) {
		snprintf(buf, size, "NEW %s %s limit %s", v, k->pass ? "<=" : ">", l);
		return buf;
	}
	cmp_threshold_rule(k->th, rule, sizeof(rule));
	snprintf(buf, size, "NEW %s %s limit %s = BASE %s %s", v, k->pass ? "<=" : ">", l,
		 rtlab_compare_format(m, k->base, false, b, sizeof(b)),
		 strchr(rule, '=') + 1);
	return buf;
}
