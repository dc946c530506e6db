/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* load-parse.c - /proc/loadavg. */
#include <errno.h>

#include "cpu/cpu-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* load_parse - "l1 l5 l15 runnable/entities last_pid". */
int load_parse(const char *buf, size_t len, struct rtlab_probe_load *out)
{
	struct rtlab_pf64 *avg[] = { &out->load1, &out->load5, &out->load15 };
	const char *p = buf, *end = buf + len;
	uint64_t v;
	double f;
	int r = 0;

	for (size_t i = 0; i < 3; i++) {
		if (pp_fixed(&p, end, &f) && (p == end || *p == ' ')) {
			PV_SET(*avg[i], f);
		} else {
			PV_NA(*avg[i], RTLAB_PV_MALFORMED);
			r = -EBADMSG;
			p = end;
		}
		p = pp_skip_blanks(p, end);
	}
	if (pp_u64(&p, end, &v) && pp_lit(&p, end, "/")) {
		PV_SET(out->runnable, v);
		if (pp_u64(&p, end, &v)) {
			PV_SET(out->entities, v);
		} else {
			PV_NA(out->entities, RTLAB_PV_MALFORMED);
			r = -EBADMSG;
			p = end;
		}
	} else {
		PV_NA(out->runnable, RTLAB_PV_MALFORMED);
		PV_NA(out->entities, RTLAB_PV_MALFORMED);
		r = -EBADMSG;
		p = end;
	}
	if (pp_u64(&p, end, &v)) {
		PV_SET(out->last_pid, v);
	} else {
		PV_NA(out->last_pid, RTLAB_PV_MALFORMED);
		r = -EBADMSG;
	}
	return r;
}
