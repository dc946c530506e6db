/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json.c - samples as one JSON object, built with jansson.  The sink turns
 * each family and sample into json_t values of one tree; the tree is then
 * dumped compact, keys in the order they were added, after the text already
 * in the buffer.
 *
 * Numbers: i64, and u64 up to INT64_MAX, are exact integers; a u64 above
 * INT64_MAX is a double (jansson's json_int_t is int64); doubles are
 * jansson's, 17 significant digits, which read back to the same double.
 * A non-finite double or an unavailable sample is null, with "nonfinite" or
 * "unavailable" telling why.
 *
 * Strings: jansson takes valid UTF-8 only, and label values, "why" texts and
 * HELP come from the system.  Each byte that is not valid UTF-8 (strictly,
 * as rtlab_utf8_len() checks) becomes the text \xHH first, as in the other
 * exporters; valid text goes through unchanged.
 *
 * Unlike the Prometheus writer, a rendering allocates: the tree, freed before
 * rtlab_probe_json() returns.  Any failure of jansson or of the buffer is
 * -ENOMEM and leaves the buffer as it was.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "export/json-internal.h"

/* utf8_fix - append @n bytes of @s to @b, each byte that is not valid UTF-8 as the text \xHH. */
static int utf8_fix(struct rtlab_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	while (i < n) {
		size_t len = rtlab_utf8_len(p + i, n - i);
		char t[4];

		if (len) {
			i += len;
			continue;
		}
		t[0] = '\\';
		t[1] = 'x';
		t[2] = hex[p[i] >> 4];
		t[3] = hex[p[i] & 15];
		if (rtlab_buf_append(b, s + run, i - run) || rtlab_buf_append(b, t, sizeof(t)))
			return -ENOMEM;
		run = ++i;
	}
	return rtlab_buf_append(b, s + run, i - run);
}

/*
 * utf8_text - @s (*@n bytes) as valid UTF-8: @s itself when it is, otherwise
 * its \xHH form in @scratch (*@n updated).  NULL when out of memory.
 */
static const char *utf8_text(struct rtlab_buf *scratch, const char *s, size_t *n)
{
	size_t i, len;

	for (i = 0; i < *n; i += len) {
		len = rtlab_utf8_len((const unsigned char *)s + i, *n - i);
		if (!len)
			break;
	}
	if (i == *n)
		return s;
	rtlab_buf_reset(scratch);
	if (utf8_fix(scratch, s, *n))
		return NULL;
	*n = scratch->len;
	return scratch->data;
}

/* jstr - a JSON string of @n bytes at @s, made valid UTF-8; NULL when out of memory. */
static json_t *jstr(struct ex_json_tree *t, const char *s, size_t n)
{
	s = utf8_text(&t->text, s, &n);
	return s ? json_stringn(s, n) : NULL;
}

/* set_key - @o[@key] = @v (taken, NULL: out of memory), the key made valid UTF-8; 0 or -ENOMEM. */
static int set_key(struct ex_json_tree *t, json_t *o, const char *key, json_t *v)
{
	size_t n = strlen(key);

	key = utf8_text(&t->key, key, &n);
	if (!key) {
		json_decref(v);
		return -ENOMEM;
	}
	/* The _new setters take @v even when they fail. */
	return json_object_setn_new(o, key, n, v) ? -ENOMEM : 0;
}

/* ju64 - @u as an exact integer, or above INT64_MAX (beyond json_int_t) as a double. */
static json_t *ju64(uint64_t u)
{
	return u <= INT64_MAX ? json_integer((json_int_t)u) : json_real((double)u);
}

/* set_value - "value", and when it is null "unavailable" or "nonfinite"; 0 or -ENOMEM. */
static int set_value(json_t *s, const struct rtlab_mval *v)
{
	char num[32];
	json_t *n;

	if (v->st != RTLAB_PV_OK)
		return json_object_set_new(s, "value", json_null()) ||
		       json_object_set_new(s, "unavailable",
					   json_string(rtlab_pv_state_name(v->st))) ? -ENOMEM : 0;
	if (v->kind == RTLAB_MV_F64 && !isfinite(v->f)) {
		/* jansson has no NaN nor infinity (json_real() refuses them). */
		rtlab_fmt_double(v->f, num, sizeof(num));
		return json_object_set_new(s, "value", json_null()) ||
		       json_object_set_new(s, "nonfinite", json_string(num)) ? -ENOMEM : 0;
	}
	if (v->kind == RTLAB_MV_U64)
		n = ju64(v->u);
	else if (v->kind == RTLAB_MV_I64)
		n = json_integer((json_int_t)v->i);
	else
		n = json_real(v->f);
	return json_object_set_new(s, "value", n) ? -ENOMEM : 0;
}

/* json_family - add the object of family @f with its state; its samples follow. */
static int json_family(void *arg, enum rtlab_probe_family f, const struct rtlab_probe_data *d)
{
	struct ex_json_tree *t = arg;
	const char *name = rtlab_probe_family_name(f);
	json_t *fam;

	t->metrics = NULL;
	t->samples = NULL;
	t->last[0] = '\0';
	if (!name)
		return 0;	/* not a family: its samples are skipped */
	fam = json_object();
	/* why[] is bounded text from the family: never read past its end. */
	if (json_object_set_new(fam, "collected_ns", ju64(d->t_ns[f])) ||
	    json_object_set_new(fam, "error",
				d->err[f] ? json_string(ex_strerror(d->err[f])) : json_null()) ||
	    json_object_set_new(fam, "why",
				jstr(t, d->why[f], strnlen(d->why[f], sizeof(d->why[f])))) ||
	    json_object_set_new(fam, "metrics", json_object())) {
		json_decref(fam);
		return -ENOMEM;
	}
	if (json_object_set_new(t->families, name, fam))
		return -ENOMEM;
	t->metrics = json_object_get(fam, "metrics");
	return 0;
}

/*
 * open_metric - the samples array of @m in the open family: the one of its
 * name when the name came before (no second key), else a new metric.
 */
static int open_metric(struct ex_json_tree *t, const struct rtlab_metric *m)
{
	size_t n = strlen(m->name);
	const char *key = utf8_text(&t->key, m->name, &n);
	json_t *o;

	t->samples = NULL;
	t->last[0] = '\0';
	if (!key)
		return -ENOMEM;
	o = json_object_getn(t->metrics, key, n);
	if (!o) {
		o = json_object();
		if (json_object_set_new(o, "type", json_string(m->type == RTLAB_METRIC_COUNTER ?
							       "counter" : "gauge")) ||
		    json_object_set_new(o, "help", jstr(t, m->help ? m->help : "",
							m->help ? strlen(m->help) : 0)) ||
		    json_object_set_new(o, "samples", json_array())) {
			json_decref(o);
			return -ENOMEM;
		}
		/* @key is still in t->key: jstr() uses t->text. */
		if (json_object_setn_new(t->metrics, key, n, o))
			return -ENOMEM;
	}
	t->samples = json_object_get(o, "samples");
	strcpy(t->last, m->name);
	return 0;
}

/* json_sample - one sample into the open family's metric of its name. */
static int json_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
		       size_t nl, const struct rtlab_mval *v)
{
	struct ex_json_tree *t = arg;
	json_t *s, *labels;

	if (!t->metrics || !m || !m->name || strlen(m->name) >= sizeof(t->last) ||
	    (nl && !l) || v->kind > RTLAB_MV_F64)
		return 0;
	for (size_t i = 0; i < nl; i++)
		if (!l[i].name)
			return 0;
	if ((!t->samples || strcmp(m->name, t->last) != 0) && open_metric(t, m))
		return -ENOMEM;
	s = json_object();
	labels = json_object();
	if (json_object_set_new(s, "labels", labels))
		goto nomem;
	/* A label name given twice keeps its last value (an object has each key once). */
	for (size_t i = 0; i < nl; i++) {
		const char *val = l[i].value ? l[i].value : "";

		if (set_key(t, labels, l[i].name, jstr(t, val, strlen(val))))
			goto nomem;
	}
	if (set_value(s, v))
		goto nomem;
	return json_array_append_new(t->samples, s) ? -ENOMEM : 0;
nomem:
	json_decref(s);
	return -ENOMEM;
}

/* ex_json_tree_init - the root object and its empty "families". */
int ex_json_tree_init(struct ex_json_tree *t)
{
	*t = (struct ex_json_tree){ .root = json_object() };
	if (json_object_set_new(t->root, "families", json_object())) {
		ex_json_tree_fini(t);
		return -ENOMEM;
	}
	t->families = json_object_get(t->root, "families");
	return 0;
}

/* ex_json_tree_sink - a sink feeding @t. */
struct rtlab_probe_sink ex_json_tree_sink(struct ex_json_tree *t)
{
	return (struct rtlab_probe_sink){ .arg = t, .family = json_family, .sample = json_sample };
}

/* buf_write - jansson's output appended to the struct rtlab_buf @arg; 0, or -1 to stop. */
static int buf_write(const char *s, size_t n, void *arg)
{
	return rtlab_buf_append(arg, s, n) ? -1 : 0;
}

/* ex_json_tree_dump - the tree as compact JSON after @out's text; a failure takes it back. */
int ex_json_tree_dump(const struct ex_json_tree *t, struct rtlab_buf *out)
{
	size_t start = out->len;

	if (t->root && !json_dump_callback(t->root, buf_write, out,
					   JSON_COMPACT | JSON_PRESERVE_ORDER))
		return 0;
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	return -ENOMEM;
}

/* ex_json_tree_fini - the tree and the scratch buffers freed. */
void ex_json_tree_fini(struct ex_json_tree *t)
{
	json_decref(t->root);
	rtlab_buf_free(&t->key);
	rtlab_buf_free(&t->text);
	*t = (struct ex_json_tree){ 0 };
}

/* rtlab_probe_json - the collected families as one JSON object. */
int rtlab_probe_json(const struct rtlab_probe_data *d, uint64_t families, struct rtlab_buf *out)
{
	struct ex_json_tree t;
	struct rtlab_probe_sink sink;
	int r = ex_json_tree_init(&t);

	sink = ex_json_tree_sink(&t);
	if (!r)
		r = rtlab_probe_emit(d, families, &sink);
	if (!r)
		r = ex_json_tree_dump(&t, out);
	ex_json_tree_fini(&t);
	return r > 0 ? -EIO : r;
}
