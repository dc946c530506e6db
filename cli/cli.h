/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli.h - what the rtlab subcommands share: the command table, log sink, escaping. */
#ifndef RTLAB_CLI_H
#define RTLAB_CLI_H

#include <stdio.h>

#include <rtlab/rtlab.h>

/* Exit statuses of every subcommand. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* ran, but failed (or a gate failed) */
	EXIT_USAGE = 2,		/* bad input: nothing was started */
};

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct rtlab_ctx *ctx);
	const char *summary;
};

int cmd_cyclic(int argc, char **argv, struct rtlab_ctx *ctx);
int cmd_doctor(int argc, char **argv, struct rtlab_ctx *ctx);
int cmd_probe(int argc, char **argv, struct rtlab_ctx *ctx);
int cmd_run(int argc, char **argv, struct rtlab_ctx *ctx);
int cmd_ftrace(int argc, char **argv, struct rtlab_ctx *ctx);
int cmd_bpf(int argc, char **argv, struct rtlab_ctx *ctx);

/* cli_log - the library log sink: "rtlab: error: msg" on stderr, escaped. */
void cli_log(enum rtlab_log_level level, const char *msg, void *userdata);

/* cli_error - print "rtlab CMD: msg" on stderr; returns EXIT_USAGE for "return cli_usage_error(...)". */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * cli_escape - copy @s into @buf with control characters, backslashes and
 * non-UTF-8 bytes written as \xHH, so that text from the system cannot drive
 * the terminal.  Returns @buf.
 */
const char *cli_escape(const char *s, char *buf, size_t size);

#endif /* RTLAB_CLI_H */
