/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rtlab.c - the rtlab command: dispatch to subcommands (git.c style table). */
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "cli.h"
#include "compare.h"
#include "report.h"

static int cmd_help(int argc, char **argv, struct rtlab_ctx *ctx);
static int cmd_version(int argc, char **argv, struct rtlab_ctx *ctx);

/* Sorted by name. */
static const struct cli_cmd commands[] = {
	{ "analyze", cmd_analyze, "schedulability of a scenario's tasks, before running it" },
#ifdef RTLAB_CMD_BPF
	{ "bpf", cmd_bpf, "eBPF tools: runqlat, syscalls, offcpu, irqtime histograms" },
#endif
	{ "compare", cmd_compare, "compare two runs against thresholds: the CI gate (JUnit)" },
	{ "cyclic", cmd_cyclic, "measure timer wake-up latency, cyclictest-compatible" },
	{ "doctor", cmd_doctor, "check how ready this machine is for real-time work" },
#ifdef RTLAB_CMD_FTRACE
	{ "ftrace", cmd_ftrace, "record kernel trace events into a run (private tracefs instance)" },
#endif
	{ "help", cmd_help, "show this help, or a command's help" },
	{ "probe", cmd_probe, "what the kernel knows: tables, JSON, Prometheus /metrics" },
	{ "report", cmd_report, "a run's report: report.html with plots, summary.txt" },
	{ "run", cmd_run, "run a scenario file into a run folder (run.db)" },
	{ "version", cmd_version, "print the version" },
};

/* usage - the top-level help. */
static void usage(FILE *out)
{
	fprintf(out, "usage: rtlab [--version] [--help] COMMAND [ARGS]\n\n"
		     "rtlab is a real-time latency and tracing workbench.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nSee 'rtlab COMMAND --help' for a command's options.\n");
}

/* find - the command called @name, or NULL. */
static const struct cli_cmd *find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* cmd_help - "rtlab help [COMMAND]". */
static int cmd_help(int argc, char **argv, struct rtlab_ctx *ctx)
{
	const struct cli_cmd *cmd;
	char *help_argv[] = { NULL, "--help", NULL };

	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	cmd = find(argv[1]);
	if (!cmd || cmd->fn == cmd_help)
		return cli_usage_error("help", "unknown command '%s'", argv[1]);
	help_argv[0] = argv[1];
	return cmd->fn(2, help_argv, ctx);
}

/* cmd_version - "rtlab version". */
static int cmd_version(int argc, char **argv, struct rtlab_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	printf("rtlab %s\n", rtlab_version());
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	struct rtlab_ctx *ctx;
	int r;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(argc - 1, argv + 1, NULL);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	cmd = find(argv[1]);
	if (!cmd) {
		char esc[256];

		fprintf(stderr, "rtlab: '%s' is not a command; see 'rtlab help'\n",
			cli_escape(argv[1], esc, sizeof(esc)));
		return EXIT_USAGE;
	}
	ctx = rtlab_ctx_new();
	if (!ctx) {
		perror("rtlab");
		return EXIT_FAIL;
	}
	rtlab_ctx_set_log_fn(ctx, cli_log, NULL, RTLAB_LOG_INFO);
	r = cmd->fn(argc - 1, argv + 1, ctx);
	rtlab_ctx_free(ctx);
	return r;
}
