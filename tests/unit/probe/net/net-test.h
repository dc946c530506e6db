/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-test.h - what the net group's tests share: collecting a family below a
 * tree, finding an interface, and a sink that keeps every sample emitted
 * (checking that each metric name comes in one run and is a valid name).
 * Header-only: each test executable includes it once.
 */
#ifndef RTLAB_TEST_PROBE_NET_H
#define RTLAB_TEST_PROBE_NET_H

#include <rtlab/probe-export.h>

#include "../test-probe.h"

#include "net/net-parse.h"

/* net_collect_at - a probe below @root (fresh TTLs) that collected @fams into @d once. */
static inline struct rtlab_probe *net_collect_at(const char *root, uint64_t fams,
						 struct rtlab_probe_data *d)
{
	struct rtlab_probe_opts o = { .ttl_fast_ns = 1, .ttl_slow_ns = 1 };
	struct rtlab_probe *p = probe_at(root, &o);

	cr_assert_eq(rtlab_probe_collect(p, fams, d), 0);
	return p;
}

/* net_fixture - like net_collect_at on tests/fixtures/probe/@tree. */
static inline struct rtlab_probe *net_fixture(const char *tree, uint64_t fams,
					      struct rtlab_probe_data *d)
{
	char root[PATH_MAX];

	return net_collect_at(fixture_root(tree, root, sizeof(root)), fams, d);
}

/* iface - the interface named @name of @n, or NULL. */
static inline const struct rtlab_net_iface *iface(const struct rtlab_probe_net *n,
						  const char *name)
{
	for (size_t i = 0; i < n->n_ifaces; i++)
		if (strcmp(n->ifaces[i].name, name) == 0)
			return &n->ifaces[i];
	return NULL;
}

/* One sample kept by the sink. */
struct kept {
	char name[128];
	char labels[512];	/* "a=x,b=y" in emission order */
	struct rtlab_mval v;
};

struct samples {
	struct kept *k;
	size_t n, cap;
	char problem[256];	/* "" or what was wrong with the stream */
};

/* keep_sample - the sink: append the sample, note a split metric or a bad name. */
static inline int keep_sample(void *arg, const struct rtlab_metric *m,
			      const struct rtlab_label *l, size_t nl, const struct rtlab_mval *v)
{
	struct samples *s = arg;
	struct kept *k;
	int o = 0;

	if (!rtlab_prom_name_valid(m->name, false) && !s->problem[0])
		snprintf(s->problem, sizeof(s->problem), "invalid name %s", m->name);
	if (s->n && strcmp(s->k[s->n - 1].name, m->name) != 0) {
		for (size_t i = 0; i < s->n && !s->problem[0]; i++)
			if (strcmp(s->k[i].name, m->name) == 0)
				snprintf(s->problem, sizeof(s->problem), "%s comes twice", m->name);
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 128;
		s->k = realloc(s->k, s->cap * sizeof(*s->k));
		cr_assert_not_null(s->k);
	}
	k = &s->k[s->n++];
	snprintf(k->name, sizeof(k->name), "%s", m->name);
	k->labels[0] = '\0';
	for (size_t i = 0; i < nl && o < (int)sizeof(k->labels); i++)
		o += snprintf(k->labels + o, sizeof(k->labels) - (size_t)o, "%s%s=%s",
			      i ? "," : "", l[i].name, l[i].value);
	k->v = *v;
	return 0;
}

/* samples_of - every sample family @f of @d emits; asserts the stream is well formed. */
static inline struct samples samples_of(const struct rtlab_probe_data *d,
					enum rtlab_probe_family f)
{
	struct samples s = { 0 };
	struct rtlab_probe_sink sink = { .arg = &s, .sample = keep_sample };

	cr_assert_eq(rtlab_probe_emit(d, RTLAB_PF_BIT(f), &sink), 0);
	cr_assert_eq(s.problem[0], '\0', "%s: %s", rtlab_probe_family_name(f), s.problem);
	return s;
}

/* sample - the sample @name{@labels}, asserted to exist. */
static inline const struct kept *sample(const struct samples *s, const char *name,
					const char *labels)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->k[i].name, name) == 0 && strcmp(s->k[i].labels, labels) == 0)
			return &s->k[i];
	cr_assert_fail("no sample %s{%s}", name, labels);
	return NULL;
}

/* samples_free - the kept samples. */
static inline void samples_free(struct samples *s)
{
	free(s->k);
	memset(s, 0, sizeof(*s));
}

/* tree_copy - the fixture file @tree@path into the temporary tree @root at the same path. */
static inline void tree_copy(const char *root, const char *tree, const char *path)
{
	size_t len;
	char *text = fixture_load(tree, path, &len);

	tree_put(root, path, text);
	free(text);
}

#endif /* RTLAB_TEST_PROBE_NET_H */
