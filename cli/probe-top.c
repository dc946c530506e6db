/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe-top.c - "rtlab probe top": a refreshing process table, from the
 * process walk.  On a terminal it redraws in place (the alternate screen,
 * restored on exit, q, Ctrl-C or SIGTERM); otherwise, or with -n, it prints
 * plain frames one after the other.  CPU % needs two walks: the first frame
 * shows "-".
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "probe-cli.h"
#include "probe-cmds.h"

#define CMD "probe top"
#define WALK_FIELDS (RTLAB_PROC_W_OWNER | RTLAB_PROC_W_SYSTEM)
#define HEADER_LINES 6

enum sort_key {
	SORT_CPU,
	SORT_MEM,
	SORT_PID,
};

struct top_opts {
	uint64_t delay_ns;
	uint64_t iterations;	/* 0: until stopped */
	enum sort_key sort;
	const char *root;
};

/* The terminal while top draws on it. */
struct top_term {
	bool screen;		/* drawing in place on the alternate screen */
	bool raw;		/* stdin in non-canonical mode (keys) */
	struct termios saved;
	unsigned rows, cols;
};

static volatile sig_atomic_t top_stop;

/* on_signal - ask the loop to stop (the terminal is restored there). */
static void on_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

/* usage - the view's help. */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab probe top [-d SECONDS] [-n ITERATIONS] [-s cpu|mem|pid] [--once]\n"
		"                       [--root DIR]\n\n"
		"A refreshing process table: PID, owner, priority, nice, state, %%CPU since the\n"
		"previous frame (\"-\" on the first), %%MEM, resident memory, CPU time, command.\n"
		"On a terminal it redraws in place (q quits; c, m, p sort); otherwise, or\n"
		"with -n, it prints plain frames.\n\n"
		"options:\n"
		"  -d, --delay SECONDS   time between frames (default 2; 0.5 or 500ms work)\n"
		"  -n, --iterations N    stop after N frames, printed plainly\n"
		"  -s, --sort KEY        cpu (default), mem or pid\n"
		"  -1, --once            one frame (as -n 1)\n"
		"  -r, --root DIR        read /proc below DIR (a captured tree)\n"
		"  -h, --help            show this help\n");
}

/* parse_delay - "2", "0.5", "500ms" into ns (> 0, at most a day). */
static int parse_delay(const char *s, uint64_t *ret)
{
	char *end;
	double v;

	if (rtlab_parse_duration_ns(s, RTLAB_NSEC_PER_SEC, ret) == 0)
		return *ret > 0 ? 0 : -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 86400)
		return -EINVAL;
	*ret = (uint64_t)(v * 1e9);
	return *ret > 0 ? 0 : -EINVAL;
}

/* parse_args - EXIT_OK, -1 (help shown) or EXIT_USAGE. */
static int parse_args(int argc, char **argv, struct top_opts *o)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "once", no_argument, NULL, '1' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "d:n:s:1r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_delay(optarg, &o->delay_ns) < 0)
				return cli_usage_error(CMD, "-d: '%s' is not a delay in seconds",
						       cli_escape(optarg, esc, sizeof(esc)));
			break;
		case 'n':
			if (rtlab_parse_u64(optarg, &o->iterations) < 0 || o->iterations == 0)
				return cli_usage_error(CMD, "-n: '%s' is not a number of frames",
						       cli_escape(optarg, esc, sizeof(esc)));
			break;
		case '1':
			o->iterations = 1;
			break;
		case 's':
			if (strcmp(optarg, "cpu") == 0)
				o->sort = SORT_CPU;
			else if (strcmp(optarg, "mem") == 0)
				o->sort = SORT_MEM;
			else if (strcmp(optarg, "pid") == 0)
				o->sort = SORT_PID;
			else
				return cli_usage_error(CMD, "-s: '%s' is not cpu, mem or pid",
						       cli_escape(optarg, esc, sizeof(esc)));
			break;
		case 'r':
			if (probe_opt_root(CMD, optarg) != EXIT_OK)
				return EXIT_USAGE;
			o->root = optarg;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			return cli_usage_error(CMD, "unknown option or missing value '%s'",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		}
	}
	if (optind < argc)
		return cli_usage_error(CMD, "unexpected argument '%s'",
				       cli_escape(argv[optind], esc, sizeof(esc)));
	return EXIT_OK;
}

/* term_size - the terminal's rows and columns (80x24 if unknown). */
static void term_size(struct top_term *t)
{
	struct winsize ws;

	t->rows = 24;
	t->cols = 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		t->rows = ws.ws_row;
		t->cols = ws.ws_col;
	}
}

/* term_enter - the alternate screen, no cursor, keys without Enter. */
static void term_enter(struct top_term *t)
{
	struct termios raw;

	t->screen = true;
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &t->saved) == 0) {
		raw = t->saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		t->raw = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
	}
	fputs("\033[?1049h\033[?25l", stdout);
	fflush(stdout);
}

/* term_leave - everything term_enter changed, back. */
static void term_leave(struct top_term *t)
{
	if (t->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
	if (t->screen) {
		fputs("\033[?25h\033[?1049l", stdout);
		fflush(stdout);
	}
	t->raw = false;
	t->screen = false;
}

/* sort_ref - an entry and the key it is sorted by (qsort passes no argument). */
struct sort_ref {
	const struct rtlab_proc_entry *e;
	enum sort_key key;
};

/* entry_cpu - the sort value of CPU % (not ready sorts last). */
static double entry_cpu(const struct rtlab_proc_entry *e)
{
	return e->cpu_pct.st == RTLAB_PV_OK ? e->cpu_pct.v : -1.0;
}

/* cmp_ref - by the key, descending (pid ascending), then by pid. */
static int cmp_ref(const void *a, const void *b)
{
	const struct sort_ref *x = a, *y = b;
	double dx = 0, dy = 0;

	if (x->key == SORT_CPU) {
		dx = entry_cpu(x->e);
		dy = entry_cpu(y->e);
	} else if (x->key == SORT_MEM) {
		dx = x->e->rss_bytes.st == RTLAB_PV_OK ? (double)x->e->rss_bytes.v : -1.0;
		dy = y->e->rss_bytes.st == RTLAB_PV_OK ? (double)y->e->rss_bytes.v : -1.0;
	}
	if (dx != dy)
		return dx < dy ? 1 : -1;
	return (x->e->pid > y->e->pid) - (x->e->pid < y->e->pid);
}

/* human_kib - a size in bytes as top shows it: "812", "12.3m", "1.2g" (KiB units). */
static const char *human_kib(uint64_t bytes, char *buf, size_t size)
{
	double k = (double)bytes / 1024.0;

	if (k < 100000)
		snprintf(buf, size, "%.0f", k);
	else if (k < 1024.0 * 1024)
		snprintf(buf, size, "%.1fm", k / 1024);
	else
		snprintf(buf, size, "%.1fg", k / 1024 / 1024);
	return buf;
}

/* pct_cell - "12.3", or "-" when not ready (or unavailable). */
static const char *pct_cell(struct rtlab_pf64 v, char *buf, size_t size)
{
	if (v.st != RTLAB_PV_OK)
		return "-";
	snprintf(buf, size, "%.1f", v.v);
	return buf;
}

/* time_cell - CPU time as "m:ss.hh" (top's TIME+). */
static const char *time_cell(struct rtlab_pu64 ticks, char *buf, size_t size)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t cs;

	if (ticks.st != RTLAB_PV_OK)
		return "-";
	cs = ticks.v * 100 / (uint64_t)(hz > 0 ? hz : 100);
	snprintf(buf, size, "%llu:%02llu.%02llu", (unsigned long long)(cs / 6000),
		 (unsigned long long)(cs / 100 % 60), (unsigned long long)(cs % 100));
	return buf;
}

/* mib - bytes in MiB (0 if unavailable: the line shows n/a then). */
static double mib(struct rtlab_pu64 v)
{
	return v.st == RTLAB_PV_OK ? (double)v.v / 1048576 : 0;
}

/* frame_header - load, tasks, CPU, memory, walk time. */
static void frame_header(FILE *out, const struct rtlab_proc_table *t)
{
	static const char *const modes[RTLAB_PROC_CPU__COUNT] = { "us", "ni", "sy", "id",
								  "wa", "hi", "si", "st" };
	time_t now = time(NULL);
	struct tm tm;
	char clock[16], b[32], up[48];
	uint64_t s = (uint64_t)t->uptime_s.v;

	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	if (t->uptime_s.st == RTLAB_PV_OK)
		snprintf(up, sizeof(up), "%llu days, %02llu:%02llu", (unsigned long long)(s / 86400),
			 (unsigned long long)(s / 3600 % 24), (unsigned long long)(s / 60 % 60));
	else
		snprintf(up, sizeof(up), "n/a (%s)", rtlab_pv_state_name(t->uptime_s.st));
	fprintf(out, "rtlab probe top - %s up %s, load average: ", clock, up);
	if (t->load1.st == RTLAB_PV_OK)
		fprintf(out, "%.2f, %.2f, %.2f\n", t->load1.v, t->load5.v, t->load15.v);
	else
		fprintf(out, "n/a (%s)\n", rtlab_pv_state_name(t->load1.st));
	fprintf(out, "Tasks: %zu total, %u running, %u sleeping, %u disk, %u stopped, %u zombie, "
		     "%u idle; %llu threads\n",
		t->count, t->by_state[rtlab_proc_state_index('R')],
		t->by_state[rtlab_proc_state_index('S')], t->by_state[rtlab_proc_state_index('D')],
		t->by_state[rtlab_proc_state_index('T')] + t->by_state[rtlab_proc_state_index('t')],
		t->by_state[rtlab_proc_state_index('Z')], t->by_state[rtlab_proc_state_index('I')],
		(unsigned long long)t->threads.v);
	fprintf(out, "%%Cpu(s):");
	for (size_t i = 0; i < RTLAB_PROC_CPU__COUNT; i++)
		fprintf(out, "%s %5s %s", i ? "," : "", pct_cell(t->cpu_pct[i], b, sizeof(b)),
			modes[i]);
	fputc('\n', out);
	if (t->mem_total_bytes.st == RTLAB_PV_OK && t->mem_available_bytes.st == RTLAB_PV_OK)
		fprintf(out, "MiB Mem: %.1f total, %.1f free, %.1f available; "
			     "MiB Swap: %.1f total, %.1f free\n",
			mib(t->mem_total_bytes), mib(t->mem_free_bytes),
			mib(t->mem_available_bytes), mib(t->swap_total_bytes),
			mib(t->swap_free_bytes));
	else
		fprintf(out, "MiB Mem: n/a (%s)\n", rtlab_pv_state_name(t->mem_available_bytes.st));
	fprintf(out, "walk: %.0f us for %zu processes%s%s\n", (double)t->walk_ns / 1e3, t->count,
		t->why[0] ? "; " : "", t->why[0] ? "some fields unavailable" : "");
}

/* frame_row - one process; @width: the columns left for the command (0: no limit). */
static void frame_row(FILE *out, const struct rtlab_proc_entry *e, size_t width)
{
	const struct rtlab_proc_stat *s = &e->stat;
	char uid[16], cpu[16], mem[16], rss[16], tm[32], comm[4 * RTLAB_PROC_COMM_MAX + 1];
	size_t n;

	snprintf(uid, sizeof(uid), "%llu", (unsigned long long)e->owner_uid.v);
	cli_escape(s->comm, comm, sizeof(comm));
	n = strlen(comm);
	if (width && n > width)
		comm[width] = '\0';
	fprintf(out, "%7d %5s %3lld %3lld %c %5s %5s %7s %10s %s\n", (int)e->pid,
		e->owner_uid.st == RTLAB_PV_OK ? uid : "-", (long long)s->priority.v,
		(long long)s->nice.v, s->state_st == RTLAB_PV_OK && s->state > ' ' ? s->state : '?',
		pct_cell(e->cpu_pct, cpu, sizeof(cpu)), pct_cell(e->mem_pct, mem, sizeof(mem)),
		e->rss_bytes.st == RTLAB_PV_OK ? human_kib(e->rss_bytes.v, rss, sizeof(rss)) : "-",
		time_cell(e->cpu_ticks, tm, sizeof(tm)), comm);
}

/* frame - the whole frame into @out: header, then the rows that fit (all of them if !@rows). */
static int frame(FILE *out, const struct rtlab_proc_table *t, enum sort_key key, unsigned rows,
		 unsigned cols)
{
	struct sort_ref *refs = calloc(t->count ? t->count : 1, sizeof(*refs));
	size_t n = t->count;

	if (!refs)
		return -ENOMEM;
	for (size_t i = 0; i < t->count; i++)
		refs[i] = (struct sort_ref){ .e = &t->procs[i], .key = key };
	qsort(refs, t->count, sizeof(*refs), cmp_ref);
	frame_header(out, t);
	fprintf(out, "%7s %5s %3s %3s %c %5s %5s %7s %10s %s\n", "PID", "UID", "PR", "NI", 'S',
		"%CPU", "%MEM", "RSS", "TIME+", "COMMAND");
	if (rows)
		n = rows > HEADER_LINES + 1 ? rows - HEADER_LINES - 1 : 0;
	for (size_t i = 0; i < n && i < t->count; i++)
		frame_row(out, refs[i].e, cols > 56 ? cols - 56 : (cols ? 1 : 0));
	free(refs);
	return 0;
}

/* draw - one frame: in place on the terminal (no trailing newline), or plainly. */
static int draw(struct top_term *term, const struct rtlab_proc_table *t, enum sort_key key)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int r;

	if (!mem)
		return -ENOMEM;
	if (term->screen)
		term_size(term);
	r = frame(mem, t, key, term->screen ? term->rows : 0, term->screen ? term->cols : 0);
	if (fclose(mem) != 0 || r < 0) {
		free(text);
		return -ENOMEM;
	}
	if (term->screen) {
		/* Home, each line cleared to its end, the rest of the screen cleared. */
		fputs("\033[H", stdout);
		for (char *line = text, *nl; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				break;
			*nl = '\0';
			fprintf(stdout, "%s\033[K%s", line, nl[1] ? "\n" : "");
		}
		fputs("\033[J", stdout);
	} else {
		fputs(text, stdout);
		fputc('\n', stdout);
	}
	free(text);
	return fflush(stdout) == 0 ? 0 : -errno;
}

/* wait_next - sleep @ns, or until a key (q quits, c/m/p sort) or a signal. */
static void wait_next(struct top_term *term, uint64_t ns, enum sort_key *key)
{
	uint64_t end = rtlab_now_ns() + ns;

	while (!top_stop) {
		uint64_t now = rtlab_now_ns();
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		char c;

		if (now >= end)
			return;
		if (poll(&pfd, term->raw ? 1 : 0, (int)((end - now + 999999) / 1000000)) <= 0)
			continue;
		if (read(STDIN_FILENO, &c, 1) != 1)
			continue;
		if (c == 'q')
			top_stop = 1;
		else if (c == 'c' || c == 'm' || c == 'p')
			*key = c == 'c' ? SORT_CPU : c == 'm' ? SORT_MEM : SORT_PID;
		if (c == 'c' || c == 'm' || c == 'p')
			return;
	}
}

/* raise_nofile - room to keep each process's stat open (the walk falls back without it). */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* top_loop - walk, draw, wait, until the count or a stop. */
static int top_loop(struct rtlab_proc_walker *w, struct top_opts *o, struct top_term *term)
{
	struct rtlab_proc_table t = { 0 };
	int r = 0;

	for (uint64_t i = 0; !top_stop && (!o->iterations || i < o->iterations); i++) {
		if (i)
			wait_next(term, o->delay_ns, &o->sort);
		if (top_stop)
			break;
		r = rtlab_proc_walk(w, WALK_FIELDS, &t);
		if (r < 0) {
			term_leave(term);
			fprintf(stderr, "rtlab probe: process walk: %s\n", strerror(-r));
			break;
		}
		r = draw(term, &t, o->sort);
		if (r < 0)
			break;
	}
	rtlab_proc_table_release(&t);
	return r;
}

/* probe_cmd_top - "rtlab probe top". */
int probe_cmd_top(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct top_opts o = { .delay_ns = 2 * RTLAB_NSEC_PER_SEC, .sort = SORT_CPU };
	struct rtlab_probe_opts po = { 0 };
	struct top_term term = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct rtlab_probe *p = NULL;
	struct rtlab_proc_walker *w = NULL;
	int r = parse_args(argc, argv, &o);

	if (r != EXIT_OK)
		return r < 0 ? EXIT_OK : r;
	raise_nofile();
	po.root = o.root;
	r = rtlab_probe_new(ctx, &po, &p);
	if (r == 0)
		r = rtlab_proc_walker_new(p, &w);
	if (r < 0) {
		fprintf(stderr, "rtlab probe: cannot walk the processes: %s\n", strerror(-r));
		rtlab_probe_free(p);
		return EXIT_FAIL;
	}
	top_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (!o.iterations && isatty(STDOUT_FILENO))
		term_enter(&term);
	r = top_loop(w, &o, &term);
	term_leave(&term);
	rtlab_proc_walker_free(w);
	rtlab_probe_free(p);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}
