/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-cgfile.c - the single-value and keyed cgroup files, PSI totals, MemTotal. */
#include <stddef.h>
#include <stdint.h>

#include "env/env-parse.h"

struct keyed {
	struct rtlab_pu64 a, b, c;
};

static const struct cg_kv keys[] = {
	{ "usage_usec", offsetof(struct keyed, a), 1000 },
	{ "total_rss", offsetof(struct keyed, b), 1 },
	{ "max", offsetof(struct keyed, c), 0 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input through every parser of this target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct rtlab_probe_limit limit;
	struct rtlab_pu64 v, w;
	struct keyed k;
	unsigned bad = 0;

	cg_limit_parse(buf, size, &limit);
	cg_u64_parse(buf, size, &v);
	cg_cpumax_parse(buf, size, &limit, &v);
	cg_cpulist_count(buf, size, &v);
	cg_kv_parse(buf, size, keys, sizeof(keys) / sizeof(keys[0]), &k, &bad);
	cg_psi_parse(buf, size, &v, &w, &bad);
	env_memtotal_parse(buf, size, &v);
	return 0;
}
