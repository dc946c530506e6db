/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * parse-sections.c - the section types: [scenario], [mutex NAME], [load NAME],
 * [record], [gate] (and [task NAME] from parse-task.c), their keys, defaults
 * and the checks within one section.
 */
#include <errno.h>
#include <string.h>

#include <rtlab/bpf.h>
#include <rtlab/load.h>

#include "parse-state.h"

#define LOAD_SIZE_MIN (4 * 1024LL)			/* include/rtlab/load.h */
#define LOAD_SIZE_MAX (1024LL * 1024 * 1024 * 1024)	/* 1 TiB */
#define PROBE_INTERVAL_MIN (10 * (long long)RTLAB_NSEC_PER_MSEC)
#define BREAKTRACE_WINDOW_DEFAULT (10 * RTLAB_NSEC_PER_MSEC)
#define TRACE_BUFFER_MIN (4 * 1024LL)			/* a page per CPU */
#define TRACE_BUFFER_MAX (4LL * 1024 * 1024 * 1024)	/* 4 GiB per CPU */
#define RECORD(field) offsetof(struct rtlab_scenario_record, field)
#define MUTEX(field) offsetof(struct rtlab_scenario_mutex, field)
#define LOAD(field) offsetof(struct rtlab_scenario_load, field)

/* --- [scenario] --- */

static const struct sc_key scenario_keys[] = {
	{ .name = "name", .type = SC_NAME, .off = offsetof(struct rtlab_scenario, name) },
	{ .name = "description", .type = SC_TEXT,
	  .off = offsetof(struct rtlab_scenario, description) },
	{ .name = "duration", .type = SC_DURATION,
	  .off = offsetof(struct rtlab_scenario, duration_ns), .min = 1 },
	{ .name = "seed", .type = SC_COUNT, .off = offsetof(struct rtlab_scenario, seed) },
};

/* scenario_obj - the scenario itself. */
static void *scenario_obj(struct parse *ps)
{
	return ps->sc;
}

/* scenario_open - note its line; the seed defaults to 1. */
static int scenario_open(struct parse *ps, const char *name)
{
	(void)name;
	ps->sc->line = ps->line;
	ps->sc->seed = 1;
	return 0;
}

/* name_from_path - the file name without its directory and ".ini": the default name. */
static int name_from_path(struct parse *ps)
{
	struct rtlab_scenario *sc = ps->sc;
	const char *base = strrchr(sc->path, '/');
	char name[RTLAB_SCENARIO_NAME_MAX + 4], esc[SC_ESC_MAX];
	size_t n;

	base = base ? base + 1 : sc->path;
	n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".ini") == 0)
		n -= 4;
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, base, n);
	name[n] = '\0';
	if (!sc_name_valid(name))
		return ps_err(ps, sc->line, "[scenario] needs a name: the file name '%s' cannot "
			      "be one (1 to 63 of A-Z a-z 0-9 _ . -)",
			      sc_escape(base, esc, sizeof(esc)));
	memcpy(sc->name, name, n + 1);
	return 0;
}

/* scenario_close - duration is required; the name defaults to the file's. */
static int scenario_close(struct parse *ps)
{
	if (!ps_given(ps, "duration"))
		return ps_err(ps, ps->sc->line, "[scenario] needs a duration (e.g. duration = "
			      "60s)");
	if (!ps_given(ps, "name"))
		return name_from_path(ps);
	return 0;
}

/* --- [mutex NAME] --- */

/* set_protocol - inherit, protect or none. */
static int set_protocol(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_mutex *m = obj;

	(void)ps;
	if (rtlab_mutex_protocol_from_name(v, &m->protocol) < 0)
		return sc_because(why, -EINVAL, "unknown protocol (use inherit, protect or none)");
	return 0;
}

static const struct sc_key mutex_keys[] = {
	{ .name = "protocol", .type = SC_FN, .fn = set_protocol },
	{ .name = "ceiling", .type = SC_INT, .off = MUTEX(ceiling), .min = 1, .max = 99,
	  .at = SC_AT(struct rtlab_scenario_mutex, at_ceiling) },
};

/* mutex_obj - the mutex of the current section. */
static void *mutex_obj(struct parse *ps)
{
	return &ps->sc->mutexes[ps->idx];
}

/* mutex_open - a new mutex; priority inheritance by default. */
static int mutex_open(struct parse *ps, const char *name)
{
	struct rtlab_scenario *sc = ps->sc;
	struct rtlab_scenario_mutex *m;
	void *arr;

	_Static_assert(MUTEX(name) == 0, "ps_add() finds the name first");
	m = ps_add(ps, sc->mutexes, &sc->nmutexes, sizeof(*m), MUTEX(line), name, &arr);
	if (!m)
		return ps->r;
	sc->mutexes = arr;
	m->protocol = RTLAB_MUTEX_INHERIT;
	return 0;
}

/* mutex_close - a ceiling with protect, and only there. */
static int mutex_close(struct parse *ps)
{
	struct rtlab_scenario_mutex *m = mutex_obj(ps);

	if (m->protocol == RTLAB_MUTEX_PROTECT && !m->at_ceiling.line)
		return ps_err(ps, m->line, "[mutex %s] has protocol protect: it needs a ceiling "
			      "(1..99)", m->name);
	if (m->protocol != RTLAB_MUTEX_PROTECT && m->at_ceiling.line)
		return ps_err(ps, m->at_ceiling.line, "ceiling is for protocol protect, not %s",
			      rtlab_mutex_protocol_name(m->protocol));
	return 0;
}

/* --- [load NAME] --- */

/* set_kind - what the load does. */
static int set_kind(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_load *l = obj;

	(void)ps;
	if (rtlab_load_kind_from_name(v, &l->kind) < 0)
		return sc_because(why, -EINVAL, "unknown load kind (use cpu, hackbench, memory, "
				  "io, timer, syscall or fork)");
	return 0;
}

static const struct sc_key load_keys[] = {
	{ .name = "kind", .type = SC_FN, .fn = set_kind },
	{ .name = "threads", .type = SC_UINT, .off = LOAD(threads), .min = 1,
	  .max = RTLAB_LOAD_THREADS_MAX },
	{ .name = "cpu", .type = SC_CPUS, .off = LOAD(cpus),
	  .at = SC_AT(struct rtlab_scenario_load, at_cpu) },
	{ .name = "intensity", .type = SC_PERCENT, .off = LOAD(intensity_pct) },
	{ .name = "size", .type = SC_SIZE, .off = LOAD(size_bytes), .min = LOAD_SIZE_MIN,
	  .max = LOAD_SIZE_MAX },
};

/* load_obj - the load of the current section. */
static void *load_obj(struct parse *ps)
{
	return &ps->sc->loads[ps->idx];
}

/* load_open - a new load: one thread, full intensity. */
static int load_open(struct parse *ps, const char *name)
{
	struct rtlab_scenario *sc = ps->sc;
	struct rtlab_scenario_load *l;
	void *arr;

	_Static_assert(LOAD(name) == 0, "ps_add() finds the name first");
	l = ps_add(ps, sc->loads, &sc->nloads, sizeof(*l), LOAD(line), name, &arr);
	if (!l)
		return ps->r;
	sc->loads = arr;
	l->threads = 1;
	l->intensity_pct = 100;
	return 0;
}

/* load_close - a kind is required; a size only for memory and io; hackbench groups. */
static int load_close(struct parse *ps)
{
	struct rtlab_scenario_load *l = load_obj(ps);
	unsigned size_line = ps_given(ps, "size"), threads_line = ps_given(ps, "threads");

	if (!ps_given(ps, "kind"))
		return ps_err(ps, l->line, "[load %s] needs a kind (cpu, hackbench, memory, io, "
			      "timer, syscall or fork)", l->name);
	if (size_line && l->kind != RTLAB_LOAD_MEMORY && l->kind != RTLAB_LOAD_IO)
		return ps_err(ps, size_line, "size is for memory and io loads, not %s",
			      rtlab_load_kind_name(l->kind));
	if (l->kind == RTLAB_LOAD_HACKBENCH && l->threads > RTLAB_LOAD_HACKBENCH_GROUPS_MAX)
		return ps_err(ps, threads_line, "a hackbench load has at most %d threads (groups "
			      "of %d senders and as many receivers)",
			      RTLAB_LOAD_HACKBENCH_GROUPS_MAX, RTLAB_LOAD_HACKBENCH_FDS);
	return 0;
}

/* --- [record] --- */

/* set_latency - always on: only "yes" (or its synonyms) is accepted. */
static int set_latency(struct parse *ps, void *obj, const char *v, char *why)
{
	bool on;
	int r = sc_parse_bool(v, &on, why);

	(void)ps;
	(void)obj;
	if (r == 0 && !on)
		return sc_because(why, -EINVAL, "latency is always recorded: remove the key or "
				  "set it to yes");
	return r;
}

/* set_families - the probe families sampled every probe interval. */
static int set_families(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_record *rec = obj;

	(void)ps;
	return sc_parse_families(v, &rec->probe_families, why);
}

/* event_ok - "system:event", "event", or a glob of either: letters, digits, '_', '*', '?'. */
static bool event_ok(const char *e)
{
	size_t colons = 0;

	for (const char *c = e; *c; c++) {
		if (*c == ':')
			colons++;
		else if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
			 !(*c >= '0' && *c <= '9') && !strchr("_*?", *c))
			return false;
	}
	return e[0] && e[0] != ':' && e[strlen(e) - 1] != ':' && colons <= 1;
}

/* set_ftrace - the trace events, joined by commas (blanks around them allowed). */
static int set_ftrace(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_record *rec = obj;
	const char *p = v;

	rec->nftrace_events = 0;
	rec->ftrace_line = ps->line;
	while (*p) {
		size_t n = strcspn(p, ","), b = 0;
		char ev[RTLAB_SCENARIO_EVENT_MAX];

		while (b < n && (p[b] == ' ' || p[b] == '\t'))
			b++;
		while (n > b && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n - b >= sizeof(ev))
			return sc_because(why, -EINVAL, "an event name is longer than %zu bytes",
					  sizeof(ev) - 1);
		memcpy(ev, p + b, n - b);
		ev[n - b] = '\0';
		if (!event_ok(ev))
			return sc_because(why, -EINVAL, "'%.64s' is not an event: system:event, event"
					  " or a glob such as irq:* (joined by commas)", ev);
		if (rec->nftrace_events == RTLAB_SCENARIO_EVENTS_MAX)
			return sc_because(why, -EINVAL, "more than %d events",
					  RTLAB_SCENARIO_EVENTS_MAX);
		memcpy(rec->ftrace_events[rec->nftrace_events++], ev, n - b + 1);
		p += strcspn(p, ",");
		if (*p == ',' && !*++p)
			return sc_because(why, -EINVAL, "an empty event after the last comma");
	}
	return 0;
}

/* set_bpf - the eBPF tools recorded. */
static int set_bpf(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_record *rec = obj;
	char bad[64];

	rec->bpf_line = ps->line;
	if (rtlab_bpf_tools_parse(v, &rec->bpf_tools, bad, sizeof(bad)) < 0)
		return sc_because(why, -EINVAL, "unknown eBPF tool '%.48s' (known: runqlat, "
				  "syscalls, offcpu, irqtime)", bad);
	return 0;
}

/* set_ftrace_buffer - the per-CPU buffer size, in KiB. */
static int set_ftrace_buffer(struct parse *ps, void *obj, const char *v, char *why)
{
	struct rtlab_scenario_record *rec = obj;
	uint64_t bytes;
	int r = sc_parse_size(v, &bytes, why);

	(void)ps;
	if (r < 0)
		return r;
	if (bytes < (uint64_t)TRACE_BUFFER_MIN || bytes > (uint64_t)TRACE_BUFFER_MAX)
		return sc_because(why, -ERANGE, "the buffer is between 4KiB and 4GiB per CPU");
	rec->ftrace_buffer_kb = (unsigned)(bytes / 1024);
	return 0;
}

static const struct sc_key record_keys[] = {
	{ .name = "latency", .type = SC_FN, .fn = set_latency },
	{ .name = "probe", .type = SC_DURATION, .off = RECORD(probe_interval_ns),
	  .min = PROBE_INTERVAL_MIN },
	{ .name = "families", .type = SC_FN, .fn = set_families },
	{ .name = "ftrace", .type = SC_FN, .fn = set_ftrace },
	{ .name = "ftrace_buffer", .type = SC_FN, .fn = set_ftrace_buffer },
	{ .name = "breaktrace", .type = SC_DURATION, .off = RECORD(breaktrace_ns), .min = 1 },
	{ .name = "breaktrace_window", .type = SC_DURATION, .off = RECORD(breaktrace_window_ns),
	  .min = RTLAB_NSEC_PER_MSEC },
	{ .name = "bpf", .type = SC_FN, .fn = set_bpf },
};

/* record_obj - the [record] settings. */
static void *record_obj(struct parse *ps)
{
	return &ps->sc->record;
}

/* record_open - note its line. */
static int record_open(struct parse *ps, const char *name)
{
	(void)name;
	ps->sc->record.line = ps->line;
	return 0;
}

/* needs - @key, if given, needs @other; else an error at @key's line. */
static int needs(struct parse *ps, const char *key, const char *other, const char *example)
{
	unsigned line = ps_given(ps, key);

	if (line && !ps_given(ps, other))
		return ps_err(ps, line, "%s needs %s (e.g. %s)", key, other, example);
	return 0;
}

/* record_close - families need a probe interval, the trace options need ftrace. */
static int record_close(struct parse *ps)
{
	struct rtlab_scenario_record *rec = &ps->sc->record;
	int r = needs(ps, "families", "probe", "probe = 1s");

	if (r == 0)
		r = needs(ps, "ftrace_buffer", "ftrace", "ftrace = sched:sched_switch");
	if (r == 0)
		r = needs(ps, "breaktrace", "ftrace", "ftrace = sched:*, irq:*");
	if (r == 0)
		r = needs(ps, "breaktrace_window", "breaktrace", "breaktrace = 200us");
	if (r == 0 && rec->breaktrace_ns && !rec->breaktrace_window_ns)
		rec->breaktrace_window_ns = BREAKTRACE_WINDOW_DEFAULT;
	return r;
}

/* --- [gate] --- */

#define GATE_KEY(key, type_, field)                                                          \
	{ .name = key, .type = type_, .off = offsetof(struct rtlab_scenario_gate, field##_ns), \
	  .flag = SC_AT(struct rtlab_scenario_gate, has_##field) }

static const struct sc_key gate_keys[] = {
	GATE_KEY("max", SC_DURATION, max),
	GATE_KEY("p99", SC_DURATION, p99),
	GATE_KEY("p99.9", SC_DURATION, p999),
	GATE_KEY("mean", SC_DURATION, mean),
	{ .name = "misses", .type = SC_COUNT, .off = offsetof(struct rtlab_scenario_gate, misses),
	  .flag = SC_AT(struct rtlab_scenario_gate, has_misses) },
	{ .name = "lost", .type = SC_COUNT, .off = offsetof(struct rtlab_scenario_gate, lost),
	  .flag = SC_AT(struct rtlab_scenario_gate, has_lost) },
};

/* gate_obj - the [gate] thresholds. */
static void *gate_obj(struct parse *ps)
{
	return &ps->sc->gate;
}

/* gate_open - note its line. */
static int gate_open(struct parse *ps, const char *name)
{
	(void)name;
	ps->sc->gate.line = ps->line;
	return 0;
}

/* gate_close - every threshold stands alone: nothing to check across keys. */
static int gate_close(struct parse *ps)
{
	(void)ps;
	return 0;
}

#define SECTION(name_, named_, keys_, nkeys_, pre)                                    \
	{ .name = name_, .named = named_, .keys = keys_, .nkeys = nkeys_, .open = pre##_open, \
	  .close = pre##_close, .obj = pre##_obj }

const struct sc_section sc_sections[] = {
	SECTION("scenario", false, scenario_keys, RTLAB_ARRAY_SIZE(scenario_keys), scenario),
	SECTION("task", true, sc_task_keys, SC_TASK_NKEYS, sc_task),
	SECTION("mutex", true, mutex_keys, RTLAB_ARRAY_SIZE(mutex_keys), mutex),
	SECTION("load", true, load_keys, RTLAB_ARRAY_SIZE(load_keys), load),
	SECTION("record", false, record_keys, RTLAB_ARRAY_SIZE(record_keys), record),
	SECTION("gate", false, gate_keys, RTLAB_ARRAY_SIZE(gate_keys), gate),
};

const size_t sc_nsections = RTLAB_ARRAY_SIZE(sc_sections);
