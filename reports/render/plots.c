/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * plots.c - a report's plots: each has a data file and gnuplot commands in a
 * private folder; one gnuplot run draws them all, as SVG (kept in memory for
 * report.html) and as PNG (moved into the output folder).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/render-internal.h"

/* Drawn the same size in both formats; the SVG is scaled by the page. */
static const char svg_term[] = "set terminal svg noenhanced size 900,360 font 'sans,11'"
			       " background '#ffffff' name ";
static const char png_term[] = "set terminal pngcairo noenhanced size 900,360 font 'sans,10'"
			       " background '#ffffff'\n";

/* render_plots_init - make <out>/.rtlab-report-XXXXXX and its script. */
int render_plots_init(struct render_plots *ps, const char *out, char *err, size_t err_size)
{
	char path[PATH_MAX + 16];
	int r;

	memset(ps, 0, sizeof(*ps));
	if (snprintf(ps->out, sizeof(ps->out), "%s", out) >= (int)sizeof(ps->out) ||
	    snprintf(ps->dir, sizeof(ps->dir), "%s/.rtlab-report-XXXXXX", out) >=
		    (int)sizeof(ps->dir))
		return render_err(err, err_size, -ENAMETOOLONG, "%s: path too long", out);
	if (!mkdtemp(ps->dir)) {
		r = -errno;
		ps->dir[0] = '\0';
		return render_err(err, err_size, r, "%s: cannot make a temporary folder: %s", out,
				  strerror(-r));
	}
	snprintf(path, sizeof(path), "%s/plot.gp", ps->dir);
	ps->script = fopen(path, "we");
	if (!ps->script)
		return render_err(err, err_size, -errno, "%s: %s", path, strerror(errno));
	fputs("set encoding utf8\n", ps->script);
	return 0;
}

/* render_plot_begin - a data file and a command stream for plot number ps->n. */
int render_plot_begin(struct render_plots *ps, const char *stem, enum render_group group,
		      uint32_t task, FILE **ret_data, FILE **ret_gp)
{
	char path[PATH_MAX + 32];
	struct render_plot *p;

	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 16;
		void *v = realloc(ps->v, cap * sizeof(*ps->v));

		if (!v)
			return -ENOMEM;
		ps->v = v;
		ps->cap = cap;
	}
	p = &ps->v[ps->n];
	memset(p, 0, sizeof(*p));
	snprintf(p->stem, sizeof(p->stem), "%s", stem);
	p->group = group;
	p->task = task;
	snprintf(path, sizeof(path), "%s/p%zu.dat", ps->dir, ps->n);
	ps->data = fopen(path, "we");
	if (!ps->data)
		return -errno;
	ps->cmds = open_memstream(&ps->cmds_buf, &ps->cmds_len);
	if (!ps->cmds) {
		render_plot_cancel(ps);
		return -ENOMEM;
	}
	*ret_data = ps->data;
	*ret_gp = ps->cmds;
	return 0;
}

/* render_plot_data - 'pN.dat', N the plot being made. */
void render_plot_data(const struct render_plots *ps, FILE *gp)
{
	fprintf(gp, "'p%zu.dat'", ps->n);
}

/* render_gp_set - one escaped string setting. */
void render_gp_set(FILE *gp, const char *what, const char *fmt, ...)
{
	char *text;
	va_list ap;

	va_start(ap, fmt);
	text = render_vfmt(fmt, ap);
	va_end(ap);
	fprintf(gp, "set %s ", what);
	render_gp_string(gp, text ? text : "");
	fputc('\n', gp);
	free(text);
}

/* render_plot_series - one more series of the plot command: data block @index, as steps. */
void render_plot_series(const struct render_plots *ps, FILE *gp, size_t index, const char *title)
{
	if (index) {
		fputs(", ''", gp);
	} else {
		fputc(' ', gp);
		render_plot_data(ps, gp);
	}
	fprintf(gp, " index %zu using 1:2 with steps lw 2 title ", index);
	render_gp_string(gp, title);
}

/* close_current - close the plot's streams; 0 or -EIO if one could not be written. */
static int close_current(struct render_plots *ps)
{
	int r = 0;

	if (ps->data && fclose(ps->data) != 0)
		r = -EIO;
	if (ps->cmds && fclose(ps->cmds) != 0)
		r = -EIO;
	ps->data = NULL;
	ps->cmds = NULL;
	return r;
}

/* render_plot_commit - its caption, and its commands into the script for both terminals. */
int render_plot_commit(struct render_plots *ps, const char *fmt, ...)
{
	struct render_plot *p = &ps->v[ps->n];
	va_list ap;
	int r = close_current(ps);

	va_start(ap, fmt);
	if (r == 0) {
		p->caption = render_vfmt(fmt, ap);
		r = p->caption ? 0 : -ENOMEM;
	}
	va_end(ap);
	if (r == 0) {
		fprintf(ps->script, "reset\nset grid lc rgb '#dddddd'\n%s'p%zu'\n"
			"set output 'p%zu.svg'\n", svg_term, ps->n, ps->n);
		fwrite(ps->cmds_buf, 1, ps->cmds_len, ps->script);
		fprintf(ps->script, "%sset output 'p%zu.png'\nreplot\nunset output\n", png_term,
			ps->n);
		ps->n++;
	}
	free(ps->cmds_buf);
	ps->cmds_buf = NULL;
	return r;
}

/* render_plot_cancel - forget the plot being made and its data file. */
void render_plot_cancel(struct render_plots *ps)
{
	char path[PATH_MAX + 32];

	close_current(ps);
	free(ps->cmds_buf);
	ps->cmds_buf = NULL;
	snprintf(path, sizeof(path), "%s/p%zu.dat", ps->dir, ps->n);
	unlink(path);
}

/* read_svg - <dir>/pN.svg from its "<svg" on, into @p->svg. */
static int read_svg(struct render_plots *ps, size_t i)
{
	char path[PATH_MAX + 32], *buf = NULL, *start;
	size_t len = 0;
	FILE *f, *m;
	int c, r = 0;

	snprintf(path, sizeof(path), "%s/p%zu.svg", ps->dir, i);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	m = open_memstream(&buf, &len);
	if (!m) {
		fclose(f);
		return -ENOMEM;
	}
	while ((c = getc(f)) != EOF)
		putc(c, m);
	if (ferror(f))
		r = -EIO;
	fclose(f);
	if (fclose(m) != 0)
		r = -ENOMEM;
	start = buf ? strstr(buf, "<svg") : NULL;
	if (r == 0 && !start)
		r = -EPROTO;
	if (r == 0) {
		memmove(buf, start, len - (size_t)(start - buf) + 1);
		ps->v[i].svg = buf;
		return 0;
	}
	free(buf);
	return r;
}

/* render_plots_run - draw, then collect both outputs of every plot. */
int render_plots_run(struct render_plots *ps, const char *gnuplot, char *err, size_t err_size)
{
	char from[PATH_MAX + 32], to[PATH_MAX + 64];
	int r = fclose(ps->script) == 0 ? 0 : -EIO;

	ps->script = NULL;
	if (r < 0)
		return render_err(err, err_size, r, "%s/plot.gp: cannot be written", ps->dir);
	if (ps->n == 0)
		return 0;
	r = render_gnuplot_run(gnuplot, ps->dir, "plot.gp", "gnuplot.log", err, err_size);
	for (size_t i = 0; r == 0 && i < ps->n; i++) {
		r = read_svg(ps, i);
		if (r < 0)
			return render_err(err, err_size, r, "gnuplot made no SVG for %s (%s)",
					  ps->v[i].stem, strerror(-r));
		snprintf(from, sizeof(from), "%s/p%zu.png", ps->dir, i);
		snprintf(to, sizeof(to), "%s/%s.png", ps->out, ps->v[i].stem);
		if (rename(from, to) < 0)
			return render_err(err, err_size, -errno, "%s: %s", to, strerror(errno));
	}
	return r;
}

/* remove_dir - the private folder and the files in it. */
static void remove_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(path);
}

/* render_plots_free - everything, the private folder included. */
void render_plots_free(struct render_plots *ps)
{
	close_current(ps);
	free(ps->cmds_buf);
	if (ps->script)
		fclose(ps->script);
	if (ps->dir[0])
		remove_dir(ps->dir);
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].caption);
		free(ps->v[i].svg);
	}
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}
