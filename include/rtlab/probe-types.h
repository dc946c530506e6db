/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-types.h - the value types every probe family uses.
 *
 * A probe value never pretends: each one carries a state, and a value whose
 * source is missing, unreadable or malformed is RTLAB_PV_<reason>, never a
 * made-up zero.  The reason in words (file and line) is in the collected
 * data's why[] text for the family.
 */
#ifndef RTLAB_PROBE_TYPES_H
#define RTLAB_PROBE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef RTLAB_API
#define RTLAB_API __attribute__((visibility("default")))
#endif

/* Why a value is (not) available. */
enum rtlab_pv_state {
	RTLAB_PV_OK = 0,
	RTLAB_PV_ABSENT,	/* the source does not exist on this system */
	RTLAB_PV_MALFORMED,	/* the source exists but could not be parsed */
	RTLAB_PV_DENIED,	/* permission denied */
	RTLAB_PV_NOT_READY,	/* a rate or percentage that needs a second reading */
	RTLAB_PV_UNSUPPORTED,	/* the kernel, driver or hardware does not provide it */
	RTLAB_PV_TIMEOUT,	/* the source did not answer in time (hung mount) */
	RTLAB_PV_ERROR,		/* another I/O error */
	RTLAB_PV__COUNT,
};

/* A value and its state.  .v is meaningful only when .st == RTLAB_PV_OK. */
struct rtlab_pu64 {
	uint64_t v;
	uint8_t st;
};

struct rtlab_pi64 {
	int64_t v;
	uint8_t st;
};

struct rtlab_pf64 {
	double v;
	uint8_t st;
};

/* rtlab_pv_state_name - "ok", "absent", "malformed", "denied", "not ready", ... */
RTLAB_API const char *rtlab_pv_state_name(enum rtlab_pv_state st);

/* rtlab_pv_ok - true if @st is RTLAB_PV_OK. */
static inline bool rtlab_pv_ok(uint8_t st)
{
	return st == RTLAB_PV_OK;
}

#endif /* RTLAB_PROBE_TYPES_H */
