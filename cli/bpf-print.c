/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bpf-print.c - "rtlab bpf" output: log2 histograms as text and as JSON. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bpf-print.h"
#include "cli.h"

#define STARS 40

/* span - the first and last non-empty slots of @h; false when it is empty. */
static bool span(const struct rtlab_bpf_hist *h, size_t *first, size_t *last)
{
	bool any = false;

	for (size_t i = 0; i < RTLAB_BPF_SLOTS; i++) {
		if (!h->slots[i])
			continue;
		if (!any)
			*first = i;
		*last = i;
		any = true;
	}
	return any;
}

/* bar - @count of @peak as a bar of STARS columns, into @buf (STARS + 1 bytes). */
static void bar(uint64_t count, uint64_t peak, char *buf)
{
	size_t n = peak ? (size_t)((count * STARS + peak - 1) / peak) : 0;

	memset(buf, '*', n);
	memset(buf + n, ' ', STARS - n);
	buf[STARS] = '\0';
}

/* bpf_print_hist - one histogram, slots in the histogram's unit, libbpf-tools layout. */
void bpf_print_hist(FILE *out, const struct rtlab_bpf_hist *h)
{
	uint64_t peak = 0, lo, hi, unit = h->unit_ns ? h->unit_ns : 1;
	size_t first = 0, last = 0;
	char stars[STARS + 1];

	if (!span(h, &first, &last)) {
		fprintf(out, "     (no samples)\n");
		return;
	}
	for (size_t i = first; i <= last; i++)
		if (h->slots[i] > peak)
			peak = h->slots[i];
	fprintf(out, "%*s : count    distribution\n", 30, unit == 1 ? "nsecs" : "usecs");
	for (size_t i = first; i <= last; i++) {
		uint64_t c = rtlab_bpf_hist_bucket(h, i, &lo, &hi);

		bar(c, peak, stars);
		fprintf(out, "%14" PRIu64 " -> %-13" PRIu64 " : %-8" PRIu64 " |%s|\n", lo / unit,
			hi / unit - 1, c, stars);
	}
}

/* by_sum - order histograms by total time, largest first; "all" last. */
static int by_sum(const void *a, const void *b)
{
	const struct rtlab_bpf_hist *x = *(const struct rtlab_bpf_hist *const *)a;
	const struct rtlab_bpf_hist *y = *(const struct rtlab_bpf_hist *const *)b;
	int xa = !strcmp(x->key, "all"), ya = !strcmp(y->key, "all");

	if (xa != ya)
		return xa - ya;
	return x->sum_ns < y->sum_ns ? 1 : x->sum_ns > y->sum_ns ? -1 : 0;
}

/* print_row - one line of the totals table. */
static void print_row(FILE *out, const struct rtlab_bpf_hist *h)
{
	double avg_us = h->count ? (double)h->sum_ns / (double)h->count / 1e3 : 0.0;
	char key[sizeof(h->key) * 4 + 8];

	fprintf(out, "%-32s %-3s %10" PRIu64 " %14.3f %12.1f %12.1f\n",
		cli_escape(h->key, key, sizeof(key)), h->detail[0] ? h->detail : "-", h->count,
		(double)h->sum_ns / 1e6, avg_us, (double)h->max_ns / 1e3);
}

/* print_titled - a histogram under a title line with its key and totals. */
static void print_titled(FILE *out, const struct rtlab_bpf_hist *h)
{
	char key[sizeof(h->key) * 4 + 8];

	fprintf(out, "\n%s %s%s%s: %" PRIu64 " samples, avg %.1f us, max %.1f us\n",
		rtlab_bpf_tool_name(h->tool), cli_escape(h->key, key, sizeof(key)),
		h->detail[0] ? " state " : "", h->detail, h->count,
		h->count ? (double)h->sum_ns / (double)h->count / 1e3 : 0.0,
		(double)h->max_ns / 1e3);
	bpf_print_hist(out, h);
}

/* bpf_print_text - the totals table, then the histograms worth showing. */
void bpf_print_text(FILE *out, const struct rtlab_bpf_hist *h, size_t n, size_t top)
{
	const struct rtlab_bpf_hist **order = calloc(n ? n : 1, sizeof(*order));
	size_t shown = 0;

	if (!order)
		return;
	for (size_t i = 0; i < n; i++)
		order[i] = &h[i];
	qsort(order, n, sizeof(*order), by_sum);
	if (n > 1) {
		fprintf(out, "%-32s %-3s %10s %14s %12s %12s\n", "key", "st", "count", "total ms",
			"avg us", "max us");
		for (size_t i = 0; i < n; i++)
			print_row(out, order[i]);
	}
	for (size_t i = 0; i < n; i++) {
		bool all = !strcmp(order[i]->key, "all");

		if (!all && shown++ >= top)
			continue;
		print_titled(out, order[i]);
	}
	free(order);
}

/* hist_json - one histogram: key, totals, non-empty buckets. */
static json_t *hist_json(const struct rtlab_bpf_hist *h)
{
	char key[sizeof(h->key) * 4 + 8];
	json_t *buckets = json_array(), *o;
	uint64_t lo, hi, c;

	for (size_t i = 0; buckets && i < RTLAB_BPF_SLOTS; i++) {
		c = rtlab_bpf_hist_bucket(h, i, &lo, &hi);
		if (c)
			json_array_append_new(buckets, json_pack("{s:I,s:I,s:I}", "lo_ns",
				(json_int_t)lo, "hi_ns", (json_int_t)hi, "count", (json_int_t)c));
	}
	o = json_pack("{s:s,s:I,s:I,s:I,s:o*}", "key", cli_escape(h->key, key, sizeof(key)),
		      "count", (json_int_t)h->count, "sum_ns", (json_int_t)h->sum_ns, "max_ns",
		      (json_int_t)h->max_ns, "buckets", buckets);
	if (o && h->detail[0])
		json_object_set_new(o, "state", json_string(h->detail));
	return o;
}

/* bpf_json - a tool's histograms as one JSON object. */
json_t *bpf_json(enum rtlab_bpf_tool tool, const struct rtlab_bpf_hist *h, size_t n,
		 uint64_t duration_ns, uint64_t lost)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < n; i++)
		json_array_append_new(arr, hist_json(&h[i]));
	return json_pack("{s:s,s:s,s:I,s:I,s:o*}", "tool", rtlab_bpf_tool_name(tool), "slot_unit",
			 n && h[0].unit_ns == 1 ? "ns" : "us", "duration_ns",
			 (json_int_t)duration_ns, "lost", (json_int_t)lost, "histograms", arr);
}
