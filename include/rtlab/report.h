/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * report.h - a run's report, made from its run.db alone: report.html (one
 * self-contained file: inline CSS, plots as inline SVG drawn by gnuplot),
 * summary.txt (plain text), and one PNG per plot.
 *
 * gnuplot is run as a program (found on PATH, package gnuplot-nox on Debian)
 * with its script on its standard input and the data in files of a private
 * temporary folder; no shell is involved.  Everything that comes from the
 * run (task names, host name, kernel strings, scenario text, events) is
 * escaped for HTML, for gnuplot strings and, in summary.txt, for terminals.
 */
#ifndef RTLAB_REPORT_H
#define RTLAB_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rtlab/core.h>

struct rtlab_store;
struct rtlab_report;

/* How to make a report. */
struct rtlab_report_opts {
	const char *out_dir;	/* where the files go (created if missing); NULL: the run folder */
	unsigned spikes;	/* rows of the spike table; 0: 10 */
	unsigned max_points;	/* samples of a latency-over-time plot before it is reduced
				 * to min/p99/max per time bucket; 0: 5000 */
	const char *gnuplot;	/* the gnuplot program: a path, or a name looked up on PATH;
				 * NULL: "gnuplot" */
	unsigned explain;	/* spikes explained with a verdict (rtlab/correlate.h); 0: 5 */
	uint64_t window_ns;	/* time line before each explained spike;
				 * 0: max(2 ms, 2 x its latency) */
	bool json;		/* also write spikes.json: the explained spikes as JSON */
};

/* The probe values kept around each spike, in this order. */
enum rtlab_spike_probe {
	RTLAB_SPIKE_LOAD1,		/* load average over 1 min */
	RTLAB_SPIKE_PSI_CPU,		/* PSI cpu some avg10, % */
	RTLAB_SPIKE_PSI_IO,		/* PSI io some avg10, % */
	RTLAB_SPIKE_PSI_MEMORY,		/* PSI memory some avg10, % */
	RTLAB_SPIKE_MEM_AVAILABLE,	/* MemAvailable, MiB */
	_RTLAB_SPIKE_PROBE_MAX,
};

#define RTLAB_SPIKE_EVENTS 4

/* One probe value before and one after a spike: the nearest valid samples. */
struct rtlab_spike_value {
	bool has_before, has_after;
	double before, after;		/* in the unit rtlab_spike_probe_name() gives */
	uint64_t before_ns, after_ns;	/* the samples' times */
};

/* An event of the run near a spike. */
struct rtlab_spike_event {
	uint64_t t_ns;
	char kind[16];
	char text[112];
};

/* One of the largest latencies of a run. */
struct rtlab_spike {
	uint64_t t_ns;			/* the job's wake time (CLOCK_MONOTONIC) */
	uint32_t task;			/* task id */
	char task_name[64];
	int cpu;
	uint64_t latency_ns;
	struct rtlab_spike_value around[_RTLAB_SPIKE_PROBE_MAX];
	size_t nevents;			/* events within +-1 s kept: the nearest, by time */
	size_t events_total;		/* events within +-1 s */
	struct rtlab_spike_event events[RTLAB_SPIKE_EVENTS];
};

/**
 * rtlab_spike_probe_name - "load1", "PSI cpu some avg10 %", ... for @p, or
 * NULL past the end.
 */
RTLAB_API const char *rtlab_spike_probe_name(enum rtlab_spike_probe p);

/**
 * rtlab_spikes_read - the @n largest latencies of the run in @st (largest
 * first, the earlier first among equal ones), each with the probe values
 * recorded just before and just after it, and the events within one second
 * (the RTLAB_SPIKE_EVENTS nearest kept, in time order; how many there were).
 * A run without probe tables gives spikes without probe values.
 * *@ret (malloc'ed, free() it; NULL when there is none) and *@ret_n.
 * Returns 0, -ENOMEM, or -EIO (a query failed).
 */
RTLAB_API int rtlab_spikes_read(struct rtlab_store *st, size_t n, struct rtlab_spike **ret,
				size_t *ret_n);

/**
 * rtlab_report_open - open the run @run (a run folder or its run.db) for a
 * report.  Errors, with a message in @err: -ENOENT (no run.db: "RUN: not a
 * run (no run.db)"), -EPROTO (not a run store), -ENOMEM, -EIO.  Free the
 * report with rtlab_report_free().
 */
RTLAB_API int rtlab_report_open(const char *run, struct rtlab_report **ret, char *err,
				size_t err_size);

/**
 * rtlab_report_write - write report.html, summary.txt and the PNG plots (and
 * spikes.json when @opts->json).  Both pages carry the explained spikes
 * (rtlab_corr_read()) with their verdicts.
 * @opts may be NULL.  Errors, with a message in @err: -ENOENT (gnuplot not
 * found: the message names the package gnuplot-nox), -EIO (gnuplot failed:
 * its own message is quoted; or a query failed), -ENOMEM, or the -errno of a
 * file that could not be written (named).  Nothing is written when gnuplot is
 * missing.
 */
RTLAB_API int rtlab_report_write(struct rtlab_report *rep, const struct rtlab_report_opts *opts,
				 char *err, size_t err_size);

/** rtlab_report_nfiles - files written by the last rtlab_report_write(). */
RTLAB_API size_t rtlab_report_nfiles(const struct rtlab_report *rep);

/** rtlab_report_file - the path of written file @i (report.html first), or NULL. */
RTLAB_API const char *rtlab_report_file(const struct rtlab_report *rep, size_t i);

/** rtlab_report_free - close the run, free everything (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_report *rtlab_report_free(struct rtlab_report *rep);

#endif /* RTLAB_REPORT_H */
