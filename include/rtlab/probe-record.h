/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-record.h - recording probe samples into a run store (SQLite).
 *
 * A recorder collects chosen families at a fixed interval (on a thread of its
 * own, at normal priority) and stores every sample with its CLOCK_MONOTONIC
 * time, so that probe values sit on the same clock as latency samples and
 * trace events.  Schema (created if missing):
 *
 *	probe_metric(id INTEGER PRIMARY KEY, family, name, labels, type, help)
 *		one row per metric name + label set; labels as Prometheus text
 *		(k="v",... with \\, \" and \n escaped)
 *	probe_sample(t_ns INTEGER, metric INTEGER, value, state INTEGER)
 *		value: INTEGER for counts, REAL otherwise, NULL when state != 0
 *		(state: enum rtlab_pv_state)
 *	probe_problem(t_ns INTEGER, family, error INTEGER, why)
 *		a family's collection problem, when it has one
 */
#ifndef RTLAB_PROBE_RECORD_H
#define RTLAB_PROBE_RECORD_H

#include <rtlab/probe.h>

struct rtlab_probe_recorder;

struct rtlab_probe_recorder_opts {
	uint64_t families;	/* RTLAB_PF_BIT mask; 0: RTLAB_PROBE_DEFAULT */
	uint64_t interval_ns;	/* for rtlab_probe_recorder_start(); default 1 s */
};

/*
 * rtlab_probe_recorder_open - a recorder storing into the SQLite file @db_path
 * (created if missing), collecting with @p (which the recorder then uses from
 * its thread: do not collect with @p elsewhere while it runs).
 */
RTLAB_API int rtlab_probe_recorder_open(struct rtlab_ctx *ctx, struct rtlab_probe *p,
					const char *db_path,
					const struct rtlab_probe_recorder_opts *opts,
					struct rtlab_probe_recorder **ret);

/* rtlab_probe_recorder_sample - collect and store one sample now (in one transaction). */
RTLAB_API int rtlab_probe_recorder_sample(struct rtlab_probe_recorder *r);

/* rtlab_probe_recorder_start - sample every interval on a thread until stop(). */
RTLAB_API int rtlab_probe_recorder_start(struct rtlab_probe_recorder *r);

/*
 * rtlab_probe_recorder_stop - stop the thread (if started) after its current
 * sample.  Returns 0 or the first error the thread met.
 */
RTLAB_API int rtlab_probe_recorder_stop(struct rtlab_probe_recorder *r);

/* rtlab_probe_recorder_samples - samples (collections) stored so far. */
RTLAB_API uint64_t rtlab_probe_recorder_samples(const struct rtlab_probe_recorder *r);

/* rtlab_probe_recorder_close - stop, close the database, free.  Returns NULL. */
RTLAB_API struct rtlab_probe_recorder *rtlab_probe_recorder_close(struct rtlab_probe_recorder *r);

#endif /* RTLAB_PROBE_RECORD_H */
