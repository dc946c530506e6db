/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtlab doctor: an RT-readiness lint of a machine.  Each check reads the
 * system (below the context's root) and yields one finding: ok / warn /
 * bad (or skip when the fact cannot be read), what was seen, why it matters
 * for latency, and how to fix it.
 */
#ifndef RTLAB_DOCTOR_H
#define RTLAB_DOCTOR_H

#include <rtlab/core.h>

enum rtlab_verdict {
	RTLAB_VERDICT_OK,
	RTLAB_VERDICT_WARN,
	RTLAB_VERDICT_BAD,
	RTLAB_VERDICT_SKIP,	/* could not be checked; seen says why */
	_RTLAB_VERDICT_MAX,
};

struct rtlab_finding {
	char id[32];		/* stable key: "preempt-rt", "isolcpus", "governor", ... */
	char title[64];		/* short human title */
	enum rtlab_verdict verdict;
	char seen[256];		/* what was observed (from the system: escape before output) */
	char why[256];		/* why it matters for latency */
	char fix[256];		/* how to fix it; empty when ok */
};

/** rtlab_verdict_name - "ok", "warn", "bad", "skip". */
RTLAB_API const char *rtlab_verdict_name(enum rtlab_verdict v);

/**
 * rtlab_doctor_run - run every check.  @ret is filled with up to @max
 * findings; *@ret_n receives the number of checks (may exceed @max: call
 * again with a larger array).  Returns 0 or -errno.
 */
RTLAB_API int rtlab_doctor_run(struct rtlab_ctx *ctx, struct rtlab_finding *ret, size_t max,
			       size_t *ret_n);

#endif /* RTLAB_DOCTOR_H */
