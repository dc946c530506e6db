/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* compare-internal.h - what the files of the comparison share. */
#ifndef RTLAB_COMPARE_INTERNAL_H
#define RTLAB_COMPARE_INTERNAL_H

#include <stdio.h>

#include <rtlab/compare.h>

#include "core-internal.h"

/* cmp_metric_from_name - the metric called @name (@len bytes); 0 or -EINVAL. */
int cmp_metric_from_name(const char *name, size_t len, enum rtlab_compare_metric *ret);

/* cmp_metric_gated - whether thresholds may be set on @m (every metric but jobs). */
bool cmp_metric_gated(enum rtlab_compare_metric m);

/* cmp_threshold_rule - @t without its task: "p99=+10%", "max<=200us", "misses=0". */
const char *cmp_threshold_rule(const struct rtlab_threshold *t, char *buf, size_t size);

/* cmp_thresholds_copy - a copy of @th in *@ret; 0 or -ENOMEM. */
int cmp_thresholds_copy(const struct rtlab_thresholds *th, struct rtlab_thresholds **ret);

/* cmp_thresholds_text - rtlab_thresholds_format() into a string to free(); NULL on -ENOMEM. */
char *cmp_thresholds_text(const struct rtlab_thresholds *th);

/* cmp_checks_run - every threshold of @c on its rows into c->checks; 0 or -errno with @err. */
int cmp_checks_run(struct rtlab_compare *c, char *err, size_t errsize);

/* cmp_fact_count - the number of run facts compared (hostname, kernel, ..., ncpus). */
size_t cmp_fact_count(void);

/* cmp_fact_name - the name of fact @i ("kernel"). */
const char *cmp_fact_name(size_t i);

/* cmp_fact_text - fact @i of @s as text into @buf. */
void cmp_fact_text(const struct rtlab_run_summary *s, size_t i, char *buf, size_t size);

/* cmp_warn - add a warning line to @c; 0 or -ENOMEM. */
int cmp_warn(struct rtlab_compare *c, const char *fmt, ...) RTLAB_PRINTF(2, 3);

/*
 * cmp_text_clean - a copy of @s that is valid UTF-8 text: bytes that are not
 * (invalid sequences, controls other than tab and newline, DEL, U+FFFE and
 * U+FFFF) written as "\xHH".  NULL on -ENOMEM.
 */
char *cmp_text_clean(const char *s);

/* cmp_xml_put - @s into @f as XML text or attribute value (cleaned, &<>"' escaped). */
void cmp_xml_put(FILE *f, const char *s);

/* cmp_utc_text - @when as "YYYY-MM-DDTHH:MM:SS" (UTC) into @buf; returns @buf. */
const char *cmp_utc_text(time_t when, char *buf, size_t size);

#endif /* RTLAB_COMPARE_INTERNAL_H */
