/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net-parse.h - pure parsers of the net group's sources (unit-tested, fuzzed).
 *
 * Each takes bytes that need not be NUL-terminated and never reads past
 * @len.  Table parsers append to the arrays of @out (growing them with
 * probe_grow, so they allocate only until the arrays are big enough) and put
 * the 1-based number of the first line they could not read into *@bad_line
 * (when not NULL; left alone when every line was read).  They return 0,
 * -EBADMSG when some line or field was malformed (what could be read is
 * kept, the rest marked RTLAB_PV_MALFORMED), or -ENOMEM.
 */
#ifndef RTLAB_PROBE_NET_PARSE_H
#define RTLAB_PROBE_NET_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <rtlab/probe.h>

/* --- Interfaces (netdev-parse.c, netlink-parse.c, net-iface.c) --- */

/*
 * netdev_parse - /proc/net/dev: the 16 counters of each interface into the
 * interface of that name in @out->ifaces, which is appended (its other fields
 * absent) when there is none yet.
 */
int netdev_parse(const char *buf, size_t len, struct rtlab_probe_net *out, unsigned *bad_line);

/*
 * net_nl_parse - a buffer of netlink messages from an RTM_GETLINK or
 * RTM_GETADDR dump: each RTM_NEWLINK is appended to @out->ifaces, each
 * RTM_NEWADDR to @out->addrs (ifname not resolved).  Returns 1 after
 * NLMSG_DONE, 0 when the dump goes on in the next buffer, the -errno of an
 * NLMSG_ERROR, -EBADMSG for a malformed message (the rest is skipped), or
 * -ENOMEM.  Reads the bytes without assuming any alignment.
 */
int net_nl_parse(const void *buf, size_t len, struct rtlab_probe_net *out);

/* The handler of one netlink message: 0, -EBADMSG (skipped and counted) or -ENOMEM. */
typedef int (*net_nl_msg_fn)(uint16_t type, const uint8_t *m, size_t len, void *out);

/*
 * net_nl_walk - the messages of a netlink dump buffer: NLMSG_DONE and
 * NLMSG_ERROR handled here, every other message's payload handed to @fn,
 * the ones it refuses counted in *@malformed.  Returns as net_nl_parse().
 */
int net_nl_walk(const void *buf, size_t len, net_nl_msg_fn fn, void *out, unsigned *malformed);

/*
 * sockdiag_parse - a buffer of a NETLINK_SOCK_DIAG dump of TCP sockets
 * (struct inet_diag_msg): each appended to @t as tcp or tcp6 (owners not
 * resolved), those that cannot be read counted in t->n_malformed.  Returns
 * as net_nl_parse().
 */
int sockdiag_parse(const void *buf, size_t len, struct rtlab_socket_table *t);

/*
 * if_inet6_parse - /proc/net/if_inet6 ("fe80...0001 02 40 20 80 eth0"): the
 * IPv6 addresses, appended to @out->addrs.
 */
int if_inet6_parse(const char *buf, size_t len, struct rtlab_probe_net *out, unsigned *bad_line);

/* net_iface_reset - @ifc named [@name, +@nl) with every other field in state @st. */
void net_iface_reset(struct rtlab_net_iface *ifc, const char *name, size_t nl, uint8_t st);

/*
 * net_iface_get - the interface named [@name, +@nl) in @n, looked for at
 * @hint first; if none, a new one appended (fields absent).  NULL on -ENOMEM.
 */
struct rtlab_net_iface *net_iface_get(struct rtlab_probe_net *n, const char *name, size_t nl,
				      size_t hint);

/* --- Protocol counters (netstat-parse.c, sockstat-parse.c) --- */

/*
 * snmp_parse - /proc/net/snmp or /proc/net/netstat: each "Proto: Name Name"
 * line followed by its "Proto: value value" line, every counter appended to
 * @out->counters.
 */
int snmp_parse(const char *buf, size_t len, struct rtlab_probe_netstat *out, unsigned *bad_line);

/* snmp6_parse - /proc/net/snmp6 ("Ip6InReceives  123"): counters {"Ip6", "InReceives"}. */
int snmp6_parse(const char *buf, size_t len, struct rtlab_probe_netstat *out, unsigned *bad_line);

/*
 * sockstat_parse - /proc/net/sockstat or sockstat6 ("TCP: inuse 2 orphan 0"):
 * each value appended to @out->sockstat (those beyond its room are dropped:
 * -ENOSPC if any was).
 */
int sockstat_parse(const char *buf, size_t len, struct rtlab_probe_netstat *out,
		   unsigned *bad_line);

/* netstat_named - fill @out's named fields from its counter and sockstat lists. */
void netstat_named(struct rtlab_probe_netstat *out);

/* --- Routes and neighbours (route-parse.c) --- */

/* route4_parse - /proc/net/route: IPv4 routes appended to @out->routes. */
int route4_parse(const char *buf, size_t len, struct rtlab_probe_route *out, unsigned *bad_line);

/* route6_parse - /proc/net/ipv6_route: IPv6 routes appended to @out->routes. */
int route6_parse(const char *buf, size_t len, struct rtlab_probe_route *out, unsigned *bad_line);

/* arp_parse - /proc/net/arp: neighbours appended to @out->arp. */
int arp_parse(const char *buf, size_t len, struct rtlab_probe_route *out, unsigned *bad_line);

/* route_default_gw - @out's default gateways (lowest metric per family) from its routes. */
void route_default_gw(struct rtlab_probe_route *out);

/* --- Sockets (sockets-parse.c) --- */

/*
 * sock_count_parse - a /proc/net socket table of @proto: its lines counted
 * into @out->count[@proto], and for TCP each state into @out->tcp_states
 * (added to what is there, so tcp and tcp6 add up).
 */
int sock_count_parse(const char *buf, size_t len, enum rtlab_sock_proto proto,
		     struct rtlab_probe_sockets *out, unsigned *bad_line);

/*
 * sock_table_parse - a /proc/net socket table of @proto (tcp, tcp6, udp,
 * udp6, raw, raw6 or unix): each socket appended to @t (owners not resolved).
 * A malformed line is skipped.
 */
int sock_table_parse(const char *buf, size_t len, enum rtlab_sock_proto proto,
		     struct rtlab_socket_table *t, unsigned *bad_line);

/* --- Scanning helpers of the group --- */

/* np_bad - note @line as the first bad one (if it is); returns -EBADMSG. */
static inline int np_bad(unsigned *bad_line, unsigned line)
{
	if (bad_line && !*bad_line)
		*bad_line = line;
	return -EBADMSG;
}

/* np_hexval - the value of hex digit @c, or -1. */
static inline int np_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * np_hex - a hexadecimal number (optional "0x") after optional blanks; *pp
 * moves past it.  False (and *pp unchanged) without a digit or on overflow.
 */
static inline bool np_hex(const char **pp, const char *end, uint64_t *ret)
{
	const char *p = *pp;
	const char *start;
	uint64_t v = 0;
	int d;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && np_hexval(p[2]) >= 0)
		p += 2;
	start = p;
	while (p < end && (d = np_hexval(*p)) >= 0) {
		if (v >> 60)
			return false;
		v = v << 4 | (uint64_t)d;
		p++;
	}
	if (p == start)
		return false;
	*ret = v;
	*pp = p;
	return true;
}

/*
 * np_hex_bytes - exactly 2 * @n hex digits at *pp into @out[0..n) (the
 * first digits are the first byte); *pp moves past them.  False otherwise.
 */
static inline bool np_hex_bytes(const char **pp, const char *end, uint8_t *out, size_t n)
{
	const char *p = *pp;

	if ((size_t)(end - p) < 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = np_hexval(p[2 * i]), lo = np_hexval(p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*pp = p + 2 * n;
	return true;
}

/*
 * np_hex_words - @n 32-bit words printed "%08X" from the host-order value
 * (as /proc/net/tcp prints addresses): into @out in memory order, which is
 * network order for the __be32 words the kernel printed.
 */
static inline bool np_hex_words(const char **pp, const char *end, uint8_t *out, size_t n)
{
	const char *p = *pp;

	for (size_t i = 0; i < n; i++) {
		uint8_t be[4];
		uint32_t w;

		if (!np_hex_bytes(&p, end, be, 4))
			return false;
		w = (uint32_t)be[0] << 24 | (uint32_t)be[1] << 16 | (uint32_t)be[2] << 8 | be[3];
		memcpy(out + 4 * i, &w, 4);
	}
	*pp = p;
	return true;
}

/* np_mac - "aa:bb:cc" into @out (at most @cap bytes): the length, 0 if malformed. */
static inline size_t np_mac(const char *w, size_t wl, uint8_t *out, size_t cap)
{
	size_t n = 0, i = 0;

	while (n < cap && i + 2 <= wl) {
		int hi = np_hexval(w[i]), lo = np_hexval(w[i + 1]);

		if (hi < 0 || lo < 0)
			return 0;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
		if (i == wl)
			return n;
		if (w[i] != ':')
			return 0;
		i++;
	}
	return 0;
}

#endif /* RTLAB_PROBE_NET_PARSE_H */
