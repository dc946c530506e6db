/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core-parse.c - strict number and duration parsers for options and files. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core-internal.h"

/* rtlab_parse_u64 - a whole unsigned decimal number, nothing else. */
int rtlab_parse_u64(const char *s, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* rtlab_parse_int - a whole signed decimal int. */
int rtlab_parse_int(const char *s, int *ret)
{
	const char *digits = s;
	long v;
	char *end;

	if (!s)
		return -EINVAL;
	if (*digits == '-' || *digits == '+')
		digits++;
	if (!isdigit((unsigned char)*digits))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	if (errno || *end)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

struct unit {
	const char *suffix;
	uint64_t ns;
};

static const struct unit units[] = {
	{ "ns", 1 },
	{ "us", RTLAB_NSEC_PER_USEC },
	{ "ms", RTLAB_NSEC_PER_MSEC },
	{ "s", RTLAB_NSEC_PER_SEC },
	{ "m", 60 * RTLAB_NSEC_PER_SEC },
	{ "h", 3600 * RTLAB_NSEC_PER_SEC },
	{ "d", 86400 * RTLAB_NSEC_PER_SEC },
};

/* unit_ns - the multiplier of a suffix, 0 if unknown. */
static uint64_t unit_ns(const char *suffix, uint64_t default_unit_ns)
{
	if (!*suffix)
		return default_unit_ns;
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(units); i++)
		if (strcmp(suffix, units[i].suffix) == 0)
			return units[i].ns;
	return 0;
}

/* rtlab_parse_duration_ns - "<digits>[ns|us|ms|s|m|h|d]". */
int rtlab_parse_duration_ns(const char *s, uint64_t default_unit_ns, uint64_t *ret)
{
	unsigned long long v;
	uint64_t mul;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]) || default_unit_ns == 0)
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno)
		return -EINVAL;
	mul = unit_ns(end, default_unit_ns);
	if (mul == 0)
		return -EINVAL;
	if (v > UINT64_MAX / mul)
		return -ERANGE;
	*ret = v * mul;
	return 0;
}
