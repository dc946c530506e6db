/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json.c - samples as one JSON object, written as a stream: exact integers
 * (u64 above 2^63 included, which a JSON library's integer cannot hold) and
 * no allocation once the buffer is big enough.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "export/export-internal.h"

/* put - append a literal; -ENOMEM. */
static int put(struct ex_json *w, const char *s)
{
	return rtlab_buf_puts(w->out, s);
}

/* put_str - "escaped string". */
static int put_str(struct ex_json *w, const char *s)
{
	if (put(w, "\"") || ex_escape_str(w->out, s, EX_ESC_JSON) || put(w, "\""))
		return -ENOMEM;
	return 0;
}

/* put_key - "key": */
static int put_key(struct ex_json *w, const char *key)
{
	return put_str(w, key) || put(w, ":") ? -ENOMEM : 0;
}

/* close_open - close the open metric and, with @family, the open family. */
static int close_open(struct ex_json *w, bool family)
{
	if (w->in_metric && put(w, "]}"))
		return -ENOMEM;
	w->in_metric = false;
	w->last[0] = '\0';
	if (family && w->in_family && put(w, "}}"))
		return -ENOMEM;
	if (family)
		w->in_family = false;
	return 0;
}

/* json_family - open the object of family @f with its state. */
static int json_family(void *arg, enum rtlab_probe_family f, const struct rtlab_probe_data *d)
{
	struct ex_json *w = arg;
	char num[24];

	if (close_open(w, true) || (!w->first_family && put(w, ",")))
		return -ENOMEM;
	w->first_family = false;
	ex_fmt_u64(d->t_ns[f], num);
	if (put_key(w, rtlab_probe_family_name(f)) || put(w, "{\"collected_ns\":") ||
	    put(w, num) || put(w, ",\"error\":") ||
	    (d->err[f] ? put_str(w, ex_strerror(d->err[f])) : put(w, "null")) ||
	    put(w, ",\"why\":"))
		return -ENOMEM;
	/* why[] is bounded text from the family: never read past its end. */
	if (put(w, "\"") || ex_escape(w->out, d->why[f], strnlen(d->why[f], sizeof(d->why[f])),
				      EX_ESC_JSON) ||
	    put(w, "\",\"metrics\":{"))
		return -ENOMEM;
	w->in_family = true;
	w->first_metric = true;
	return 0;
}

/* open_metric - "name":{"type":..,"help":..,"samples":[ */
static int open_metric(struct ex_json *w, const struct rtlab_metric *m)
{
	if (close_open(w, false) || (!w->first_metric && put(w, ",")))
		return -ENOMEM;
	w->first_metric = false;
	if (put_key(w, m->name) || put(w, "{\"type\":") ||
	    put(w, m->type == RTLAB_METRIC_COUNTER ? "\"counter\"" : "\"gauge\"") ||
	    put(w, ",\"help\":") || put_str(w, m->help ? m->help : "") ||
	    put(w, ",\"samples\":["))
		return -ENOMEM;
	w->in_metric = true;
	w->first_sample = true;
	strcpy(w->last, m->name);
	return 0;
}

/* put_value - "value":N, or null with the reason. */
static int put_value(struct ex_json *w, const struct rtlab_mval *v)
{
	char num[32];

	if (put(w, ",\"value\":"))
		return -ENOMEM;
	if (v->st != RTLAB_PV_OK)
		return put(w, "null,\"unavailable\":") || put_str(w, rtlab_pv_state_name(v->st)) ?
			       -ENOMEM : 0;
	if (v->kind == RTLAB_MV_U64) {
		ex_fmt_u64(v->u, num);
	} else if (v->kind == RTLAB_MV_I64) {
		ex_fmt_i64(v->i, num);
	} else {
		rtlab_fmt_double(v->f, num, sizeof(num));
		if (!isfinite(v->f))
			return put(w, "null,\"nonfinite\":") || put_str(w, num) ? -ENOMEM : 0;
	}
	return put(w, num);
}

/* json_sample - one sample into the open metric (opening it when the name changes). */
static int json_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
		       size_t nl, const struct rtlab_mval *v)
{
	struct ex_json *w = arg;

	if (!w->in_family || !m || !m->name || strlen(m->name) >= sizeof(w->last) ||
	    (nl && !l) || v->kind > RTLAB_MV_F64)
		return 0;
	for (size_t i = 0; i < nl; i++)
		if (!l[i].name)
			return 0;
	if ((!w->in_metric || strcmp(m->name, w->last) != 0) && open_metric(w, m))
		return -ENOMEM;
	if ((!w->first_sample && put(w, ",")) || put(w, "{\"labels\":{"))
		return -ENOMEM;
	w->first_sample = false;
	for (size_t i = 0; i < nl; i++)
		if ((i && put(w, ",")) || put_key(w, l[i].name) ||
		    put_str(w, l[i].value ? l[i].value : ""))
			return -ENOMEM;
	if (put(w, "}") || put_value(w, v) || put(w, "}"))
		return -ENOMEM;
	return 0;
}

/* ex_json_begin - the writer, and the opening of the object. */
int ex_json_begin(struct ex_json *w, struct rtlab_buf *out)
{
	*w = (struct ex_json){ .out = out, .start = out->len, .first_family = true };
	return put(w, "{\"families\":{");
}

/* ex_json_sink - a sink feeding @w. */
struct rtlab_probe_sink ex_json_sink(struct ex_json *w)
{
	return (struct rtlab_probe_sink){ .arg = w, .family = json_family, .sample = json_sample };
}

/* ex_json_end - close what is open; after a failure (@r), take the partial text back. */
int ex_json_end(struct ex_json *w, int r)
{
	if (!r)
		r = close_open(w, true);
	if (!r)
		r = put(w, "}}");
	if (r) {
		w->out->len = w->start;
		if (w->out->data)
			w->out->data[w->start] = '\0';
		return r < 0 ? r : -EIO;
	}
	return 0;
}

/* rtlab_probe_json - the collected families as one JSON object. */
int rtlab_probe_json(const struct rtlab_probe_data *d, uint64_t families, struct rtlab_buf *out)
{
	struct ex_json w;
	struct rtlab_probe_sink sink;
	int r = ex_json_begin(&w, out);

	sink = ex_json_sink(&w);
	if (!r)
		r = rtlab_probe_emit(d, families, &sink);
	return ex_json_end(&w, r);
}
