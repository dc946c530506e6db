/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* parse-values.c - the values of scenario keys: durations, sizes, booleans, lists. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <rtlab/probe.h>

#include "parse-internal.h"

#define KIB 1024ULL
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)
#define WORK_COUNT_MAX 1000000000ULL	/* cpu and syscall workload counts */

struct unit {
	const char *suffix;
	uint64_t mul;
};

/* A family of units: what the number is, its smallest step, the units to name in messages. */
struct unit_set {
	const char *what;
	const char *step;
	const char *names;
	const char *example;
	const struct unit *units;
	size_t n;
};

static const struct unit time_units[] = {
	{ "ns", 1 },
	{ "us", RTLAB_NSEC_PER_USEC },
	{ "ms", RTLAB_NSEC_PER_MSEC },
	{ "s", RTLAB_NSEC_PER_SEC },
	{ "m", 60 * RTLAB_NSEC_PER_SEC },
	{ "h", 3600 * RTLAB_NSEC_PER_SEC },
};

static const struct unit size_units[] = {
	{ "B", 1 }, { "KiB", KIB }, { "MiB", MIB }, { "GiB", GIB },
	{ "K", KIB }, { "M", MIB }, { "G", GIB },
};

static const struct unit_set durations = {
	"duration", "1 ns", "ns, us, ms, s, m or h", "1.5ms", time_units,
	RTLAB_ARRAY_SIZE(time_units),
};

static const struct unit_set sizes = {
	"size", "1 byte", "B, KiB, MiB, GiB (or K, M, G)", "64KiB", size_units,
	RTLAB_ARRAY_SIZE(size_units),
};

/* sc_because - write the reason into @why (SC_WHY_MAX bytes); returns @r. */
int sc_because(char *why, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, SC_WHY_MAX, fmt, ap);
	va_end(ap);
	return r;
}

/* find_unit - the multiplier of @suffix in @set, 0 if it is not one. */
static uint64_t find_unit(const struct unit_set *set, const char *suffix)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(suffix, set->units[i].suffix) == 0)
			return set->units[i].mul;
	return 0;
}

/* gcd - greatest common divisor. */
static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * add_fraction - add mul x 0.<digits> to *@v, exactly: with F the digits as
 * a number and g = gcd(mul, 10^n), that is F / (10^n / g) x (mul / g), and
 * 10^n / g must divide F for a whole number of base units.
 */
static int add_fraction(const struct unit_set *set, const char *digits, size_t n, uint64_t mul,
			uint64_t *v, char *why)
{
	uint64_t f = 0, pow = 1, g, part;

	while (n > 0 && digits[n - 1] == '0')
		n--;
	if (n > 19)
		return sc_because(why, -EINVAL, "too many digits after the decimal point (at most "
				  "19)");
	for (size_t i = 0; i < n; i++) {
		f = f * 10 + (uint64_t)(digits[i] - '0');
		pow *= 10;
	}
	g = gcd(mul, pow);
	if (f % (pow / g) != 0)
		return sc_because(why, -EINVAL, "finer than %s", set->step);
	f /= pow / g;
	if (f > UINT64_MAX / (mul / g))
		return sc_because(why, -ERANGE, "too large");
	part = f * (mul / g);
	if (*v > UINT64_MAX - part)
		return sc_because(why, -ERANGE, "too large");
	*v += part;
	return 0;
}

/* scaled - "<digits>[.<digits>][blanks]<unit>", exactly, in base units of @set. */
static int scaled(const struct unit_set *set, const char *s, uint64_t *ret, char *why)
{
	const char *p = s, *frac = NULL;
	uint64_t whole = 0, mul, v;
	size_t nfrac = 0;
	int r;

	if (!isdigit((unsigned char)*p))
		return sc_because(why, -EINVAL, "not a %s: expected a number and a unit (%s), "
			       "e.g. %s", set->what, set->names, set->example);
	for (; isdigit((unsigned char)*p); p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (whole > (UINT64_MAX - d) / 10)
			return sc_because(why, -ERANGE, "too large");
		whole = whole * 10 + d;
	}
	if (*p == '.') {
		frac = ++p;
		while (isdigit((unsigned char)*p))
			p++;
		nfrac = (size_t)(p - frac);
		if (nfrac == 0)
			return sc_because(why, -EINVAL, "digits expected after the decimal point");
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return sc_because(why, -EINVAL, "a %s needs a unit: %s", set->what, set->names);
	mul = find_unit(set, p);
	if (mul == 0)
		return sc_because(why, -EINVAL, "unknown unit (use %s)", set->names);
	if (whole > UINT64_MAX / mul)
		return sc_because(why, -ERANGE, "too large");
	v = whole * mul;
	r = add_fraction(set, frac, nfrac, mul, &v, why);
	if (r < 0)
		return r;
	*ret = v;
	return 0;
}

/* sc_parse_duration - a decimal number of ns, us, ms, s, m or h, in ns. */
int sc_parse_duration(const char *s, uint64_t *ret, char *why)
{
	return scaled(&durations, s, ret, why);
}

/* sc_parse_size - a decimal number of B, KiB, MiB, GiB (K, M, G), in bytes. */
int sc_parse_size(const char *s, uint64_t *ret, char *why)
{
	return scaled(&sizes, s, ret, why);
}

/* sc_parse_bool - the usual words for yes and no. */
int sc_parse_bool(const char *s, bool *ret, char *why)
{
	static const char *const words[][2] = {
		{ "yes", "no" }, { "true", "false" }, { "on", "off" }, { "1", "0" },
	};

	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(words); i++) {
		for (int j = 0; j < 2; j++) {
			if (strcasecmp(s, words[i][j]) == 0) {
				*ret = j == 0;
				return 0;
			}
		}
	}
	return sc_because(why, -EINVAL, "not a boolean: use yes/no, true/false, on/off or 1/0");
}

/* sc_parse_percent - 1..100, "%" allowed after the number. */
int sc_parse_percent(const char *s, unsigned *ret, char *why)
{
	char num[24];
	size_t n = strlen(s);
	uint64_t v;

	if (n > 0 && s[n - 1] == '%')
		n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= sizeof(num))
		return sc_because(why, -ERANGE, "must be between 1 and 100 (percent)");
	memcpy(num, s, n);
	num[n] = '\0';
	if (rtlab_parse_u64(num, &v) == -EINVAL)
		return sc_because(why, -EINVAL, "not a percentage: a whole number 1..100, '%%' "
			       "allowed");
	if (v < 1 || v > 100)
		return sc_because(why, -ERANGE, "must be between 1 and 100 (percent)");
	*ret = (unsigned)v;
	return 0;
}

/* sc_parse_cpus - a kernel CPU list; an empty one is refused. */
int sc_parse_cpus(const char *s, cpu_set_t *ret, char *why)
{
	size_t pos = 0;
	int r = rtlab_cpulist_parse(s, ret, &pos);

	if (r == -ERANGE)
		return sc_because(why, r, "CPU number too large (at most %d)", CPU_SETSIZE - 1);
	if (r < 0)
		return sc_because(why, r, "not a CPU list (e.g. 0-3,6): unexpected text at "
			       "character %zu", pos + 1);
	if (CPU_COUNT(ret) == 0)
		return sc_because(why, -EINVAL, "no CPU in the list");
	return 0;
}

/* The sizes of the workloads a task can run (include/rtlab/load.h, rtlab_workload_new()). */
static const struct {
	enum rtlab_load_kind kind;
	bool bytes;		/* a size in bytes, else a count */
	uint64_t min, max;
	const char *rule;
} work_sizes[] = {
	{ RTLAB_LOAD_CPU, false, 1, WORK_COUNT_MAX,
	  "a cpu workload takes 1 to 1000000000 iterations" },
	{ RTLAB_LOAD_SYSCALL, false, 1, WORK_COUNT_MAX,
	  "a syscall workload takes 1 to 1000000000 system calls" },
	{ RTLAB_LOAD_MEMORY, true, 16, GIB, "a memory workload takes 16 B to 1 GiB" },
	{ RTLAB_LOAD_IO, true, 1, 64 * MIB, "an io workload takes 1 B to 64 MiB" },
};

/* work_size - the SIZE of "KIND:SIZE": bytes for memory and io, a count otherwise. */
static int work_size(enum rtlab_load_kind kind, const char *s, uint64_t *ret, char *why)
{
	const char *name = rtlab_load_kind_name(kind);
	int r;

	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(work_sizes); i++) {
		if (work_sizes[i].kind != kind)
			continue;
		if (work_sizes[i].bytes)
			r = sc_parse_size(s, ret, why);
		else if ((r = rtlab_parse_u64(s, ret)) == -EINVAL)
			return sc_because(why, r, "the size of a %s workload is a count (a whole "
					  "number)", name);
		if (r < 0 && r != -ERANGE)
			return r;
		if (r < 0 || *ret < work_sizes[i].min || *ret > work_sizes[i].max)
			return sc_because(why, -ERANGE, "%s", work_sizes[i].rule);
		return 0;
	}
	return sc_because(why, -ENOENT, "no %s workload", name);
}

/* sc_parse_workload - "KIND[:SIZE]" for work and callback. */
int sc_parse_workload(const char *s, enum rtlab_load_kind *ret_kind, uint64_t *ret_size, char *why)
{
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	enum rtlab_load_kind kind;
	char name[16];
	uint64_t size = 0;
	int r;

	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, s, n);
	name[n] = '\0';
	if (rtlab_load_kind_from_name(name, &kind) < 0 ||
	    !(kind == RTLAB_LOAD_CPU || kind == RTLAB_LOAD_MEMORY || kind == RTLAB_LOAD_IO ||
	      kind == RTLAB_LOAD_SYSCALL))
		return sc_because(why, -ENOENT, "expected KIND[:SIZE] with KIND cpu, memory, io "
				  "or syscall");
	if (colon) {
		r = work_size(kind, colon + 1, &size, why);
		if (r < 0)
			return r;
	}
	*ret_kind = kind;
	*ret_size = size;
	return 0;
}

/* known_families - "default, all, cpu, ..." into @buf. */
static void known_families(char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "default, all");

	for (unsigned f = 0; f < RTLAB_PF__COUNT && len < size; f++)
		len += (size_t)snprintf(buf + len, size - len, ", %s",
					rtlab_probe_family_name((enum rtlab_probe_family)f));
}

/* sc_parse_families - a list of probe families (blanks around the commas allowed). */
int sc_parse_families(const char *s, uint64_t *ret, char *why)
{
	char list[256], bad[SC_ESC_MAX], known[200];
	size_t n = 0, pos = 0;

	for (; *s && n < sizeof(list) - 1; s++)
		if (*s != ' ' && *s != '\t')
			list[n++] = *s;
	list[n] = '\0';
	if (rtlab_probe_families_parse(list, ret, &pos) == 0)
		return 0;
	if (pos >= n || list[pos] == ',')
		return sc_because(why, -EINVAL, "empty name in the list");
	list[pos + strcspn(list + pos, ",")] = '\0';
	known_families(known, sizeof(known));
	return sc_because(why, -EINVAL, "unknown probe family '%s' (known: %s)",
		       sc_escape(list + pos, bad, sizeof(bad)), known);
}
