/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-output.c - JUnit XML (well-formed, escaped) and JSON (parses back) of a comparison. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rtlab/compare.h>

#include "runs.h"

/* A task name and a hostname that must not reach XML or JSON as they are. */
#define NASTY_TASK "a<b&\"c'"
#define NASTY_HOST_SQL "UPDATE run SET hostname = CAST(X'686f73741b5b33316dff41' AS TEXT)"
#define NASTY_HOST_ESCAPED "host\\x1b[31m\\xffA"

/* nasty_compare - runs with NASTY_TASK (NEW 20% slower, NASTY host), compared on 2 thresholds. */
static struct rtlab_compare *nasty_compare(void)
{
	const struct test_task b[] = { { NASTY_TASK, 100, 1000, 0, 0 } };
	const struct test_task h[] = { { NASTY_TASK, 100, 1200, 0, 0 } };
	struct rtlab_compare *c;
	char err[512] = "";

	test_run(test_base, NULL, b, 1, RTLAB_RUN_COMPLETE);
	test_run(test_head, NULL, h, 1, RTLAB_RUN_COMPLETE);
	test_run_set(test_head, NASTY_HOST_SQL);
	cr_assert_eq(test_compare("p99=+10%,misses=0", &c, err, sizeof(err)), 0, "%s", err);
	return c;
}

#define NAME_START "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:"
#define NAME_CHARS NAME_START "0123456789.-"

/* xml_name - skip an XML name at *@p; its length (0: none there). */
static size_t xml_name(const char **p)
{
	size_t n;

	if (!**p || !strchr(NAME_START, **p))
		return 0;
	n = strspn(*p, NAME_CHARS);
	*p += n;
	return n;
}

/* xml_ref - the length of the reference after '&' at @p with its ';' (0: not one). */
static size_t xml_ref(const char *p)
{
	static const char *const named[] = { "amp;", "lt;", "gt;", "quot;", "apos;" };
	size_t n;

	for (size_t i = 0; i < 5; i++)
		if (strncmp(p, named[i], strlen(named[i])) == 0)
			return strlen(named[i]);
	if (p[0] != '#')
		return 0;
	n = strspn(p + 1, "0123456789");
	return n && p[1 + n] == ';' ? n + 2 : 0;
}

/* xml_chars - text up to @stop: references valid, no '<', no control but tab and newline. */
static const char *xml_chars(const char *p, char stop)
{
	while (*p && *p != stop) {
		size_t n;

		if (*p == '<' || ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t'))
			return NULL;
		n = *p == '&' ? xml_ref(p + 1) : 0;
		if (*p == '&' && !n)
			return NULL;
		p += 1 + n;
	}
	return *p ? p : NULL;
}

/* xml_tag - a start tag after '<' (name, quoted attributes); pushed unless it ends "/>". */
static const char *xml_tag(const char *p, char (*stack)[64], int *depth)
{
	const char *name = p;
	size_t n = xml_name(&p);

	if (!n || n >= 64 || *depth >= 16)
		return NULL;
	for (;;) {
		while (*p == ' ' || *p == '\n')
			p++;
		if (p[0] == '/' && p[1] == '>')
			return p + 2;
		if (*p == '>') {
			memcpy(stack[*depth], name, n);
			stack[(*depth)++][n] = '\0';
			return p + 1;
		}
		if (!xml_name(&p) || *p++ != '=' || *p++ != '"')
			return NULL;
		p = xml_chars(p, '"');
		if (!p)
			return NULL;
		p++;
	}
}

/* xml_check - NULL if @x is well-formed (one root, balanced, escaped), else what is wrong. */
static const char *xml_check(const char *x)
{
	char stack[16][64];
	int depth = 0, roots = 0;
	const char *p = x;

	if (strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) != 0)
		return "no XML declaration";
	p += 39;
	while (*p) {
		if (*p != '<') {
			p = xml_chars(p, '<');
			if (!p)
				return "bad character data";
		} else if (p[1] == '/') {
			const char *name = p + 2;
			size_t n;

			p = name;
			n = xml_name(&p);
			if (!depth || strlen(stack[depth - 1]) != n ||
			    strncmp(stack[depth - 1], name, n) != 0 || *p++ != '>')
				return "end tag without its start tag";
			if (--depth == 0 && *p == '\n' && !p[1])
				return NULL;
		} else {
			if (depth == 0 && roots++)
				return "two root elements";
			p = xml_tag(p + 1, stack, &depth);
			if (!p)
				return "bad start tag";
		}
	}
	return depth ? "an element is not closed" : "no root element";
}

/* count - occurrences of @needle in @s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s++;
	}
	return n;
}

TestSuite(output, .fini = test_runs_remove);

/* The checker itself refuses what is not well-formed. */
Test(output, xml_checker)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	static const char *const bad[] = {
		"<a><b></a></b>\n", "<a x=\"<\"/>\n", "<a>&nbsp;</a>\n", "<a>x & y</a>\n",
		"<a>\x1b</a>\n", "<a></a><b/>\n", "<a x='1'/>\n", "<a>\n",
	};
	char doc[128];

	snprintf(doc, sizeof(doc), "%s<a x=\"&lt;&#10;\"><b/>t&amp;&gt;</a>\n", decl);
	cr_assert_null(xml_check(doc), "%s", xml_check(doc));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(doc, sizeof(doc), "%s%s", decl, bad[i]);
		cr_assert_not_null(xml_check(doc), "%s", bad[i]);
	}
}

/* JUnit: well-formed, counts right, names and facts from the run escaped, stamped. */
Test(output, junit)
{
	struct rtlab_compare *c = nasty_compare();
	char *x = NULL;

	cr_assert_eq(c->failures, 1);
	cr_assert_eq(rtlab_compare_junit(c, 1700000000, &x), 0);
	cr_assert_null(xml_check(x), "%s:\n%s", xml_check(x), x);
	cr_assert(strstr(x, "<testsuite name=\"rtlab compare\" tests=\"2\" failures=\"1\" "
			    "errors=\"0\" skipped=\"0\" time=\""), "%s", x);
	cr_assert(strstr(x, "timestamp=\"2023-11-14T22:13:20\""), "%s", x);
	cr_assert(strstr(x, "hostname=\"" NASTY_HOST_ESCAPED "\""), "%s", x);
	cr_assert_eq(count(x, "<testcase "), 2);
	cr_assert_eq(count(x, "<failure "), 1);
	cr_assert_eq(count(x, "classname=\"rtlab compare.a&lt;b&amp;&quot;c&apos;\""), 2, "%s",
		     x);
	cr_assert(strstr(x, "name=\"p99=+10%\""), "%s", x);
	cr_assert(strstr(x, "<failure type=\"regression\" message=\"NEW 118.80us &gt; limit "
			    "108.90us = BASE 99.00us +10%\">"), "%s", x);
	cr_assert(strstr(x, "<property name=\"thresholds\" value=\"p99=+10%,misses=0\"/>"));
	cr_assert(strstr(x, "<property name=\"thresholds.source\" value=\"given\"/>"));
	cr_assert(strstr(x, "<property name=\"new.hostname\" value=\"" NASTY_HOST_ESCAPED "\"/>"),
		  "%s", x);
	cr_assert_null(strstr(x, "a<b"));
	cr_assert_null(strchr(x, 0x1b));
	free(x);
	rtlab_compare_free(c);
}

/* A comparison that could not be made is one testcase in error. */
Test(output, junit_error)
{
	char *x = NULL;

	cr_assert_eq(rtlab_compare_junit_error("NEW 'r<&>' is interrupted", 0, &x), 0);
	cr_assert_null(xml_check(x), "%s:\n%s", xml_check(x), x);
	cr_assert(strstr(x, "tests=\"1\" failures=\"0\" errors=\"1\""), "%s", x);
	cr_assert(strstr(x, "timestamp=\"1970-01-01T00:00:00\""), "%s", x);
	cr_assert(strstr(x, "<error type=\"error\" message=\"NEW &apos;r&lt;&amp;&gt;&apos; is "
			    "interrupted\">"), "%s", x);
	cr_assert_eq(count(x, "<testcase "), 1);
	free(x);
}

/* JSON: parses back (even with invalid UTF-8 in a run file), with the table and checks. */
Test(output, json)
{
	struct rtlab_compare *c = nasty_compare();
	json_error_t jerr;
	json_t *o, *task, *p99, *checks;
	char *text = NULL;

	cr_assert_eq(rtlab_compare_json(c, &text), 0);
	o = json_loads(text, 0, &jerr);
	cr_assert_not_null(o, "%s: %s", jerr.text, text);
	cr_assert_str_eq(json_string_value(json_object_get(o, "result")), "regression");
	cr_assert_eq(json_integer_value(json_object_get(o, "failures")), 1);
	cr_assert_eq(json_integer_value(json_object_get(o, "checked")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "new"),
							   "hostname")), NASTY_HOST_ESCAPED);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "thresholds"),
							   "source")), "given");
	task = json_array_get(json_object_get(o, "tasks"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(task, "task")), NASTY_TASK);
	cr_assert(json_is_true(json_object_get(task, "in_base")));
	p99 = json_object_get(json_object_get(task, "metrics"), "p99");
	cr_assert_eq(json_integer_value(json_object_get(p99, "base")), 99000);
	cr_assert_eq(json_integer_value(json_object_get(p99, "new")), 118800);
	cr_assert_eq(json_integer_value(json_object_get(p99, "delta")), 19800);
	cr_assert_float_eq(json_real_value(json_object_get(p99, "delta_pct")), 20.0, 1e-9);
	cr_assert_str_eq(json_string_value(json_object_get(p99, "verdict")), "fail");
	cr_assert(json_is_null(json_object_get(json_object_get(json_object_get(task, "metrics"),
							       "p50"), "verdict")));
	checks = json_object_get(o, "checks");
	cr_assert_eq(json_array_size(checks), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(checks, 0),
							   "threshold")), "p99=+10%");
	cr_assert_float_eq(json_real_value(json_object_get(json_array_get(checks, 0), "limit")),
			   108900, 1e-6);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(o,
		"differing_facts"), 0), "fact")), "hostname");
	json_decref(o);
	free(text);
	rtlab_compare_free(c);
}
