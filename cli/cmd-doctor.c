/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-doctor.c - "rtlab doctor": print the RT-readiness findings as a table or as JSON. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include <rtlab/ftrace.h>

#include "cli.h"

#define FINDINGS_START 32
#define LEFTOVERS_MAX 256

struct doctor_opts {
	bool json;
	bool fix;
	const char *root;
};

/* Verdict labels and colours for the table. */
static const struct {
	const char *label;
	const char *color;
} verdict_style[_RTLAB_VERDICT_MAX] = {
	[RTLAB_VERDICT_OK] = { "[ ok ]", "\033[32m" },
	[RTLAB_VERDICT_WARN] = { "[warn]", "\033[33m" },
	[RTLAB_VERDICT_BAD] = { "[BAD ]", "\033[1;31m" },
	[RTLAB_VERDICT_SKIP] = { "[skip]", "\033[2m" },
};

/* usage - the help of "rtlab doctor". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab doctor [--json] [--root DIR] [--fix]\n\n"
		"Check how ready this machine is for real-time work: PREEMPT_RT and the\n"
		"preemption model, CPU isolation (isolcpus, nohz_full, rcu_nocbs, IRQ affinity),\n"
		"frequency governor, C-states, SMT, huge pages, RT throttling, clocksource, swap,\n"
		"timer migration, virtualization, and the capabilities rtlab uses.\n"
		"Each finding is ok, warn, BAD or skip (could not be checked), with what was\n"
		"seen, why it matters for latency and how to fix it.  Then the tracefs instances\n"
		"that rtlab recorders left behind (their pid is gone: a crash).\n\n"
		"options:\n"
		"  -j, --json      print the findings as a JSON object\n"
		"  -r, --root DIR  read /proc and /sys below DIR (a captured tree); capabilities\n"
		"                  are still those of this process\n"
		"      --fix       remove the leftover tracefs instances (events disabled first)\n"
		"  -h, --help      show this help\n\n"
		"Exit status: 0 when the checks ran (whatever they found), 1 when they could\n"
		"not run, 2 for bad options.\n");
}

/* check_root - --root must name an existing directory by an absolute path. */
static int check_root(const char *root)
{
	char esc[PATH_MAX];
	struct stat st;

	cli_escape(root, esc, sizeof(esc));
	if (root[0] != '/')
		return cli_usage_error("doctor", "--root: '%s' is not an absolute path", esc);
	if (strlen(root) >= PATH_MAX)
		return cli_usage_error("doctor", "--root: path too long");
	if (stat(root, &st) < 0)
		return cli_usage_error("doctor", "--root: '%s': %s", esc, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cli_usage_error("doctor", "--root: '%s' is not a directory", esc);
	return EXIT_OK;
}

/* bad_option - name the option getopt_long() refused (@arg: the word it was in). */
static int bad_option(const char *arg)
{
	char esc[256];

	if (optopt && strncmp(arg, "--", 2) != 0)
		return cli_usage_error("doctor", "unknown option '-%c'", optopt);
	if (optopt == 'j' && strncmp(arg, "--json=", 7) == 0)
		return cli_usage_error("doctor", "option '--json' takes no value");
	cli_escape(arg, esc, sizeof(esc));
	return cli_usage_error("doctor", "unknown option '%s'", esc);
}

/* parse_opts - the command line into @o; EXIT_OK, or EXIT_USAGE after one line. */
static int parse_opts(int argc, char **argv, struct doctor_opts *o, bool *help)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "root", required_argument, NULL, 'r' },
		{ "fix", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c;

	opterr = 0;
	optind = 0;	/* glibc: start a fresh scan */
	while ((c = getopt_long(argc, argv, "+:jr:hF", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'r':
			o->root = optarg;
			break;
		case 'F':
			o->fix = true;
			break;
		case 'h':
			*help = true;
			return EXIT_OK;
		case ':':
			return cli_usage_error("doctor", "option '--root' needs a directory");
		default:
			return bad_option(argv[optind - 1]);
		}
	}
	if (optind < argc) {
		cli_escape(argv[optind], esc, sizeof(esc));
		return cli_usage_error("doctor", "unexpected argument '%s'", esc);
	}
	return o->root ? check_root(o->root) : EXIT_OK;
}

/* run_doctor - every finding into a malloc'd array (*ret, *ret_n); 0 or -errno. */
static int run_doctor(struct rtlab_ctx *ctx, struct rtlab_finding **ret, size_t *ret_n)
{
	size_t max = FINDINGS_START, n = 0;
	struct rtlab_finding *f = NULL;

	for (;;) {
		struct rtlab_finding *p = realloc(f, max * sizeof(*f));
		int r;

		if (!p) {
			free(f);
			return -ENOMEM;
		}
		f = p;
		r = rtlab_doctor_run(ctx, f, max, &n);
		if (r < 0) {
			free(f);
			return r;
		}
		if (n <= max)
			break;
		max = n;
	}
	*ret = f;
	*ret_n = n;
	return 0;
}

/* print_table - one line per finding, why/fix below the ones that are not ok. */
static void print_table(const struct rtlab_finding *f, size_t n, const size_t *counts)
{
	bool color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	char esc[1024];

	for (size_t i = 0; i < n; i++) {
		unsigned int v = (unsigned int)f[i].verdict < _RTLAB_VERDICT_MAX ? f[i].verdict :
				 RTLAB_VERDICT_SKIP;

		printf("%s%s%s %-32s ", color ? verdict_style[v].color : "", verdict_style[v].label,
		       color ? "\033[0m" : "", cli_escape(f[i].title, esc, sizeof(esc)));
		printf("%s\n", cli_escape(f[i].seen, esc, sizeof(esc)));
		if (v == RTLAB_VERDICT_OK)
			continue;
		if (f[i].why[0])
			printf("       why: %s\n", cli_escape(f[i].why, esc, sizeof(esc)));
		if (f[i].fix[0])
			printf("       fix: %s\n", cli_escape(f[i].fix, esc, sizeof(esc)));
	}
	printf("\n%zu ok, %zu warn, %zu bad, %zu skip\n", counts[RTLAB_VERDICT_OK],
	       counts[RTLAB_VERDICT_WARN], counts[RTLAB_VERDICT_BAD], counts[RTLAB_VERDICT_SKIP]);
}

/* json_text - a JSON string; text that is not UTF-8 is escaped first (jansson needs UTF-8). */
static json_t *json_text(const char *s)
{
	char esc[1024];
	json_t *j = json_string(s);

	return j ? j : json_string(cli_escape(s, esc, sizeof(esc)));
}

/* json_finding - one finding as an object, or NULL. */
static json_t *json_finding(const struct rtlab_finding *f)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (json_object_set_new(o, "id", json_text(f->id)) < 0 ||
	    json_object_set_new(o, "title", json_text(f->title)) < 0 ||
	    json_object_set_new(o, "verdict", json_string(rtlab_verdict_name(f->verdict))) < 0 ||
	    json_object_set_new(o, "seen", json_text(f->seen)) < 0 ||
	    json_object_set_new(o, "why", json_text(f->why)) < 0 ||
	    json_object_set_new(o, "fix", json_text(f->fix)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* print_json - {"rtlab_version", "findings": [...], "summary": {...}}; 0 or -1. */
static int print_json(const struct rtlab_finding *f, size_t n, const size_t *counts)
{
	json_t *root = json_object(), *arr = json_array(), *sum = json_object();
	int r = -1;

	if (!root || !arr || !sum)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(arr, json_finding(&f[i])) < 0)
			goto out;
	for (int v = 0; v < _RTLAB_VERDICT_MAX; v++)
		if (json_object_set_new(sum, rtlab_verdict_name(v),
					json_integer((json_int_t)counts[v])) < 0)
			goto out;
	if (json_object_set_new(root, "rtlab_version", json_string(rtlab_version())) < 0 ||
	    json_object_set(root, "findings", arr) < 0 || json_object_set(root, "summary", sum) < 0)
		goto out;
	r = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (r == 0)
		putchar('\n');
out:
	json_decref(sum);
	json_decref(arr);
	json_decref(root);
	return r;
}

/* leftovers - rtlab tracefs instances whose recorder is gone; removed with --fix. */
static int leftovers(struct rtlab_ctx *ctx, const struct doctor_opts *o)
{
	struct rtlab_ftrace_leftover l[LEFTOVERS_MAX];
	size_t n = 0, dead = 0;
	int r = rtlab_ftrace_leftovers(ctx, l, LEFTOVERS_MAX, &n);

	if (r < 0)
		return EXIT_FAIL;
	if (n > LEFTOVERS_MAX)
		n = LEFTOVERS_MAX;
	for (size_t i = 0; i < n; i++) {
		if (l[i].alive) {
			printf("ftrace instance %s: in use by pid %d\n", l[i].name, (int)l[i].pid);
			continue;
		}
		dead++;
		if (!o->fix) {
			printf("ftrace instance %s: left by pid %d (gone); 'rtlab doctor --fix' "
			       "removes it\n", l[i].name, (int)l[i].pid);
			continue;
		}
		r = rtlab_ftrace_leftover_remove(ctx, l[i].name);
		printf("ftrace instance %s: %s\n", l[i].name, r < 0 ? "could not be removed" :
		       "removed");
	}
	if (!o->json)
		printf("%zu leftover ftrace instance%s\n", dead, dead == 1 ? "" : "s");
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}

/* cmd_doctor - "rtlab doctor [--json] [--root DIR] [--fix]". */
int cmd_doctor(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct doctor_opts o = { .json = false };
	size_t n = 0, counts[_RTLAB_VERDICT_MAX] = { 0 };
	struct rtlab_finding *f = NULL;
	bool help = false;
	int r;

	r = parse_opts(argc, argv, &o, &help);
	if (r != EXIT_OK)
		return r;
	if (help) {
		usage(stdout);
		return EXIT_OK;
	}
	if (o.root && rtlab_ctx_set_root(ctx, o.root) < 0)
		return EXIT_USAGE;
	r = run_doctor(ctx, &f, &n);
	if (r < 0) {
		if (r == -ENOMEM)	/* the library has logged anything else */
			fprintf(stderr, "rtlab doctor: %s\n", strerror(-r));
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned int)f[i].verdict < _RTLAB_VERDICT_MAX)
			counts[f[i].verdict]++;
	if (o.json)
		r = print_json(f, n, counts);
	else
		print_table(f, n, counts);
	free(f);
	if (r < 0 || fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "rtlab doctor: cannot write the findings\n");
		return EXIT_FAIL;
	}
	/* Leftovers are of this machine: not with --root, not inside the JSON document. */
	if (o.root || (o.json && !o.fix))
		return EXIT_OK;
	return leftovers(ctx, &o);
}
