/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * env-test.h - what the env group's tests share: collecting one family below
 * a fixture tree and recording its samples.  Header-only.
 */
#ifndef RTLAB_TEST_ENV_H
#define RTLAB_TEST_ENV_H

#include "../test-probe.h"

#define REC_MAX 1024

/* One recorded sample: the metric, its labels as "k=v,k=v", the value as a double. */
struct rec_sample {
	char name[96];
	char labels[640];
	double v;
	uint8_t st;
};

struct rec {
	struct rec_sample s[REC_MAX];
	size_t n;
};

/* rec_sample_fn - the sink's sample(): keep a copy. */
static inline int rec_sample_fn(void *arg, const struct rtlab_metric *m,
				const struct rtlab_label *l, size_t nl, const struct rtlab_mval *v)
{
	struct rec *r = arg;
	struct rec_sample *s;
	size_t off = 0;

	cr_assert_lt(r->n, REC_MAX);
	s = &r->s[r->n++];
	snprintf(s->name, sizeof(s->name), "%s", m->name);
	s->labels[0] = '\0';
	for (size_t i = 0; i < nl && off < sizeof(s->labels); i++)
		off += (size_t)snprintf(s->labels + off, sizeof(s->labels) - off, "%s%s=%s",
					i ? "," : "", l[i].name, l[i].value);
	s->st = v->st;
	if (v->kind == RTLAB_MV_U64)
		s->v = (double)v->u;
	else
		s->v = v->kind == RTLAB_MV_I64 ? (double)v->i : v->f;
	return 0;
}

/* rec_emit - every sample of family @f in @d into @r; checks names come grouped. */
static inline void rec_emit(const struct rtlab_probe_data *d, enum rtlab_probe_family f,
			    struct rec *r)
{
	struct rtlab_probe_sink sink = { .arg = r, .sample = rec_sample_fn };

	r->n = 0;
	cr_assert_eq(rtlab_probe_emit(d, RTLAB_PF_BIT(f), &sink), 0);
	for (size_t i = 1; i < r->n; i++) {
		if (strcmp(r->s[i].name, r->s[i - 1].name) == 0)
			continue;
		for (size_t j = 0; j + 1 < i; j++)
			cr_assert_str_neq(r->s[j].name, r->s[i].name, "%s is not grouped",
					  r->s[i].name);
	}
}

/* rec_find - the sample @name{@labels} (labels as recorded, "" for none), or NULL. */
static inline const struct rec_sample *rec_find(const struct rec *r, const char *name,
						const char *labels)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->s[i].name, name) == 0 && strcmp(r->s[i].labels, labels) == 0)
			return &r->s[i];
	return NULL;
}

/* rec_value - the value of @name{@labels}, which must be there and usable. */
static inline double rec_value(const struct rec *r, const char *name, const char *labels)
{
	const struct rec_sample *s = rec_find(r, name, labels);

	cr_assert_not_null(s, "no sample %s{%s}", name, labels);
	cr_assert_eq(s->st, RTLAB_PV_OK, "%s{%s} is %s", name, labels,
		     rtlab_pv_state_name(s->st));
	return s->v;
}

/* collect_at - a fresh data of family @f collected below @root. */
static inline struct rtlab_probe_data *collect_at(const char *root, enum rtlab_probe_family f)
{
	struct rtlab_probe *p = probe_at(root, NULL);
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	cr_assert_not_null(d);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(f), d), 0);
	cr_assert_neq(d->t_ns[f], 0);
	rtlab_probe_free(p);
	return d;
}

/* collect_tree - the same below tests/fixtures/probe/@tree. */
static inline struct rtlab_probe_data *collect_tree(const char *tree, enum rtlab_probe_family f)
{
	char root[PATH_MAX];

	return collect_at(fixture_root(tree, root, sizeof(root)), f);
}

#endif /* RTLAB_TEST_ENV_H */
