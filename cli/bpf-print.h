/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bpf-print.h - how "rtlab bpf" prints histograms: text (libbpf-tools layout) and JSON. */
#ifndef RTLAB_CLI_BPF_PRINT_H
#define RTLAB_CLI_BPF_PRINT_H

#include <stdio.h>

#include <jansson.h>
#include <rtlab/bpf.h>

/* bpf_print_text - a totals table (by total time), then histograms of "all" and the top @top. */
void bpf_print_text(FILE *out, const struct rtlab_bpf_hist *h, size_t n, size_t top);

/* bpf_print_hist - one histogram: "     usecs : count distribution" rows, non-empty span. */
void bpf_print_hist(FILE *out, const struct rtlab_bpf_hist *h);

/*
 * bpf_json - the histograms of one tool, and the @lost events (full maps), as a JSON
 * object (NULL when out of memory).
 */
json_t *bpf_json(enum rtlab_bpf_tool tool, const struct rtlab_bpf_hist *h, size_t n,
		 uint64_t duration_ns, uint64_t lost);

#endif /* RTLAB_CLI_BPF_PRINT_H */
