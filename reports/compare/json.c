/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json.c - a comparison as JSON (jansson): runs, table, checks, warnings, verdict. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "compare-internal.h"

/* jstr - @s cleaned into a JSON string (valid UTF-8 whatever the run file held). */
static json_t *jstr(const char *s)
{
	char *clean = cmp_text_clean(s);
	json_t *j = clean ? json_string(clean) : NULL;

	free(clean);
	return j;
}

/* jfig - a figure of metric @m: the mean and limits are reals, the others integers. */
static json_t *jfig(enum rtlab_compare_metric m, double v)
{
	return m == RTLAB_COMPARE_MEAN ? json_real(v) : json_integer((json_int_t)v);
}

/* run_json - a run's facts and status. */
static json_t *run_json(const struct rtlab_run_summary *s, const char *path)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:I}", "path", jstr(path), "name",
			      jstr(s->name), "status", jstr(s->status), "start_utc",
			      jstr(s->start_utc), "duration_ns", (json_int_t)s->duration_ns);
	char text[1024];

	for (size_t i = 0; o && i < cmp_fact_count(); i++) {
		cmp_fact_text(s, i, text, sizeof(text));
		if (json_object_set_new(o, cmp_fact_name(i), strcmp(cmp_fact_name(i), "ncpus") ?
					jstr(text) : json_integer(s->ncpus)) < 0)
			o = (json_decref(o), NULL);
	}
	return o;
}

/* cell_json - one metric of one row: both values, the deltas, the verdict. */
static json_t *cell_json(const struct rtlab_compare_row *row, enum rtlab_compare_metric m)
{
	double h = rtlab_compare_metric_value(row->head, m), b;
	static const char *const verdicts[] = { "pass", "fail" };
	json_t *verdict = row->verdict[m] < 0 ? json_null() :
						json_string(verdicts[row->verdict[m]]);

	if (!row->base)
		return json_pack("{s:n, s:o, s:n, s:n, s:o}", "base", "new", jfig(m, h), "delta",
				 "delta_pct", "verdict", verdict);
	b = rtlab_compare_metric_value(row->base, m);
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "base", jfig(m, b), "new", jfig(m, h),
			 "delta", jfig(m, h - b), "delta_pct",
			 b != 0 ? json_real((h - b) / b * 100) : json_null(), "verdict", verdict);
}

/* row_json - a task's name and cells. */
static json_t *row_json(const struct rtlab_compare_row *row)
{
	json_t *cells = json_object();

	for (size_t m = 0; cells && m < _RTLAB_COMPARE_METRIC_MAX; m++)
		if (json_object_set_new(cells, rtlab_compare_metric_name(m),
					cell_json(row, (enum rtlab_compare_metric)m)) < 0)
			cells = (json_decref(cells), NULL);
	return json_pack("{s:o, s:b, s:o, s:I, s:o}", "task", jstr(row->head->name), "in_base",
			 row->base != NULL, "samples_base",
			 row->base ? json_integer((json_int_t)row->base->samples) : json_null(),
			 "samples_new", (json_int_t)row->head->samples, "metrics", cells);
}

/* check_json - one check. */
static json_t *check_json(const struct rtlab_compare *c, const struct rtlab_compare_check *k)
{
	enum rtlab_compare_metric m = k->th->metric;
	bool rel = k->th->kind == RTLAB_THRESHOLD_RELATIVE;
	char text[256];

	return json_pack("{s:o, s:o, s:s, s:s, s:o, s:o, s:f, s:b, s:o}", "task",
			 jstr(c->rows[k->row].head->name), "threshold", jstr(k->th->text),
			 "metric", rtlab_compare_metric_name(m), "kind",
			 rel ? "relative" : "absolute", "base",
			 rel ? jfig(m, k->base) : json_null(),
			 "value", jfig(m, k->value), "limit", k->limit, "pass", k->pass, "text",
			 jstr(rtlab_compare_check_text(k, text, sizeof(text))));
}

/* lists_json - the facts that differ, the warnings, the rows and the checks, into @o. */
static int lists_json(const struct rtlab_compare *c, json_t *o)
{
	json_t *facts = json_array(), *warn = json_array(), *rows = json_array();
	json_t *checks = json_array();
	int bad = 0;

	for (size_t i = 0; facts && i < c->nfacts; i++)
		bad |= json_array_append_new(facts, json_pack("{s:s, s:o, s:o}", "fact",
					     c->facts[i].name, "base", jstr(c->facts[i].base),
					     "new", jstr(c->facts[i].head)));
	for (size_t i = 0; warn && i < c->nwarnings; i++)
		bad |= json_array_append_new(warn, jstr(c->warnings[i]));
	for (size_t i = 0; rows && i < c->nrows; i++)
		bad |= json_array_append_new(rows, row_json(&c->rows[i]));
	for (size_t i = 0; checks && i < c->nchecks; i++)
		bad |= json_array_append_new(checks, check_json(c, &c->checks[i]));
	bad |= json_object_set_new(o, "differing_facts", facts);
	bad |= json_object_set_new(o, "warnings", warn);
	bad |= json_object_set_new(o, "tasks", rows);
	bad |= json_object_set_new(o, "checks", checks);
	return bad ? -ENOMEM : 0;
}

/* rtlab_compare_json - the whole comparison, indented. */
int rtlab_compare_json(const struct rtlab_compare *c, char **ret)
{
	static const char *const sources[] = {
		[RTLAB_THRESHOLDS_GIVEN] = "given",
		[RTLAB_THRESHOLDS_GATE] = "gate",
		[RTLAB_THRESHOLDS_DEFAULT] = "default",
	};
	char *th = cmp_thresholds_text(c->thresholds);
	json_t *o = th ? json_pack("{s:o, s:o, s:{s:s, s:s, s:s}, s:s, s:I, s:I}", "base",
				   run_json(&c->base, c->base_path), "new",
				   run_json(&c->head, c->head_path), "thresholds", "text", th,
				   "source", sources[c->source], "description",
				   rtlab_compare_source_text(c), "result",
				   rtlab_compare_result(c) ? "regression" : "pass", "checked",
				   (json_int_t)c->nchecks, "failures", (json_int_t)c->failures) :
			 NULL;
	int r = o ? lists_json(c, o) : -ENOMEM;

	free(th);
	if (r == 0) {
		*ret = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		r = *ret ? 0 : -ENOMEM;
	}
	json_decref(o);
	return r;
}
