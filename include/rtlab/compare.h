/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Comparing two runs (BASE and NEW) and gating NEW on thresholds: the figures
 * of every task both runs have (matched by name) and of "all", their deltas,
 * one check per threshold and task, the machine facts that differ, and the
 * verdict (pass or regression).  Every metric is "lower is better".
 *
 * Thresholds, as text ("p99=+10%,max<=500us,misses=0,fast.p99.9=-5%"):
 *
 *	[TASK.]METRIC=+P%	NEW may be up to P% worse than BASE
 *	[TASK.]METRIC=-P%	NEW must be at least P% better than BASE
 *	[TASK.]METRIC<=VALUE	an absolute bound on NEW ("METRIC=VALUE" too)
 *
 * METRIC: min, mean, p50, p90, p99, p99.9, max (VALUE a duration with a
 * unit: 200us), misses, lost (VALUE a count).  Without TASK a threshold
 * holds for every task of NEW (relative ones for the tasks BASE has too);
 * "all." names the figures over all tasks.  docs/compare.md has the rules.
 */
#ifndef RTLAB_COMPARE_H
#define RTLAB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <rtlab/core.h>
#include <rtlab/store.h>

struct rtlab_scenario_gate;

/* The gate used when neither thresholds nor a [gate] in NEW's scenario are given. */
#define RTLAB_COMPARE_DEFAULT_GATE "p99=+10%,max=+25%,misses=0,lost=0"

/* The figures compared, in table order. */
enum rtlab_compare_metric {
	RTLAB_COMPARE_MIN,
	RTLAB_COMPARE_P50,
	RTLAB_COMPARE_P90,
	RTLAB_COMPARE_P99,
	RTLAB_COMPARE_P999,
	RTLAB_COMPARE_MAX,
	RTLAB_COMPARE_MEAN,
	RTLAB_COMPARE_MISSES,
	RTLAB_COMPARE_LOST,
	RTLAB_COMPARE_JOBS,	/* shown, never gated (more jobs is not worse) */
	_RTLAB_COMPARE_METRIC_MAX,
};

enum rtlab_threshold_kind {
	RTLAB_THRESHOLD_RELATIVE,	/* NEW <= BASE * (1 + pct / 100) */
	RTLAB_THRESHOLD_ABSOLUTE,	/* NEW <= bound */
};

/* One threshold. */
struct rtlab_threshold {
	char task[64];			/* "" every task, "all" the figures over all */
	enum rtlab_compare_metric metric;
	enum rtlab_threshold_kind kind;
	double pct;			/* relative: +10 up to 10% worse, -5 at least 5% better */
	uint64_t bound;			/* absolute: ns for latencies, else a count */
	char text[128];			/* its canonical text: "fast.p99=+10%" */
};

struct rtlab_thresholds {
	struct rtlab_threshold *items;
	size_t n;
};

/* Where the thresholds of a comparison came from. */
enum rtlab_threshold_source {
	RTLAB_THRESHOLDS_GIVEN,		/* by the caller (--threshold) */
	RTLAB_THRESHOLDS_GATE,		/* the [gate] of NEW's scenario */
	RTLAB_THRESHOLDS_DEFAULT,	/* RTLAB_COMPARE_DEFAULT_GATE */
};

/* Verdict of a comparison, also the exit status of 'rtlab compare' (2: an error). */
enum rtlab_compare_result {
	RTLAB_COMPARE_PASS = 0,
	RTLAB_COMPARE_REGRESSION = 1,
};

/* A task (or "all") in the table. */
struct rtlab_compare_row {
	const struct rtlab_task_summary *base;	/* NULL: the task is not in BASE */
	const struct rtlab_task_summary *head;	/* NEW's */
	signed char verdict[_RTLAB_COMPARE_METRIC_MAX];	/* -1 not checked, 0 pass, 1 fail */
};

/* One threshold checked on one row. */
struct rtlab_compare_check {
	size_t row;				/* in rows[] */
	const struct rtlab_threshold *th;	/* in thresholds */
	double base, value, limit;		/* base: BASE's figure (relative ones) */
	bool pass;				/* value <= limit */
};

/* A machine or setup fact that differs between the two runs. */
struct rtlab_compare_fact {
	const char *name;		/* "kernel", "preempt", "cpu_model", ... */
	char base[1024], head[1024];
};

struct rtlab_compare {
	char *base_path, *head_path;		/* as given */
	struct rtlab_run_summary base, head;
	struct rtlab_thresholds *thresholds;
	enum rtlab_threshold_source source;
	unsigned gate_line;			/* RTLAB_THRESHOLDS_GATE: the [gate] line */
	struct rtlab_compare_row *rows;		/* NEW's tasks, then "all" */
	size_t nrows;
	struct rtlab_compare_check *checks;
	size_t nchecks, failures;
	struct rtlab_compare_fact *facts;	/* the facts that differ */
	size_t nfacts;
	char **warnings;			/* what the reader must know (one line each) */
	size_t nwarnings;
	uint64_t elapsed_ns;			/* time the comparison took */
};

/** rtlab_compare_metric_name - "min", "p99.9", "jobs", ...; NULL if out of range. */
RTLAB_API const char *rtlab_compare_metric_name(enum rtlab_compare_metric m);

/** rtlab_compare_metric_is_latency - a duration in ns (true) or a count (false). */
RTLAB_API bool rtlab_compare_metric_is_latency(enum rtlab_compare_metric m);

/** rtlab_compare_metric_value - metric @m of @t (ns or a count). */
RTLAB_API double rtlab_compare_metric_value(const struct rtlab_task_summary *t,
					    enum rtlab_compare_metric m);

/**
 * rtlab_thresholds_parse - parse @text (see above) into *@ret (free with
 * rtlab_thresholds_free()).  Returns 0, -EINVAL with "'ITEM': what is wrong"
 * in @err, or -ENOMEM.  Spaces around items and operators are allowed; a
 * metric given twice the same way (twice relative, or twice absolute) for
 * the same task is an error.
 */
RTLAB_API int rtlab_thresholds_parse(const char *text, struct rtlab_thresholds **ret, char *err,
				     size_t errsize);

/**
 * rtlab_thresholds_from_gate - the absolute thresholds of a scenario's
 * [gate] (every task).  Returns 0 (*@ret has n == 0 if the gate sets
 * nothing) or -ENOMEM.
 */
RTLAB_API int rtlab_thresholds_from_gate(const struct rtlab_scenario_gate *gate,
					 struct rtlab_thresholds **ret);

/**
 * rtlab_thresholds_format - the canonical text of @th ("p99=+10%,misses=0"),
 * which rtlab_thresholds_parse() reads back to the same thresholds.  Returns
 * the length, or -ENOSPC (@buf then holds a truncated prefix).
 */
RTLAB_API int rtlab_thresholds_format(const struct rtlab_thresholds *th, char *buf, size_t size);

/** rtlab_thresholds_free - free it (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_thresholds *rtlab_thresholds_free(struct rtlab_thresholds *th);

/**
 * rtlab_compare_runs - compare run @base_path with run @head_path (a run
 * folder or its run.db) and check @th on NEW; with @th NULL, the [gate] of
 * NEW's scenario, or RTLAB_COMPARE_DEFAULT_GATE if it has none.  Returns 0
 * with *@ret (free with rtlab_compare_free(); rtlab_compare_result() says
 * pass or regression), or -errno with the reason in @err:
 *   -ENOENT, -EPROTO	a path is not a run (store not found, not a run store)
 *   -EINVAL		NEW is not complete (interrupted or incomplete), BASE is
 *			incomplete (a crashed run has no counters), a threshold
 *			names a task NEW (or, relative, BASE) does not have, NEW's
 *			[gate] does not parse, or no threshold could be checked
 *   -ENODATA		a gated latency figure of a task without samples
 * An interrupted BASE is compared, with a warning.
 */
RTLAB_API int rtlab_compare_runs(const char *base_path, const char *head_path,
				 const struct rtlab_thresholds *th, struct rtlab_compare **ret,
				 char *err, size_t errsize);

/** rtlab_compare_result - RTLAB_COMPARE_PASS, or _REGRESSION if a check failed. */
RTLAB_API enum rtlab_compare_result rtlab_compare_result(const struct rtlab_compare *c);

/** rtlab_compare_free - free it (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_compare *rtlab_compare_free(struct rtlab_compare *c);

/** rtlab_compare_source_text - how the thresholds were chosen, in words. */
RTLAB_API const char *rtlab_compare_source_text(const struct rtlab_compare *c);

/**
 * rtlab_compare_format - metric @m's value @v as text: "850ns", "12.3us",
 * "1.234ms", "2.500s" for latencies, the number for counts; with @sign a
 * leading '+' or '-' (for deltas).  Returns @buf.
 */
RTLAB_API const char *rtlab_compare_format(enum rtlab_compare_metric m, double v, bool sign,
					   char *buf, size_t size);

/**
 * rtlab_compare_check_text - what check @k found, one line:
 * "NEW 27.50us > limit 24.97us = BASE 22.70us +10%" (relative), "NEW 3 > limit 0"
 * (absolute).  Returns @buf.
 */
RTLAB_API const char *rtlab_compare_check_text(const struct rtlab_compare_check *k, char *buf,
					       size_t size);

/**
 * rtlab_compare_junit - JUnit XML of @c: one <testsuite name="rtlab compare">
 * stamped @when (UTC), one <testcase> per check, a <failure> for each failed
 * one; every text XML-escaped.  Returns 0 with a string to free(), or -ENOMEM.
 */
RTLAB_API int rtlab_compare_junit(const struct rtlab_compare *c, time_t when, char **ret);

/**
 * rtlab_compare_junit_error - JUnit XML for a comparison that could not be
 * made: one <testcase> with an <error> carrying @message.  As above.
 */
RTLAB_API int rtlab_compare_junit_error(const char *message, time_t when, char **ret);

/**
 * rtlab_compare_json - @c as JSON (jansson): both runs' facts, the table,
 * the checks, the warnings and the verdict.  Returns 0 with a string to
 * free(), or -ENOMEM.
 */
RTLAB_API int rtlab_compare_json(const struct rtlab_compare *c, char **ret);

#endif /* RTLAB_COMPARE_H */
