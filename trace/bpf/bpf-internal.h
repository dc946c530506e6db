/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-internal.h - what the eBPF files of the library share (key names, totals). */
#ifndef RTLAB_BPF_INTERNAL_H
#define RTLAB_BPF_INTERNAL_H

#include <linux/types.h>

#include <rtlab/bpf.h>

#include "bpf-common.h"

/*
 * bpf_hist_from_key - fill @h (tool, key, detail) from a map key @k of @tool and the
 * name the program saved; @key_mode is runqlat's RTLAB_BPF_MODE_*.
 */
void bpf_hist_from_key(struct rtlab_bpf_hist *h, enum rtlab_bpf_tool tool, uint32_t key_mode,
		       const struct rtlab_bpf_hkey *k, const char *name);

/* bpf_hist_add_value - add one CPU's map value @v (slots, count, sum, max) into @h. */
void bpf_hist_add_value(struct rtlab_bpf_hist *h, const struct rtlab_bpf_hval *v);

/*
 * bpf_hists_add_total - append to the @n histograms of *@hs (malloc'ed, room for
 * one more) their sum, keyed "all".  Returns the new count.
 */
size_t bpf_hists_add_total(struct rtlab_bpf_hist *hs, size_t n, enum rtlab_bpf_tool tool,
			   uint32_t unit_ns);

/* bpf_tool_keyed - whether @tool with @key_mode has several keys (and so an "all" total). */
bool bpf_tool_keyed(enum rtlab_bpf_tool tool, uint32_t key_mode);

#endif /* RTLAB_BPF_INTERNAL_H */
