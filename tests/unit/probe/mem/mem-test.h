/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mem-test.h - what the mem group's tests share: a sink that records the
 * samples a family emits (and whether a metric name came back after another
 * one), lookups in it, and collecting one family below a tree.
 * Header-only: each test executable includes it once.
 */
#ifndef RTLAB_TEST_PROBE_MEM_H
#define RTLAB_TEST_PROBE_MEM_H

#include <rtlab/probe-export.h>

#include "../test-probe.h"

#include "mem/mem-parse.h"

/* One sample as the sink saw it. */
struct got {
	char name[96];
	char labels[256];	/* "a=x,b=y" */
	enum rtlab_metric_type type;
	struct rtlab_mval v;
};

struct rec {
	struct got *g;
	size_t n, cap;
	bool split;		/* a metric name came again after another name */
	bool bad_name;		/* a name Prometheus would refuse */
};

/* rec_sample - the sink: record the sample. */
static inline int rec_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
			     size_t nl, const struct rtlab_mval *v)
{
	struct rec *r = arg;
	struct got *g;
	size_t o = 0;

	if (r->n && strcmp(r->g[r->n - 1].name, m->name) != 0)
		for (size_t i = 0; i + 1 < r->n; i++)
			if (strcmp(r->g[i].name, m->name) == 0)
				r->split = true;
	if (!rtlab_prom_name_valid(m->name, false))
		r->bad_name = true;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->g = realloc(r->g, r->cap * sizeof(*r->g));
		cr_assert_not_null(r->g);
	}
	g = &r->g[r->n++];
	snprintf(g->name, sizeof(g->name), "%s", m->name);
	g->labels[0] = '\0';
	for (size_t i = 0; i < nl; i++)
		o += (size_t)snprintf(g->labels + o, sizeof(g->labels) - o, "%s%s=%s", i ? "," : "",
				      l[i].name, l[i].value);
	g->type = m->type;
	g->v = *v;
	return 0;
}

/* rec_emit - the samples of family @f of @d. */
static inline struct rec rec_emit(const struct rtlab_probe_data *d, enum rtlab_probe_family f)
{
	struct rec r = { 0 };
	struct rtlab_probe_sink sink = { .arg = &r, .sample = rec_sample };

	cr_assert_eq(rtlab_probe_emit(d, RTLAB_PF_BIT(f), &sink), 0);
	cr_assert_not(r.split, "a metric name of family %s is not emitted in one run",
		      rtlab_probe_family_name(f));
	cr_assert_not(r.bad_name, "family %s emits a name Prometheus refuses",
		      rtlab_probe_family_name(f));
	return r;
}

/* rec_find - the sample @name{@labels}, or NULL. */
static inline const struct got *rec_find(const struct rec *r, const char *name, const char *labels)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->g[i].name, name) == 0 && strcmp(r->g[i].labels, labels) == 0)
			return &r->g[i];
	return NULL;
}

/* rec_get - the sample @name{@labels}, which must be there. */
static inline const struct got *rec_get(const struct rec *r, const char *name, const char *labels)
{
	const struct got *g = rec_find(r, name, labels);

	cr_assert_not_null(g, "no sample %s{%s}", name, labels);
	return g;
}

/* rec_free - the samples. */
static inline void rec_free(struct rec *r)
{
	free(r->g);
	*r = (struct rec){ 0 };
}

/*
 * collect_one - a probe below @root collects family @f into @d (which may hold
 * earlier data), slow families too however recent the last collection was.
 */
static inline void collect_one(const char *root, enum rtlab_probe_family f,
			       struct rtlab_probe_data *d)
{
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };
	struct rtlab_probe *p = probe_at(root, &o);

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(f), d), 0);
	cr_assert_neq(d->t_ns[f], 0);
	rtlab_probe_free(p);
}

/* collect_fixture - family @f of fixture tree @tree into fresh data. */
static inline struct rtlab_probe_data *collect_fixture(const char *tree, enum rtlab_probe_family f)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	cr_assert_not_null(d);
	collect_one(fixture_root(tree, root, sizeof(root)), f, d);
	return d;
}

/* kv_value - the number after "@key:" (or "@key ") on its own line of @text; false if none. */
static inline bool kv_value(const char *text, const char *key, unsigned long long *v)
{
	size_t n = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, n) == 0 && (p[n] == ':' || p[n] == ' '))
			return sscanf(p + n + 1, "%llu", v) == 1;
	return false;
}

#endif /* RTLAB_TEST_PROBE_MEM_H */
