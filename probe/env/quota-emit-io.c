/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* quota-emit-io.c - the per-device I/O and the rlimit samples of the quota family. */
#include <stdio.h>

#include "env/quota.h"

#define IOFF(f) offsetof(struct rtlab_probe_cgroup_io, f)
#define RLIMIT_RTTIME_NR 15	/* microseconds; every other rlimit is in base units */

/* A per-device field: a limit (no sample when unlimited) or a counter. */
struct io_metric {
	struct rtlab_metric m;
	size_t off;
	bool limit;
};

static const struct io_metric io_metrics[] = {
	{ { "rtlab_cgroup_io_max_read_bytes_per_second", "Read bandwidth limit (io.max rbps).",
	    RTLAB_METRIC_GAUGE }, IOFF(rbps), true },
	{ { "rtlab_cgroup_io_max_write_bytes_per_second", "Write bandwidth limit (io.max wbps).",
	    RTLAB_METRIC_GAUGE }, IOFF(wbps), true },
	{ { "rtlab_cgroup_io_max_read_iops", "Read I/O rate limit (io.max riops).",
	    RTLAB_METRIC_GAUGE }, IOFF(riops), true },
	{ { "rtlab_cgroup_io_max_write_iops", "Write I/O rate limit (io.max wiops).",
	    RTLAB_METRIC_GAUGE }, IOFF(wiops), true },
	{ { "rtlab_cgroup_io_read_bytes_total", "Bytes the cgroup read.", RTLAB_METRIC_COUNTER },
	  IOFF(rbytes), false },
	{ { "rtlab_cgroup_io_written_bytes_total", "Bytes the cgroup wrote.",
	    RTLAB_METRIC_COUNTER }, IOFF(wbytes), false },
	{ { "rtlab_cgroup_io_discarded_bytes_total", "Bytes the cgroup discarded.",
	    RTLAB_METRIC_COUNTER }, IOFF(dbytes), false },
	{ { "rtlab_cgroup_io_reads_total", "Read I/Os of the cgroup.", RTLAB_METRIC_COUNTER },
	  IOFF(rios), false },
	{ { "rtlab_cgroup_io_writes_total", "Write I/Os of the cgroup.", RTLAB_METRIC_COUNTER },
	  IOFF(wios), false },
	{ { "rtlab_cgroup_io_discards_total", "Discard I/Os of the cgroup.", RTLAB_METRIC_COUNTER },
	  IOFF(dios), false },
};

static const struct rtlab_metric m_soft = {
	"rtlab_rlimit_soft",
	"The process's soft rlimit: seconds (cpu, rttime), bytes or a count; none if unlimited.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_hard = {
	"rtlab_rlimit_hard",
	"The process's hard rlimit: seconds (cpu, rttime), bytes or a count; none if unlimited.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_rl_unlimited = {
	"rtlab_rlimit_unlimited",
	"1 if the rlimit is unlimited (RLIM_INFINITY), 0 if it is a number.", RTLAB_METRIC_GAUGE
};

/* quota_emit_io - each per-device metric for every device, labelled "major:minor". */
void quota_emit_io(struct probe_emit *e, const struct rtlab_probe_quota *q)
{
	char dev[24];

	for (size_t k = 0; k < sizeof(io_metrics) / sizeof(io_metrics[0]); k++) {
		const struct io_metric *im = &io_metrics[k];

		for (size_t i = 0; i < q->nio; i++) {
			const char *f = (const char *)&q->io[i] + im->off;
			struct rtlab_pu64 v;

			if (im->limit) {
				const struct rtlab_probe_limit *l =
					(const struct rtlab_probe_limit *)f;

				if (l->unlimited)
					continue;
				v = (struct rtlab_pu64){ l->v, l->st };
			} else {
				v = *(const struct rtlab_pu64 *)f;
			}
			snprintf(dev, sizeof(dev), "%u:%u", q->io[i].major, q->io[i].minor);
			pe_emitl(e, &im->m, mv_u64(v), { "device", dev });
		}
	}
}

/* rl_value - an rlimit in base units (rttime is in µs). */
static struct rtlab_mval rl_value(unsigned i, const struct rtlab_probe_limit *l)
{
	struct rtlab_pu64 v = { l->v, l->st };

	if (i == RLIMIT_RTTIME_NR)
		return (struct rtlab_mval){ .kind = RTLAB_MV_F64,
					    .st = v.st,
					    .f = (double)v.v / 1e6 };
	return mv_u64(v);
}

/* quota_emit_rlimits - soft, hard (numbers only), then which ones are unlimited. */
void quota_emit_rlimits(struct probe_emit *e, const struct rtlab_probe_quota *q)
{
	const struct rtlab_metric *m[2] = { &m_soft, &m_hard };
	static const char *const which[2] = { "soft", "hard" };

	for (size_t k = 0; k < 2; k++) {
		for (unsigned i = 0; i < RTLAB_PROBE_NRLIMITS; i++) {
			const struct rtlab_probe_limit *l =
				k ? &q->rlimit[i].hard : &q->rlimit[i].soft;

			if (!l->unlimited)
				pe_emitl(e, m[k], rl_value(i, l),
					 { "resource", rtlab_probe_rlimit_name(i) });
		}
	}
	for (size_t k = 0; k < 2; k++) {
		for (unsigned i = 0; i < RTLAB_PROBE_NRLIMITS; i++) {
			const struct rtlab_probe_limit *l =
				k ? &q->rlimit[i].hard : &q->rlimit[i].soft;
			struct rtlab_mval v = { .kind = RTLAB_MV_U64,
						.st = l->st,
						.u = l->unlimited };

			pe_emitl(e, &m_rl_unlimited, v, { "resource", rtlab_probe_rlimit_name(i) },
				 { "limit", which[k] });
		}
	}
}
