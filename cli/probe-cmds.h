/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-cmds.h - the views of "rtlab probe", each in its own file, called by cmd-probe.c. */
#ifndef RTLAB_CLI_PROBE_CMDS_H
#define RTLAB_CLI_PROBE_CMDS_H

#include "cli.h"

/* Each takes the arguments after "rtlab probe" (argv[0] is the view's name). */

/* probe_cmd_sockets - "rtlab probe sockets": the socket table with owning pid/comm (probe-sockets.c). */
int probe_cmd_sockets(int argc, char **argv, struct rtlab_ctx *ctx);

/* probe_cmd_proc - "rtlab probe proc PID": one process, every field (probe-proc.c). */
int probe_cmd_proc(int argc, char **argv, struct rtlab_ctx *ctx);

/* probe_cmd_top - "rtlab probe top": a refreshing process table on a terminal (probe-top.c). */
int probe_cmd_top(int argc, char **argv, struct rtlab_ctx *ctx);

#endif /* RTLAB_CLI_PROBE_CMDS_H */
