/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-internal.h - what the net group's collectors share (not parsers: net-parse.h). */
#ifndef RTLAB_PROBE_NET_INTERNAL_H
#define RTLAB_PROBE_NET_INTERNAL_H

#include "net/net-parse.h"
#include "probe-internal.h"

/* A netlink socket for dumps (netlink.c). */
struct net_nl {
	int fd;			/* -1 until opened (or after an error) */
	int protocol;		/* NETLINK_ROUTE, NETLINK_SOCK_DIAG */
	uint32_t seq;
	uint8_t *buf;		/* fixed receive buffer */
	size_t cap;
};

/* A parser of a dump's datagram: 1 after NLMSG_DONE, 0 for more, or -errno. */
typedef int (*net_nl_parser)(const void *buf, size_t len, void *out);

/* net_nl_init - a closed netlink socket of @protocol with its receive buffer; -ENOMEM. */
int net_nl_init(struct net_nl *nl, int protocol);

/* net_nl_close - close the socket and free the buffer. */
void net_nl_close(struct net_nl *nl);

/*
 * net_nl_request - send the dump request @req (@len bytes from its struct
 * nlmsghdr, whose length, flags and sequence are set here) and hand each
 * datagram of the answer to @parse with @out until it is done; the socket is
 * opened on first use.  Returns 0 or -errno; after an error the socket is
 * closed, so that what is left of that dump never reaches the next one.
 */
int net_nl_request(struct net_nl *nl, void *req, size_t len, net_nl_parser parse, void *out);

/* net_nl_dump - one RTM_GETLINK or RTM_GETADDR dump into @n (appended). */
int net_nl_dump(struct net_nl *nl, uint16_t type, struct rtlab_probe_net *n);

/* net_nl_stats_dump - an RTM_GETSTATS dump: the 64-bit counters of the interfaces in @n. */
int net_nl_stats_dump(struct net_nl *nl, struct rtlab_probe_net *n);

/* net_nl_monitor - open @nl subscribed to the multicast @groups, non-blocking. */
int net_nl_monitor(struct net_nl *nl, uint32_t groups);

/*
 * net_nl_drain - read every notification waiting on the monitor @nl: > 0 if
 * there was any (or some were lost), 0 if none, -errno (the socket closed).
 */
int net_nl_drain(struct net_nl *nl);

/*
 * net_read - probe_src_read() of @s in a collection; a failure is named in
 * the family's why, but for a missing file when @absent_ok (a kernel without
 * IPv6, conntrack...).  The length or -errno.
 */
ssize_t net_read(struct probe_cx *cx, struct probe_src *s, bool absent_ok);

/*
 * net_parsed - the state a parser's result @r (0, -EBADMSG, -ENOSPC) gives
 * the source @s; a problem is named in why with its line @bad_line.
 */
uint8_t net_parsed(struct probe_cx *cx, const struct probe_src *s, int r, unsigned bad_line);

/* net_name_safe - true if @name can be a path component (no '/', not "." or ".."). */
bool net_name_safe(const char *name);

/* net_sysfs_link - speed, duplex and driver of @ifc from /sys/class/net/IF. */
void net_sysfs_link(struct rtlab_probe *p, struct rtlab_net_iface *ifc);

/* net_sysfs_all - below a root: every field sysfs has (not speed/duplex/driver). */
void net_sysfs_all(struct rtlab_probe *p, struct rtlab_net_iface *ifc);

/* net_sysfs_list - below a root: interfaces of /sys/class/net missing from @n appended. */
int net_sysfs_list(struct rtlab_probe *p, struct rtlab_probe_net *n);

/* net_operstate_parse - "up", "down"... (sysfs operstate) as IF_OPER_*, or -1. */
int net_operstate_parse(const char *w, size_t wl);

/* net_emit - the net family's samples (net-emit.c). */
void net_emit(struct probe_emit *e, const struct rtlab_probe_data *d);

#endif /* RTLAB_PROBE_NET_INTERNAL_H */
