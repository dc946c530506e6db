/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mem-family.h - what the mem group's collectors share: reading with a why, ratios. */
#ifndef RTLAB_PROBE_MEM_FAMILY_H
#define RTLAB_PROBE_MEM_FAMILY_H

#include <string.h>

#include "mem/mem-parse.h"
#include "probe-internal.h"

/* mem_src_read - probe_src_read(); a failure is noted as "path: error".  Length or -errno. */
static inline ssize_t mem_src_read(struct probe_cx *cx, struct probe_src *s)
{
	ssize_t n = probe_src_read(cx->p, s);

	if (n < 0)
		probe_why(cx, "%s: %s", s->path, strerror((int)-n));
	return n;
}

/* mem_why_parse - note the line of @s a parser could not read, as "path:line: what". */
static inline void mem_why_parse(struct probe_cx *cx, const struct probe_src *s,
				 const struct mem_perr *err)
{
	probe_why(cx, "%s:%u: %s: cannot be read", s->path, err->line, err->what);
}

/* mv_ratio - a percentage (0..100) as a ratio (0..1), its state kept. */
static inline struct rtlab_mval mv_ratio(struct rtlab_pf64 pct)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_F64, .st = pct.st, .f = pct.v / 100.0 };
}

#endif /* RTLAB_PROBE_MEM_FAMILY_H */
