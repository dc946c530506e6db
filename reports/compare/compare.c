/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* compare.c - two runs read back, their tasks matched by name, the facts that differ. */
#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rtlab/scenario.h>

#include "compare-internal.h"

/* The run facts compared, as text fields of struct rtlab_run_summary (ncpus apart). */
static const struct {
	const char *name;
	size_t off;
} text_facts[] = {
	{ "hostname", offsetof(struct rtlab_run_summary, hostname) },
	{ "kernel", offsetof(struct rtlab_run_summary, kernel) },
	{ "kernel_version", offsetof(struct rtlab_run_summary, kernel_version) },
	{ "preempt", offsetof(struct rtlab_run_summary, preempt) },
	{ "cpu_model", offsetof(struct rtlab_run_summary, cpu_model) },
	{ "governor", offsetof(struct rtlab_run_summary, governor) },
	{ "cmdline", offsetof(struct rtlab_run_summary, cmdline) },
	{ "rtlab_version", offsetof(struct rtlab_run_summary, rtlab_version) },
	{ "scenario_hash", offsetof(struct rtlab_run_summary, scenario_hash) },
};

#define NFACTS (RTLAB_ARRAY_SIZE(text_facts) + 1)

/* cmp_fact_count - how many facts cmp_fact_name() knows. */
size_t cmp_fact_count(void)
{
	return NFACTS;
}

/* cmp_fact_name - the name of fact @i. */
const char *cmp_fact_name(size_t i)
{
	return i < RTLAB_ARRAY_SIZE(text_facts) ? text_facts[i].name : "ncpus";
}

/* cmp_warn - one more warning line. */
int cmp_warn(struct rtlab_compare *c, const char *fmt, ...)
{
	char **w = realloc(c->warnings, (c->nwarnings + 1) * sizeof(*w));
	va_list ap;
	int n;

	if (!w)
		return -ENOMEM;
	c->warnings = w;
	va_start(ap, fmt);
	n = vasprintf(&w[c->nwarnings], fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	c->nwarnings++;
	return 0;
}

/* scenario_text - the run's scenario text (a copy to free, "" if none), NULL on -ENOMEM. */
static char *scenario_text(struct rtlab_store *st)
{
	sqlite3_stmt *q;
	char *text = NULL;

	if (sqlite3_prepare_v2(rtlab_store_db(st), "SELECT scenario FROM run WHERE id = 1", -1,
			       &q, NULL) != SQLITE_OK)
		return strdup("");
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		text = strdup((const char *)sqlite3_column_text(q, 0));
	else
		text = strdup("");
	sqlite3_finalize(q);
	return text;
}

/* read_run - run @path's summary (and, if @ret_scenario, its scenario text). */
static int read_run(const char *role, const char *path, struct rtlab_run_summary *s,
		    char **ret_scenario, char *err, size_t errsize)
{
	struct rtlab_store *st;
	int r = rtlab_store_open(path, false, &st);

	if (r == -ENOENT) {
		snprintf(err, errsize, "%s '%s': not a run (no run.db)", role, path);
		return r;
	}
	if (r == -EPROTO) {
		snprintf(err, errsize, "%s '%s': not a run store (or one from a newer rtlab)",
			 role, path);
		return r;
	}
	if (r == 0) {
		r = rtlab_run_summary_read(st, s);
		if (r == 0 && ret_scenario) {
			*ret_scenario = scenario_text(st);
			r = *ret_scenario ? 0 : -ENOMEM;
		}
		rtlab_store_close(st);
	}
	if (r < 0)
		snprintf(err, errsize, "%s '%s': cannot read the run: %s", role, path,
			 r == -EPROTO ? "it has no run row" : strerror(-r));
	return r;
}

/* check_status - NEW complete; BASE complete or interrupted (warned). */
static int check_status(struct rtlab_compare *c, char *err, size_t errsize)
{
	const char *hs = c->head.status, *bs = c->base.status;

	if (strcmp(hs, "complete") != 0) {
		snprintf(err, errsize, "NEW '%s' is %s: a gate needs a complete run (%s)",
			 c->head_path, hs, strcmp(hs, "interrupted") == 0 ?
			 "it was stopped early" : "it never ended: a crash or a kill?");
		return -EINVAL;
	}
	if (strcmp(bs, "interrupted") == 0)
		return cmp_warn(c, "BASE '%s' was interrupted: its figures cover only part of "
				"its duration", c->base_path);
	if (strcmp(bs, "complete") != 0) {
		snprintf(err, errsize, "BASE '%s' is %s: its task counters (jobs, misses) were "
			 "never stored; compare with a complete or interrupted run", c->base_path,
			 bs);
		return -EINVAL;
	}
	return 0;
}

/* gate_of - the thresholds of NEW's [gate] into c->thresholds (none: left NULL). */
static int gate_of(struct rtlab_compare *c, const char *text, char *err, size_t errsize)
{
	struct rtlab_scenario *sc = NULL;
	char perr[RTLAB_SCENARIO_ERR_MAX];
	int r;

	if (!*text)
		return 0;
	r = rtlab_scenario_parse_text("NEW's scenario", text, strlen(text), &sc, perr,
				      sizeof(perr));
	if (r < 0) {
		snprintf(err, errsize, "%s (the [gate] of NEW's scenario cannot be read: give "
			 "the thresholds)", r == -EINVAL ? perr : strerror(-r));
		return r;
	}
	r = rtlab_thresholds_from_gate(&sc->gate, &c->thresholds);
	c->gate_line = sc->gate.line;
	rtlab_scenario_free(sc);
	if (r == 0 && c->thresholds->n == 0)
		c->thresholds = rtlab_thresholds_free(c->thresholds);
	return r;
}

/* pick_thresholds - given ones, else NEW's [gate], else the default gate. */
static int pick_thresholds(struct rtlab_compare *c, const struct rtlab_thresholds *th,
			   const char *scenario, char *err, size_t errsize)
{
	int r;

	if (th) {
		c->source = RTLAB_THRESHOLDS_GIVEN;
		return cmp_thresholds_copy(th, &c->thresholds);
	}
	c->source = RTLAB_THRESHOLDS_GATE;
	r = gate_of(c, scenario, err, errsize);
	if (r < 0 || c->thresholds)
		return r;
	c->source = RTLAB_THRESHOLDS_DEFAULT;
	return rtlab_thresholds_parse(RTLAB_COMPARE_DEFAULT_GATE, &c->thresholds, err, errsize);
}

/* find_task - the task called @name in @s, or NULL. */
static const struct rtlab_task_summary *find_task(const struct rtlab_run_summary *s,
						  const char *name)
{
	for (size_t i = 0; i < s->ntasks; i++)
		if (strcmp(s->tasks[i].name, name) == 0)
			return &s->tasks[i];
	return NULL;
}

/* build_rows - one row per task of NEW ("all" last); tasks of one run only are warned. */
static int build_rows(struct rtlab_compare *c)
{
	int r = 0;

	c->rows = calloc(c->head.ntasks, sizeof(*c->rows));
	if (!c->rows)
		return -ENOMEM;
	for (size_t i = 0; i < c->head.ntasks && r == 0; i++) {
		struct rtlab_compare_row *row = &c->rows[c->nrows++];

		row->head = &c->head.tasks[i];
		row->base = find_task(&c->base, row->head->name);
		memset(row->verdict, -1, sizeof(row->verdict));
		if (!row->base)
			r = cmp_warn(c, "task '%s' is only in NEW: relative thresholds are not "
				     "checked on it", row->head->name);
	}
	for (size_t i = 0; i < c->base.ntasks && r == 0; i++)
		if (!find_task(&c->head, c->base.tasks[i].name))
			r = cmp_warn(c, "task '%s' is only in BASE: not compared",
				     c->base.tasks[i].name);
	return r;
}

/* cmp_fact_text - fact @i of @s as text. */
void cmp_fact_text(const struct rtlab_run_summary *s, size_t i, char *buf, size_t size)
{
	if (i < RTLAB_ARRAY_SIZE(text_facts))
		snprintf(buf, size, "%s", (const char *)s + text_facts[i].off);
	else
		snprintf(buf, size, "%d", s->ncpus);
}

/* diff_facts - the facts whose texts differ. */
static int diff_facts(struct rtlab_compare *c)
{
	c->facts = calloc(NFACTS, sizeof(*c->facts));
	if (!c->facts)
		return -ENOMEM;
	for (size_t i = 0; i < NFACTS; i++) {
		struct rtlab_compare_fact *f = &c->facts[c->nfacts];

		cmp_fact_text(&c->base, i, f->base, sizeof(f->base));
		cmp_fact_text(&c->head, i, f->head, sizeof(f->head));
		if (strcmp(f->base, f->head) == 0)
			continue;
		f->name = cmp_fact_name(i);
		c->nfacts++;
	}
	return 0;
}

/* compare - every step after the allocation of @c. */
static int compare(struct rtlab_compare *c, const struct rtlab_thresholds *th, char *err,
		   size_t errsize)
{
	char *scenario = NULL;
	int r;

	r = read_run("BASE", c->base_path, &c->base, NULL, err, errsize);
	if (r == 0)
		r = read_run("NEW", c->head_path, &c->head, &scenario, err, errsize);
	if (r == 0)
		r = check_status(c, err, errsize);
	if (r == 0)
		r = pick_thresholds(c, th, scenario, err, errsize);
	free(scenario);
	if (r == 0)
		r = build_rows(c);
	if (r == 0)
		r = diff_facts(c);
	if (r == 0)
		r = cmp_checks_run(c, err, errsize);
	if (r == -ENOMEM)
		snprintf(err, errsize, "out of memory");
	return r;
}

/* rtlab_compare_runs - read, match, check. */
int rtlab_compare_runs(const char *base_path, const char *head_path,
		       const struct rtlab_thresholds *th, struct rtlab_compare **ret, char *err,
		       size_t errsize)
{
	struct rtlab_compare *c = calloc(1, sizeof(*c));
	uint64_t t0 = rtlab_now_ns();
	int r;

	if (c) {
		c->base_path = strdup(base_path);
		c->head_path = strdup(head_path);
	}
	if (!c || !c->base_path || !c->head_path) {
		rtlab_compare_free(c);
		snprintf(err, errsize, "out of memory");
		return -ENOMEM;
	}
	r = compare(c, th, err, errsize);
	if (r < 0) {
		rtlab_compare_free(c);
		return r;
	}
	c->elapsed_ns = rtlab_now_ns() - t0;
	*ret = c;
	return 0;
}

/* rtlab_compare_result - any failed check is a regression. */
enum rtlab_compare_result rtlab_compare_result(const struct rtlab_compare *c)
{
	return c->failures ? RTLAB_COMPARE_REGRESSION : RTLAB_COMPARE_PASS;
}

/* rtlab_compare_source_text - in words. */
const char *rtlab_compare_source_text(const struct rtlab_compare *c)
{
	switch (c->source) {
	case RTLAB_THRESHOLDS_GIVEN:
		return "given";
	case RTLAB_THRESHOLDS_GATE:
		return "the [gate] of NEW's scenario";
	default:
		return "default: NEW's scenario has no [gate]";
	}
}

/* rtlab_compare_free - everything it owns. */
struct rtlab_compare *rtlab_compare_free(struct rtlab_compare *c)
{
	if (!c)
		return NULL;
	for (size_t i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c->facts);
	free(c->checks);
	free(c->rows);
	rtlab_thresholds_free(c->thresholds);
	rtlab_run_summary_free(&c->base);
	rtlab_run_summary_free(&c->head);
	free(c->base_path);
	free(c->head_path);
	free(c);
	return NULL;
}
