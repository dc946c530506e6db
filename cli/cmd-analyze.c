/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd-analyze.c - "rtlab analyze FILE": the schedulability analysis of a
 * scenario's tasks, as tables and explanations or as JSON.
 *
 * Each task of the file becomes an analysis task: its WCET is its runtime if
 * given, else its busy work; a workload of unknown duration needs a runtime.
 * It is pinned to a CPU when its CPU list (or, without one, the set of online
 * CPUs) has exactly one CPU; otherwise it may run on several, and those
 * tasks share the union of their CPUs.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <rtlab/analysis.h>
#include <rtlab/scenario.h>

#include "analyze.h"
#include "cli.h"

#define WRAP_COLUMNS 100
#define ESC_MAX (4 * RTLAB_AN_REASON_MAX)

struct analyze_opts {
	bool json;
	bool help;
	const char *path;
};

/* The scenario as the analysis sees it. */
struct input {
	struct rtlab_an_task *tasks;
	const struct rtlab_scenario_task **src;	/* the scenario task of each (per_cpu: copies) */
	int *src_cpu;			/* the CPU of a per_cpu copy, -1 otherwise */
	struct rtlab_an_mutex *mutexes;
	struct rtlab_an_set set;
	cpu_set_t global;		/* the CPUs the tasks with cpu = -1 share */
	bool uneven;			/* those tasks do not all have the same CPUs */
};

/* usage - the help of "rtlab analyze". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab analyze [--json] FILE\n\n"
		"Tell, before running a scenario, whether its tasks can meet their deadlines:\n"
		"per CPU the utilization and the Liu-Layland bound, the exact response time of\n"
		"each FIFO/RR task with the blocking of its mutexes, EDF for DEADLINE tasks, and\n"
		"sufficient global tests for tasks that may run on several CPUs.  Each verdict\n"
		"says why.  A task's WCET is its 'runtime', or else its busy 'work'.\n"
		"docs/analysis.md explains the tests and their limits.\n\n"
		"options:\n"
		"  -j, --json   print the analysis as a JSON object\n"
		"  -h, --help   show this help\n\n"
		"Exit status: 0 when every analysed task is proven schedulable, 1 when some\n"
		"can miss a deadline or are not proven to meet it, 2 for a bad file or options.\n");
}

/* parse_opts - the command line into @o; EXIT_OK, or EXIT_USAGE after one line. */
static int parse_opts(int argc, char **argv, struct analyze_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c;

	opterr = 0;
	optind = 0;	/* glibc: start a fresh scan */
	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		if (c == 'j') {
			o->json = true;
		} else if (c == 'h') {
			o->help = true;
			return EXIT_OK;
		} else if (optopt && optopt != 'j' && optopt != 'h') {
			return cli_usage_error("analyze", "unknown option '-%c'", optopt);
		} else {
			cli_escape(argv[optind - 1], esc, sizeof(esc));
			return cli_usage_error("analyze", "bad option '%s'", esc);
		}
	}
	if (optind >= argc)
		return cli_usage_error("analyze", "which scenario file? (rtlab analyze FILE)");
	if (optind + 1 < argc) {
		cli_escape(argv[optind + 1], esc, sizeof(esc));
		return cli_usage_error("analyze", "unexpected argument '%s' (one FILE only)", esc);
	}
	o->path = argv[optind];
	return EXIT_OK;
}

/* task_cpus - where a scenario task may run: its list, or every online CPU. */
static void task_cpus(const struct rtlab_scenario_task *st, const cpu_set_t *online,
		      cpu_set_t *ret)
{
	*ret = CPU_COUNT(&st->cpus) ? st->cpus : *online;
}

/* single_cpu - the CPU of a one-CPU set, or -1. */
static int single_cpu(const cpu_set_t *set)
{
	if (CPU_COUNT(set) != 1)
		return -1;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, set))
			return cpu;
	return -1;
}

/* task_error - "file:line: task 'x': why" on stderr; returns EXIT_USAGE. */
static int task_error(const struct rtlab_scenario *sc, const struct rtlab_scenario_task *st,
		      const char *why)
{
	char path[512], name[256], msg[ESC_MAX];

	fprintf(stderr, "rtlab analyze: %s:%u: task '%s': %s\n",
		cli_escape(sc->path, path, sizeof(path)), st->line,
		cli_escape(st->name, name, sizeof(name)), cli_escape(why, msg, sizeof(msg)));
	return EXIT_USAGE;
}

/* map_task - analysis task @i (of in->src[i]); EXIT_OK or EXIT_USAGE after a message. */
static int map_task(const struct rtlab_scenario *sc, size_t i, const cpu_set_t *online,
		    struct input *in)
{
	const struct rtlab_scenario_task *st = in->src[i];
	struct rtlab_an_task *t = &in->tasks[i];
	bool rt = rtlab_policy_is_rt(st->sched.policy);
	char why[512];
	cpu_set_t cpus;

	if (in->src_cpu[i] >= 0)
		snprintf(t->name, sizeof(t->name), "%.48s/cpu%d", st->name, in->src_cpu[i]);
	else
		snprintf(t->name, sizeof(t->name), "%s", st->name);
	t->policy = st->sched.policy;
	t->priority = st->sched.priority;
	t->period_ns = st->period_ns;
	t->deadline_ns = st->deadline_ns;
	t->wcet_ns = st->runtime_ns;
	if (!t->wcet_ns && st->work == RTLAB_WORK_WORKLOAD && (rt || st->mutex >= 0))
		return task_error(sc, st, "its work is a workload whose duration is not known in "
				  "advance: give 'runtime = DURATION', its worst-case execution "
				  "time per job, to analyse it");
	task_cpus(st, online, &cpus);
	if (in->src_cpu[i] >= 0) {
		CPU_ZERO(&cpus);
		CPU_SET(in->src_cpu[i], &cpus);
	}
	t->cpu = single_cpu(&cpus);
	t->mutex = st->mutex;
	t->hold_ns = st->mutex < 0 ? 0 : st->hold_ns ? st->hold_ns : t->wcet_ns;
	if (rtlab_an_task_check(t, in->mutexes, sc->nmutexes, why, sizeof(why)) < 0)
		return task_error(sc, st, why);
	if (t->cpu < 0 && rt) {
		if (CPU_COUNT(&in->global) && !CPU_EQUAL(&in->global, &cpus))
			in->uneven = true;
		CPU_OR(&in->global, &in->global, &cpus);
	}
	return EXIT_OK;
}

/*
 * expand - the tasks as they run: each scenario task once, a per_cpu one once
 * per CPU of its list (or every online CPU), as rtlab run starts them.  With
 * @in->src NULL only counts.  Returns the number of tasks.
 */
static size_t expand(const struct rtlab_scenario *sc, const cpu_set_t *online, struct input *in)
{
	size_t n = 0;

	for (size_t k = 0; k < sc->ntasks; k++) {
		const struct rtlab_scenario_task *st = &sc->tasks[k];
		cpu_set_t cpus;

		task_cpus(st, online, &cpus);
		for (int c = 0; c < CPU_SETSIZE; c++) {
			if (st->per_cpu && !CPU_ISSET(c, &cpus))
				continue;
			if (in->src) {
				in->src[n] = st;
				in->src_cpu[n] = st->per_cpu ? c : -1;
			}
			n++;
			if (!st->per_cpu)
				break;
		}
	}
	return n;
}

/* build_input - the analysis set of a validated scenario; EXIT_OK, EXIT_USAGE or EXIT_FAIL. */
static int build_input(struct rtlab_ctx *ctx, const struct rtlab_scenario *sc, struct input *in)
{
	cpu_set_t online;
	size_t n;
	int r;

	if (rtlab_cpus_online(ctx, &online) < 0)
		return EXIT_FAIL;	/* logged */
	n = expand(sc, &online, in);
	in->src = calloc(n ? n : 1, sizeof(*in->src));
	in->src_cpu = calloc(n ? n : 1, sizeof(*in->src_cpu));
	in->tasks = calloc(n ? n : 1, sizeof(*in->tasks));
	in->mutexes = calloc(sc->nmutexes ? sc->nmutexes : 1, sizeof(*in->mutexes));
	if (!in->tasks || !in->mutexes || !in->src || !in->src_cpu) {
		fprintf(stderr, "rtlab analyze: %s\n", strerror(ENOMEM));
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < sc->nmutexes; i++) {
		snprintf(in->mutexes[i].name, sizeof(in->mutexes[i].name), "%s",
			 sc->mutexes[i].name);
		in->mutexes[i].protocol = sc->mutexes[i].protocol;
		in->mutexes[i].ceiling = sc->mutexes[i].ceiling;
	}
	expand(sc, &online, in);
	CPU_ZERO(&in->global);
	for (size_t i = 0; i < n; i++) {
		r = map_task(sc, i, &online, in);
		if (r != EXIT_OK)
			return r;
	}
	in->set = (struct rtlab_an_set){ .tasks = in->tasks, .ntasks = n,
					 .mutexes = in->mutexes, .nmutexes = sc->nmutexes,
					 .global_cpus = (unsigned)CPU_COUNT(&in->global) };
	return EXIT_OK;
}

/* print_wrapped - @lead, then @text escaped and cut at spaces, next lines indented by @indent. */
static void print_wrapped(const char *lead, int indent, const char *text)
{
	char esc[ESC_MAX];
	const char *p = cli_escape(text, esc, sizeof(esc));
	int col = printf("%s", lead), start = col;

	while (*p) {
		int n = (int)strcspn(p, " ");

		if (col > start && col + 1 + n > WRAP_COLUMNS) {
			printf("\n%*s", indent, "");
			col = start = indent;
		} else if (col > start) {
			putchar(' ');
			col++;
		}
		col += printf("%.*s", n, p);
		p += n;
		p += strspn(p, " ");
	}
	putchar('\n');
}

/* print_verdict_line - "  LABEL   verdict: why" for one test of a CPU. */
static void print_verdict_line(const char *label, enum rtlab_an_verdict v, const char *why)
{
	char lead[64];

	snprintf(lead, sizeof(lead), "  %-15s %s: ", label, rtlab_an_verdict_name(v));
	print_wrapped(lead, 18, why);
}

/* print_cpu - the block of one CPU (or of the tasks that may run on several). */
static void print_cpu(const struct rtlab_an_cpu *c, const struct input *in)
{
	char where[320], cpus[256];

	if (c->cpu >= 0) {
		snprintf(where, sizeof(where), "CPU %d", c->cpu);
	} else {
		if (rtlab_cpulist_format(&in->global, cpus, sizeof(cpus)) < 0)
			snprintf(cpus, sizeof(cpus), "%u CPUs", c->ncpus);
		snprintf(where, sizeof(where), "any of CPUs %s (%u)", cpus, c->ncpus);
	}
	printf("%s: %u FIFO/RR task%s, U = %.3f; %u DEADLINE task%s, U = %.3f\n", where, c->nfp,
	       c->nfp == 1 ? "" : "s", c->util_fp, c->ndl, c->ndl == 1 ? "" : "s", c->util_dl);
	if (c->nfp > 1)
		printf("  %-15s rate-monotonic: %s, deadline-monotonic: %s\n", "priorities",
		       c->rm_ordered ? "yes" : "no", c->dm_ordered ? "yes" : "no");
	print_verdict_line("Liu-Layland", c->ll, c->ll_reason);
	print_verdict_line("fixed priority", c->fp, c->fp_reason);
	print_verdict_line("EDF", c->edf, c->edf_reason);
	if (c->note[0])
		print_wrapped("  note            ", 18, c->note);
	if (c->cpu < 0 && in->uneven)
		print_wrapped("  note            ", 18, "these tasks do not all have the same CPU "
			      "list: the global tests assume each may run on all of them.");
	putchar('\n');
}

/* name_width - the widest task name, escaped, at least the header's. */
static int name_width(const struct input *in)
{
	char esc[256];
	int w = 4;

	for (size_t i = 0; i < in->set.ntasks; i++) {
		int n = (int)strlen(cli_escape(in->tasks[i].name, esc, sizeof(esc)));

		w = n > w ? n : w;
	}
	return w;
}

/* response_text - the RESPONSE column: the time, a lower bound (miss, gave up), or "-". */
static const char *response_text(const struct rtlab_an_task_result *r, char *buf, size_t size)
{
	char t[32];

	if (r->test != RTLAB_AN_TEST_RTA)
		return "-";
	if (r->response_ns == UINT64_MAX)
		return "unbounded";
	snprintf(buf, size, "%s%s", r->verdict == RTLAB_AN_SCHEDULABLE ? "" : ">=",
		 rtlab_an_format_ns(r->response_ns, t, sizeof(t)));
	return buf;
}

/* print_task_row - one line of the task table. */
static void print_task_row(const struct rtlab_an_task *t, const struct rtlab_an_task_result *r,
			   int width)
{
	char name[256], prio[12] = "-", cpu[12] = "any", b[32] = "-", resp[40];
	char period[32], deadline[32], wcet[32];

	if (t->policy == RTLAB_POLICY_FIFO || t->policy == RTLAB_POLICY_RR)
		snprintf(prio, sizeof(prio), "%d", t->priority);
	if (t->cpu >= 0)
		snprintf(cpu, sizeof(cpu), "%d", t->cpu);
	if (r->blocking == RTLAB_AN_BLOCK_UNBOUNDED)
		snprintf(b, sizeof(b), "unbounded");
	else if (r->test == RTLAB_AN_TEST_RTA)
		rtlab_an_format_ns(r->blocking_ns + r->remote_ns, b, sizeof(b));
	rtlab_an_format_ns(t->period_ns, period, sizeof(period));
	rtlab_an_format_ns(t->deadline_ns ? t->deadline_ns : t->period_ns, deadline,
			   sizeof(deadline));
	rtlab_an_format_ns(t->wcet_ns, wcet, sizeof(wcet));
	printf("%-*s %-8s %4s %4s %12s %12s %12s %12s %12s  %s\n", width,
	       cli_escape(t->name, name, sizeof(name)), rtlab_policy_name(t->policy), prio, cpu,
	       period, deadline, wcet, b, response_text(r, resp, sizeof(resp)),
	       rtlab_an_verdict_name(r->verdict));
}

/* print_text - the CPUs, the task table, each task's reason, the summary line. */
static void print_text(const struct rtlab_scenario *sc, const struct input *in,
		       const struct rtlab_analysis *a)
{
	int width = name_width(in);
	char esc[256], lead[264];

	printf("scenario '%s': %zu task%s, %zu mutex%s\n\n", cli_escape(sc->name, esc, sizeof(esc)),
	       sc->ntasks, sc->ntasks == 1 ? "" : "s", sc->nmutexes, sc->nmutexes == 1 ? "" : "es");
	for (size_t i = 0; i < a->ncpus; i++)
		print_cpu(&a->cpus[i], in);
	if (a->ntasks)
		printf("%-*s %-8s %4s %4s %12s %12s %12s %12s %12s  %s\n", width, "TASK", "POLICY",
		       "PRIO", "CPU", "PERIOD", "DEADLINE", "WCET", "BLOCKING", "RESPONSE",
		       "VERDICT");
	for (size_t i = 0; i < a->ntasks; i++)
		print_task_row(&in->tasks[i], &a->tasks[i], width);
	if (a->ntasks)
		putchar('\n');
	for (size_t i = 0; i < a->ntasks; i++) {
		cli_escape(in->tasks[i].name, esc, sizeof(esc));
		snprintf(lead, sizeof(lead), "%s: ", esc);
		print_wrapped(lead, 2, a->tasks[i].reason);
	}
	if (a->analysed == 0)
		printf("%sno task with a real-time policy: nothing to analyse\n",
		       a->ntasks ? "\n" : "");
	else if (a->missing == 0)
		printf("\n%u analysed task%s: all proven schedulable\n", a->analysed,
		       a->analysed == 1 ? "" : "s");
	else
		printf("\n%u analysed task%s: %u can miss a deadline or %s not proven to meet "
		       "it\n", a->analysed, a->analysed == 1 ? "" : "s", a->missing,
		       a->missing == 1 ? "is" : "are");
}

/* json_text - a JSON string; text that is not UTF-8 is escaped first (jansson needs UTF-8). */
static json_t *json_text(const char *s)
{
	char esc[ESC_MAX];
	json_t *j = json_string(s);

	return j ? j : json_string(cli_escape(s, esc, sizeof(esc)));
}

/* json_ns - a duration in ns, or null when it does not fit (unbounded). */
static json_t *json_ns(uint64_t ns)
{
	return ns > INT64_MAX ? json_null() : json_integer((json_int_t)ns);
}

/* json_verdict - {"verdict", "test", "reason"} of one test. */
static json_t *json_verdict(enum rtlab_an_verdict v, enum rtlab_an_test test, const char *why)
{
	return json_pack("{s:s, s:s, s:o}", "verdict", rtlab_an_verdict_name(v), "test",
			 rtlab_an_test_name(test), "reason", json_text(why));
}

/* json_cpu - one CPU (cpu -1: the tasks that may run on several). */
static json_t *json_cpu(const struct rtlab_an_cpu *c)
{
	return json_pack("{s:i, s:i, s:s, s:{s:i, s:f, s:b, s:b, s:f, s:o, s:o}, "
			 "s:{s:i, s:f, s:o, s:o, s:I}, s:o}",
			 "cpu", c->cpu, "ncpus", (int)c->ncpus, "verdict",
			 rtlab_an_verdict_name(c->verdict),
			 "fifo_rr", "tasks", (int)c->nfp, "utilization", c->util_fp,
			 "rate_monotonic", c->rm_ordered, "deadline_monotonic", c->dm_ordered,
			 "liu_layland_bound", c->ll_bound,
			 "liu_layland", json_verdict(c->ll, RTLAB_AN_TEST_NONE, c->ll_reason),
			 "analysis", json_verdict(c->fp, c->fp_test, c->fp_reason),
			 "deadline", "tasks", (int)c->ndl, "utilization", c->util_dl,
			 "analysis", json_verdict(c->edf, c->edf_test, c->edf_reason),
			 "horizon_ns", json_ns(c->edf_horizon_ns), "deadlines_checked",
			 (json_int_t)c->edf_points, "note", json_text(c->note));
}

/* json_task - one task: its model and its result. */
static json_t *json_task(const struct rtlab_scenario_task *st, const struct rtlab_an_task *t,
			 const struct rtlab_an_task_result *r, const struct input *in)
{
	return json_pack("{s:o, s:i, s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, "
			 "s:o, s:o, s:o, s:s, s:o, s:i, s:o}",
			 "name", json_text(t->name), "line", (int)st->line,
			 "policy", rtlab_policy_name(t->policy), "priority", t->priority,
			 "cpu", t->cpu, "period_ns", json_ns(t->period_ns),
			 "deadline_ns", json_ns(t->deadline_ns ? t->deadline_ns : t->period_ns),
			 "wcet_ns", json_ns(t->wcet_ns),
			 "mutex", t->mutex >= 0 ? json_text(in->mutexes[t->mutex].name) :
			 json_null(),
			 "hold_ns", json_ns(t->hold_ns),
			 "response_ns", r->response_ns && r->test == RTLAB_AN_TEST_RTA ?
			 json_ns(r->response_ns) : json_null(),
			 "verdict", rtlab_an_verdict_name(r->verdict),
			 "test", rtlab_an_test_name(r->test),
			 "blocking_ns", json_ns(r->blocking_ns), "remote_ns", json_ns(r->remote_ns),
			 "blocker", r->blocker >= 0 ? json_text(in->tasks[r->blocker].name) :
			 json_null(), "blocking", rtlab_an_blocking_name(r->blocking),
			 "reason", json_text(r->reason), "iterations", (int)r->iterations,
			 "proven", json_boolean(r->verdict == RTLAB_AN_SCHEDULABLE));
}

/* print_json - {"scenario", "file", "verdict", "cpus": [...], "tasks": [...]}; 0 or -1. */
static int print_json(const struct rtlab_scenario *sc, const struct input *in,
		      const struct rtlab_analysis *a)
{
	json_t *cpus = json_array(), *tasks = json_array(), *root = NULL;
	int r = -1;

	if (!cpus || !tasks)
		goto out;
	for (size_t i = 0; i < a->ncpus; i++)
		if (json_array_append_new(cpus, json_cpu(&a->cpus[i])) < 0)
			goto out;
	for (size_t i = 0; i < a->ntasks; i++)
		if (json_array_append_new(tasks, json_task(in->src[i], &in->tasks[i],
							   &a->tasks[i], in)) < 0)
			goto out;
	root = json_pack("{s:s, s:o, s:o, s:s, s:i, s:i, s:O, s:O}", "rtlab_version",
			 rtlab_version(), "scenario", json_text(sc->name), "file",
			 json_text(sc->path), "verdict", rtlab_an_verdict_name(a->verdict),
			 "analysed", (int)a->analysed, "not_proven", (int)a->missing, "cpus", cpus,
			 "tasks", tasks);
	if (!root)
		goto out;
	r = json_dumpf(root, stdout,
		       JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	if (r == 0)
		putchar('\n');
out:
	json_decref(root);
	json_decref(tasks);
	json_decref(cpus);
	return r;
}

/*
 * terminal_safe - @msg if it holds no control character and is valid UTF-8 (the
 * parser escapes what it quotes from the file: escaping again would double its
 * backslashes), else @msg escaped into @buf.
 */
static const char *terminal_safe(const char *msg, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)msg, *end = p + strlen(msg);

	while (p < end) {
		size_t n = rtlab_utf8_len(p, (size_t)(end - p));

		if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7f)) ||
		    (n == 2 && p[0] == 0xc2 && p[1] < 0xa0))
			return cli_escape(msg, buf, size);
		p += n;
	}
	return msg;
}

/* load - parse and validate @path; EXIT_OK or EXIT_USAGE after the parser's message. */
static int load(const char *path, struct rtlab_scenario **ret)
{
	char err[RTLAB_SCENARIO_ERR_MAX], esc[4 * RTLAB_SCENARIO_ERR_MAX];
	int r = rtlab_scenario_parse_file(path, ret, err, sizeof(err));

	if (r == 0) {
		r = rtlab_scenario_validate(*ret, err, sizeof(err));
		if (r < 0)
			*ret = rtlab_scenario_free(*ret);
	}
	if (r < 0) {
		fprintf(stderr, "rtlab analyze: %s\n", terminal_safe(err, esc, sizeof(esc)));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* run - analyse the loaded scenario and print; the exit status. */
static int run(struct rtlab_ctx *ctx, const struct rtlab_scenario *sc, bool json)
{
	struct input in = { 0 };
	struct rtlab_analysis *a = NULL;
	char err[512], esc[ESC_MAX], path[512];
	int r = build_input(ctx, sc, &in);

	if (r != EXIT_OK)
		goto out;
	if (sc->ntasks == 0) {
		a = calloc(1, sizeof(*a));	/* only loads: nothing to analyse */
		if (!a) {
			r = EXIT_FAIL;
			goto out;
		}
		a->verdict = RTLAB_AN_NOT_ANALYSED;
	} else if (rtlab_analyze(&in.set, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "rtlab analyze: %s: %s\n", cli_escape(sc->path, path, sizeof(path)),
			cli_escape(err, esc, sizeof(esc)));
		r = EXIT_USAGE;
		goto out;
	}
	if (json)
		r = print_json(sc, &in, a) < 0 ? EXIT_FAIL : EXIT_OK;
	else
		print_text(sc, &in, a);
	if (r != EXIT_OK || fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "rtlab analyze: cannot write the analysis\n");
		r = EXIT_FAIL;
		goto out;
	}
	r = a->missing ? EXIT_FAIL : EXIT_OK;
out:
	rtlab_analysis_free(a);
	free(in.tasks);
	free(in.src);
	free(in.src_cpu);
	free(in.mutexes);
	return r;
}

/* cmd_analyze - "rtlab analyze [--json] FILE". */
int cmd_analyze(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct analyze_opts o = { .json = false };
	struct rtlab_scenario *sc = NULL;
	int r = parse_opts(argc, argv, &o);

	if (r != EXIT_OK)
		return r;
	if (o.help) {
		usage(stdout);
		return EXIT_OK;
	}
	r = load(o.path, &sc);
	if (r != EXIT_OK)
		return r;
	r = run(ctx, sc, o.json);
	rtlab_scenario_free(sc);
	return r;
}
