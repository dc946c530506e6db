/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* parse-internal.h - shared by the scenario parser, its value parsers and validation. */
#ifndef RTLAB_PARSE_INTERNAL_H
#define RTLAB_PARSE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <rtlab/scenario.h>

#include "core-internal.h"

#define SC_ITEMS_MAX 1024	/* tasks, mutexes and loads, each */
#define SC_FILE_MAX (1024 * 1024)	/* bytes of a scenario file */
#define SC_WHY_MAX 256		/* why a value is refused */
#define SC_ESC_MAX 96		/* an echoed value, escaped */

/*
 * sc_escape - copy @s into @buf with control characters, backslashes and
 * bytes that are not UTF-8 written as \xNN (\\ for a backslash); a value that
 * does not fit ends in "...".  Returns @buf.
 */
char *sc_escape(const char *s, char *buf, size_t size);

/*
 * sc_msg - write "path:line: message" ("path: message" when @line is 0) into
 * @err, the path escaped.  Returns -EINVAL.
 */
int sc_msg(char *err, size_t errsize, const char *path, unsigned line, const char *fmt, ...)
	RTLAB_PRINTF(5, 6);

/* sc_name_valid - 1 to 63 characters of A-Z a-z 0-9 _ . - */
bool sc_name_valid(const char *s);

/*
 * Value parsers: 0, or -EINVAL (-ERANGE for an overflow) with the reason in
 * @why (SC_WHY_MAX bytes).  They take the whole, trimmed value.
 */

/* sc_because - write the reason a value is refused into @why (SC_WHY_MAX bytes); returns @r. */
int sc_because(char *why, int r, const char *fmt, ...) RTLAB_PRINTF(3, 4);

/* sc_parse_duration - "1.5ms": a decimal number and a unit (ns, us, ms, s, m, h). */
int sc_parse_duration(const char *s, uint64_t *ret, char *why);

/* sc_parse_size - "64KiB": a decimal number and a unit (B, KiB, MiB, GiB, K, M, G). */
int sc_parse_size(const char *s, uint64_t *ret, char *why);

/* sc_parse_bool - yes/no, true/false, on/off, 1/0 (any case). */
int sc_parse_bool(const char *s, bool *ret, char *why);

/* sc_parse_percent - "1".."100", a trailing "%" allowed. */
int sc_parse_percent(const char *s, unsigned *ret, char *why);

/* sc_parse_cpus - a CPU list ("0-3,6"); an empty set is refused. */
int sc_parse_cpus(const char *s, cpu_set_t *ret, char *why);

/*
 * sc_parse_workload - "KIND[:SIZE]" with KIND one of cpu, memory, io,
 * syscall: SIZE is a size for memory and io, a count for cpu and syscall;
 * none: 0 (the kind's default).  -ENOENT: KIND is not one of those.
 */
int sc_parse_workload(const char *s, enum rtlab_load_kind *ret_kind, uint64_t *ret_size, char *why);

/* sc_parse_families - "cpu,mem,psi", "default" or "all" into an RTLAB_PF_BIT mask. */
int sc_parse_families(const char *s, uint64_t *ret, char *why);

/* sc_format_duration - @ns in the largest unit that keeps it exact ("1500us"). */
char *sc_format_duration(uint64_t ns, char *buf, size_t size);

#endif /* RTLAB_PARSE_INTERNAL_H */
