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

/* Word-at-a-time text scanning: a byte repeated eight times, and the bytes' high bits. */
#define EX_ONES UINT64_C(0x0101010101010101)
#define EX_HIGHS UINT64_C(0x8080808080808080)

/* The most bytes ex_esc_prom() writes per byte of its input (a bad byte: the text \\xHH). */
#define EX_ESC_GROWTH 5

/*
 * ex_esc_prom - write @n bytes of @s at @dst escaped for a Prometheus label
 * value (@label: \\ \" \n) or HELP text (\\ \n), each byte that is not valid
 * UTF-8 as the text \\xHH.  @dst has room for EX_ESC_GROWTH * @n bytes.
 * Returns the end of what was written (no NUL).
 */
char *ex_esc_prom(char *dst, const char *s, size_t n, bool label);

/* ex_buf_room - room in @b for @n more bytes and a NUL.  Returns 0 or -ENOMEM. */
int ex_buf_room(struct rtlab_buf *b, size_t n);

/* ex_fmt_u64 / ex_fmt_i64 - decimal, without stdio; @buf holds 24 bytes.  Return the length. */
size_t ex_fmt_u64(uint64_t v, char *buf);
size_t ex_fmt_i64(int64_t v, char *buf);

/* The bytes ex_fmt_f64() writes at most, its NUL included. */
#define EX_NUM_MAX 32

/*
 * ex_fmt_f64 - rtlab_fmt_double() into @buf of EX_NUM_MAX bytes: the same
 * text as "%.15g", "%.16g" or "%.17g" (the first that reads back as @v), NaN,
 * +Inf or -Inf; whole numbers and the usual magnitudes without stdio.
 * NUL-terminated; returns the length.
 */
size_t ex_fmt_f64(double v, char *buf);

/* ex_strerror - the text of errno @err (positive or negative), thread-safe. */
const char *ex_strerror(int err);

/* The JSON writer is in json-internal.h. */

/* --- One scrape of the server: collect, render, self metrics (scrape.c) --- */

struct ex_scrape {
	struct rtlab_probe *probe;
	struct rtlab_probe_data *d;
	struct rtlab_prom w;
	size_t last_len;		/* of the last rendering: the room made before the next */
	uint64_t families;
	uint64_t renderings;
	uint64_t collect_ns[RTLAB_PF__COUNT];
	int statm_fd;			/* /proc/self/statm, for the resident set size */
};

/* ex_scrape_init - a probe and its data for @families; 0 or -errno. */
int ex_scrape_init(struct ex_scrape *sc, struct rtlab_ctx *ctx, const struct rtlab_probe_opts *po,
		   uint64_t families);

/*
 * ex_scrape_render - collect, then render into @out (emptied first, and given
 * room for the last rendering's length and an eighth more at once) with the
 * self metrics.  Returns 0, -ENOMEM, or the collection's -errno.
 */
int ex_scrape_render(struct ex_scrape *sc, struct rtlab_buf *out);

/* ex_scrape_fini - free what ex_scrape_init() made. */
void ex_scrape_fini(struct ex_scrape *sc);

#endif /* RTLAB_EXPORT_INTERNAL_H */
