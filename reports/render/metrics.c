/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* metrics.c - the probe metrics a report shows, and where they are in probe_metric. */
#include <errno.h>

#include "render/render-internal.h"

#define MIB (1.0 / (1024.0 * 1024.0))

/* The spike probes first, in the order of enum rtlab_spike_probe. */
static const struct render_metric metrics[] = {
	{ "load1", "load average, 1 min", "", "node_load1", "", 1, false },
	{ "psi-cpu", "PSI cpu some avg10", "%", "rtlab_pressure_avg_ratio",
	  "resource=\"cpu\",kind=\"some\",window=\"10s\"", 100, false },
	{ "psi-io", "PSI io some avg10", "%", "rtlab_pressure_avg_ratio",
	  "resource=\"io\",kind=\"some\",window=\"10s\"", 100, false },
	{ "psi-memory", "PSI memory some avg10", "%", "rtlab_pressure_avg_ratio",
	  "resource=\"memory\",kind=\"some\",window=\"10s\"", 100, false },
	{ "mem-available", "MemAvailable", "MiB", "node_memory_MemAvailable_bytes", "", MIB,
	  false },
	{ "context-switches", "context switches", "/s", "node_context_switches_total", "", 1,
	  true },
	{ "procs-running", "runnable tasks", "", "node_procs_running", "", 1, false },
};

_Static_assert(sizeof(metrics) / sizeof(metrics[0]) >= _RTLAB_SPIKE_PROBE_MAX,
	       "every spike probe is a report metric");

/* Names of the spike probes, with their units. */
static const char *const spike_probe_names[] = {
	[RTLAB_SPIKE_LOAD1] = "load1",
	[RTLAB_SPIKE_PSI_CPU] = "PSI cpu some avg10 %",
	[RTLAB_SPIKE_PSI_IO] = "PSI io some avg10 %",
	[RTLAB_SPIKE_PSI_MEMORY] = "PSI memory some avg10 %",
	[RTLAB_SPIKE_MEM_AVAILABLE] = "MemAvailable MiB",
};

/* rtlab_spike_probe_name - the name and unit of spike probe @p. */
const char *rtlab_spike_probe_name(enum rtlab_spike_probe p)
{
	return (unsigned)p < _RTLAB_SPIKE_PROBE_MAX ? spike_probe_names[p] : NULL;
}

/* render_metric_get - entry @i of the table. */
const struct render_metric *render_metric_get(size_t i)
{
	return i < sizeof(metrics) / sizeof(metrics[0]) ? &metrics[i] : NULL;
}

/* render_metric_id - probe_metric.id of the name and label set. */
int render_metric_id(sqlite3 *db, const struct render_metric *m, int64_t *ret_id)
{
	sqlite3_stmt *st;
	int r = -ENOENT, rc;

	if (sqlite3_prepare_v2(db, "SELECT id FROM probe_metric WHERE name = ? AND labels = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_text(st, 1, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->labels, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ret_id = sqlite3_column_int64(st, 0);
		r = 0;
	} else if (rc != SQLITE_DONE) {
		r = -EIO;
	}
	sqlite3_finalize(st);
	return r;
}
