/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-tools-internal.h - the loaded tools: one skeleton per tool behind a table of operations. */
#ifndef RTLAB_BPF_TOOLS_INTERNAL_H
#define RTLAB_BPF_TOOLS_INTERNAL_H

#include <bpf/libbpf.h>

#include "bpf-internal.h"

struct rtlab_bpf {
	struct rtlab_ctx *ctx;
	struct rtlab_bpf_opts opts;
	void *skel[_RTLAB_BPF_TOOL_MAX];	/* NULL: tool not opened */
	struct bpf_map *hists[_RTLAB_BPF_TOOL_MAX];
	struct bpf_map *lost[_RTLAB_BPF_TOOL_MAX];	/* its per-CPU "lost" counter */
	bool attached;
};

#endif /* RTLAB_BPF_TOOLS_INTERNAL_H */
