/* SPDX-License-Identifier: GPL-2.0-or-later */
/* report.h - "rtlab report": the command's entry point for the command table. */
#ifndef RTLAB_CLI_REPORT_H
#define RTLAB_CLI_REPORT_H

#include <rtlab/core.h>

/* cmd_report - "rtlab report RUN [-o DIR]": report.html, summary.txt and PNG plots of a run. */
int cmd_report(int argc, char **argv, struct rtlab_ctx *ctx);

#endif /* RTLAB_CLI_REPORT_H */
