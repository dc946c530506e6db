/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* metric.c - the figures a comparison shows: names, kinds, values, and how they print. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "compare-internal.h"

struct metric_info {
	const char *name;
	bool latency;		/* ns (else a count) */
	bool mean;		/* a double (else a uint64_t) */
	size_t off;		/* in struct rtlab_task_summary */
};

#define LAT(n, field) { n, true, false, offsetof(struct rtlab_task_summary, field) }
#define COUNT(n, field) { n, false, false, offsetof(struct rtlab_task_summary, field) }

static const struct metric_info metrics[_RTLAB_COMPARE_METRIC_MAX] = {
	[RTLAB_COMPARE_MIN] = LAT("min", min_ns),
	[RTLAB_COMPARE_P50] = LAT("p50", p50_ns),
	[RTLAB_COMPARE_P90] = LAT("p90", p90_ns),
	[RTLAB_COMPARE_P99] = LAT("p99", p99_ns),
	[RTLAB_COMPARE_P999] = LAT("p99.9", p999_ns),
	[RTLAB_COMPARE_MAX] = LAT("max", max_ns),
	[RTLAB_COMPARE_MEAN] = { "mean", true, true, offsetof(struct rtlab_task_summary, mean_ns) },
	[RTLAB_COMPARE_MISSES] = COUNT("misses", misses),
	[RTLAB_COMPARE_LOST] = COUNT("lost", lost),
	[RTLAB_COMPARE_JOBS] = COUNT("jobs", jobs),
};

/* A latency's unit: the largest whose value is at least 1. */
struct unit {
	const char *suffix;
	double ns;
	int decimals;
};

static const struct unit units[] = {
	{ "s", 1e9, 3 },
	{ "ms", 1e6, 3 },
	{ "us", 1e3, 2 },
	{ "ns", 1, 0 },
};

/* rtlab_compare_metric_name - the metric's name. */
const char *rtlab_compare_metric_name(enum rtlab_compare_metric m)
{
	return (unsigned)m < _RTLAB_COMPARE_METRIC_MAX ? metrics[m].name : NULL;
}

/* rtlab_compare_metric_is_latency - ns or a count. */
bool rtlab_compare_metric_is_latency(enum rtlab_compare_metric m)
{
	return (unsigned)m < _RTLAB_COMPARE_METRIC_MAX && metrics[m].latency;
}

/* cmp_metric_gated - jobs is shown only. */
bool cmp_metric_gated(enum rtlab_compare_metric m)
{
	return (unsigned)m < _RTLAB_COMPARE_METRIC_MAX && m != RTLAB_COMPARE_JOBS;
}

/* cmp_metric_from_name - match @len bytes of @name exactly. */
int cmp_metric_from_name(const char *name, size_t len, enum rtlab_compare_metric *ret)
{
	for (size_t i = 0; i < _RTLAB_COMPARE_METRIC_MAX; i++) {
		if (strlen(metrics[i].name) == len && memcmp(metrics[i].name, name, len) == 0) {
			*ret = (enum rtlab_compare_metric)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* rtlab_compare_metric_value - read the field of @t. */
double rtlab_compare_metric_value(const struct rtlab_task_summary *t, enum rtlab_compare_metric m)
{
	const char *p = (const char *)t + metrics[m].off;
	uint64_t u;
	double d;

	if (metrics[m].mean) {
		memcpy(&d, p, sizeof(d));
		return d;
	}
	memcpy(&u, p, sizeof(u));
	return (double)u;
}

/* rtlab_compare_format - a value with its unit, signed on demand. */
const char *rtlab_compare_format(enum rtlab_compare_metric m, double v, bool sign, char *buf,
				 size_t size)
{
	const char *s = !sign ? "" : v < 0 ? "-" : "+";
	double a = fabs(v);
	size_t i = 0;

	if (!rtlab_compare_metric_is_latency(m)) {
		snprintf(buf, size, "%s%.0f", s, a);
		return buf;
	}
	while (i + 1 < RTLAB_ARRAY_SIZE(units) && a < units[i].ns)
		i++;
	snprintf(buf, size, "%s%.*f%s", s, units[i].decimals, a / units[i].ns, units[i].suffix);
	return buf;
}
