/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-ftrace.c - "rtlab ftrace record|report": dispatch to the subcommand. */
#include <string.h>

#include "cli.h"

int ftrace_record_main(int argc, char **argv, struct rtlab_ctx *ctx);
int ftrace_report_main(int argc, char **argv, struct rtlab_ctx *ctx);

/* Subcommands of "rtlab ftrace". */
static const struct cli_cmd ftrace_cmds[] = {
	{ "record", ftrace_record_main, "record trace events into a run" },
	{ "report", ftrace_report_main, "print a run's trace events (trace-cmd report style)" },
};

/* usage - the help of "rtlab ftrace". */
static void usage(FILE *out)
{
	fprintf(out, "usage: rtlab ftrace COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(ftrace_cmds) / sizeof(ftrace_cmds[0]); i++)
		fprintf(out, "  %-8s %s\n", ftrace_cmds[i].name, ftrace_cmds[i].summary);
	fprintf(out, "\n'rtlab ftrace COMMAND --help' tells more.\n");
}

/* cmd_ftrace - "rtlab ftrace record|report ...". */
int cmd_ftrace(int argc, char **argv, struct rtlab_ctx *ctx)
{
	char esc[128];

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(ftrace_cmds) / sizeof(ftrace_cmds[0]); i++)
		if (!strcmp(argv[1], ftrace_cmds[i].name))
			return ftrace_cmds[i].fn(argc - 1, argv + 1, ctx);
	return cli_usage_error("ftrace", "unknown command '%s' (record, report)",
			       cli_escape(argv[1], esc, sizeof(esc)));
}
