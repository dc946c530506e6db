/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* numa-parse.c - what a NUMA node's files hold beyond meminfo and "name value" lists. */
#include <errno.h>

#include "mem/mem-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* numa_distance_parse - "10 21 ..." (one line): the distance to each online node in turn. */
int numa_distance_parse(const char *buf, size_t len, struct rtlab_numa_node *out)
{
	const char *p = buf, *end = buf + len;
	uint64_t v;

	bool ok = true;

	out->n_distance = 0;
	while (ok && pp_u64(&p, end, &v)) {
		ok = v <= UINT16_MAX;
		if (ok && out->n_distance < RTLAB_NUMA_DIST_MAX)
			out->distance[out->n_distance++] = (uint16_t)v;
	}
	p = pp_skip_blanks(p, end);
	/* One line, whole: a cut or foreign byte leaves nothing trusted. */
	if (!ok || out->n_distance == 0 || p == end || *p != '\n' || p + 1 != end) {
		out->n_distance = 0;
		out->distance_st = RTLAB_PV_MALFORMED;
		return -EBADMSG;
	}
	out->distance_st = RTLAB_PV_OK;
	return 0;
}

/* numa_node_free - the node's lists. */
void numa_node_free(struct rtlab_numa_node *n)
{
	stat_list_free(&n->numastat);
	stat_list_free(&n->vmstat);
}
