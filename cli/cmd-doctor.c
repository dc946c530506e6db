/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cli.h"
int cmd_doctor(int argc, char **argv, struct rtlab_ctx *ctx) { (void)argc; (void)argv; (void)ctx; return 1; }
