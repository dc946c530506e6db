/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-escape.c - escaping for HTML, terminals and gnuplot strings; finding and running gnuplot. */
#include "render/render-internal.h"

#include "test-run.h"

/* escaped - what @fn writes for @s (static buffer, one at a time). */
static const char *escaped(void (*fn)(FILE *, const char *), const char *s)
{
	static char out[1024];
	FILE *f;

	memset(out, 0, sizeof(out));
	f = fmemopen(out, sizeof(out), "w");
	cr_assert_not_null(f);
	fn(f, s);
	fclose(f);
	return out;
}

/* The five HTML characters become entities, in text and attribute values alike. */
Test(escape, html_entities)
{
	cr_assert_str_eq(escaped(render_html, "<a href=\"x\">'&'</a>"),
			 "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	cr_assert_str_eq(escaped(render_html, "&amp;"), "&amp;amp;");
	cr_assert_str_eq(escaped(render_html, NULL), "");
}

/* UTF-8, newlines and tabs stay (for <pre>); controls and bad bytes become \xHH. */
Test(escape, html_controls_and_bad_utf8)
{
	cr_assert_str_eq(escaped(render_html, "é µs\n\tx"), "é µs\n\tx");
	cr_assert_str_eq(escaped(render_html, "a\x01\x1b[31m\r"), "a\\x01\\x1b[31m\\x0d");
	cr_assert_str_eq(escaped(render_html, "\xff\xc3("), "\\xff\\xc3(");
	cr_assert_str_eq(escaped(render_html, "\xc2\x9b" "2J"), "\\xc2\\x9b2J");
}

/* For a terminal: every control (newline included) and the backslash as \xHH. */
Test(escape, text_for_terminals)
{
	cr_assert_str_eq(escaped(render_text, "a\\b\nc\x7f"), "a\\x5cb\\x0ac\\x7f");
	cr_assert_str_eq(escaped(render_text, "<ok> & 'fine' é"), "<ok> & 'fine' é");
	cr_assert_str_eq(escaped(render_text, "\x1b]0;title\x07"), "\\x1b]0;title\\x07");
}

/* render_text_buf truncates to the buffer and always terminates it. */
Test(escape, text_into_a_buffer)
{
	char buf[8];

	cr_assert_str_eq(render_text_buf("abc\n", buf, sizeof(buf)), "abc\\x0a");
	cr_assert_str_eq(render_text_buf("abcdefghijkl", buf, sizeof(buf)), "abcdefg");
}

/* A gnuplot literal: quotes doubled, controls as '?', so nothing ends the literal or the line. */
Test(escape, gnuplot_string)
{
	cr_assert_str_eq(escaped(render_gp_string, "it's\nsystem 'id'"),
			 "'it''s?system ''id'''");
	cr_assert_str_eq(escaped(render_gp_string, "`id` @x \\n é"), "'`id` @x \\n é'");
	cr_assert_str_eq(escaped(render_gp_string, "\xff"), "'?'");
}

/* Probe values for people: no exponent form for ordinary magnitudes. */
Test(escape, numbers)
{
	char b[32];

	cr_assert_str_eq(render_num(22879.4, b, sizeof(b)), "22879");
	cr_assert_str_eq(render_num(13.794, b, sizeof(b)), "13.79");
	cr_assert_str_eq(render_num(0.0123, b, sizeof(b)), "0.012");
	cr_assert_str_eq(render_num(0, b, sizeof(b)), "0");
	cr_assert_str_eq(render_num(2e-5, b, sizeof(b)), "2e-05");
}

/* Not found, the message names the package to install. */
Test(escape, gnuplot_missing_names_the_package)
{
	char path[PATH_MAX], err[512], dir[64], file[128];
	FILE *f;

	cr_assert_eq(render_gnuplot_find("rtlab-no-such-gnuplot", path, sizeof(path), err,
					 sizeof(err)), -ENOENT);
	cr_assert(strstr(err, "gnuplot-nox"), "%s", err);
	cr_assert(strstr(err, "rtlab-no-such-gnuplot"), "%s", err);
	/* A file that is not executable. */
	tmp_dir(dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/gnuplot", dir);
	f = fopen(file, "w");
	cr_assert_not_null(f);
	fclose(f);
	cr_assert_eq(render_gnuplot_find(file, path, sizeof(path), err, sizeof(err)), -ENOENT);
	cr_assert(strstr(err, "gnuplot-nox"), "%s", err);
	cr_assert(strstr(err, "not an executable program"), "%s", err);
	rm_tree(dir);
}

/*
 * A title made to break out of its string runs nothing in gnuplot: the file the
 * injected commands would make is not there, and the text is in the SVG, escaped.
 */
Test(escape, gnuplot_title_cannot_inject)
{
	char dir[64], gp[PATH_MAX], path[PATH_MAX + 32], err[512], evil[512];
	char *svg;
	FILE *f;

	if (!have_gnuplot())
		cr_skip_test("gnuplot is not installed (package gnuplot-nox)");
	tmp_dir(dir, sizeof(dir));
	snprintf(evil, sizeof(evil), "t<b>&'\nsystem 'touch %s/pwned'\nprint '`touch %s/pwned2`",
		 dir, dir);
	snprintf(path, sizeof(path), "%s/plot.gp", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("set terminal svg noenhanced\nset output 'p.svg'\nset title ", f);
	render_gp_string(f, evil);
	fputs("\nplot x notitle\n", f);
	fclose(f);
	cr_assert_eq(render_gnuplot_find(NULL, gp, sizeof(gp), err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(render_gnuplot_run(gp, dir, "plot.gp", "log", err, sizeof(err)), 0, "%s",
		     err);
	snprintf(path, sizeof(path), "%s/pwned", dir);
	cr_assert_neq(access(path, F_OK), 0, "the injected command ran");
	snprintf(path, sizeof(path), "%s/pwned2", dir);
	cr_assert_neq(access(path, F_OK), 0, "the backquoted command ran");
	svg = slurp_in(dir, "p.svg");
	cr_assert(strstr(svg, "t&lt;b>&amp;'?system 'touch "), "title not found in the SVG");
	free(svg);
	rm_tree(dir);
}

/* A failing script: -EIO with gnuplot's own words. */
Test(escape, gnuplot_failure_is_reported)
{
	char dir[64], gp[PATH_MAX], path[PATH_MAX + 16], err[512];
	FILE *f;

	if (!have_gnuplot())
		cr_skip_test("gnuplot is not installed (package gnuplot-nox)");
	tmp_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/bad.gp", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("set terminal svg\nset output 'p.svg'\nplot 'no-such-file.dat' using 1:2\n", f);
	fclose(f);
	cr_assert_eq(render_gnuplot_find("gnuplot", gp, sizeof(gp), err, sizeof(err)), 0);
	cr_assert_eq(render_gnuplot_run(gp, dir, "bad.gp", "log", err, sizeof(err)), -EIO);
	cr_assert(strstr(err, "gnuplot failed"), "%s", err);
	cr_assert(strstr(err, "no-such-file.dat"), "%s", err);
	rm_tree(dir);
}
