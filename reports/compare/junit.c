/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* junit.c - JUnit XML of a comparison: one testsuite, one testcase per check. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare-internal.h"

/* The counts and stamps of the one testsuite. */
struct suite {
	size_t tests, failures, errors;
	double seconds;
	time_t when;
	const char *hostname;
};

/* attr - ` NAME="VALUE"`, the value escaped. */
static void attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	cmp_xml_put(f, value);
	putc('"', f);
}

/* property - one <property name= value=/>. */
static void property(FILE *f, const char *name, const char *value)
{
	fputs("      <property", f);
	attr(f, "name", name);
	attr(f, "value", value);
	fputs("/>\n", f);
}

/* suite_open - a memory stream into *@text, up to the <testsuite> tag; NULL on -ENOMEM. */
static FILE *suite_open(const struct suite *s, char **text)
{
	char when[32];
	size_t len;
	FILE *f = open_memstream(text, &len);

	if (!f)
		return NULL;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<testsuites name=\"rtlab compare\" tests=\"%zu\" failures=\"%zu\" "
		   "errors=\"%zu\" time=\"%.3f\">\n", s->tests, s->failures, s->errors, s->seconds);
	fprintf(f, "  <testsuite name=\"rtlab compare\" tests=\"%zu\" failures=\"%zu\" "
		   "errors=\"%zu\" skipped=\"0\" time=\"%.3f\" timestamp=\"%s\"", s->tests,
		s->failures, s->errors, s->seconds, cmp_utc_text(s->when, when, sizeof(when)));
	attr(f, "hostname", s->hostname);
	fputs(">\n", f);
	return f;
}

/* finish - close the memory stream of *@text; the text in *@ret, or -ENOMEM. */
static int finish(FILE *f, char **text, char **ret)
{
	bool bad;

	fputs("  </testsuite>\n</testsuites>\n", f);
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		free(*text);
		return -ENOMEM;
	}
	*ret = *text;
	return 0;
}

/* run_properties - the runs, the thresholds (@th, their text) and the facts that differ. */
static void run_properties(FILE *f, const struct rtlab_compare *c, const char *th)
{
	char name[64];

	fputs("    <properties>\n", f);
	property(f, "base", c->base_path);
	property(f, "new", c->head_path);
	property(f, "base.start_utc", c->base.start_utc);
	property(f, "new.start_utc", c->head.start_utc);
	property(f, "base.status", c->base.status);
	property(f, "thresholds", th);
	property(f, "thresholds.source", rtlab_compare_source_text(c));
	for (size_t i = 0; i < c->nfacts; i++) {
		snprintf(name, sizeof(name), "base.%s", c->facts[i].name);
		property(f, name, c->facts[i].base);
		snprintf(name, sizeof(name), "new.%s", c->facts[i].name);
		property(f, name, c->facts[i].head);
	}
	fputs("    </properties>\n", f);
}

/* testcase - one check: its task and rule, a <failure> if it failed. */
static void testcase(FILE *f, const struct rtlab_compare *c, const struct rtlab_compare_check *k)
{
	char rule[64], text[256], cls[128];

	snprintf(cls, sizeof(cls), "rtlab compare.%s", c->rows[k->row].head->name);
	rtlab_compare_check_text(k, text, sizeof(text));
	fputs("    <testcase", f);
	attr(f, "classname", cls);
	attr(f, "name", cmp_threshold_rule(k->th, rule, sizeof(rule)));
	fputs(" time=\"0\">\n", f);
	if (!k->pass) {
		fputs("      <failure type=\"regression\"", f);
		attr(f, "message", text);
		fputs(">threshold ", f);
		cmp_xml_put(f, k->th->text);
		fputs(": ", f);
		cmp_xml_put(f, text);
		fputs("</failure>\n", f);
	} else {
		fputs("      <system-out>", f);
		cmp_xml_put(f, text);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

/* rtlab_compare_junit - the whole report. */
int rtlab_compare_junit(const struct rtlab_compare *c, time_t when, char **ret)
{
	struct suite s = { c->nchecks, c->failures, 0, (double)c->elapsed_ns / 1e9, when,
			   c->head.hostname };
	char *text = NULL, *th = cmp_thresholds_text(c->thresholds);
	FILE *f = th ? suite_open(&s, &text) : NULL;

	if (!f) {
		free(th);
		return -ENOMEM;
	}
	run_properties(f, c, th);
	free(th);
	for (size_t i = 0; i < c->nchecks; i++)
		testcase(f, c, &c->checks[i]);
	if (c->nwarnings) {
		fputs("    <system-out>", f);
		for (size_t i = 0; i < c->nwarnings; i++) {
			fputs("warning: ", f);
			cmp_xml_put(f, c->warnings[i]);
			fputs("&#10;", f);
		}
		fputs("</system-out>\n", f);
	}
	return finish(f, &text, ret);
}

/* rtlab_compare_junit_error - one testcase in error. */
int rtlab_compare_junit_error(const char *message, time_t when, char **ret)
{
	struct suite s = { 1, 0, 1, 0, when, "" };
	char *text = NULL;
	FILE *f = suite_open(&s, &text);

	if (!f)
		return -ENOMEM;
	fputs("    <testcase classname=\"rtlab compare\" name=\"compare\" time=\"0\">\n"
	      "      <error type=\"error\"", f);
	attr(f, "message", message);
	fputs(">", f);
	cmp_xml_put(f, message);
	fputs("</error>\n    </testcase>\n", f);
	return finish(f, &text, ret);
}
