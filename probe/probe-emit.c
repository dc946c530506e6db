/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-emit.c - handing the families' samples to a sink. */
#include "probe-internal.h"

static const char *const state_names[RTLAB_PV__COUNT] = {
	[RTLAB_PV_OK] = "ok",
	[RTLAB_PV_ABSENT] = "absent",
	[RTLAB_PV_MALFORMED] = "malformed",
	[RTLAB_PV_DENIED] = "permission denied",
	[RTLAB_PV_NOT_READY] = "not ready",
	[RTLAB_PV_UNSUPPORTED] = "not supported",
	[RTLAB_PV_TIMEOUT] = "timed out",
	[RTLAB_PV_ERROR] = "I/O error",
};

/* rtlab_pv_state_name - the state in words. */
const char *rtlab_pv_state_name(enum rtlab_pv_state st)
{
	return (unsigned)st < RTLAB_PV__COUNT ? state_names[st] : "unknown";
}

/* pe_sample - one sample to the sink, unless an earlier one failed. */
void pe_sample(struct probe_emit *e, const struct rtlab_metric *m, const struct rtlab_label *l,
	       size_t nl, struct rtlab_mval v)
{
	if (e->err)
		return;
	e->err = e->sink->sample(e->sink->arg, m, l, nl, &v);
}
