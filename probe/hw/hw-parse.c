/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hw-parse.c - sysfs numbers and strings, name ordering and cleaning, hwmon file names. */
#include <errno.h>
#include <stdio.h>

#include "hw/hw-parse.h"
#include "probe-parse.h"

static const char *const hwmon_types[RTLAB_HWMON_TYPE__COUNT] = {
	[RTLAB_HWMON_TEMP] = "temp",
	[RTLAB_HWMON_IN] = "in",
	[RTLAB_HWMON_FAN] = "fan",
	[RTLAB_HWMON_POWER] = "power",
	[RTLAB_HWMON_CURR] = "curr",
	[RTLAB_HWMON_ENERGY] = "energy",
	[RTLAB_HWMON_HUMIDITY] = "humidity",
};

static const char *const hwmon_props[RTLAB_HWMON_PROP__COUNT + 1] = {
	[RTLAB_HWMON_INPUT] = "input",
	[RTLAB_HWMON_MIN] = "min",
	[RTLAB_HWMON_MAX] = "max",
	[RTLAB_HWMON_CRIT] = "crit",
	[RTLAB_HWMON_LCRIT] = "lcrit",
	[RTLAB_HWMON_EMERGENCY] = "emergency",
	[RTLAB_HWMON_MAX_HYST] = "max_hyst",
	[RTLAB_HWMON_CRIT_HYST] = "crit_hyst",
	[RTLAB_HWMON_LOWEST] = "lowest",
	[RTLAB_HWMON_HIGHEST] = "highest",
	[RTLAB_HWMON_AVERAGE] = "average",
	[RTLAB_HWMON_TARGET] = "target",
	[RTLAB_HWMON_CAP] = "cap",
	[RTLAB_HWMON_ALARM] = "alarm",
	[RTLAB_HWMON_MIN_ALARM] = "min_alarm",
	[RTLAB_HWMON_MAX_ALARM] = "max_alarm",
	[RTLAB_HWMON_CRIT_ALARM] = "crit_alarm",
	[RTLAB_HWMON_LCRIT_ALARM] = "lcrit_alarm",
	[RTLAB_HWMON_FAULT] = "fault",
	[HWMON_PROP_LABEL] = "label",
};

/* hw_is_space - blank or line end. */
static bool hw_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* hw_int_parse - one signed decimal and nothing but white space around it. */
int hw_int_parse(const char *buf, size_t len, int64_t *ret)
{
	const char *p = buf, *end = buf + len;
	int64_t v;

	while (p < end && hw_is_space(*p))
		p++;
	if (!pp_i64(&p, end, &v))
		return -EBADMSG;
	while (p < end && hw_is_space(*p))
		p++;
	if (p != end)
		return -EBADMSG;
	*ret = v;
	return 0;
}

/* hw_str_copy - the first line, trimmed. */
size_t hw_str_copy(char *dst, size_t size, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	const char *e;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	e = pp_eol(p, end);
	while (e > p && hw_is_space(e[-1]))
		e--;
	if (size == 0)
		return 0;
	pp_copy(dst, size, p, (size_t)(e - p));
	return (size_t)(e - p) < size ? (size_t)(e - p) : size - 1;
}

/* hw_digit - is @c a decimal digit? */
static bool hw_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* hw_natcmp - byte order, but runs of digits compare by value. */
int hw_natcmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (hw_digit(*a) && hw_digit(*b)) {
			const char *sa, *sb;
			size_t la, lb;

			while (*a == '0' && hw_digit(a[1]))
				a++;
			while (*b == '0' && hw_digit(b[1]))
				b++;
			for (sa = a; hw_digit(*a); a++)
				;
			for (sb = b; hw_digit(*b); b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			int c = memcmp(sa, sb, la);

			if (c)
				return c;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : (*b ? -1 : 0);
}

/* hw_utf8_len - bytes of the character starting with @c (1 for a stray byte). */
static size_t hw_utf8_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* hw_clean_name - lower case, [^a-z0-9:_] to '_', trimmed of '_'. */
size_t hw_clean_name(char *dst, size_t size, const char *src, size_t len)
{
	size_t n = 0, start = 0;

	if (size == 0)
		return 0;
	for (size_t i = 0; i < len && n + 1 < size;) {
		unsigned char c = (unsigned char)src[i];
		size_t k = hw_utf8_len(c);

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || hw_digit((char)c) || c == ':' || c == '_'))
			c = '_';
		dst[n++] = (char)c;
		/* A multi-byte character is one character: one '_'. */
		if (k > 1) {
			size_t j = 1;

			while (j < k && i + j < len && ((unsigned char)src[i + j] & 0xc0) == 0x80)
				j++;
			i += j;
		} else {
			i++;
		}
	}
	while (start < n && dst[start] == '_')
		start++;
	while (n > start && dst[n - 1] == '_')
		n--;
	memmove(dst, dst + start, n - start);
	n -= start;
	dst[n] = '\0';
	return n;
}

/* hwmon_chip_from_path - "<dir>/<type>/<name>" to "type_name", cleaned. */
int hwmon_chip_from_path(const char *path, size_t len, char *dst, size_t size)
{
	const char *end = path + len, *name, *type;
	char cname[96], ctype[96];
	size_t nl, tl;

	while (end > path && end[-1] == '/')
		end--;
	name = end;
	while (name > path && name[-1] != '/')
		name--;
	type = name;
	while (type > path && type[-1] == '/')
		type--;
	const char *tend = type;

	while (type > path && type[-1] != '/')
		type--;
	nl = hw_clean_name(cname, sizeof(cname), name, (size_t)(end - name));
	tl = hw_clean_name(ctype, sizeof(ctype), type, (size_t)(tend - type));
	if (nl == 0)
		return -EINVAL;
	if (tl == 0)
		snprintf(dst, size, "%s", cname);
	else
		snprintf(dst, size, "%s_%s", ctype, cname);
	return 0;
}

/* hwmon_lookup - index of [w, w+wl) in @names (@n entries), or -1. */
static int hwmon_lookup(const char *const *names, size_t n, const char *w, size_t wl)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && pp_eq(w, wl, names[i]))
			return (int)i;
	return -1;
}

/* hwmon_file_parse - split "temp1_input" (type: the longest prefix without digits). */
int hwmon_file_parse(const char *name, size_t len, struct hwmon_file_id *out)
{
	const char *p = name, *end = name + len, *t = name;
	uint64_t num;
	int type, prop;

	while (p < end && !hw_digit(*p))
		p++;
	type = hwmon_lookup(hwmon_types, RTLAB_HWMON_TYPE__COUNT, t, (size_t)(p - t));
	if (type < 0 || p == end || !pp_u64(&p, end, &num) || num > UINT32_MAX)
		return -EINVAL;
	if (p == end || *p != '_')
		return -EINVAL;
	p++;
	prop = hwmon_lookup(hwmon_props, RTLAB_HWMON_PROP__COUNT + 1, p, (size_t)(end - p));
	if (prop < 0)
		return -EINVAL;
	out->type = (uint8_t)type;
	out->prop = (uint8_t)prop;
	out->num = (uint32_t)num;
	return 0;
}

/* hwmon_type_name - the file-name prefix of a type. */
const char *hwmon_type_name(unsigned type)
{
	return type < RTLAB_HWMON_TYPE__COUNT ? hwmon_types[type] : "?";
}

/* hwmon_prop_name - the file-name suffix of a property. */
const char *hwmon_prop_name(unsigned prop)
{
	return prop <= HWMON_PROP_LABEL ? hwmon_props[prop] : "?";
}
