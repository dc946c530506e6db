/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ftrace-record.c - "rtlab ftrace record": trace events into a run, system-wide or around CMD. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rtlab/ftrace.h>
#include <rtlab/store.h>

#include "cli.h"

#define MAX_EVENTS 256
#define BUFFER_KB_MIN 4
#define BUFFER_KB_MAX (1024 * 1024)
#define TICK_NS (50 * RTLAB_NSEC_PER_MSEC)

int ftrace_record_main(int argc, char **argv, struct rtlab_ctx *ctx);

struct record_opts {
	const char *events[MAX_EVENTS];
	const char *filters[MAX_EVENTS];
	size_t nevents;
	pid_t pids[RTLAB_FTRACE_MAX_PIDS];
	size_t npids;
	unsigned int buffer_kb;
	const char *out;
	uint64_t duration_ns;
	bool cmd_only;
	char **cmd;			/* after "--", or NULL */
};

static volatile sig_atomic_t got_signal;

/* on_signal - remember the signal; the main loop stops. */
static void on_signal(int sig)
{
	got_signal = sig;
}

/* usage - the help of "rtlab ftrace record". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab ftrace record -e EVENT [-f FILTER] [-e EVENT...] [--pid P]\n"
		"                           [-b KB] [-o RUN_DIR] [--duration D] [-c]\n"
		"                           [-- CMD ARGS]\n\n"
		"Record kernel trace events in a private tracefs instance (rtlab-<pid>-<n>,\n"
		"clock mono) into RUN_DIR/run.db (default runs/ftrace-<UTC time>), then print a\n"
		"summary.  With CMD: while CMD runs (system-wide unless -c or --pid); without:\n"
		"system-wide until SIGINT/SIGTERM/SIGHUP or --duration.\n\n"
		"options:\n"
		"  -e, --event EV      system:event, event, or a glob (sched:*, irq:softirq_*)\n"
		"  -f, --filter F      kernel event filter for the -e before ('prev_prio < 100')\n"
		"  -p, --pid P[,P...]  only events whose current task is one of these (up to %d)\n"
		"  -c, --cmd-only      only events whose current task is CMD itself (its children\n"
		"                      are not followed: set_ftrace_pid is not used)\n"
		"  -b, --buffer-kb KB  per-CPU ring buffer size (%d-%d KiB; default the kernel's)\n"
		"  -o, --output DIR    the run folder (made; must not hold a run.db)\n"
		"  -d, --duration D    stop after D (10s, 500ms, 2m)\n"
		"  -h, --help          show this help\n\n"
		"Needs root (tracefs).  Exit status: 0 recorded (also when interrupted),\n"
		"1 failed, 2 bad options or events.\n", RTLAB_FTRACE_MAX_PIDS, BUFFER_KB_MIN,
		BUFFER_KB_MAX);
}

/* add_pids - a comma-separated pid list. */
static int add_pids(struct record_opts *o, const char *arg)
{
	char buf[1024], esc[256], *save = NULL;
	int pid;

	if (strlen(arg) >= sizeof(buf))
		return cli_usage_error("ftrace record", "--pid: list too long");
	strcpy(buf, arg);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (rtlab_parse_int(t, &pid) < 0 || pid <= 0)
			return cli_usage_error("ftrace record", "--pid: '%s' is not a pid",
					       cli_escape(t, esc, sizeof(esc)));
		if (o->npids == RTLAB_FTRACE_MAX_PIDS)
			return cli_usage_error("ftrace record", "--pid: more than %d pids",
					       RTLAB_FTRACE_MAX_PIDS);
		o->pids[o->npids++] = pid;
	}
	return EXIT_OK;
}

/* set_value - one option with a value. */
static int set_value(struct record_opts *o, int c, const char *arg)
{
	char esc[256];
	uint64_t v;

	switch (c) {
	case 'e':
		if (o->nevents == MAX_EVENTS)
			return cli_usage_error("ftrace record", "more than %d -e", MAX_EVENTS);
		o->events[o->nevents++] = arg;
		return EXIT_OK;
	case 'f':
		if (!o->nevents)
			return cli_usage_error("ftrace record", "-f must follow the -e it filters");
		if (o->filters[o->nevents - 1])
			return cli_usage_error("ftrace record", "two -f for one -e");
		o->filters[o->nevents - 1] = arg;
		return EXIT_OK;
	case 'p':
		return add_pids(o, arg);
	case 'b':
		if (rtlab_parse_u64(arg, &v) < 0 || v < BUFFER_KB_MIN || v > BUFFER_KB_MAX)
			return cli_usage_error("ftrace record", "--buffer-kb: '%s' is not a number "
					       "from %d to %d", cli_escape(arg, esc, sizeof(esc)),
					       BUFFER_KB_MIN, BUFFER_KB_MAX);
		o->buffer_kb = (unsigned int)v;
		return EXIT_OK;
	case 'o':
		o->out = arg;
		return EXIT_OK;
	default:	/* 'd' */
		if (rtlab_parse_duration_ns(arg, RTLAB_NSEC_PER_SEC, &v) < 0 || !v)
			return cli_usage_error("ftrace record", "--duration: '%s' is not a "
					       "duration (10s, 500ms)",
					       cli_escape(arg, esc, sizeof(esc)));
		o->duration_ns = v;
		return EXIT_OK;
	}
}

/* parse_opts - the command line; EXIT_OK, or EXIT_USAGE after one line. */
static int parse_opts(int argc, char **argv, struct record_opts *o, bool *help)
{
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "filter", required_argument, NULL, 'f' },
		{ "pid", required_argument, NULL, 'p' },
		{ "cmd-only", no_argument, NULL, 'c' },
		{ "buffer-kb", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c, r;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+:e:f:p:cb:o:d:h", longopts, NULL)) != -1) {
		if (c == 'h') {
			*help = true;
			return EXIT_OK;
		}
		if (c == 'c') {
			o->cmd_only = true;
			continue;
		}
		if (c == ':')
			return cli_usage_error("ftrace record", "option '%s' needs a value",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		if (c == '?')
			return cli_usage_error("ftrace record", "unknown option '%s'",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		r = set_value(o, c, optarg);
		if (r != EXIT_OK)
			return r;
	}
	if (optind < argc)
		o->cmd = argv + optind;
	if (!o->nevents)
		return cli_usage_error("ftrace record", "no event: give at least one -e");
	if (o->cmd_only && !o->cmd)
		return cli_usage_error("ftrace record", "-c needs a command after '--'");
	if (o->cmd_only && o->npids == RTLAB_FTRACE_MAX_PIDS)
		return cli_usage_error("ftrace record", "--pid: no room left for CMD's pid");
	return EXIT_OK;
}

/* make_run_dir - -o DIR or runs/ftrace-<UTC>, made (parents of the default too). */
static int make_run_dir(const struct record_opts *o, char *buf, size_t size)
{
	char esc[PATH_MAX];
	time_t now = time(NULL);
	struct tm tm;

	if (o->out) {
		if ((size_t)snprintf(buf, size, "%s", o->out) >= size)
			return -ENAMETOOLONG;
	} else {
		gmtime_r(&now, &tm);
		if (mkdir("runs", 0755) < 0 && errno != EEXIST)
			goto fail;
		strftime(buf, size, "runs/ftrace-%Y%m%dT%H%M%SZ", &tm);
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "rtlab ftrace record: cannot make %s: %s\n", cli_escape(buf, esc,
		sizeof(esc)), strerror(errno));
	return -errno;
}

/* spawn - fork CMD held on a pipe until the recording runs; *ret_fd releases it. */
static pid_t spawn(char **cmd, int *ret_fd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		(void)close(p[0]);
		(void)close(p[1]);
		return -1;
	}
	if (pid == 0) {
		(void)close(p[1]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (read(p[0], &c, 1) != 1)
			_exit(127);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	(void)close(p[0]);
	*ret_fd = p[1];
	return pid;
}

/* install_signals - SIGINT/SIGTERM/SIGHUP end the recording cleanly. */
static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* wait_end - until a signal, the duration, or CMD's exit (*status). */
static void wait_end(const struct record_opts *o, pid_t child, int *status)
{
	const struct timespec tick = { 0, (long)TICK_NS };
	uint64_t end = o->duration_ns ? rtlab_now_ns() + o->duration_ns : UINT64_MAX;

	while (!got_signal && rtlab_now_ns() < end) {
		if (child > 0 && waitpid(child, status, WNOHANG) == child)
			return;
		nanosleep(&tick, NULL);
	}
	if (child > 0) {
		kill(child, SIGTERM);
		(void)waitpid(child, status, 0);
	}
}

/* print_summary - events per type, lost, CPU time of the recorder. */
static void print_summary(struct rtlab_ftrace *f, const char *dir, int child_status, bool cmd)
{
	struct rtlab_ftrace_count counts[64];
	struct rtlab_ftrace_stats st;
	struct rusage ru;
	char esc[PATH_MAX];
	size_t n = 0;

	rtlab_ftrace_stats(f, &st);
	(void)rtlab_ftrace_event_counts(f, counts, 64, &n);
	getrusage(RUSAGE_SELF, &ru);
	printf("run: %s\n", cli_escape(dir, esc, sizeof(esc)));
	for (size_t i = 0; i < n && i < 64; i++)
		printf("  %-40s %12llu\n", counts[i].event, (unsigned long long)counts[i].count);
	printf("events: %llu read, %llu lost; %llu pages, %.1f MiB stored raw%s\n",
	       (unsigned long long)st.events_read, (unsigned long long)st.events_lost,
	       (unsigned long long)st.pages_read, (double)st.bytes_read / (1024.0 * 1024.0),
	       st.windows ? " (those meeting a kept window)" : "");
	printf("recorder CPU: %.3f s reading, %.3f s storing; process %.3f s user + %.3f s "
	       "system\n", (double)st.reader_cpu_ns / 1e9, (double)st.stop_cpu_ns / 1e9,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	printf("'rtlab ftrace report %s' parses the pages into trace events (once)\n", esc);
	if (cmd && WIFEXITED(child_status))
		printf("command exited with status %d\n", WEXITSTATUS(child_status));
	else if (cmd && WIFSIGNALED(child_status))
		printf("command killed by signal %d\n", WTERMSIG(child_status));
}

/* record - open, start, release CMD, wait, stop; EXIT_OK or EXIT_FAIL. */
static int record(struct rtlab_ctx *ctx, struct record_opts *o, struct rtlab_store *st,
		  const char *dir)
{
	struct rtlab_ftrace_opts fo = {
		.events = o->events, .nevents = o->nevents, .filters = o->filters,
		.pids = o->pids, .buffer_kb = o->buffer_kb, .defer_parse = true,
	};
	struct rtlab_ftrace *f = NULL;
	int go_fd = -1, status = 0, r;
	pid_t child = 0;

	if (o->cmd) {
		child = spawn(o->cmd, &go_fd);
		if (child < 0) {
			fprintf(stderr, "rtlab ftrace record: cannot start the command: %s\n",
				strerror(errno));
			return EXIT_FAIL;
		}
		if (o->cmd_only)
			o->pids[o->npids++] = child;
	}
	fo.npids = o->npids;
	r = rtlab_ftrace_open(ctx, rtlab_store_path(st), &fo, &f);
	if (r >= 0)
		r = rtlab_ftrace_start(f, -1);
	if (go_fd >= 0) {
		if (r >= 0)
			(void)!write(go_fd, "g", 1);
		(void)close(go_fd);	/* on failure CMD reads EOF and exits */
	}
	if (r >= 0)
		wait_end(o, child, &status);
	else if (child > 0)
		(void)waitpid(child, &status, 0);
	if (r >= 0)
		r = rtlab_ftrace_stop(f);
	if (f)
		print_summary(f, dir, status, o->cmd != NULL);
	rtlab_ftrace_close(f);
	if (!f && r == -EINVAL)
		return EXIT_USAGE;	/* an unknown event or a refused filter: logged */
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}

/* remove_run - a run that never started: its store and its folder (if now empty). */
static void remove_run(const char *dir)
{
	static const char *const files[] = { "run.db", "run.db-wal", "run.db-shm" };
	char path[PATH_MAX + 16];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		(void)unlink(path);
	}
	(void)rmdir(dir);
}

/* ftrace_record_main - "rtlab ftrace record ...". */
int ftrace_record_main(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct record_opts o = { .nevents = 0 };
	struct rtlab_run_info info = { .name = "ftrace" };
	struct rtlab_store *st = NULL;
	char dir[PATH_MAX], why[512];
	bool help = false;
	int r;

	r = parse_opts(argc, argv, &o, &help);
	if (r != EXIT_OK || help) {
		if (help)
			usage(stdout);
		return r;
	}
	if (rtlab_ftrace_usable(ctx, why, sizeof(why)) < 0) {
		fprintf(stderr, "rtlab ftrace record: tracefs cannot be used: %s\n", why);
		return EXIT_FAIL;
	}
	if (make_run_dir(&o, dir, sizeof(dir)) < 0)
		return EXIT_FAIL;
	install_signals();
	r = rtlab_store_create(dir, &st);
	if (r >= 0)
		r = rtlab_store_begin(st, &info);
	if (r < 0) {
		fprintf(stderr, "rtlab ftrace record: %s: cannot create the run store: %s\n",
			cli_escape(dir, why, sizeof(why)), strerror(-r));
		rtlab_store_close(st);
		return EXIT_FAIL;
	}
	r = record(ctx, &o, st, dir);
	if (r == EXIT_USAGE) {
		rtlab_store_close(st);
		remove_run(dir);
		return r;
	}
	if (got_signal)
		(void)rtlab_store_event(st, 0, "signal", strsignal(got_signal));
	(void)rtlab_store_end(st, got_signal ? RTLAB_RUN_INTERRUPTED : RTLAB_RUN_COMPLETE);
	rtlab_store_close(st);
	return r;
}
