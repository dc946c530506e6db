/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* quota.h - what the quota family's files share (not installed). */
#ifndef RTLAB_PROBE_ENV_QUOTA_H
#define RTLAB_PROBE_ENV_QUOTA_H

#include "env/env-parse.h"
#include "probe-internal.h"

/* How a cgroup file is parsed. */
enum qkind {
	Q_LIMIT,	/* one limit ("max") at off */
	Q_U64,		/* one number at off */
	Q_CPUMAX,	/* v2 cpu.max: cpu_quota_us and cpu_period_us */
	Q_CPULIST,	/* a CPU or node list: count at off, text at off2 (size2) */
	Q_KV,		/* "key value" lines: kv2 (v2) or kv1 (v1) */
	Q_IO,		/* a per-device file of io_kind */
	Q_PSI,		/* *.pressure: some total at off, full total at off2 */
};

/* One cgroup file: its names, controller, and where its values go. */
struct qdef {
	const char *v2, *v1;	/* the file name in each version, NULL if none */
	uint8_t ctrl;		/* enum rtlab_cgroup_ctrl */
	uint8_t kind;		/* enum qkind */
	size_t off, off2, size2;
	const struct cg_kv *kv2, *kv1;
	uint8_t nkv2, nkv1;
	uint8_t io_kind;	/* enum cg_io_kind */
	bool slow;		/* a limit or a setting: read again with the refresh only */
};

extern const struct qdef quota_defs[];
extern const size_t quota_ndefs;

/* quota_emit - the family's samples. */
void quota_emit(struct probe_emit *e, const struct rtlab_probe_data *d);

/* quota_emit_io - the per-device I/O samples. */
void quota_emit_io(struct probe_emit *e, const struct rtlab_probe_quota *q);

/* quota_emit_rlimits - the rlimit samples. */
void quota_emit_rlimits(struct probe_emit *e, const struct rtlab_probe_quota *q);

/* quota_release - free the per-device array. */
void quota_release(struct rtlab_probe_data *d);

#endif /* RTLAB_PROBE_ENV_QUOTA_H */
