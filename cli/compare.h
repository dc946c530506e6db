/* SPDX-License-Identifier: GPL-2.0-or-later */
/* compare.h - "rtlab compare BASE NEW": the table of two runs and the CI gate (cmd-compare.c). */
#ifndef RTLAB_CLI_COMPARE_H
#define RTLAB_CLI_COMPARE_H

#include "cli.h"

/*
 * cmd_compare - compare run BASE with run NEW and gate NEW on thresholds;
 * @argv[0] is "compare".  Returns 0 pass, 1 regression, 2 error.
 */
int cmd_compare(int argc, char **argv, struct rtlab_ctx *ctx);

#endif /* RTLAB_CLI_COMPARE_H */
