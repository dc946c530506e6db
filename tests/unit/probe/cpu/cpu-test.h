/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu-test.h - what the cpu group's tests share: a sink that records the
 * samples a family emits, and lookups in them.  Header-only.
 */
#ifndef RTLAB_TEST_CPU_H
#define RTLAB_TEST_CPU_H

#include "../test-probe.h"

#define REC_MAX 20000
#define REC_KEY 512

/* One recorded sample: "name{l1=v1,l2=v2}" with the labels sorted by name. */
struct rec_sample {
	char key[REC_KEY];
	const char *name;	/* a static metric name */
	struct rtlab_mval v;
};

struct rec {
	struct rec_sample *s;
	size_t n;
	bool split;		/* a metric name came back after another one */
	const char *names[512];	/* the metric names seen, in order */
	size_t nnames;
};

/* rec_label_cmp - qsort order of labels by name. */
static int rec_label_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rtlab_label *)a)->name, ((const struct rtlab_label *)b)->name);
}

/* rec_sample_fn - the sink's sample(): keep it, note a split metric. */
static int rec_sample_fn(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
			 size_t nl, const struct rtlab_mval *v)
{
	struct rec *r = arg;
	struct rtlab_label sorted[16];
	struct rec_sample *s;
	size_t off;

	cr_assert_lt(r->n, REC_MAX);
	cr_assert_leq(nl, 16);
	if (!r->nnames || r->names[r->nnames - 1] != m->name) {
		for (size_t i = 0; i < r->nnames; i++)
			r->split = r->split || r->names[i] == m->name;
		cr_assert_lt(r->nnames, 512);
		r->names[r->nnames++] = m->name;
	}
	s = &r->s[r->n++];
	if (nl)
		memcpy(sorted, l, nl * sizeof(*l));
	qsort(sorted, nl, sizeof(*sorted), rec_label_cmp);
	off = (size_t)snprintf(s->key, sizeof(s->key), "%s{", m->name);
	for (size_t i = 0; i < nl && off < sizeof(s->key); i++)
		off += (size_t)snprintf(s->key + off, sizeof(s->key) - off, "%s%s=\"%s\"",
					i ? "," : "", sorted[i].name, sorted[i].value);
	if (off < sizeof(s->key))
		snprintf(s->key + off, sizeof(s->key) - off, "}");
	s->name = m->name;
	s->v = *v;
	return 0;
}

/* rec_emit - record every sample of family @f of @d. */
static inline void rec_emit(struct rec *r, const struct rtlab_probe_data *d,
			    enum rtlab_probe_family f)
{
	struct rtlab_probe_sink sink = { .arg = r, .sample = rec_sample_fn };

	if (!r->s) {
		r->s = calloc(REC_MAX, sizeof(*r->s));
		cr_assert_not_null(r->s);
	}
	r->n = 0;
	r->nnames = 0;
	r->split = false;
	cr_assert_eq(rtlab_probe_emit(d, RTLAB_PF_BIT(f), &sink), 0);
}

/* rec_find - the sample with key @key ("name{a=\"1\",b=\"x\"}"), or NULL. */
static inline const struct rec_sample *rec_find(const struct rec *r, const char *key)
{
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->s[i].key, key) == 0)
			return &r->s[i];
	}
	return NULL;
}

/* rec_count - the samples of metric @name. */
static inline size_t rec_count(const struct rec *r, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += strcmp(r->s[i].name, name) == 0;
	return n;
}

/* rec_num - the sample's value as a double. */
static inline double rec_num(const struct rec_sample *s)
{
	return s->v.kind == RTLAB_MV_U64 ? (double)s->v.u :
	       s->v.kind == RTLAB_MV_I64 ? (double)s->v.i : s->v.f;
}

/* rec_free - the recorded samples. */
static inline void rec_free(struct rec *r)
{
	free(r->s);
	r->s = NULL;
}

#endif /* RTLAB_TEST_CPU_H */
