/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ftrace-report.c - "rtlab ftrace report RUN": the trace events in trace-cmd report's style. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include <rtlab/ftrace.h>
#include <rtlab/store.h>

#include "cli.h"

#define LINE_MAX_LEN 4096

int ftrace_report_main(int argc, char **argv, struct rtlab_ctx *ctx);

/* usage - the help of "rtlab ftrace report". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab ftrace report RUN [--stat]\n\n"
		"Print the trace events of the run folder (or run.db) RUN in time order, one per\n"
		"line as trace-cmd report does:  COMM-PID [CPU] SECONDS: EVENT: FIELD=VALUE...\n"
		"(SECONDS: CLOCK_MONOTONIC).  Text from the system is escaped.  The first report\n"
		"of a run parses its stored pages into trace events (once, kept in RUN).\n\n"
		"options:\n"
		"  -s, --stat   per-event counts, lost events per CPU and source, kept windows\n"
		"  -h, --help   show this help\n\n"
		"Exit status: 0 printed, 1 RUN has no trace events or cannot be read,\n"
		"2 bad options.\n");
}

/* value_text - a JSON value as report text (strings bare, arrays as [a,b]). */
static void value_text(json_t *v, char *buf, size_t size)
{
	char *s;

	if (json_is_string(v)) {
		snprintf(buf, size, "%s", json_string_value(v));
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	snprintf(buf, size, "%s", s ? s : "?");
	free(s);
}

/* fields_text - "k=v k=v" from the fields JSON. */
static void fields_text(const char *json, char *buf, size_t size)
{
	json_t *o = json ? json_loads(json, 0, NULL) : NULL;
	const char *key;
	size_t len = 0;
	json_t *v;

	buf[0] = '\0';
	if (!json_is_object(o)) {
		snprintf(buf, size, "%s", json ? json : "");
		json_decref(o);
		return;
	}
	json_object_foreach(o, key, v) {
		char val[1024];
		int n;

		value_text(v, val, sizeof(val));
		n = snprintf(buf + len, size - len, "%s%s=%s", len ? " " : "", key, val);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	json_decref(o);
}

/* print_events - every event, in time order. */
static int print_events(sqlite3 *db)
{
	static const char sql[] = "SELECT t_ns, cpu, pid, comm, event, fields FROM trace_event"
				  " ORDER BY t_ns, rowid";
	char fields[LINE_MAX_LEN], line[LINE_MAX_LEN + 256], esc[4 * LINE_MAX_LEN];
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -ENOENT;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t t = (uint64_t)sqlite3_column_int64(st, 0);
		const char *comm = (const char *)sqlite3_column_text(st, 3);
		const char *ev = (const char *)sqlite3_column_text(st, 4);
		const char *colon = ev ? strchr(ev, ':') : NULL;

		fields_text((const char *)sqlite3_column_text(st, 5), fields, sizeof(fields));
		snprintf(line, sizeof(line), "%16s-%-7d [%03d] %6" PRIu64 ".%06" PRIu64 ": %s: %s",
			 comm ? comm : "<...>", sqlite3_column_int(st, 2),
			 sqlite3_column_int(st, 1), (uint64_t)(t / RTLAB_NSEC_PER_SEC),
			 (uint64_t)(t % RTLAB_NSEC_PER_SEC / 1000),
			 colon ? colon + 1 : (ev ? ev : "?"), fields);
		puts(cli_escape(line, esc, sizeof(esc)));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* print_rows - a query's rows as "  a  b  c" lines under @title. */
static int print_rows(sqlite3 *db, const char *title, const char *sql)
{
	char esc[1024];
	sqlite3_stmt *st;
	int rc, rows = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -ENOENT;
	printf("%s\n", title);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);

			printf("  %*s", i ? 12 : -40, cli_escape(v ? v : "-", esc, sizeof(esc)));
		}
		putchar('\n');
		rows++;
	}
	if (!rows)
		printf("  (none)\n");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/* print_stat - counts per event, lost per CPU and source, windows. */
static int print_stat(sqlite3 *db)
{
	int r = print_rows(db, "events:", "SELECT event, count(*) FROM trace_event GROUP BY event"
			   " ORDER BY event");

	if (r >= 0)
		r = print_rows(db, "lost (cpu, source, count):",
			       "SELECT printf('cpu%s %s', ifnull(cpu, ' all'), source), sum(count)"
			       " FROM trace_lost GROUP BY cpu, source ORDER BY cpu, source");
	if (r >= 0 && print_rows(db, "kept windows (start_ns, end_ns, reason):",
				 "SELECT start_ns, end_ns, reason FROM trace_window"
				 " ORDER BY start_ns") < 0)
		r = 0;	/* trace_window is optional */
	return r;
}

/* ftrace_report_main - "rtlab ftrace report RUN [--stat]". */
int ftrace_report_main(int argc, char **argv, struct rtlab_ctx *ctx)
{
	static const struct option longopts[] = {
		{ "stat", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rtlab_store *st = NULL;
	char esc[1024];
	bool stat = false;
	int c, r;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "sh", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		if (c != 's')
			return cli_usage_error("ftrace report", "unknown option '%s'",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		stat = true;
	}
	if (optind + 1 != argc)
		return cli_usage_error("ftrace report", optind == argc ? "no RUN given" :
				       "one RUN only");
	r = rtlab_store_open(argv[optind], false, &st);
	if (r < 0) {
		fprintf(stderr, "rtlab ftrace report: %s: %s\n",
			cli_escape(argv[optind], esc, sizeof(esc)),
			r == -EPROTO ? "not a run store" : strerror(-r));
		return EXIT_FAIL;
	}
	r = rtlab_ftrace_materialize(rtlab_store_path(st), ctx, NULL);
	if (r < 0) {
		fprintf(stderr, "rtlab ftrace report: %s: cannot parse the stored pages: %s\n",
			cli_escape(argv[optind], esc, sizeof(esc)), strerror(-r));
		rtlab_store_close(st);
		return EXIT_FAIL;
	}
	r = stat ? print_stat(rtlab_store_db(st)) : print_events(rtlab_store_db(st));
	rtlab_store_close(st);
	if (r == -ENOENT)
		fprintf(stderr, "rtlab ftrace report: %s has no trace events\n",
			cli_escape(argv[optind], esc, sizeof(esc)));
	else if (r < 0)
		fprintf(stderr, "rtlab ftrace report: cannot read the trace events\n");
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}
