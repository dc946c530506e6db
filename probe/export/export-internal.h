/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* export-internal.h - what the exporters share: UTF-8 checking and escaping (not installed). */
#ifndef RTLAB_EXPORT_INTERNAL_H
#define RTLAB_EXPORT_INTERNAL_H

#include <rtlab/probe-export.h>

/* How ex_escape() writes a string. */
enum ex_esc_mode {
	EX_ESC_PROM_LABEL,	/* \\ \" \n; label values */
	EX_ESC_PROM_HELP,	/* \\ \n; HELP text */
	EX_ESC_JSON,		/* inside "...": \" \\ and control characters */
	EX_ESC_HTML,		/* & < > " ' as entities */
	EX_ESC__COUNT,
};

/*
 * ex_escape - append @n bytes of @s to @b escaped for @mode; each byte that
 * is not valid UTF-8 is written as the text \xHH (itself escaped).  Returns 0
 * or -ENOMEM.
 */
int ex_escape(struct rtlab_buf *b, const char *s, size_t n, enum ex_esc_mode mode);

/* ex_escape_str - ex_escape() of a NUL-terminated string (NULL: nothing). */
int ex_escape_str(struct rtlab_buf *b, const char *s, enum ex_esc_mode mode);

/* ex_fmt_u64 / ex_fmt_i64 - decimal, without stdio; @buf holds 24 bytes.  Return the length. */
size_t ex_fmt_u64(uint64_t v, char *buf);
size_t ex_fmt_i64(int64_t v, char *buf);

/* ex_strerror - the text of errno @err (positive or negative), thread-safe. */
const char *ex_strerror(int err);

/* The JSON writer is in json-internal.h. */

/* --- One scrape of the server: collect, render, self metrics (scrape.c) --- */

struct ex_scrape {
	struct rtlab_probe *probe;
	struct rtlab_probe_data *d;
	struct rtlab_prom w;
	struct rtlab_buf text;		/* the last rendering */
	uint64_t families;
	uint64_t renderings;
	uint64_t collect_ns[RTLAB_PF__COUNT];
	int statm_fd;			/* /proc/self/statm, for the resident set size */
};

/* ex_scrape_init - a probe and its data for @families; 0 or -errno. */
int ex_scrape_init(struct ex_scrape *sc, struct rtlab_ctx *ctx, const struct rtlab_probe_opts *po,
		   uint64_t families);

/* ex_scrape_render - collect, then render into sc->text with the self metrics; 0 or -ENOMEM. */
int ex_scrape_render(struct ex_scrape *sc);

/* ex_scrape_fini - free what ex_scrape_init() made. */
void ex_scrape_fini(struct ex_scrape *sc);

#endif /* RTLAB_EXPORT_INTERNAL_H */
