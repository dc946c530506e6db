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

/*
 * Per byte of @x, every byte below 0x80 (no carry crosses into the next
 * one): the high bit is set where the byte is in [@lo, @hi], or is @c.
 */
#define IN_RANGE(x, lo, hi) \
	(((x) + EX_ONES * (0x80 - (lo))) & ~((x) + EX_ONES * (0x7f - (hi))))
#define IS_BYTE(x, c) (~(((x) ^ EX_ONES * (c)) + EX_ONES * 0x7f))

/* is_name_char - a character of a metric name but the first (@label: of a label name). */
static inline bool is_name_char(unsigned char c, bool label)
{
	return (unsigned char)((c | 0x20) - 'a') < 26 || c == '_' || (c == ':' && !label) ||
	       (unsigned char)(c - '0') < 10;
}

/* word_is_name - eight characters of a name (ASCII letters, digits, '_', ':' unless @label). */
static inline bool word_is_name(uint64_t x, bool label)
{
	uint64_t ok = IN_RANGE(x | EX_ONES * 0x20, 'a', 'z') | IN_RANGE(x, '0', '9') |
		      IS_BYTE(x, '_');

	if (!label)
		ok |= IS_BYTE(x, ':');
	return !(x & EX_HIGHS) && (ok & EX_HIGHS) == EX_HIGHS;
}

/* name_ok - the @n bytes at @s are a valid name (@label: a label name); eight at a time. */
static bool name_ok(const char *s, size_t n, bool label)
{
	size_t i = 0;

	if (!n || (unsigned char)(s[0] - '0') < 10)
		return false;
	for (uint64_t x; n - i >= 8; i += 8) {
		memcpy(&x, s + i, sizeof(x));
		if (!word_is_name(x, label))
			return false;
	}
	for (; i < n; i++)
		if (!is_name_char((unsigned char)s[i], label))
			return false;
	return true;
}

/* name_len - the length of @s if it is a valid name (@label: a label name), else 0. */
static size_t name_len(const char *s, bool label)
{
	size_t n = s ? strlen(s) : 0;

	return name_ok(s, n, label) ? n : 0;
}

/* rtlab_prom_name_valid - a metric name (or, with @label, a label name) Prometheus accepts. */
bool rtlab_prom_name_valid(const char *s, bool label)
{
	return name_len(s, label) != 0;
}

/* name_hash - of the @n bytes of @s, eight at a time; never 0 (0 marks a free slot). */
static uint64_t name_hash(const char *s, size_t n)
{
	uint64_t h = n * UINT64_C(0x9e3779b97f4a7c15), x;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&x, s, sizeof(x));
		h = (h ^ x) * UINT64_C(0xff51afd7ed558ccd);
		h ^= h >> 32;
	}
	for (x = 0; n; n--)
		x = x << 8 | (unsigned char)s[n - 1];
	h = (h ^ x) * UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 29;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 32;
	return h ? h : 1;
}

/* seen_add - record @name (@n bytes); true if it was written before (no second HELP/TYPE). */
static bool seen_add(struct rtlab_prom *w, const char *name, size_t n)
{
	uint64_t h = name_hash(name, n);
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

/* Label name lengths kept from the check for the writing (more are measured again). */
#define KLEN_KEPT 16

/*
 * labels_valid - every label name valid, none reserved ("__...") or given
 * twice; the lengths of the first KLEN_KEPT names into @klen.
 */
static bool labels_valid(const struct rtlab_label *l, size_t n, size_t *klen)
{
	for (size_t i = 0; i < n; i++) {
		const char *k = l[i].name;
		size_t len = name_len(k, true);

		if (!len || (k[0] == '_' && k[1] == '_'))
			return false;
		for (size_t j = 0; j < i; j++)
			if (l[j].name[0] == k[0] && strcmp(l[j].name, k) == 0)
				return false;
		if (i < KLEN_KEPT)
			klen[i] = len;
	}
	return true;
}

/* room - @n more bytes (and a NUL) fit in @b without growing it, or it grew. */
static inline int room(struct rtlab_buf *b, size_t n)
{
	return n < b->cap - b->len ? 0 : ex_buf_room(b, n);
}

/* put - @n bytes at the end of @b, whose room was made. */
static inline void put(struct rtlab_buf *b, const char *s, size_t n)
{
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

/* put_header - "# HELP" and "# TYPE" of @m, whose name is @nlen bytes. */
static int put_header(struct rtlab_buf *b, const struct rtlab_metric *m, size_t nlen)
{
	static const char *const types[] = { [RTLAB_METRIC_GAUGE] = " gauge\n",
					     [RTLAB_METRIC_COUNTER] = " counter\n" };
	const char *type = (unsigned)m->type < 2 ? types[m->type] : " untyped\n";
	size_t hlen = m->help ? strlen(m->help) : 0;

	if (hlen > SIZE_MAX / 8 - 2 * nlen - 64 ||
	    room(b, 2 * nlen + EX_ESC_GROWTH * hlen + 32) < 0)
		return -ENOMEM;
	if (m->help) {
		put(b, "# HELP ", 7);
		put(b, m->name, nlen);
		b->data[b->len++] = ' ';
		b->len = (size_t)(ex_esc_prom(b->data + b->len, m->help, hlen, false) - b->data);
		b->data[b->len++] = '\n';
	}
	put(b, "# TYPE ", 7);
	put(b, m->name, nlen);
	put(b, type, strlen(type));
	return 0;
}

/* put_value - " value\n" in the format's number syntax. */
static int put_value(struct rtlab_buf *b, const struct rtlab_mval *v)
{
	char *p;

	if (room(b, EX_NUM_MAX + 2) < 0)
		return -ENOMEM;
	p = b->data + b->len;
	*p++ = ' ';
	if (v->kind == RTLAB_MV_U64)
		p += ex_fmt_u64(v->u, p);
	else if (v->kind == RTLAB_MV_I64)
		p += ex_fmt_i64(v->i, p);
	else
		p += ex_fmt_f64(v->f, p);
	*p++ = '\n';
	*p = '\0';
	b->len = (size_t)(p - b->data);
	return 0;
}

/* put_line - name{labels} value. */
static int put_line(struct rtlab_buf *b, const struct rtlab_metric *m, size_t nlen,
		    const struct rtlab_label *l, size_t nl, const size_t *klens,
		    const struct rtlab_mval *v)
{
	if (room(b, nlen + 1) < 0)
		return -ENOMEM;
	put(b, m->name, nlen);
	for (size_t i = 0; i < nl; i++) {
		const char *val = l[i].value ? l[i].value : "";
		size_t klen = i < KLEN_KEPT ? klens[i] : strlen(l[i].name), vlen = strlen(val);

		/* ,name="value" and the closing brace. */
		if (vlen > SIZE_MAX / 8 - klen - 8 || room(b, klen + EX_ESC_GROWTH * vlen + 6) < 0)
			return -ENOMEM;
		b->data[b->len++] = i ? ',' : '{';
		put(b, l[i].name, klen);
		put(b, "=\"", 2);
		b->len = (size_t)(ex_esc_prom(b->data + b->len, val, vlen, true) - b->data);
		b->data[b->len++] = '"';
	}
	if (nl)
		b->data[b->len++] = '}';
	return put_value(b, v);
}

/* rtlab_prom_sample - one sample, with its name's header the first time. */
int rtlab_prom_sample(struct rtlab_prom *w, const struct rtlab_metric *m,
		      const struct rtlab_label *labels, size_t nlabels, const struct rtlab_mval *v)
{
	struct rtlab_buf *b = w->out;
	size_t start = b->len;
	size_t klen[KLEN_KEPT];
	size_t nlen = 0;
	bool same = false;

	/* w->last only ever holds a valid name: the same name needs no second check. */
	if (m && m->name) {
		nlen = strlen(m->name);
		same = nlen == w->last_len && nlen && memcmp(m->name, w->last, nlen) == 0;
		if (!same && (nlen >= sizeof(w->last) || !name_ok(m->name, nlen, false)))
			nlen = 0;
	}
	if (!nlen || v->kind > RTLAB_MV_F64 || (nlabels && !labels) ||
	    !labels_valid(labels, nlabels, klen)) {
		w->invalid++;
		return 0;
	}
	if (v->st != RTLAB_PV_OK) {
		w->unavailable++;
		return 0;
	}
	if (!same) {
		memcpy(w->last, m->name, nlen + 1);
		w->last_len = nlen;
		if (!seen_add(w, m->name, nlen) && put_header(b, m, nlen) < 0)
			goto nomem;
	}
	if (put_line(b, m, nlen, labels, nlabels, klen, v) < 0)
		goto nomem;
	w->written++;
	return 0;
nomem:
	/* No half line: the text stays parseable. */
	b->len = start;
	if (b->data)
		b->data[start] = '\0';
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
