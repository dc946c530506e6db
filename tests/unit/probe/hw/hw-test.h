/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hw-test.h - what the hw group's tests share: the samples a family emits,
 * captured with their labels sorted into a key ("name{a=\"x\",b=\"y\"}"), and
 * a check that each metric name comes in one run.  Header-only.
 */
#ifndef RTLAB_TEST_HW_H
#define RTLAB_TEST_HW_H

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rtlab/rtlab.h>

#define CAP_KEY 640
#define CAP_NAMES 512

struct cap_sample {
	char key[CAP_KEY];
	struct rtlab_mval v;
};

struct capture {
	struct cap_sample *s;
	size_t n, cap;
	char last[128];			/* the name of the last sample */
	char done[CAP_NAMES][128];	/* names whose run is over */
	size_t ndone;
	char split[128];		/* a name that came in two runs, "" if none */
};

/* cap_cmp_label - order labels by name. */
static inline int cap_cmp_label(const void *a, const void *b)
{
	return strcmp(((const struct rtlab_label *)a)->name, ((const struct rtlab_label *)b)->name);
}

/* cap_sample_fn - the sink: keep the sample under its key, follow the runs of names. */
static inline int cap_sample_fn(void *arg, const struct rtlab_metric *m,
				const struct rtlab_label *labels, size_t nl,
				const struct rtlab_mval *v)
{
	struct capture *c = arg;
	struct rtlab_label sorted[32];
	struct cap_sample *s;
	size_t k;

	cr_assert_leq(nl, 32);
	if (strcmp(c->last, m->name) != 0) {
		for (size_t i = 0; i < c->ndone; i++)
			if (strcmp(c->done[i], m->name) == 0 && !c->split[0])
				snprintf(c->split, sizeof(c->split), "%s", m->name);
		if (c->last[0] && c->ndone < CAP_NAMES)
			snprintf(c->done[c->ndone++], sizeof(c->done[0]), "%s", c->last);
		snprintf(c->last, sizeof(c->last), "%s", m->name);
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->s = realloc(c->s, c->cap * sizeof(*c->s));
		cr_assert_not_null(c->s);
	}
	s = &c->s[c->n++];
	if (nl)
		memcpy(sorted, labels, nl * sizeof(*labels));
	qsort(sorted, nl, sizeof(*sorted), cap_cmp_label);
	k = (size_t)snprintf(s->key, sizeof(s->key), "%s", m->name);
	for (size_t i = 0; i < nl && k < sizeof(s->key); i++)
		k += (size_t)snprintf(s->key + k, sizeof(s->key) - k, "%s%s=\"%s\"",
				      i ? "," : "{", sorted[i].name, sorted[i].value);
	if (nl && k < sizeof(s->key))
		snprintf(s->key + k, sizeof(s->key) - k, "}");
	s->v = *v;
	return 0;
}

/* capture_families - the samples of the families @mask of @d into @c (emptied first). */
static inline void capture_families(struct capture *c, const struct rtlab_probe_data *d,
				    uint64_t mask)
{
	struct rtlab_probe_sink sink = { .arg = c, .sample = cap_sample_fn };

	c->n = 0;
	c->last[0] = '\0';
	c->ndone = 0;
	c->split[0] = '\0';
	cr_assert_eq(rtlab_probe_emit(d, mask, &sink), 0);
	cr_expect_eq(c->split[0], '\0', "metric %s is emitted in two runs", c->split);
}

/* capture_family - the samples of family @f of @d into @c (emptied first). */
static inline void capture_family(struct capture *c, const struct rtlab_probe_data *d,
				  enum rtlab_probe_family f)
{
	capture_families(c, d, RTLAB_PF_BIT(f));
}

/* cap_find - the sample with @key, or NULL. */
static inline const struct cap_sample *cap_find(const struct capture *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->s[i].key, key) == 0)
			return &c->s[i];
	return NULL;
}

/* cap_value - the value of the sample @key as a double; fails the test if missing or not OK. */
static inline double cap_value(const struct capture *c, const char *key)
{
	const struct cap_sample *s = cap_find(c, key);

	cr_assert_not_null(s, "no sample %s", key);
	cr_assert_eq(s->v.st, RTLAB_PV_OK, "%s: %s", key, rtlab_pv_state_name(s->v.st));
	switch (s->v.kind) {
	case RTLAB_MV_U64:
		return (double)s->v.u;
	case RTLAB_MV_I64:
		return (double)s->v.i;
	default:
		return s->v.f;
	}
}

/* cap_state - the state of the sample @key (fails the test if missing). */
static inline uint8_t cap_state(const struct capture *c, const char *key)
{
	const struct cap_sample *s = cap_find(c, key);

	cr_assert_not_null(s, "no sample %s", key);
	return s->v.st;
}

/* capture_free - the samples. */
static inline void capture_free(struct capture *c)
{
	free(c->s);
	memset(c, 0, sizeof(*c));
}

/* collect_one - collect family @f of @p into @d, asserting the call itself works. */
static inline void collect_one(struct rtlab_probe *p, enum rtlab_probe_family f,
			       struct rtlab_probe_data *d)
{
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(f), d), 0);
	cr_assert_neq(d->t_ns[f], 0);
}

#endif /* RTLAB_TEST_HW_H */
