/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-cli.h - what cmd-probe.c, probe-serve.c and probe-table.c share. */
#ifndef RTLAB_CLI_PROBE_CLI_H
#define RTLAB_CLI_PROBE_CLI_H

#include <signal.h>

#include "cli.h"

/* One row of a table: offsets of its three NUL-terminated cells in the table's text. */
struct probe_trow {
	unsigned int fam;
	size_t cell[3];		/* metric, labels (k=v,...), value in human units */
};

/* A table being filled by its sink: rows of escaped text. */
struct probe_table {
	struct rtlab_buf text;
	struct probe_trow *rows;
	size_t n, cap;
	unsigned int fam;	/* the family of the next rows */
};

/* probe_table_sink - a sink adding one row per sample to @t (zeroed first). */
struct rtlab_probe_sink probe_table_sink(struct probe_table *t);

/* probe_table_write - @t's rows of @families on @out, a header per family. */
void probe_table_write(FILE *out, const struct probe_table *t, const struct rtlab_probe_data *d,
		       uint64_t families);

/* probe_table_free - free the rows; @t is empty again. */
void probe_table_free(struct probe_table *t);

/*
 * probe_table_print - the collected @families of @d as a table on @out: per
 * family a header line (state, problem) and aligned rows metric, labels
 * (k=v), human value.  Text from the system is escaped.  Returns 0 or -ENOMEM.
 */
int probe_table_print(FILE *out, const struct rtlab_probe_data *d, uint64_t families);

/* probe_cmd_serve - "rtlab probe serve": the /metrics server until SIGINT or SIGTERM. */
int probe_cmd_serve(int argc, char **argv, struct rtlab_ctx *ctx);

/* probe_cmd_record - "rtlab probe record FILE": samples into SQLite until stopped. */
int probe_cmd_record(int argc, char **argv, struct rtlab_ctx *ctx);

/* --- Option values shared by the probe commands (one line on stderr, EXIT_USAGE, if bad) --- */

/* probe_opt_families - a family list ("cpu,mem", "all", "default") into *@ret. */
int probe_opt_families(const char *cmd, const char *s, uint64_t *ret);

/* probe_opt_duration - "2s", "500ms" (a number alone is seconds) into *@ret, > 0. */
int probe_opt_duration(const char *cmd, const char *opt, const char *s, uint64_t *ret);

/* probe_opt_root - @s names an existing directory. */
int probe_opt_root(const char *cmd, const char *s);

/*
 * probe_bad_option - name the option getopt_long() refused: @c is its return
 * (':' for a missing value, getopt_long() called with a leading ':'), @arg the
 * word it was in.  Returns EXIT_USAGE.
 */
int probe_bad_option(const char *cmd, int c, const char *arg, int optopt_char);

/* probe_stop_signals - SIGINT and SIGTERM into @set, blocked here (and in threads started later). */
void probe_stop_signals(sigset_t *set);

#endif /* RTLAB_CLI_PROBE_CLI_H */
