/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * parse.c - scenario files: the text is handed to libinih one line at a time
 * through ini_parse_stream(), so that every key is known with its line
 * number (Debian's libinih is built without INI_HANDLER_LINENO).
 *
 * The reader also takes care of what libinih leaves out or does differently:
 * - leading blanks are removed, so an indented line is a line of its own
 *   (libinih would join it to the previous value as a continuation);
 * - section headers are handled here, so that a section without keys
 *   exists too, and "[task NAME]" is split and checked;
 * - NUL bytes and lines longer than libinih's buffer are refused instead of
 *   being cut.
 * The first problem, in file order, is reported as "file:line: message".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "parse-state.h"

#define UTF8_BOM "\xef\xbb\xbf"

/* is_blank - white space within a line. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* ps_err - keep the first error only. */
int ps_err(struct parse *ps, unsigned line, const char *fmt, ...)
{
	char msg[RTLAB_SCENARIO_ERR_MAX];
	va_list ap;

	if (ps->r < 0)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->r = sc_msg(ps->err, ps->errsize, ps->sc->path, line, "%s", msg);
	ps->err_line = line;
	return ps->r;
}

/* ps_label - "[task t1]", "[scenario]". */
const char *ps_label(const struct parse *ps, char *buf, size_t size)
{
	if (ps->sect_name[0])
		snprintf(buf, size, "[%s %s]", ps->sect->name, ps->sect_name);
	else
		snprintf(buf, size, "[%s]", ps->sect->name);
	return buf;
}

/* find_key - the key @name of the current section, or NULL. */
static const struct sc_key *find_key(const struct parse *ps, const char *name)
{
	for (size_t i = 0; i < ps->sect->nkeys && ps->sect->keys[i].name; i++)
		if (strcmp(ps->sect->keys[i].name, name) == 0)
			return &ps->sect->keys[i];
	return NULL;
}

/* ps_given - where the current section gave @key. */
unsigned ps_given(const struct parse *ps, const char *key)
{
	const struct sc_key *k = find_key(ps, key);

	return k ? ps->key_line[k - ps->sect->keys] : 0;
}

/* ps_add - a new, zeroed, uniquely named item at the end of an array. */
void *ps_add(struct parse *ps, void *arr, size_t *n, size_t size, size_t line_off,
	     const char *name, void **ret_arr)
{
	char *item;

	for (size_t i = 0; i < *n; i++) {
		item = (char *)arr + i * size;
		if (strcmp(item, name) == 0) {
			ps_err(ps, ps->line, "second [%s %s] (the first is at line %u)",
			       ps->sect->name, name, *(const unsigned *)(item + line_off));
			return NULL;
		}
	}
	if (*n >= SC_ITEMS_MAX) {
		ps_err(ps, ps->line, "too many [%s] sections (at most %d)", ps->sect->name,
		       SC_ITEMS_MAX);
		return NULL;
	}
	/* The capacity is the next power of two: grow when @n is one. */
	if ((*n & (*n - 1)) == 0) {
		arr = reallocarray(arr, *n ? 2 * *n : 1, size);
		if (!arr) {
			ps->r = -ENOMEM;
			sc_msg(ps->err, ps->errsize, ps->sc->path, 0, "out of memory");
			return NULL;
		}
	}
	*ret_arr = arr;
	ps->idx = (*n)++;
	item = (char *)arr + ps->idx * size;
	memset(item, 0, size);
	memcpy(item, name, strlen(name) + 1);
	*(unsigned *)(item + line_off) = ps->line;
	return item;
}

/* known_keys - "policy, priority, ..." of the current section. */
static const char *known_keys(const struct parse *ps, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ps->sect->nkeys && ps->sect->keys[i].name && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
					ps->sect->keys[i].name);
	return buf;
}

/* handle_key - one "key = value" of the current line; 0 or -errno (message set). */
static int handle_key(struct parse *ps, const char *name, const char *value)
{
	char why[SC_WHY_MAX], ename[SC_ESC_MAX], evalue[SC_ESC_MAX], label[96], known[200];
	const struct sc_key *k;
	unsigned *given;

	sc_escape(name, ename, sizeof(ename));
	if (!*name)
		return ps_err(ps, ps->line, "a key name is missing before '='");
	if (!ps->sect)
		return ps_err(ps, ps->line, "key '%s' comes before any section (start with "
			      "[scenario])", ename);
	k = find_key(ps, name);
	if (!k)
		return ps_err(ps, ps->line, "unknown key '%s' in %s (known: %s)", ename,
			      ps_label(ps, label, sizeof(label)),
			      known_keys(ps, known, sizeof(known)));
	given = &ps->key_line[k - ps->sect->keys];
	if (*given)
		return ps_err(ps, ps->line, "key '%s' given twice in %s (first at line %u)", ename,
			      ps_label(ps, label, sizeof(label)), *given);
	*given = ps->line;
	if (!*value)
		return ps_err(ps, ps->line, "%s has no value", k->name);
	if (sc_key_apply(ps, k, value, why) < 0)
		return ps_err(ps, ps->line, "%s = '%s': %s", k->name,
			      sc_escape(value, evalue, sizeof(evalue)), why);
	return 0;
}

/* on_key - libinih's handler: nonzero to go on. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;

	(void)section;
	return ps->r == 0 && handle_key(ps, name, value) == 0;
}

/* section_type - the section type called @type, or NULL. */
static const struct sc_section *section_type(const char *type)
{
	for (size_t i = 0; i < sc_nsections; i++)
		if (strcmp(sc_sections[i].name, type) == 0)
			return &sc_sections[i];
	return NULL;
}

/* split_header - "[ type  NAME ]" (after the '[') into @type and @name; 0 or -EINVAL. */
static int split_header(struct parse *ps, const char *line, char *type, size_t size,
			const char **ret_name)
{
	const char *close = strchr(line, ']'), *after;
	char esc[SC_ESC_MAX], *p, *end;
	size_t n;

	if (!close)
		return ps_err(ps, ps->line, "missing ']' at the end of the section header");
	for (after = close + 1; is_blank(*after); after++)
		;
	if (*after && *after != ';' && *after != '#')
		return ps_err(ps, ps->line, "unexpected text after ']': '%s'",
			      sc_escape(after, esc, sizeof(esc)));
	n = (size_t)(close - line);
	if (n >= size)
		n = size - 1;
	memcpy(type, line, n);
	type[n] = '\0';
	for (end = type + n; end > type && is_blank(end[-1]); end--)
		end[-1] = '\0';
	for (p = type; is_blank(*p); p++)
		;
	memmove(type, p, strlen(p) + 1);
	for (p = type; *p && !is_blank(*p); p++)
		;
	if (*p)
		*p++ = '\0';
	while (is_blank(*p))
		p++;
	*ret_name = p;
	return 0;
}

/* open_section - check the header of a section of type @st named @name, then open it. */
static int open_section(struct parse *ps, const struct sc_section *st, const char *name)
{
	size_t i = (size_t)(st - sc_sections);
	char esc[SC_ESC_MAX];

	if (st->named && !*name)
		return ps_err(ps, ps->line, "[%s] needs a name: [%s NAME]", st->name, st->name);
	if (!st->named && *name)
		return ps_err(ps, ps->line, "[%s] takes no name", st->name);
	if (st->named && !sc_name_valid(name))
		return ps_err(ps, ps->line, "bad name '%s' in [%s]: a name is 1 to 63 of "
			      "A-Z a-z 0-9 _ . -", sc_escape(name, esc, sizeof(esc)), st->name);
	if (!st->named && ps->once_line[i])
		return ps_err(ps, ps->line, "second [%s] section (the first is at line %u)",
			      st->name, ps->once_line[i]);
	ps->once_line[i] = ps->line;
	ps->sect = st;
	ps->sect_line = ps->line;
	memcpy(ps->sect_name, name, strlen(name) + 1);
	memset(ps->key_line, 0, sizeof(ps->key_line));
	return st->open(ps, name);
}

/* section_start - a "[type NAME]" line: close the previous section, open this one. */
static int section_start(struct parse *ps, const char *line)
{
	const struct sc_section *st;
	char type[256], esc[SC_ESC_MAX];
	const char *name = "";
	int r;

	if (ps->sect) {
		r = ps->sect->close(ps);
		if (r < 0)
			return r;
	}
	r = split_header(ps, line + 1, type, sizeof(type), &name);
	if (r < 0)
		return r;
	if (!type[0])
		return ps_err(ps, ps->line, "empty section header");
	st = section_type(type);
	if (!st)
		return ps_err(ps, ps->line, "unknown section [%s] (known: [scenario], [task NAME], "
			      "[mutex NAME], [load NAME], [record], [gate])",
			      sc_escape(type, esc, sizeof(esc)));
	return open_section(ps, st, name);
}

/* next_line - libinih's reader: the next line into @str (@num bytes), NULL at the end. */
static char *next_line(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	const char *s = ps->p, *nl, *e;
	size_t len;

	if (ps->r < 0 || s >= ps->end)
		return NULL;
	nl = memchr(s, '\n', (size_t)(ps->end - s));
	e = nl ? nl : ps->end;
	ps->p = nl ? nl + 1 : ps->end;
	ps->line++;
	if (ps->line == 1 && e - s >= 3 && memcmp(s, UTF8_BOM, 3) == 0)
		s += 3;
	while (s < e && is_blank(*s))
		s++;
	len = (size_t)(e - s);
	if (memchr(s, '\0', len)) {
		ps_err(ps, ps->line, "NUL byte in the line");
		return NULL;
	}
	if (num < 1 || len > (size_t)num - 1) {
		ps_err(ps, ps->line, "line too long: %zu characters after the indentation, at most "
		       "%d", len, num - 1);
		return NULL;
	}
	memcpy(str, s, len);
	str[len] = '\0';
	if (str[0] == '[' && section_start(ps, str) < 0)
		return NULL;
	return str;
}

/* syntax_error - libinih refused line @line: it is not "key = value", a section or a comment. */
static int syntax_error(struct parse *ps, unsigned line)
{
	const char *s = ps->sc->text, *end = s + ps->sc->text_len, *nl;
	char text[SC_ESC_MAX], esc[SC_ESC_MAX];
	size_t n;

	for (unsigned i = 1; i < line && s < end; i++) {
		nl = memchr(s, '\n', (size_t)(end - s));
		s = nl ? nl + 1 : end;
	}
	nl = memchr(s, '\n', (size_t)(end - s));
	n = (size_t)((nl ? nl : end) - s);
	if (n >= sizeof(text))
		n = sizeof(text) - 1;
	memcpy(text, s, n);
	text[n] = '\0';
	ps->r = 0;
	return ps_err(ps, line, "expected 'key = value', a [section] or a comment, not '%s'",
		      sc_escape(text, esc, sizeof(esc)));
}

/* resolve_mutexes - each task's mutex name to its index (-1: not defined, for validation). */
static void resolve_mutexes(struct rtlab_scenario *sc)
{
	for (size_t i = 0; i < sc->ntasks; i++) {
		struct rtlab_scenario_task *t = &sc->tasks[i];

		t->mutex = -1;
		for (size_t j = 0; t->mutex_name[0] && j < sc->nmutexes; j++)
			if (strcmp(sc->mutexes[j].name, t->mutex_name) == 0)
				t->mutex = (int)j;
	}
}

/* parse_all - parse sc->text into @sc. */
static int parse_all(struct rtlab_scenario *sc, char *err, size_t errsize)
{
	struct parse ps = {
		.sc = sc,
		.p = sc->text,
		.end = sc->text + sc->text_len,
		.err = err,
		.errsize = errsize,
	};
	int line = ini_parse_stream(next_line, &ps, on_key, &ps);

	if (line == -2 && ps.r == 0) {
		sc_msg(err, errsize, sc->path, 0, "out of memory");
		return -ENOMEM;
	}
	if (line > 0 && (ps.r == 0 || (unsigned)line < ps.err_line))
		return syntax_error(&ps, (unsigned)line);
	if (ps.r == 0 && ps.sect)
		(void)ps.sect->close(&ps);
	if (ps.r == 0 && !sc->line)
		ps_err(&ps, 0, "no [scenario] section (it gives at least the duration)");
	if (ps.r < 0)
		return ps.r;
	resolve_mutexes(sc);
	return 0;
}

/* sc_parse_owned - parse @text (@len bytes, NUL-terminated, now owned by the scenario). */
int sc_parse_owned(const char *name, char *text, size_t len, struct rtlab_scenario **ret,
		       char *err, size_t errsize)
{
	struct rtlab_scenario *sc = calloc(1, sizeof(*sc));
	int r;

	if (!sc) {
		free(text);
		sc_msg(err, errsize, name, 0, "out of memory");
		return -ENOMEM;
	}
	rtlab_strlcpy(sc->path, name, sizeof(sc->path));
	sc->text = text;
	sc->text_len = len;
	sc->seed = 1;
	r = parse_all(sc, err, errsize);
	if (r < 0) {
		rtlab_scenario_free(sc);
		return r;
	}
	*ret = sc;
	return 0;
}

/* sc_check_args - the arguments of both entry points; 0 or -errno (named in @err). */
int sc_check_args(const char *name, size_t len, struct rtlab_scenario **ret, char *err,
		      size_t errsize)
{
	if (err && errsize)
		err[0] = '\0';
	if (ret)
		*ret = NULL;
	if (!name || !ret) {
		sc_msg(err, errsize, name ? name : "(null)", 0, "no file name or result");
		return -EINVAL;
	}
	if (strlen(name) >= sizeof(((struct rtlab_scenario *)NULL)->path)) {
		sc_msg(err, errsize, name, 0, "file name too long");
		return -ENAMETOOLONG;
	}
	if (len > SC_FILE_MAX) {
		sc_msg(err, errsize, name, 0, "larger than %d bytes: not a scenario file",
		       SC_FILE_MAX);
		return -EFBIG;
	}
	return 0;
}

/* rtlab_scenario_parse_text - parse a copy of @text. */
int rtlab_scenario_parse_text(const char *name, const char *text, size_t len,
			      struct rtlab_scenario **ret, char *err, size_t errsize)
{
	char *copy;
	int r = sc_check_args(name, len, ret, err, errsize);

	if (r < 0)
		return r;
	if (!text && len) {
		sc_msg(err, errsize, name, 0, "no text");
		return -EINVAL;
	}
	copy = malloc(len + 1);
	if (!copy) {
		sc_msg(err, errsize, name, 0, "out of memory");
		return -ENOMEM;
	}
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	return sc_parse_owned(name, copy, len, ret, err, errsize);
}

/* rtlab_scenario_free - free the scenario and what it holds. */
struct rtlab_scenario *rtlab_scenario_free(struct rtlab_scenario *sc)
{
	if (!sc)
		return NULL;
	free(sc->text);
	free(sc->tasks);
	free(sc->mutexes);
	free(sc->loads);
	free(sc);
	return NULL;
}
