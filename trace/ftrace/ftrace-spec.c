/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-spec.c - pure parts: event specs, pid filters, instance names, buffer stats. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftrace-internal.h"

/* name_ok - a tracefs system or event name or glob: letters, digits, '_', '*', '?', '[]'. */
static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= FTRACE_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '*' || c == '?' || c == '[' || c == ']' || c == '-'))
			return false;
	}
	return true;
}

/* ftrace_spec_parse - split "system:event" (or "event": any system). */
int ftrace_spec_parse(const char *s, struct ftrace_spec *ret)
{
	const char *colon = strchr(s, ':');
	const char *ev = colon ? colon + 1 : s;
	size_t sys_n = colon ? (size_t)(colon - s) : 1;

	if (colon && !name_ok(s, sys_n))
		return -EINVAL;
	if (!name_ok(ev, strlen(ev)))
		return -EINVAL;
	if (colon)
		memcpy(ret->system, s, sys_n);
	else
		ret->system[0] = '*';
	ret->system[sys_n] = '\0';
	memcpy(ret->event, ev, strlen(ev) + 1);
	return 0;
}

/* ftrace_filter_build - "(filter) && (common_pid == a || common_pid == b)". */
int ftrace_filter_build(const char *filter, const pid_t *pids, size_t npids, char *buf,
			size_t size)
{
	size_t len = 0;
	int n;

	if (npids > RTLAB_FTRACE_MAX_PIDS)
		return -EINVAL;
	if (filter && !filter[0])
		filter = NULL;
	n = snprintf(buf, size, "%s%s%s%s", filter && npids ? "(" : "", filter ? filter : "",
		     filter && npids ? ")" : "", filter && npids ? " && (" : "");
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	len = (size_t)n;
	for (size_t i = 0; i < npids; i++) {
		if (pids[i] <= 0)
			return -EINVAL;
		n = snprintf(buf + len, size - len, "%scommon_pid == %d", i ? " || " : "",
			     (int)pids[i]);
		if (n < 0 || (size_t)n >= size - len)
			return -ENOSPC;
		len += (size_t)n;
	}
	if (filter && npids) {
		if (len + 2 > size)
			return -ENOSPC;
		buf[len++] = ')';
		buf[len] = '\0';
	}
	return (int)len;
}

/* ftrace_instance_name_parse - "rtlab-<pid>-<n>" with decimal pid and n. */
int ftrace_instance_name_parse(const char *name, pid_t *ret_pid)
{
	const char *p = name;
	char *end;
	long pid, n;

	if (strncmp(p, "rtlab-", 6) != 0)
		return -EINVAL;
	p += 6;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	errno = 0;
	pid = strtol(p, &end, 10);
	if (errno || pid <= 0 || pid > 0x3fffffff || *end != '-')
		return -EINVAL;
	p = end + 1;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	n = strtol(p, &end, 10);
	if (errno || n < 0 || *end)
		return -EINVAL;
	*ret_pid = (pid_t)pid;
	return 0;
}

/* stat_value - the number after "@key" at the start of a line of @text. */
static int stat_value(const char *text, const char *key, uint64_t *ret)
{
	size_t klen = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *v;
		char *end;

		if (strncmp(l, key, klen) != 0)
			continue;
		v = l + klen;
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v < '0' || *v > '9')
			return -EINVAL;
		errno = 0;
		*ret = strtoull(v, &end, 10);
		if (errno || (*end != '\n' && *end != '\0'))
			return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

/* ftrace_stats_parse - the lost counts of one CPU's stats file. */
int ftrace_stats_parse(const char *text, uint64_t *ret_overrun, uint64_t *ret_dropped)
{
	int r = stat_value(text, "overrun:", ret_overrun);

	if (r < 0)
		return r;
	r = stat_value(text, "dropped events:", ret_dropped);
	if (r == -ENOENT) {	/* older kernels: no such line, nothing dropped */
		*ret_dropped = 0;
		r = 0;
	}
	return r;
}
