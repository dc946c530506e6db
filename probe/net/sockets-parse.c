/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sockets-parse.c - the socket tables of /proc/net: counted, or read socket by socket. */
#include <errno.h>

#include "net/net-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* is_header - the first line of a table: "sl ..." (inet), "Num ..." (unix), "sk ..." (others). */
static bool is_header(const char *p, const char *eol)
{
	const char *w;
	size_t wl;

	return pp_word(&p, eol, &w, &wl) &&
	       (pp_eq(w, wl, "sl") || pp_eq(w, wl, "Num") || pp_eq(w, wl, "sk"));
}

/* is_inet - a protocol whose table has the tcp/udp/raw layout. */
static bool is_inet(enum rtlab_sock_proto proto)
{
	return proto <= RTLAB_SOCK_RAW6;
}

/* is_v6 - the IPv6 tables. */
static bool is_v6(enum rtlab_sock_proto proto)
{
	return proto == RTLAB_SOCK_TCP6 || proto == RTLAB_SOCK_UDP6 || proto == RTLAB_SOCK_RAW6;
}

/* hex_lead - true if the line starts with a hex word (a kernel pointer) and @sep after it. */
static bool hex_lead(const char *p, const char *eol, char sep)
{
	const char *start = p = pp_skip_blanks(p, eol);

	while (p < eol && np_hexval(*p) >= 0)
		p++;
	return p > start && p < eol && *p == sep;
}

/* inet_state - the "st" field of an inet line (after "sl:", local and remote); -1 if bad. */
static int inet_state(const char *p, const char *eol)
{
	const char *w;
	size_t wl;
	uint64_t st;

	for (int i = 0; i < 3; i++)
		if (!pp_word(&p, eol, &w, &wl))
			return -1;
	if (!np_hex(&p, eol, &st) || st > 255 || (p < eol && *p != ' '))
		return -1;
	return (int)st;
}

/* count_line - one data line of @proto counted; false if it is not one. */
static bool count_line(const char *p, const char *eol, enum rtlab_sock_proto proto,
		       struct rtlab_probe_sockets *out)
{
	if (is_inet(proto)) {
		int st = inet_state(p, eol);

		if (st < 0)
			return false;
		if (proto == RTLAB_SOCK_TCP || proto == RTLAB_SOCK_TCP6) {
			if (st > 0 && st < RTLAB_TCP_STATE__COUNT)
				out->tcp_states[st].v++;
			else
				out->tcp_unknown_state++;
		}
	} else if (!hex_lead(p, eol, proto == RTLAB_SOCK_UNIX ? ':' : ' ')) {
		return false;
	}
	out->count[proto].v++;
	return true;
}

/* sock_count_parse - count the sockets of one table (and TCP states). */
int sock_count_parse(const char *buf, size_t len, enum rtlab_sock_proto proto,
		     struct rtlab_probe_sockets *out, unsigned *bad_line)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	if ((unsigned)proto >= RTLAB_SOCK__COUNT)
		return -EINVAL;
	PV_SET(out->count[proto], 0);
	for (; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end);

		line++;
		if ((line == 1 && is_header(p, eol)) || pp_skip_blanks(p, eol) == eol)
			continue;
		/* A unix socket path may hold a newline: its rest is no socket. */
		if (!count_line(p, eol, proto, out) && proto != RTLAB_SOCK_UNIX)
			r = np_bad(bad_line, line);
	}
	return r;
}

/* endpoint - "ADDR:PORT" with ADDR as 1 or 4 host-order hex words. */
static bool endpoint(const char **p, const char *eol, bool v6, uint8_t *addr, uint16_t *port)
{
	uint64_t v;

	*p = pp_skip_blanks(*p, eol);
	if (!np_hex_words(p, eol, addr, v6 ? 4 : 1) || !pp_lit(p, eol, ":") ||
	    !np_hex(p, eol, &v) || v > UINT16_MAX)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* hex_pair - "HEX:HEX" (tx:rx queues, timer:when). */
static bool hex_pair(const char **p, const char *eol, uint64_t *a, uint64_t *b)
{
	return np_hex(p, eol, a) && pp_lit(p, eol, ":") && np_hex(p, eol, b);
}

/* inet_line - "sl: LOCAL REMOTE st tx:rx tr:when retr uid timeout inode ..." into @s. */
static bool inet_line(const char *p, const char *eol, enum rtlab_sock_proto proto,
		      struct rtlab_socket *s)
{
	uint64_t v, st, tr, when, uid, inode;
	bool v6 = is_v6(proto);

	s->proto = (uint8_t)proto;
	s->family = v6 ? 6 : 4;
	if (!pp_u64(&p, eol, &v) || !pp_lit(&p, eol, ":") ||
	    !endpoint(&p, eol, v6, s->local, &s->local_port) ||
	    !endpoint(&p, eol, v6, s->remote, &s->remote_port) || !np_hex(&p, eol, &st) ||
	    st > 255 || !hex_pair(&p, eol, &s->tx_queue, &s->rx_queue) ||
	    !hex_pair(&p, eol, &tr, &when) || !np_hex(&p, eol, &v) || !pp_u64(&p, eol, &uid) ||
	    uid > UINT32_MAX || !pp_u64(&p, eol, &v) || !pp_u64(&p, eol, &inode))
		return false;
	s->state = (uint8_t)st;
	s->uid = (uint32_t)uid;
	s->has_uid = 1;
	s->inode = inode;
	return p == eol || *p == ' ';
}

/* unix_line - "PTR: REFCNT PROTO FLAGS TYPE ST INODE[ PATH]" into @s. */
static bool unix_line(const char *p, const char *eol, struct rtlab_socket *s)
{
	uint64_t v, flags, type, st, inode;

	s->proto = RTLAB_SOCK_UNIX;
	if (!np_hex(&p, eol, &v) || !pp_lit(&p, eol, ":") || !np_hex(&p, eol, &v) ||
	    !np_hex(&p, eol, &v) || !np_hex(&p, eol, &flags) || flags > UINT32_MAX ||
	    !np_hex(&p, eol, &type) || type > UINT16_MAX || !np_hex(&p, eol, &st) || st > 255 ||
	    !pp_u64(&p, eol, &inode))
		return false;
	s->unix_flags = (uint32_t)flags;
	s->unix_type = (uint16_t)type;
	s->state = (uint8_t)st;
	s->inode = inode;
	if (p < eol && *p != ' ')
		return false;
	/* The path is the rest of the line after one space, spaces included. */
	if (p < eol)
		pp_copy(s->path, sizeof(s->path), p + 1, (size_t)(eol - p - 1));
	return true;
}

/* sock_table_parse - each socket line of the table appended to @t. */
int sock_table_parse(const char *buf, size_t len, enum rtlab_sock_proto proto,
		     struct rtlab_socket_table *t, unsigned *bad_line)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	if (!is_inet(proto) && proto != RTLAB_SOCK_UNIX)
		return -EINVAL;
	for (; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end);
		struct rtlab_socket *s;
		bool ok;

		line++;
		if ((line == 1 && is_header(p, eol)) || pp_skip_blanks(p, eol) == eol)
			continue;
		if (probe_grow((void **)&t->s, &t->cap, t->n + 1, sizeof(*s)) < 0)
			return -ENOMEM;
		s = &t->s[t->n];
		memset(s, 0, sizeof(*s));
		ok = proto == RTLAB_SOCK_UNIX ? unix_line(p, eol, s) : inet_line(p, eol, proto, s);
		if (ok) {
			t->n++;
		} else if (proto != RTLAB_SOCK_UNIX || hex_lead(p, eol, ':')) {
			t->n_malformed++;
			r = np_bad(bad_line, line);
		}
	}
	return r;
}
