/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* threshold.c - thresholds: "[TASK.]METRIC=+P%", "=-P%", "<=VALUE", parsed and formatted. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rtlab/scenario.h>

#include "compare-internal.h"

#define METRIC_LIST "min, mean, p50, p90, p99, p99.9, max, misses, lost"
#define PCT_DIGITS_MAX 9	/* digits before the point of a percentage */

/* One item being parsed: its text and the parts found so far. */
struct item {
	const char *text;	/* the whole item, trimmed (for messages) */
	char *key, *value;	/* trimmed */
	bool le;		/* "<=" (else "=") */
};

/* trim - @s without leading and trailing blanks (in place). */
static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* fail - "'ITEM': message" into @err; returns -EINVAL. */
static int fail(char *err, size_t errsize, const char *item, const char *fmt, ...)
	RTLAB_PRINTF(4, 5);
static int fail(char *err, size_t errsize, const char *item, const char *fmt, ...)
{
	int n = snprintf(err, errsize, "'%s': ", item);
	va_list ap;

	if (n >= 0 && (size_t)n < errsize) {
		va_start(ap, fmt);
		vsnprintf(err + n, errsize - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* task_name_ok - 1..63 bytes of [A-Za-z0-9_.-]. */
static bool task_name_ok(const char *s, size_t len)
{
	if (len == 0 || len >= sizeof(((struct rtlab_threshold *)0)->task))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

/* split_key - "[TASK.]METRIC" into @t's task and metric. */
static int split_key(const struct item *it, struct rtlab_threshold *t, char *err, size_t errsize)
{
	size_t len = strlen(it->key);

	if (cmp_metric_from_name(it->key, len, &t->metric) == 0) {
		t->task[0] = '\0';
	} else {
		const char *dot = NULL;

		/* The task ends at the first dot followed by a metric name (p99.9 has a dot). */
		for (const char *p = it->key; (p = strchr(p, '.')); p++)
			if (cmp_metric_from_name(p + 1, strlen(p + 1), &t->metric) == 0) {
				dot = p;
				break;
			}
		if (!dot)
			return fail(err, errsize, it->text, "unknown metric in '%s' (metrics: %s; "
				    "TASK.METRIC for one task)", it->key, METRIC_LIST);
		if (!task_name_ok(it->key, (size_t)(dot - it->key)))
			return fail(err, errsize, it->text, "bad task name '%.*s' (1 to 63 of "
				    "A-Z a-z 0-9 _ . -)", (int)(dot - it->key), it->key);
		memcpy(t->task, it->key, (size_t)(dot - it->key));
		t->task[dot - it->key] = '\0';
	}
	if (!cmp_metric_gated(t->metric))
		return fail(err, errsize, it->text, "%s cannot be gated (more jobs is not worse; "
			    "metrics: %s)", rtlab_compare_metric_name(t->metric), METRIC_LIST);
	return 0;
}

/* parse_pct - "+10%", "-2.5%" into t->pct. */
static int parse_pct(const struct item *it, struct rtlab_threshold *t, char *err,
		     size_t errsize)
{
	const char *p = it->value + 1;
	size_t ints = strspn(p, "0123456789"), decs = 0;

	if (it->le)
		return fail(err, errsize, it->text, "a relative threshold takes '=' "
			    "(%s=%s), '<=' takes a value", it->key, it->value);
	if (p[ints] == '.')
		decs = strspn(p + ints + 1, "0123456789");
	if (ints == 0 || ints > PCT_DIGITS_MAX || (p[ints] == '.' && decs == 0) ||
	    strcmp(p + ints + (decs ? decs + 1 : 0), "%") != 0)
		return fail(err, errsize, it->text, "a relative threshold is a signed percentage "
			    "(e.g. +10%% or -5%%)");
	t->pct = strtod(p, NULL);
	if (it->value[0] == '-') {
		t->pct = -t->pct;
		if (t->pct <= -100)
			return fail(err, errsize, it->text, "NEW cannot be 100%% better or more "
				    "(the limit would be 0 or less)");
	}
	t->kind = RTLAB_THRESHOLD_RELATIVE;
	return 0;
}

/* parse_bound - a duration with a unit (latencies) or a count into t->bound. */
static int parse_bound(const struct item *it, struct rtlab_threshold *t, char *err,
		       size_t errsize)
{
	const char *v = it->value;
	size_t digits = strspn(v, "0123456789");
	int r;

	if (v[digits] == '%')
		return fail(err, errsize, it->text, "give the sign of a percentage: +%s (NEW may "
			    "be worse by) or -%s (NEW must be better by)", v, v);
	t->kind = RTLAB_THRESHOLD_ABSOLUTE;
	if (!rtlab_compare_metric_is_latency(t->metric)) {
		r = rtlab_parse_u64(v, &t->bound);
		if (r == -ERANGE)
			return fail(err, errsize, it->text, "the count '%s' is too large", v);
		if (r < 0)
			return fail(err, errsize, it->text,
				    "%s is a count: a whole number, not '%s'",
				    rtlab_compare_metric_name(t->metric), v);
		return 0;
	}
	if (digits == 0 || !v[digits])
		return fail(err, errsize, it->text, "a latency bound is a duration with a unit: "
			    "ns, us, ms or s (e.g. 200us)");
	r = rtlab_parse_duration_ns(v, 1, &t->bound);
	if (r < 0)
		return fail(err, errsize, it->text, "%s: '%s' (e.g. 200us, units ns, us, ms, s)",
			    r == -ERANGE ? "duration too large" : "not a duration", v);
	return 0;
}

/* cmp_threshold_rule - the metric, operator and value. */
const char *cmp_threshold_rule(const struct rtlab_threshold *t, char *buf, size_t size)
{
	static const struct { const char *suffix; uint64_t ns; } units[] = {
		{ "s", RTLAB_NSEC_PER_SEC }, { "ms", RTLAB_NSEC_PER_MSEC },
		{ "us", RTLAB_NSEC_PER_USEC }, { "ns", 1 },
	};
	const char *name = rtlab_compare_metric_name(t->metric);
	size_t i = 0;

	if (t->kind == RTLAB_THRESHOLD_RELATIVE) {
		char pct[32];
		size_t n = (size_t)snprintf(pct, sizeof(pct), "%.6f", fabs(t->pct));

		while (pct[n - 1] == '0')
			pct[--n] = '\0';
		if (pct[n - 1] == '.')
			pct[n - 1] = '\0';
		snprintf(buf, size, "%s=%c%s%%", name, signbit(t->pct) ? '-' : '+', pct);
	} else if (!rtlab_compare_metric_is_latency(t->metric)) {
		snprintf(buf, size, "%s%s%llu", name, t->bound ? "<=" : "=",
			 (unsigned long long)t->bound);
	} else {
		while (t->bound % units[i].ns)
			i++;
		snprintf(buf, size, "%s<=%llu%s", name,
			 (unsigned long long)(t->bound / units[i].ns), units[i].suffix);
	}
	return buf;
}

/* set_text - t->text from its parts. */
static void set_text(struct rtlab_threshold *t)
{
	char rule[64];

	snprintf(t->text, sizeof(t->text), "%s%s%s", t->task, t->task[0] ? "." : "",
		 cmp_threshold_rule(t, rule, sizeof(rule)));
}

/* find_op - split @s at "<=" or "=" into @it. */
static int find_op(char *s, struct item *it, char *err, size_t errsize)
{
	char *op = strpbrk(s, "<=");

	if (!op && !strchr(s, '>'))
		return fail(err, errsize, s, "no '=' or '<=' (e.g. p99=+10%%, max<=200us)");
	if (!op || (op > s && (op[-1] == '>' || op[-1] == '!')))
		return fail(err, errsize, s, "a threshold is an upper bound on NEW: use '<=' "
			    "or '=' (e.g. max<=200us)");
	it->le = *op == '<';
	if (it->le && op[1] != '=')
		return fail(err, errsize, s, "use '<=' for a bound (e.g. max<=200us)");
	*op = '\0';
	it->key = trim(s);
	it->value = trim(op + (it->le ? 2 : 1));
	if (!*it->key || !*it->value)
		return fail(err, errsize, it->text, "a %s is missing (e.g. p99=+10%%)",
			    *it->key ? "value" : "metric");
	return 0;
}

/* check_dup - the same task, metric and kind given before? */
static int check_dup(const struct rtlab_thresholds *th, const struct rtlab_threshold *t,
		     const char *item, char *err, size_t errsize)
{
	for (size_t i = 0; i < th->n; i++) {
		const struct rtlab_threshold *o = &th->items[i];

		if (o->metric == t->metric && o->kind == t->kind && strcmp(o->task, t->task) == 0)
			return fail(err, errsize, item, "%s%s%s already has %s threshold ('%s')",
				    t->task, t->task[0] ? "." : "",
				    rtlab_compare_metric_name(t->metric),
				    t->kind == RTLAB_THRESHOLD_RELATIVE ? "a relative" :
									  "an absolute",
				    o->text);
	}
	return 0;
}

/* parse_item - one trimmed item into th->items[th->n]. */
static int parse_item(char *s, struct rtlab_thresholds *th, char *err, size_t errsize)
{
	char whole[256];
	struct item it = { .text = whole };
	struct rtlab_threshold *t = &th->items[th->n];
	int r;

	snprintf(whole, sizeof(whole), "%s", s);
	r = find_op(s, &it, err, errsize);
	if (r == 0)
		r = split_key(&it, t, err, errsize);
	if (r == 0)
		r = it.value[0] == '+' || it.value[0] == '-' ? parse_pct(&it, t, err, errsize) :
							       parse_bound(&it, t, err, errsize);
	if (r == 0)
		r = check_dup(th, t, whole, err, errsize);
	if (r < 0)
		return r;
	set_text(t);
	th->n++;
	return 0;
}

/* parse_all - every comma-separated item of @text (a copy, cut in place). */
static int parse_all(char *text, struct rtlab_thresholds *th, char *err, size_t errsize)
{
	char *p = text;
	int r;

	if (!*trim(text)) {
		snprintf(err, errsize, "'': no threshold given (e.g. p99=+10%%,misses=0)");
		return -EINVAL;
	}
	for (;;) {
		char *comma = strchr(p, ',');
		char *s;

		if (comma)
			*comma = '\0';
		s = trim(p);
		if (!*s)
			return fail(err, errsize, s, "an empty threshold (two commas in a row, or "
				    "one at an end?)");
		r = parse_item(s, th, err, errsize);
		if (r < 0 || !comma)
			return r;
		p = comma + 1;
	}
}

/* rtlab_thresholds_parse - the whole list. */
int rtlab_thresholds_parse(const char *text, struct rtlab_thresholds **ret, char *err,
			   size_t errsize)
{
	struct rtlab_thresholds *th;
	char *copy;
	size_t max = 1;
	int r;

	if (!text)
		text = "";
	for (const char *p = text; *p; p++)
		max += *p == ',';
	th = calloc(1, sizeof(*th));
	copy = strdup(text);
	if (th)
		th->items = calloc(max, sizeof(*th->items));
	r = !th || !copy || !th->items ? -ENOMEM : parse_all(copy, th, err, errsize);
	free(copy);
	if (r < 0) {
		if (r == -ENOMEM)
			snprintf(err, errsize, "out of memory");
		rtlab_thresholds_free(th);
		return r;
	}
	*ret = th;
	return 0;
}

/* add_abs - an absolute threshold on every task. */
static void add_abs(struct rtlab_thresholds *th, enum rtlab_compare_metric m, uint64_t bound)
{
	struct rtlab_threshold *t = &th->items[th->n++];

	t->metric = m;
	t->kind = RTLAB_THRESHOLD_ABSOLUTE;
	t->bound = bound;
	set_text(t);
}

/* rtlab_thresholds_from_gate - one absolute threshold per key of the [gate]. */
int rtlab_thresholds_from_gate(const struct rtlab_scenario_gate *gate,
			       struct rtlab_thresholds **ret)
{
	struct rtlab_thresholds *th = calloc(1, sizeof(*th));

	if (th)
		th->items = calloc(6, sizeof(*th->items));
	if (!th || !th->items) {
		rtlab_thresholds_free(th);
		return -ENOMEM;
	}
	if (gate->has_max)
		add_abs(th, RTLAB_COMPARE_MAX, gate->max_ns);
	if (gate->has_p99)
		add_abs(th, RTLAB_COMPARE_P99, gate->p99_ns);
	if (gate->has_p999)
		add_abs(th, RTLAB_COMPARE_P999, gate->p999_ns);
	if (gate->has_mean)
		add_abs(th, RTLAB_COMPARE_MEAN, gate->mean_ns);
	if (gate->has_misses)
		add_abs(th, RTLAB_COMPARE_MISSES, gate->misses);
	if (gate->has_lost)
		add_abs(th, RTLAB_COMPARE_LOST, gate->lost);
	*ret = th;
	return 0;
}

/* rtlab_thresholds_format - the texts joined by commas. */
int rtlab_thresholds_format(const struct rtlab_thresholds *th, char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < th->n; i++) {
		const char *sep = i ? "," : "";

		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", sep,
						th->items[i].text);
		else
			len += strlen(sep) + strlen(th->items[i].text);
	}
	return len < size ? (int)len : -ENOSPC;
}

/* cmp_thresholds_copy - the items copied. */
int cmp_thresholds_copy(const struct rtlab_thresholds *th, struct rtlab_thresholds **ret)
{
	struct rtlab_thresholds *c = calloc(1, sizeof(*c));

	if (c)
		c->items = calloc(th->n ? th->n : 1, sizeof(*c->items));
	if (!c || !c->items) {
		rtlab_thresholds_free(c);
		return -ENOMEM;
	}
	if (th->n)
		memcpy(c->items, th->items, th->n * sizeof(*c->items));
	c->n = th->n;
	*ret = c;
	return 0;
}

/* rtlab_thresholds_free - the items and the list. */
struct rtlab_thresholds *rtlab_thresholds_free(struct rtlab_thresholds *th)
{
	if (th) {
		free(th->items);
		free(th);
	}
	return NULL;
}

/* cmp_thresholds_text - the canonical text in a string to free(), NULL on -ENOMEM. */
char *cmp_thresholds_text(const struct rtlab_thresholds *th)
{
	size_t size = th->n * sizeof(th->items[0].text) + 1;
	char *s = malloc(size);

	if (s)
		rtlab_thresholds_format(th, s, size);
	return s;
}
