/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* parse-state.h - the parser's state and its tables of sections and keys. */
#ifndef RTLAB_PARSE_STATE_H
#define RTLAB_PARSE_STATE_H

#include "parse-internal.h"

#define SC_KEYS_MAX 16		/* keys of one section type */

struct sc_section;

/* One parse: the text handed line by line to libinih, and what has been seen. */
struct parse {
	struct rtlab_scenario *sc;
	const char *p, *end;		/* the text not yet handed to libinih */
	unsigned line;			/* the line libinih is working on */
	const struct sc_section *sect;	/* the current section, NULL before the first */
	char sect_name[RTLAB_SCENARIO_NAME_MAX];	/* its NAME, "" for unnamed ones */
	unsigned sect_line;
	size_t idx;			/* the task, mutex or load of the section */
	unsigned key_line[SC_KEYS_MAX];	/* where each key of the section was given, 0: not */
	unsigned once_line[8];		/* the line of each unnamed section type seen */
	char *err;
	size_t errsize;
	int r;				/* the first error, 0: none yet */
	unsigned err_line;		/* its line */
};

enum sc_type {
	SC_DURATION,	/* uint64_t ns */
	SC_COUNT,	/* uint64_t */
	SC_INT,		/* int, within min..max */
	SC_UINT,	/* unsigned, within min..max */
	SC_PERCENT,	/* unsigned 1..100 */
	SC_SIZE,	/* uint64_t bytes */
	SC_CPUS,	/* cpu_set_t */
	SC_NAME,	/* char[RTLAB_SCENARIO_NAME_MAX], a valid name */
	SC_TEXT,	/* char[RTLAB_SCENARIO_TEXT_MAX], printable UTF-8 */
	SC_FN,		/* the key's own function */
};

/* Offsets stored + 1, so that 0 means "none". */
#define SC_AT(type, field) (offsetof(type, field) + 1)

struct sc_key {
	const char *name;
	enum sc_type type;
	size_t off;			/* of the field in the section's object */
	long long min, max;		/* the range (max 0: none, durations, counts, sizes) */
	size_t at;			/* SC_AT() of a struct rtlab_scenario_where, 0: none */
	size_t flag;			/* SC_AT() of a bool set when the key is given, 0: none */
	int (*fn)(struct parse *ps, void *obj, const char *value, char *why);
};

struct sc_section {
	const char *name;
	bool named;			/* [task NAME] */
	const struct sc_key *keys;
	size_t nkeys;
	/* open: make the object of a new section (defaults); 0 or -errno (message set) */
	int (*open)(struct parse *ps, const char *name);
	/* close: checks once its keys are all known; 0 or -EINVAL (message set) */
	int (*close)(struct parse *ps);
	void *(*obj)(struct parse *ps);
};

extern const struct sc_section sc_sections[];
extern const size_t sc_nsections;

/* ps_err - keep the first error, "file:line: message"; returns -EINVAL. */
int ps_err(struct parse *ps, unsigned line, const char *fmt, ...) RTLAB_PRINTF(3, 4);

/* ps_label - "[task t1]" or "[scenario]" for the current section. */
const char *ps_label(const struct parse *ps, char *buf, size_t size);

/* ps_given - the line where @key of the current section was given, 0 if it was not. */
unsigned ps_given(const struct parse *ps, const char *key);

/*
 * ps_add - append a zeroed item of @size named @name to the array @arr of *@n
 * items (the name is each item's first member, its section line at
 * @line_off); ps->idx is set to it.  Returns the item, with the array,
 * possibly moved, in *@ret_arr; or NULL with the error set (a second item of
 * that name, too many items, no memory).
 */
void *ps_add(struct parse *ps, void *arr, size_t *n, size_t size, size_t line_off,
	     const char *name, void **ret_arr);

/* The [task NAME] section (parse-task.c). */
#define SC_TASK_NKEYS 12	/* keys of [task NAME] (at most SC_KEYS_MAX) */
extern const struct sc_key sc_task_keys[SC_TASK_NKEYS];
void *sc_task_obj(struct parse *ps);
int sc_task_open(struct parse *ps, const char *name);
int sc_task_close(struct parse *ps);

/* sc_check_args - the arguments of both entry points; 0 or -errno (named in @err). */
int sc_check_args(const char *name, size_t len, struct rtlab_scenario **ret, char *err,
		  size_t errsize);

/* sc_parse_owned - parse @text (@len bytes, NUL-terminated), which the scenario then owns. */
int sc_parse_owned(const char *name, char *text, size_t len, struct rtlab_scenario **ret,
		   char *err, size_t errsize);

/* sc_key_apply - parse @value for key @k into the section's object; 0 or -errno with @why. */
int sc_key_apply(struct parse *ps, const struct sc_key *k, const char *value, char *why);

#endif /* RTLAB_PARSE_STATE_H */
