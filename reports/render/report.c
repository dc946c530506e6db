/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* report.c - a run's report: open the run, draw the plots, write report.html and summary.txt. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/render-internal.h"

#define DEFAULT_SPIKES 10
#define DEFAULT_MAX_POINTS 5000

struct rtlab_report {
	struct render_run run;
	char dir[PATH_MAX];		/* the run folder */
	char **files;			/* written by the last rtlab_report_write() */
	size_t nfiles;
};

/* What one output file is made from. */
struct out_file {
	const char *name;
	bool html;
	const struct render_run *run;
	const struct rtlab_spike *sp;
	size_t nsp;
	const struct render_plots *ps;
};

/* run_dir - the run folder of @run (a folder, or a file in it) into @dir; 0 or -errno. */
static int run_dir(const char *run, char *dir, size_t size, char *err, size_t err_size)
{
	char copy[PATH_MAX];
	struct stat sb;

	if (stat(run, &sb) < 0)
		return render_err(err, err_size, -ENOENT, "%s: no such file or folder", run);
	if (snprintf(copy, sizeof(copy), "%s", run) >= (int)sizeof(copy))
		return render_err(err, err_size, -ENAMETOOLONG, "%s: path too long", run);
	snprintf(dir, size, "%s", S_ISDIR(sb.st_mode) ? run : dirname(copy));
	if (S_ISDIR(sb.st_mode)) {
		char db[PATH_MAX + 8];

		snprintf(db, sizeof(db), "%s/run.db", run);
		if (stat(db, &sb) < 0)
			return render_err(err, err_size, -ENOENT, "%s: not a run (no run.db)", run);
	}
	return 0;
}

/* rtlab_report_open - the run store and what the report reads first. */
int rtlab_report_open(const char *run, struct rtlab_report **ret, char *err, size_t err_size)
{
	struct rtlab_report *rep = calloc(1, sizeof(*rep));
	int r;

	if (!rep)
		return render_err(err, err_size, -ENOMEM, "out of memory");
	r = run_dir(run, rep->dir, sizeof(rep->dir), err, err_size);
	if (r == 0) {
		r = rtlab_store_open(run, false, &rep->run.st);
		if (r == -EPROTO)
			render_err(err, err_size, r, "%s: not a run (not an rtlab run store, or "
				   "one from a newer rtlab)", run);
		else if (r < 0)
			render_err(err, err_size, r, "%s: cannot open the run store: %s", run,
				   strerror(-r));
	}
	if (r == 0) {
		r = render_run_read(&rep->run);
		if (r < 0)
			render_err(err, err_size, r, "%s: %s", rtlab_store_path(rep->run.st),
				   r == -EPROTO ? "not a run (no run row)" : strerror(-r));
	}
	if (r < 0) {
		rtlab_report_free(rep);
		return r;
	}
	*ret = rep;
	return 0;
}

/* forget_files - the list of the previous write. */
static void forget_files(struct rtlab_report *rep)
{
	for (size_t i = 0; i < rep->nfiles; i++)
		free(rep->files[i]);
	free(rep->files);
	rep->files = NULL;
	rep->nfiles = 0;
}

/* add_file - "@dir/@name@ext" to the list of written files. */
static int add_file(struct rtlab_report *rep, const char *dir, const char *name, const char *ext)
{
	char *path = NULL;
	void *v = realloc(rep->files, (rep->nfiles + 1) * sizeof(*rep->files));

	if (!v)
		return -ENOMEM;
	rep->files = v;
	if (asprintf(&path, "%s/%s%s", dir, name, ext) < 0)
		return -ENOMEM;
	rep->files[rep->nfiles++] = path;
	return 0;
}

/* write_out - @o into @dir/@o->name through a temporary file, renamed when complete. */
static int write_out(const char *dir, const struct out_file *o, char *err, size_t err_size)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 32];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, o->name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, o->name);
	f = fopen(tmp, "we");
	if (!f)
		return render_err(err, err_size, -errno, "%s: %s", tmp, strerror(errno));
	r = o->html ? render_html_report(f, o->run, o->sp, o->nsp, o->ps) :
		      render_summary_text(f, o->run, o->sp, o->nsp);
	if (fclose(f) != 0 && r == 0)
		r = -EIO;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return render_err(err, err_size, r, "%s: cannot be written: %s", path,
				  strerror(-r));
	}
	return 0;
}

/* out_folder - the output folder, made if missing, into *@ret; 0 or -errno. */
static int out_folder(const struct rtlab_report *rep, const struct rtlab_report_opts *o,
		      const char **ret, char *err, size_t err_size)
{
	const char *out = o && o->out_dir ? o->out_dir : rep->dir;
	struct stat sb;

	if (mkdir(out, 0755) < 0 && errno != EEXIST)
		return render_err(err, err_size, -errno, "%s: cannot make the folder: %s", out,
				  strerror(errno));
	if (stat(out, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return render_err(err, err_size, -ENOTDIR, "%s: not a folder", out);
	*ret = out;
	return 0;
}

/* draw - every plot, drawn by gnuplot; 0 or -errno with the message in @err. */
static int draw(struct render_plots *ps, const struct render_run *run, unsigned max_points,
		const char *gnuplot, char *err, size_t err_size)
{
	int r = render_plot_latency(ps, run, max_points);

	if (r == 0)
		r = render_plot_system(ps, run);
	if (r < 0)
		return render_err(err, err_size, r, "%s: reading the samples to plot: %s",
				  rtlab_store_path(run->st), strerror(-r));
	return render_plots_run(ps, gnuplot, err, err_size);
}

/* explain - the explained spikes into @run->corr; 0 or -errno with the message in @err. */
static int explain(struct render_run *run, const struct rtlab_report_opts *o,
		   struct rtlab_corr **ret, char *err, size_t err_size)
{
	struct rtlab_corr_opts co = { o ? o->explain : 0, o ? o->window_ns : 0 };
	int r = rtlab_corr_read(run->st, &co, ret);

	if (r < 0)
		return render_err(err, err_size, r, "%s: explaining the spikes: %s",
				  rtlab_store_path(run->st), strerror(-r));
	run->corr = *ret;
	return 0;
}

/* write_json - @out/spikes.json from @corr, through a temporary file; 0 or -errno. */
static int write_json(struct rtlab_report *rep, const char *out, const struct rtlab_corr *corr,
		      char *err, size_t err_size)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 32], *text = NULL;
	FILE *f;
	int r = rtlab_corr_json(corr, &text);

	if (r < 0)
		return render_err(err, err_size, r, "out of memory");
	snprintf(path, sizeof(path), "%s/spikes.json", out);
	snprintf(tmp, sizeof(tmp), "%s/.spikes.json.tmp", out);
	f = fopen(tmp, "we");
	if (!f)
		r = -errno;
	if (f && (fputs(text, f) < 0 || fputc('\n', f) < 0))
		r = -EIO;
	if (f && fclose(f) != 0 && r == 0)
		r = -EIO;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	free(text);
	if (r < 0) {
		unlink(tmp);
		return render_err(err, err_size, r, "%s: cannot be written: %s", path,
				  strerror(-r));
	}
	return add_file(rep, out, "spikes.json", "");
}

/* write_all - the plots, summary.txt and report.html into @out, and the list of files. */
static int write_all(struct rtlab_report *rep, const char *out, const char *gnuplot,
		     const struct rtlab_report_opts *o, char *err, size_t err_size)
{
	struct out_file files[2] = { { "report.html", true, &rep->run, NULL, 0, NULL },
				     { "summary.txt", false, &rep->run, NULL, 0, NULL } };
	struct render_plots ps;
	struct rtlab_spike *sp = NULL;
	struct rtlab_corr *corr = NULL;
	size_t nsp = 0;
	int r = render_plots_init(&ps, out, err, err_size);

	if (r == 0) {
		r = rtlab_spikes_read(rep->run.st, o && o->spikes ? o->spikes : DEFAULT_SPIKES,
				      &sp, &nsp);
		if (r < 0)
			render_err(err, err_size, r, "%s: reading the spikes: %s",
				   rtlab_store_path(rep->run.st), strerror(-r));
	}
	if (r == 0)
		r = explain(&rep->run, o, &corr, err, err_size);
	if (r == 0)
		r = draw(&ps, &rep->run, o && o->max_points ? o->max_points : DEFAULT_MAX_POINTS,
			 gnuplot, err, err_size);
	for (size_t i = 0; r == 0 && i < 2; i++) {
		files[i].sp = sp;
		files[i].nsp = nsp;
		files[i].ps = &ps;
		r = write_out(out, &files[i], err, err_size);
		if (r == 0)
			r = add_file(rep, out, files[i].name, "");
	}
	if (r == 0 && o && o->json)
		r = write_json(rep, out, corr, err, err_size);
	for (size_t i = 0; r == 0 && i < ps.n; i++)
		r = add_file(rep, out, ps.v[i].stem, ".png");
	if (r == -ENOMEM)
		render_err(err, err_size, r, "out of memory");
	rep->run.corr = NULL;
	rtlab_corr_free(corr);
	free(sp);
	render_plots_free(&ps);
	return r;
}

/* rtlab_report_write - gnuplot first (nothing is written without it), then everything. */
int rtlab_report_write(struct rtlab_report *rep, const struct rtlab_report_opts *opts,
		       char *err, size_t err_size)
{
	char gnuplot[PATH_MAX];
	const char *out = NULL;
	int r;

	forget_files(rep);
	r = render_gnuplot_find(opts ? opts->gnuplot : NULL, gnuplot, sizeof(gnuplot), err,
				err_size);
	if (r < 0)
		return r;
	r = out_folder(rep, opts, &out, err, err_size);
	if (r < 0)
		return r;
	return write_all(rep, out, gnuplot, opts, err, err_size);
}

/* rtlab_report_nfiles - how many files the last write made. */
size_t rtlab_report_nfiles(const struct rtlab_report *rep)
{
	return rep->nfiles;
}

/* rtlab_report_file - file @i. */
const char *rtlab_report_file(const struct rtlab_report *rep, size_t i)
{
	return i < rep->nfiles ? rep->files[i] : NULL;
}

/* rtlab_report_free - the store, the run, the file list. */
struct rtlab_report *rtlab_report_free(struct rtlab_report *rep)
{
	if (!rep)
		return NULL;
	forget_files(rep);
	render_run_free(&rep->run);
	rtlab_store_close(rep->run.st);
	free(rep);
	return NULL;
}
