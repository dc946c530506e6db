/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* parse-apply.c - store one key's value into its section's object, by the key's type. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse-state.h"

/* show - @v as the key's type writes it, for range messages. */
static const char *show(enum sc_type type, unsigned long long v, char *buf, size_t size)
{
	if (type == SC_DURATION)
		return sc_format_duration(v, buf, size);
	snprintf(buf, size, type == SC_SIZE ? "%llu B" : "%llu", v);
	return buf;
}

/* in_range - check @v against the key's range. */
static int in_range(const struct sc_key *k, unsigned long long v, char *why)
{
	char lo[32], hi[32];
	unsigned long long min = (unsigned long long)k->min, max = (unsigned long long)k->max;

	if (max && (v < min || v > max))
		return sc_because(why, -ERANGE, "must be %s to %s", show(k->type, min, lo, 32),
				  show(k->type, max, hi, 32));
	if (v < min)
		return sc_because(why, -ERANGE, "must be at least %s", show(k->type, min, lo, 32));
	return 0;
}

/* apply_u64 - a duration, size or count. */
static int apply_u64(const struct sc_key *k, const char *s, uint64_t *ret, char *why)
{
	uint64_t v;
	int r;

	if (k->type == SC_DURATION)
		r = sc_parse_duration(s, &v, why);
	else if (k->type == SC_SIZE)
		r = sc_parse_size(s, &v, why);
	else if ((r = rtlab_parse_u64(s, &v)) < 0)
		return sc_because(why, r, r == -ERANGE ? "too large" : "not a whole number");
	if (r < 0)
		return r;
	r = in_range(k, v, why);
	if (r == 0)
		*ret = v;
	return r;
}

/* apply_int - a signed int within the key's range. */
static int apply_int(const struct sc_key *k, const char *s, int *ret, char *why)
{
	int v, r = rtlab_parse_int(s, &v);

	if (r == -EINVAL)
		return sc_because(why, r, "not a whole number");
	if (r < 0 || v < k->min || v > k->max)
		return sc_because(why, -ERANGE, "must be %lld to %lld", k->min, k->max);
	*ret = v;
	return 0;
}

/* apply_uint - an unsigned int within the key's range. */
static int apply_uint(const struct sc_key *k, const char *s, unsigned *ret, char *why)
{
	uint64_t v;
	int r = rtlab_parse_u64(s, &v);

	if (r == -EINVAL)
		return sc_because(why, r, "not a whole number");
	if (r < 0 || v < (uint64_t)k->min || v > (uint64_t)k->max)
		return sc_because(why, -ERANGE, "must be %lld to %lld", k->min, k->max);
	*ret = (unsigned)v;
	return 0;
}

/* apply_name - a scenario name (it names the run's folder). */
static int apply_name(const char *s, char *ret, char *why)
{
	if (!sc_name_valid(s))
		return sc_because(why, -EINVAL, "a name is 1 to 63 of A-Z a-z 0-9 _ . -");
	memcpy(ret, s, strlen(s) + 1);
	return 0;
}

/* apply_text - printable UTF-8 (tabs allowed) that fits. */
static int apply_text(const char *s, char *ret, char *why)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	if (n >= RTLAB_SCENARIO_TEXT_MAX)
		return sc_because(why, -ERANGE, "longer than %d bytes",
				  RTLAB_SCENARIO_TEXT_MAX - 1);
	for (size_t i = 0; i < n;) {
		size_t len = rtlab_utf8_len(p + i, n - i);

		if (len == 0 || (p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
			return sc_because(why, -EINVAL, "control character or invalid UTF-8 at "
					  "byte %zu", i + 1);
		i += len;
	}
	memcpy(ret, s, n + 1);
	return 0;
}

/* apply_typed - parse @s by the key's type into @field. */
static int apply_typed(struct parse *ps, const struct sc_key *k, void *obj, const char *s,
		       char *why)
{
	char *field = (char *)obj + k->off;

	switch (k->type) {
	case SC_DURATION:
	case SC_COUNT:
	case SC_SIZE:
		return apply_u64(k, s, (uint64_t *)field, why);
	case SC_INT:
		return apply_int(k, s, (int *)field, why);
	case SC_UINT:
		return apply_uint(k, s, (unsigned *)field, why);
	case SC_PERCENT:
		return sc_parse_percent(s, (unsigned *)field, why);
	case SC_CPUS:
		return sc_parse_cpus(s, (cpu_set_t *)field, why);
	case SC_NAME:
		return apply_name(s, field, why);
	case SC_TEXT:
		return apply_text(s, field, why);
	case SC_FN:
		return k->fn(ps, obj, s, why);
	}
	return sc_because(why, -EINVAL, "no parser for this key");
}

/* sc_key_apply - parse and store @value, then note where it was given. */
int sc_key_apply(struct parse *ps, const struct sc_key *k, const char *value, char *why)
{
	void *obj = ps->sect->obj(ps);
	int r = apply_typed(ps, k, obj, value, why);

	if (r < 0)
		return r;
	if (k->at)
		((struct rtlab_scenario_where *)((char *)obj + k->at - 1))->line = ps->line;
	if (k->flag)
		*(bool *)((char *)obj + k->flag - 1) = true;
	return 0;
}
