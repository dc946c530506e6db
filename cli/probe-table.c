/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-table.c - "rtlab probe" as a table: per family a header, then aligned rows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe-cli.h"

#define ESC_MAX 1024
#define METRIC_COL_MAX 56
#define LABELS_COL_MAX 64

/* put_cell - @s escaped for the terminal, NUL-terminated, into the text; its offset in *@off. */
static int put_cell(struct probe_table *t, const char *s, size_t *off)
{
	char esc[ESC_MAX];

	*off = t->text.len;
	cli_escape(s, esc, sizeof(esc));
	return rtlab_buf_append(&t->text, esc, strlen(esc) + 1);
}

/* put_labels - "k=v,k=v" escaped, as one cell. */
static int put_labels(struct probe_table *t, const struct rtlab_label *l, size_t nl, size_t *off)
{
	char esc[ESC_MAX];

	*off = t->text.len;
	for (size_t i = 0; i < nl; i++) {
		const char *name = l[i].name ? l[i].name : "", *value = l[i].value ? l[i].value : "";

		if ((i && rtlab_buf_puts(&t->text, ",")) ||
		    rtlab_buf_puts(&t->text, cli_escape(name, esc, sizeof(esc))) ||
		    rtlab_buf_puts(&t->text, "=") ||
		    rtlab_buf_puts(&t->text, cli_escape(value, esc, sizeof(esc))))
			return -ENOMEM;
	}
	return rtlab_buf_append(&t->text, "", 1);
}

/* table_family - the family the next rows belong to. */
static int table_family(void *arg, enum rtlab_probe_family f, const struct rtlab_probe_data *d)
{
	struct probe_table *t = arg;

	(void)d;
	t->fam = f;
	return 0;
}

/* table_sample - one row. */
static int table_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
			size_t nl, const struct rtlab_mval *v)
{
	struct probe_table *t = arg;
	char value[128];
	struct probe_trow *row;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		struct probe_trow *p = realloc(t->rows, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		t->rows = p;
		t->cap = cap;
	}
	row = &t->rows[t->n];
	row->fam = t->fam;
	rtlab_fmt_human(m->name, v, value, sizeof(value));
	if (put_cell(t, m->name ? m->name : "?", &row->cell[0]) ||
	    put_labels(t, l, nl, &row->cell[1]) || put_cell(t, value, &row->cell[2]))
		return -ENOMEM;
	t->n++;
	return 0;
}

/* width - columns taken by UTF-8 text @s (one per character). */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* pad - @n spaces. */
static void pad(FILE *out, size_t n)
{
	while (n--)
		fputc(' ', out);
}

/* print_header - "cpu  (collected)", or why the family is not (fully) there. */
static void print_header(FILE *out, const struct rtlab_probe_data *d, unsigned int f)
{
	char esc[ESC_MAX], why[sizeof(d->why[0]) + 1];

	snprintf(why, sizeof(why), "%.*s", (int)sizeof(d->why[0]), d->why[f]);
	cli_escape(why, esc, sizeof(esc));
	fprintf(out, "%s  ", rtlab_probe_family_name(f));
	if (d->err[f])
		fprintf(out, "(error: %s%s%s)\n", strerror(-d->err[f]), esc[0] ? ": " : "", esc);
	else if (esc[0])
		fprintf(out, "(collected; %s)\n", esc);
	else
		fprintf(out, "(collected)\n");
}

/* print_family - the header and the rows of family @f, columns sized to them. */
static void print_family(FILE *out, const struct probe_table *t, const struct rtlab_probe_data *d,
			 unsigned int f)
{
	size_t w[3] = { 0 };
	bool any = false;

	for (size_t i = 0; i < t->n; i++) {
		if (t->rows[i].fam != f)
			continue;
		for (int c = 0; c < 3; c++) {
			size_t cw = width(t->text.data + t->rows[i].cell[c]);

			w[c] = cw > w[c] ? cw : w[c];
		}
	}
	w[0] = w[0] < METRIC_COL_MAX ? w[0] : METRIC_COL_MAX;
	w[1] = w[1] < LABELS_COL_MAX ? w[1] : LABELS_COL_MAX;
	print_header(out, d, f);
	for (size_t i = 0; i < t->n; i++) {
		const struct probe_trow *r = &t->rows[i];
		const char *cell[3];
		size_t cw[3];

		if (r->fam != f)
			continue;
		any = true;
		for (int c = 0; c < 3; c++) {
			cell[c] = t->text.data + r->cell[c];
			cw[c] = width(cell[c]);
		}
		fprintf(out, "  %s", cell[0]);
		pad(out, cw[0] < w[0] ? w[0] - cw[0] : 0);
		fprintf(out, "  %s", cell[1]);
		pad(out, (cw[1] < w[1] ? w[1] - cw[1] : 0) + 2 + (cw[2] < w[2] ? w[2] - cw[2] : 0));
		fprintf(out, "%s\n", cell[2]);
	}
	if (!any)
		fprintf(out, "  (no samples)\n");
}

/* probe_table_sink - a sink adding rows to @t. */
struct rtlab_probe_sink probe_table_sink(struct probe_table *t)
{
	return (struct rtlab_probe_sink){ .arg = t, .family = table_family,
					  .sample = table_sample };
}

/* probe_table_write - the families of @families that have rows or were collected. */
void probe_table_write(FILE *out, const struct probe_table *t, const struct rtlab_probe_data *d,
		       uint64_t families)
{
	const char *sep = "";
	bool first = true;

	for (unsigned int f = 0; f < RTLAB_PF__COUNT; f++) {
		if (!(families & RTLAB_PF_BIT(f)) || !d->t_ns[f])
			continue;
		if (!first)
			fputc('\n', out);
		first = false;
		print_family(out, t, d, f);
	}
	/* Requested but never collected: the family is not in this build. */
	for (unsigned int f = 0; f < RTLAB_PF__COUNT; f++) {
		if (!(families & RTLAB_PF_BIT(f)) || d->t_ns[f])
			continue;
		if (!*sep)
			fprintf(out, "%snot in this build: ", first ? "" : "\n");
		fprintf(out, "%s%s", sep, rtlab_probe_family_name(f));
		sep = ", ";
	}
	if (*sep)
		fputc('\n', out);
}

/* probe_table_free - the rows and their text. */
void probe_table_free(struct probe_table *t)
{
	free(t->rows);
	rtlab_buf_free(&t->text);
	*t = (struct probe_table){ 0 };
}

/* probe_table_print - see probe-cli.h. */
int probe_table_print(FILE *out, const struct rtlab_probe_data *d, uint64_t families)
{
	struct probe_table t = { 0 };
	struct rtlab_probe_sink sink = probe_table_sink(&t);
	int r = rtlab_probe_emit(d, families, &sink);

	if (r == 0)
		probe_table_write(out, &t, d, families);
	probe_table_free(&t);
	return r < 0 ? r : 0;
}
