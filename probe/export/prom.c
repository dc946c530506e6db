/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* prom.c - samples as Prometheus text exposition format 0.0.4. */
#include <errno.h>
#include <string.h>

#include "export/export-internal.h"

#define SEEN_FILL (RTLAB_PROM_SEEN_MAX / 4 * 3)

/* rtlab_prom_init - an empty writer appending to @out. */
void rtlab_prom_init(struct rtlab_prom *w, struct rtlab_buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

/* rtlab_prom_name_valid - a metric name (or, with @label, a label name) Prometheus accepts. */
bool rtlab_prom_name_valid(const char *s, bool label)
{
	if (!s || !*s)
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			  (c == ':' && !label) || (p > s && c >= '0' && c <= '9');

		if (!ok)
			return false;
	}
	return true;
}

/* name_hash - FNV-1a of @s, never 0 (0 marks a free slot). */
static uint64_t name_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h ? h : 1;
}

/* seen_add - record @name; true if it was written before (then no second HELP/TYPE). */
static bool seen_add(struct rtlab_prom *w, const char *name)
{
	uint64_t h = name_hash(name);
	size_t i = (size_t)h & (RTLAB_PROM_SEEN_MAX - 1);

	while (w->seen[i]) {
		if (w->seen[i] == h)
			return true;
		i = (i + 1) & (RTLAB_PROM_SEEN_MAX - 1);
	}
	/* Full enough: stop tracking, names are then only compared with the previous one. */
	if (w->nseen < SEEN_FILL) {
		w->seen[i] = h;
		w->nseen++;
	}
	return false;
}

/* labels_valid - every label name valid, none reserved ("__...") or given twice. */
static bool labels_valid(const struct rtlab_label *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!rtlab_prom_name_valid(l[i].name, true) || strncmp(l[i].name, "__", 2) == 0)
			return false;
		for (size_t j = 0; j < i; j++)
			if (strcmp(l[i].name, l[j].name) == 0)
				return false;
	}
	return true;
}

/* put_header - "# HELP" and "# TYPE" of @m. */
static int put_header(struct rtlab_buf *b, const struct rtlab_metric *m)
{
	static const char *const types[] = { [RTLAB_METRIC_GAUGE] = "gauge",
					     [RTLAB_METRIC_COUNTER] = "counter" };
	const char *type = (unsigned)m->type < 2 ? types[m->type] : "untyped";

	if (m->help && (rtlab_buf_puts(b, "# HELP ") || rtlab_buf_puts(b, m->name) ||
			rtlab_buf_append(b, " ", 1) ||
			ex_escape_str(b, m->help, EX_ESC_PROM_HELP) ||
			rtlab_buf_append(b, "\n", 1)))
		return -ENOMEM;
	if (rtlab_buf_puts(b, "# TYPE ") || rtlab_buf_puts(b, m->name) ||
	    rtlab_buf_append(b, " ", 1) || rtlab_buf_puts(b, type) || rtlab_buf_append(b, "\n", 1))
		return -ENOMEM;
	return 0;
}

/* put_value - the value in the format's number syntax. */
static int put_value(struct rtlab_buf *b, const struct rtlab_mval *v)
{
	char num[32];
	size_t n;

	if (v->kind == RTLAB_MV_U64)
		n = ex_fmt_u64(v->u, num);
	else if (v->kind == RTLAB_MV_I64)
		n = ex_fmt_i64(v->i, num);
	else
		n = rtlab_fmt_double(v->f, num, sizeof(num));
	return rtlab_buf_append(b, num, n);
}

/* put_line - name{labels} value. */
static int put_line(struct rtlab_buf *b, const struct rtlab_metric *m,
		    const struct rtlab_label *l, size_t nl, const struct rtlab_mval *v)
{
	if (rtlab_buf_puts(b, m->name))
		return -ENOMEM;
	for (size_t i = 0; i < nl; i++) {
		if (rtlab_buf_append(b, i ? "," : "{", 1) || rtlab_buf_puts(b, l[i].name) ||
		    rtlab_buf_append(b, "=\"", 2) ||
		    ex_escape_str(b, l[i].value ? l[i].value : "", EX_ESC_PROM_LABEL) ||
		    rtlab_buf_append(b, "\"", 1))
			return -ENOMEM;
	}
	if ((nl && rtlab_buf_append(b, "}", 1)) || rtlab_buf_append(b, " ", 1) ||
	    put_value(b, v) || rtlab_buf_append(b, "\n", 1))
		return -ENOMEM;
	return 0;
}

/* rtlab_prom_sample - one sample, with its name's header the first time. */
int rtlab_prom_sample(struct rtlab_prom *w, const struct rtlab_metric *m,
		      const struct rtlab_label *labels, size_t nlabels, const struct rtlab_mval *v)
{
	size_t start = w->out->len;
	bool same;
	size_t nlen;

	/* w->last only ever holds a valid name: the same name needs no second check. */
	same = m && w->last[0] && strcmp(m->name, w->last) == 0;
	if (!m || (!same && !rtlab_prom_name_valid(m->name, false)) || v->kind > RTLAB_MV_F64 ||
	    (nlabels && !labels) || !labels_valid(labels, nlabels) ||
	    (nlen = strlen(m->name)) >= sizeof(w->last)) {
		w->invalid++;
		return 0;
	}
	if (v->st != RTLAB_PV_OK) {
		w->unavailable++;
		return 0;
	}
	if (!same) {
		memcpy(w->last, m->name, nlen + 1);
		if (!seen_add(w, m->name) && put_header(w->out, m) < 0)
			goto nomem;
	}
	if (put_line(w->out, m, labels, nlabels, v) < 0)
		goto nomem;
	w->written++;
	return 0;
nomem:
	/* No half line: the text stays parseable. */
	w->out->len = start;
	if (w->out->data)
		w->out->data[start] = '\0';
	return -ENOMEM;
}

/* sink_sample - rtlab_prom_sample() behind the sink's void pointer. */
static int sink_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
		       size_t nl, const struct rtlab_mval *v)
{
	return rtlab_prom_sample(arg, m, l, nl, v);
}

/* rtlab_prom_sink - the sink of writer @w. */
struct rtlab_probe_sink rtlab_prom_sink(struct rtlab_prom *w)
{
	return (struct rtlab_probe_sink){ .arg = w, .sample = sink_sample };
}

/* rtlab_probe_prom - the collected families as text. */
int rtlab_probe_prom(const struct rtlab_probe_data *d, uint64_t families, struct rtlab_buf *out)
{
	struct rtlab_prom w;
	struct rtlab_probe_sink sink;

	rtlab_prom_init(&w, out);
	sink = rtlab_prom_sink(&w);
	return rtlab_probe_emit(d, families, &sink);
}
