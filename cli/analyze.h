/* SPDX-License-Identifier: GPL-2.0-or-later */
/* analyze.h - "rtlab analyze": schedulability analysis of a scenario file. */
#ifndef RTLAB_CLI_ANALYZE_H
#define RTLAB_CLI_ANALYZE_H

struct rtlab_ctx;

/*
 * cmd_analyze - "rtlab analyze [--json] FILE": parse and validate FILE, run
 * the schedulability analysis on its tasks and print it.  Returns 0 when
 * every analysed task is proven schedulable, 1 when some can miss or are not
 * proven (or the analysis could not run), 2 for bad options or a bad file.
 */
int cmd_analyze(int argc, char **argv, struct rtlab_ctx *ctx);

#endif /* RTLAB_CLI_ANALYZE_H */
