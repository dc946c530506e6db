/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* snmp-parse.c - /proc/net/snmp, /proc/net/netstat and /proc/net/snmp6 counters. */
#include <errno.h>

#include "net/net-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* counter_add - a new counter {proto, name}, its value malformed until set; NULL on -ENOMEM. */
static struct rtlab_netstat_counter *counter_add(struct rtlab_probe_netstat *out,
						 const char *proto, size_t pl, const char *name,
						 size_t nl)
{
	struct rtlab_netstat_counter *c;

	if (probe_grow((void **)&out->counters, &out->cap_counters, out->n_counters + 1,
		       sizeof(*c)) < 0)
		return NULL;
	c = &out->counters[out->n_counters++];
	pp_copy(c->proto, sizeof(c->proto), proto, pl);
	pp_copy(c->name, sizeof(c->name), name, nl);
	PV_NA(c->value, RTLAB_PV_MALFORMED);
	return c;
}

/* line_proto - the "Proto" of "Proto: ..." as [*w, +*wl); @p moves past the colon. */
static bool line_proto(const char **p, const char *eol, const char **w, size_t *wl)
{
	const char *colon = memchr(*p, ':', (size_t)(eol - *p));

	if (!colon || colon == *p)
		return false;
	*w = *p;
	*wl = (size_t)(colon - *p);
	*p = colon + 1;
	return true;
}

/* value_word - the next word of a values line as a signed number; false if not one. */
static bool value_word(const char **p, const char *eol, int64_t *v)
{
	const char *w, *q;
	size_t wl;

	if (!pp_word(p, eol, &w, &wl))
		return false;
	q = w;
	return pp_i64(&q, w + wl, v) && q == w + wl;
}

/* same_proto - true if both lines start with the same "Proto:". */
static bool same_proto(const char *p, const char *eol, const char *q, const char *qeol)
{
	const char *a, *b;
	size_t al, bl;

	return q && line_proto(&p, eol, &a, &al) && line_proto(&q, qeol, &b, &bl) && al == bl &&
	       memcmp(a, b, al) == 0;
}

/*
 * snmp_pair - a names line [p, eol) and its values line [q, qeol) (NULL if
 * it has none): every counter appended.  0, -EBADMSG (what pairs up is kept,
 * the rest malformed) or -ENOMEM.
 */
static int snmp_pair(struct rtlab_probe_netstat *out, const char *p, const char *eol,
		     const char *q, const char *qeol)
{
	const char *proto, *w;
	size_t pl, wl;
	bool ok = q != NULL;
	int64_t v;

	if (!line_proto(&p, eol, &proto, &pl))
		return -EBADMSG;
	if (q)
		q = (const char *)memchr(q, ':', (size_t)(qeol - q)) + 1;
	while (pp_word(&p, eol, &w, &wl)) {
		struct rtlab_netstat_counter *c = counter_add(out, proto, pl, w, wl);

		if (!c)
			return -ENOMEM;
		if (q && value_word(&q, qeol, &v))
			PV_SET(c->value, v);
		else
			ok = false;
	}
	if (q && pp_skip_blanks(q, qeol) != qeol)
		ok = false;
	return ok ? 0 : -EBADMSG;
}

/* snmp_parse - pairs of lines, names then values. */
int snmp_parse(const char *buf, size_t len, struct rtlab_probe_netstat *out, unsigned *bad_line)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	while (p < end) {
		const char *eol = pp_eol(p, end), *q = NULL, *qeol = NULL;
		int pr;

		line++;
		if (pp_skip_blanks(p, eol) == eol) {
			p = pp_next_line(p, end);
			continue;
		}
		if (eol < end) {
			q = eol + 1;
			qeol = pp_eol(q, end);
		}
		if (!same_proto(p, eol, q, qeol))
			q = NULL;
		pr = snmp_pair(out, p, eol, q, qeol);
		if (pr == -ENOMEM)
			return pr;
		if (pr < 0)
			r = np_bad(bad_line, line);
		/* A values line that pairs is consumed with its names line. */
		p = pp_next_line(q ? q : p, end);
		line += q != NULL;
	}
	return r;
}

/* snmp6_split - "Icmp6InErrors" into "Icmp6" and "InErrors": after the first '6'. */
static size_t snmp6_split(const char *w, size_t wl)
{
	const char *six = memchr(w, '6', wl);

	return six && six + 1 < w + wl ? (size_t)(six + 1 - w) : 0;
}

/* snmp6_parse - "Name value" lines. */
int snmp6_parse(const char *buf, size_t len, struct rtlab_probe_netstat *out, unsigned *bad_line)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	for (; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end), *w;
		struct rtlab_netstat_counter *c;
		size_t wl, pl;
		int64_t v;

		line++;
		if (!pp_word(&p, eol, &w, &wl))
			continue;
		pl = snmp6_split(w, wl);
		if (!pl) {
			r = np_bad(bad_line, line);
			continue;
		}
		c = counter_add(out, w, pl, w + pl, wl - pl);
		if (!c)
			return -ENOMEM;
		if (value_word(&p, eol, &v) && pp_skip_blanks(p, eol) == eol)
			PV_SET(c->value, v);
		else
			r = np_bad(bad_line, line);
	}
	return r;
}
