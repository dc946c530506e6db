/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * prom-parse.h - a strict reader of the Prometheus text format 0.0.4 for the
 * export tests: it checks the grammar of every line (as Prometheus' parser
 * would refuse it) and gives each sample as name, labels sorted into a key
 * "name{a=\"x\",b=\"y\"}", and value.  Header-only: each test includes it once.
 */
#ifndef RTLAB_TEST_PROM_PARSE_H
#define RTLAB_TEST_PROM_PARSE_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PP_KEY_MAX 2048
#define PP_LABELS_MAX 32

struct pp_sample {
	char name[256];
	char key[PP_KEY_MAX];	/* name and labels sorted by name, values unescaped */
	char type[16];		/* from the metric's # TYPE line, "" if none */
	double value;
};

/* The labels of one line, unescaped, in the order of the line. */
struct pp_labels {
	char l[PP_LABELS_MAX][2][512];
	int n;
};

struct pp_set {
	struct pp_sample *s;
	size_t n, cap;
	int helps, types;	/* # HELP and # TYPE lines */
	char err[256];		/* the first problem: "line N: what" */
};

/* pp_name_char - a character of a metric name (@first: the first one). */
static inline bool pp_name_char(char c, bool first, bool label)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (c == ':' && !label) || (!first && c >= '0' && c <= '9');
}

/* pp_name - a name at *@p into @out; false if there is none. */
static inline bool pp_name(const char **p, char *out, size_t size, bool label)
{
	size_t n = 0;

	if (!pp_name_char(**p, true, label))
		return false;
	while (pp_name_char(**p, n == 0, label) && n + 1 < size)
		out[n++] = *(*p)++;
	out[n] = '\0';
	return !pp_name_char(**p, false, label);
}

/* pp_label_value - a quoted value with \\ \" \n escapes at *@p, unescaped into @out. */
static inline bool pp_label_value(const char **p, char *out, size_t size)
{
	size_t n = 0;

	if (*(*p)++ != '"')
		return false;
	while (**p && **p != '"' && **p != '\n') {
		char c = *(*p)++;

		if (c == '\\') {
			c = *(*p)++;
			if (c == 'n')
				c = '\n';
			else if (c != '\\' && c != '"')
				return false;
		}
		if (n + 1 < size)
			out[n++] = c;
	}
	out[n] = '\0';
	return *(*p)++ == '"';
}

/* pp_cmp_label - order labels by name. */
static inline int pp_cmp_label(const void *a, const void *b)
{
	return strcmp(((const char(*)[512])a)[0], ((const char(*)[512])b)[0]);
}

/* pp_make_key - "name{a=\"x\",...}" with the labels sorted by name (@lab is sorted). */
static inline void pp_make_key(struct pp_sample *s, struct pp_labels *lab)
{
	struct pp_labels sorted = *lab;
	size_t len = (size_t)snprintf(s->key, sizeof(s->key), "%s", s->name);

	qsort(sorted.l, (size_t)sorted.n, sizeof(sorted.l[0]), pp_cmp_label);
	for (int i = 0; i < sorted.n && len < sizeof(s->key); i++)
		len += (size_t)snprintf(s->key + len, sizeof(s->key) - len, "%s%s=\"%s\"",
					i ? "," : "{", sorted.l[i][0], sorted.l[i][1]);
	if (sorted.n && len < sizeof(s->key))
		snprintf(s->key + len, sizeof(s->key) - len, "}");
}

/* pp_value - a Go ParseFloat number ("1.5", "1e+20", "NaN", "+Inf", "-Inf"). */
static inline bool pp_value(const char **p, double *v)
{
	char *end;

	if (strncmp(*p, "NaN", 3) == 0 || strncmp(*p, "+Inf", 4) == 0 ||
	    strncmp(*p, "-Inf", 4) == 0) {
		*v = (*p)[0] == 'N' ? NAN : (*p)[0] == '+' ? INFINITY : -INFINITY;
		*p += (*p)[0] == 'N' ? 3 : 4;
		return true;
	}
	if (!((**p >= '0' && **p <= '9') || **p == '-' || **p == '+' || **p == '.'))
		return false;
	*v = strtod(*p, &end);
	if (end == *p)
		return false;
	*p = end;
	return true;
}

/* pp_sample_line - one sample line into @s and @lab; false with the reason in @why. */
static inline bool pp_sample_line(const char *p, struct pp_sample *s, struct pp_labels *lab,
				  const char **why)
{
	memset(s, 0, sizeof(*s));
	lab->n = 0;
	if (!pp_name(&p, s->name, sizeof(s->name), false))
		return *why = "bad metric name", false;
	if (*p == '{') {
		p++;
		while (*p != '}') {
			if (lab->n == PP_LABELS_MAX)
				return *why = "too many labels", false;
			if (!pp_name(&p, lab->l[lab->n][0], 512, true) || *p++ != '=' ||
			    !pp_label_value(&p, lab->l[lab->n][1], 512))
				return *why = "bad label", false;
			for (int i = 0; i < lab->n; i++)
				if (strcmp(lab->l[i][0], lab->l[lab->n][0]) == 0)
					return *why = "label name given twice", false;
			lab->n++;
			if (*p == ',')
				p++;
			else if (*p != '}')
				return *why = "bad label separator", false;
		}
		p++;
	}
	if (*p++ != ' ' || !pp_value(&p, &s->value))
		return *why = "bad value", false;
	if (*p == ' ') {	/* a timestamp */
		p++;
		while (*p == '-' || (*p >= '0' && *p <= '9'))
			p++;
	}
	if (*p)
		return *why = "garbage after the value", false;
	pp_make_key(s, lab);
	return true;
}

/* pp_comment - "# HELP name text" or "# TYPE name type"; other comments are fine. */
static inline bool pp_comment(struct pp_set *set, const char *p, char *type_name, char *type,
			      const char **why)
{
	char name[256];
	bool help = strncmp(p, "# HELP ", 7) == 0;

	if (!help && strncmp(p, "# TYPE ", 7) != 0)
		return true;
	p += 7;
	if (!pp_name(&p, name, sizeof(name), false) || (*p && *p != ' '))
		return *why = "bad name in a comment", false;
	if (help) {
		set->helps++;
		for (p++; *p; p++)
			if (*p == '\\' && p[1] != '\\' && p[1] != 'n')
				return *why = "bad escape in HELP", false;
		return true;
	}
	set->types++;
	if (strcmp(p, " counter") && strcmp(p, " gauge") && strcmp(p, " untyped") &&
	    strcmp(p, " summary") && strcmp(p, " histogram"))
		return *why = "bad TYPE", false;
	snprintf(type_name, 256, "%s", name);
	snprintf(type, 16, "%s", p + 1);
	return true;
}

/* pp_parse - every line of @text into @set; false with set->err at the first bad line. */
static inline bool pp_parse(const char *text, struct pp_set *set)
{
	char type_name[256] = "", type[16] = "", line[8192];
	static _Thread_local struct pp_labels lab;
	const char *p = text;
	int lineno = 0;

	memset(set, 0, sizeof(*set));
	while (*p) {
		size_t n = strcspn(p, "\n");
		const char *why = NULL;

		lineno++;
		if (p[n] != '\n' || n >= sizeof(line)) {
			snprintf(set->err, sizeof(set->err), "line %d: %s", lineno,
				 p[n] ? "too long" : "no newline at the end");
			return false;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + 1;
		if (!line[0])
			continue;
		if (line[0] == '#') {
			if (!pp_comment(set, line, type_name, type, &why))
				goto bad;
			continue;
		}
		if (set->n == set->cap) {
			set->cap = set->cap ? 2 * set->cap : 256;
			set->s = realloc(set->s, set->cap * sizeof(*set->s));
		}
		if (!pp_sample_line(line, &set->s[set->n], &lab, &why))
			goto bad;
		if (strcmp(set->s[set->n].name, type_name) == 0)
			snprintf(set->s[set->n].type, sizeof(set->s[0].type), "%s", type);
		set->n++;
		continue;
bad:
		snprintf(set->err, sizeof(set->err), "line %d: %s: %.120s", lineno, why, line);
		return false;
	}
	return true;
}

/* pp_find - the sample with @key, or NULL. */
static inline const struct pp_sample *pp_find(const struct pp_set *set, const char *key)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->s[i].key, key) == 0)
			return &set->s[i];
	return NULL;
}

/* pp_free - the samples. */
static inline void pp_free(struct pp_set *set)
{
	free(set->s);
	memset(set, 0, sizeof(*set));
}

#endif /* RTLAB_TEST_PROM_PARSE_H */
