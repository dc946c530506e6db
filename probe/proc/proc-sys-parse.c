/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-sys-parse.c - the lines of /proc/stat the process views need: cpu and btime. */
#include <errno.h>

#include "probe-internal.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"

/* proc_cpu_line_parse - "cpu  user nice system idle iowait irq softirq steal ...", cpuN lines. */
int proc_cpu_line_parse(const char *buf, size_t len, uint64_t ticks[RTLAB_PROC_CPU__COUNT],
			uint64_t *ncpus)
{
	const char *p = buf, *end = buf + len;
	uint64_t n = 0;

	if (!pp_lit(&p, end, "cpu "))
		return -EBADMSG;
	for (size_t i = 0; i < RTLAB_PROC_CPU__COUNT; i++)
		if (!pp_u64(&p, end, &ticks[i]))
			return -EBADMSG;
	for (p = pp_next_line(p, end); p < end; p = pp_next_line(p, end)) {
		const char *q = p;

		if (!pp_lit(&q, end, "cpu"))
			break;
		if (q < end && *q >= '0' && *q <= '9')
			n++;
	}
	*ncpus = n;
	return 0;
}

/* proc_btime_parse - the "btime N" line. */
int proc_btime_parse(const char *buf, size_t len, uint64_t *ret)
{
	const char *p = buf, *end = buf + len;

	for (; p < end; p = pp_next_line(p, end)) {
		const char *q = p;

		if (pp_lit(&q, end, "btime ") && pp_u64(&q, end, ret) && q < end && *q == '\n')
			return 0;
	}
	return -EBADMSG;
}
