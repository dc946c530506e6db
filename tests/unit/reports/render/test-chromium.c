/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-chromium.c - report.html as a browser shows it: headless Chromium dumps
 * the DOM (the plots are <svg> elements there) and takes a screenshot, which is
 * decoded (zlib) to check that the page is drawn: not blank, and in colour.
 */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <zlib.h>

#include "test-run.h"

extern char **environ;

#define SHOT_W 1200
#define SHOT_H 3000

/* find_chromium - "chromium" or "chromium-browser" on PATH into @buf; false if neither. */
static bool find_chromium(char *buf, size_t size)
{
	static const char *const names[] = { "chromium", "chromium-browser" };
	const char *path = getenv("PATH");

	for (size_t i = 0; i < 2; i++) {
		for (const char *p = path ? path : ""; *p;) {
			size_t len = strcspn(p, ":");

			snprintf(buf, size, "%.*s/%s", (int)len, p, names[i]);
			if (access(buf, X_OK) == 0)
				return true;
			p += len + (p[len] == ':');
		}
	}
	return false;
}

/* run_chromium - @prog with @args (stdout into @out), killed after 90 s; its exit status. */
static int run_chromium(const char *prog, char *const *args, const char *out)
{
	posix_spawn_file_actions_t fa;
	time_t end = time(NULL) + 90;
	int status = -1;
	pid_t pid;

	cr_assert_eq(posix_spawn_file_actions_init(&fa), 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	cr_assert_eq(posix_spawn(&pid, prog, &fa, NULL, args, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (time(NULL) > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			cr_assert_fail("chromium did not finish in 90 s");
		}
		nanosleep(&(struct timespec){ 0, 50000000 }, NULL);
	}
	return status;
}

/* be32 - a big-endian 32-bit number. */
static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* paeth - the PNG Paeth predictor. */
static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* unfilter - undo the filter of each row in place (@bpp bytes per pixel). */
static void unfilter(unsigned char *raw, uint32_t w, uint32_t h, int bpp)
{
	size_t stride = (size_t)w * bpp;

	for (uint32_t y = 0; y < h; y++) {
		unsigned char *row = raw + y * (stride + 1), *cur = row + 1;
		const unsigned char *up = y ? row - stride : NULL;

		cr_assert_leq(row[0], 4, "bad PNG filter %d", row[0]);
		for (size_t x = 0; x < stride; x++) {
			int a = x >= (size_t)bpp ? cur[x - bpp] : 0, b = up ? up[x] : 0;
			int c = up && x >= (size_t)bpp ? up[x - bpp] : 0;
			int pred[] = { 0, a, b, (a + b) / 2, paeth(a, b, c) };

			cur[x] = (unsigned char)(cur[x] + pred[row[0]]);
		}
	}
}

/* The screenshot decoded: pixels as RGB(A) rows, each after its filter byte. */
struct image {
	uint32_t w, h;
	int bpp;
	unsigned char *raw;
};

/* png_decode - an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes). */
static void png_decode(const unsigned char *png, size_t len, struct image *img)
{
	unsigned char *idat = NULL;
	size_t nidat = 0;
	uLongf out_len;

	cr_assert(len > 33 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0, "not a PNG");
	img->w = be32(png + 16);
	img->h = be32(png + 20);
	cr_assert_eq(png[24], 8, "bit depth");
	cr_assert(png[25] == 2 || png[25] == 6, "colour type %d", png[25]);
	cr_assert_eq(png[28], 0, "interlaced");
	img->bpp = png[25] == 6 ? 4 : 3;
	for (size_t off = 8; off + 12 <= len;) {
		uint32_t n = be32(png + off);

		cr_assert_leq(off + 12 + n, len);
		if (memcmp(png + off + 4, "IDAT", 4) == 0) {
			idat = realloc(idat, nidat + n);
			cr_assert_not_null(idat);
			memcpy(idat + nidat, png + off + 8, n);
			nidat += n;
		}
		off += 12 + n;
	}
	out_len = (uLongf)img->h * ((uLongf)img->w * img->bpp + 1);
	img->raw = malloc(out_len);
	cr_assert_not_null(img->raw);
	cr_assert_eq(uncompress(img->raw, &out_len, idat, nidat), Z_OK, "IDAT does not inflate");
	cr_assert_eq(out_len, (uLongf)img->h * ((uLongf)img->w * img->bpp + 1));
	free(idat);
	unfilter(img->raw, img->w, img->h, img->bpp);
}

/* Colour statistics of a screenshot. */
struct shot_stats {
	size_t nonwhite;	/* pixels not (near) white */
	size_t colored;		/* pixels clearly not grey: the plots' lines and boxes */
	size_t distinct;	/* distinct colours, quantized to 4 bits a channel */
};

/* stats - count what the screenshot holds. */
static struct shot_stats stats(const struct image *img)
{
	static bool seen[4096];
	struct shot_stats st = { 0 };
	size_t stride = (size_t)img->w * img->bpp + 1;

	memset(seen, 0, sizeof(seen));
	for (uint32_t y = 0; y < img->h; y++) {
		for (uint32_t x = 0; x < img->w; x++) {
			const unsigned char *p = img->raw + y * stride + 1 + (size_t)x * img->bpp;
			int mx = p[0] > p[1] ? p[0] : p[1], mn = p[0] < p[1] ? p[0] : p[1];
			unsigned q = (unsigned)(p[0] >> 4) << 8 | (unsigned)(p[1] >> 4) << 4 |
				     (unsigned)(p[2] >> 4);

			mx = p[2] > mx ? p[2] : mx;
			mn = p[2] < mn ? p[2] : mn;
			st.nonwhite += mn < 240;
			st.colored += mx - mn > 60;
			st.distinct += !seen[q];
			seen[q] = true;
		}
	}
	return st;
}

/* The report as Chromium renders it: its plots are SVG elements, and the page is drawn. */
Test(chromium, report_renders)
{
	char chromium[PATH_MAX], dir[64], url[PATH_MAX], shot[PATH_MAX], dom[PATH_MAX];
	char arg_shot[PATH_MAX + 16], profile[PATH_MAX + 32], err[512];
	unsigned char *png;
	struct image img;
	struct shot_stats st;
	char *text;
	FILE *f;
	long len;

	if (!find_chromium(chromium, sizeof(chromium)))
		cr_skip_test("chromium is not installed (apt-get install --no-install-recommends "
			     "chromium)");
	if (!have_gnuplot())
		cr_skip_test("gnuplot is not installed (package gnuplot-nox)");
	tmp_dir(dir, sizeof(dir));
	{
		struct rtlab_store *s = run_new(dir, "browser", "[scenario]\nname = browser\n");
		struct sample smp[600];

		for (unsigned i = 0; i < 600; i++)
			smp[i] = (struct sample){ T0_NS + i * 1000000ULL, 0,
						  (15 + (i * 37) % 40) * US_NS };
		samples_put(s, task_new(s, "ticker"), smp, 600, NULL, 0);
		run_end(s, dir, RTLAB_RUN_COMPLETE, SEC_NS);
	}
	cr_assert_eq(report_make(dir, NULL, 0, err, sizeof(err)), 0, "%s", err);
	snprintf(url, sizeof(url), "file://%s/report.html", dir);
	snprintf(shot, sizeof(shot), "%s/shot.png", dir);
	snprintf(dom, sizeof(dom), "%s/dom.html", dir);
	snprintf(arg_shot, sizeof(arg_shot), "--screenshot=%s", shot);
	snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", dir);
	{
		char *const dump[] = { chromium, "--headless", "--disable-gpu", "--no-sandbox",
				       profile, "--dump-dom", url, NULL };
		char *const take[] = { chromium, "--headless", "--disable-gpu", "--no-sandbox",
				       profile, arg_shot, "--window-size=1200,3000",
				       "--hide-scrollbars", url, NULL };

		cr_assert_eq(run_chromium(chromium, dump, dom), 0, "chromium --dump-dom failed");
		cr_assert_eq(run_chromium(chromium, take, "/dev/null"), 0,
			     "chromium --screenshot failed");
	}
	text = slurp(dom);
	cr_assert_not_null(text);
	cr_assert_eq(count_str(text, "<svg"), 3, "histogram, time, percentiles as SVG elements");
	cr_assert(strstr(text, "<h1>rtlab report: browser</h1>"));
	free(text);

	f = fopen(shot, "rb");
	cr_assert_not_null(f, "no screenshot");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	png = malloc((size_t)len);
	cr_assert_not_null(png);
	cr_assert_eq(fread(png, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	png_decode(png, (size_t)len, &img);
	cr_assert_eq(img.w, SHOT_W);
	cr_assert_eq(img.h, SHOT_H);
	st = stats(&img);
	/* Text, tables and three plots: far from blank, and the plots in colour. */
	cr_assert_gt(st.nonwhite, (size_t)SHOT_W * SHOT_H / 100, "%zu non-white pixels",
		     st.nonwhite);
	cr_assert_gt(st.colored, 2000, "%zu coloured pixels", st.colored);
	cr_assert_gt(st.distinct, 20, "%zu distinct colours", st.distinct);
	free(img.raw);
	free(png);
	rm_tree(dir);
}
