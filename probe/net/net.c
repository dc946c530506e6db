/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * net.c - the net family: interfaces from a netlink dump (live) or
 * /sys/class/net (below a root), their /proc/net/dev counters and rates,
 * speed, duplex and driver from sysfs, and their IPv4/IPv6 addresses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>

#include "net/net-internal.h"

/*
 * Speed, duplex and driver cost a sysfs read each per interface; live they
 * are read again only when the interface changed (index, operstate, carrier
 * changes) or after this long.
 */
#define SYSFS_REFRESH_NS (5 * UINT64_C(1000000000))

/* The notifications that say the link or address lists changed. */
#define NET_GROUPS (RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR)

struct net_state {
	bool live;		/* root "": netlink */
	struct net_nl nl;
	struct net_nl mon;	/* subscribed to NET_GROUPS */
	bool mon_failed;	/* could not subscribe: dump the lists every time */
	uint64_t gen;		/* bumped by each change notified (or possibly missed) */
	struct probe_src dev;
	struct probe_src if_inet6;
	uint64_t sysfs_ns;	/* when speed/duplex/driver were last read for all */
};

/* net_open - netlink live, the files below a root otherwise. */
static int net_open(struct rtlab_probe *p, void **state)
{
	struct net_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->live = probe_root(p)[0] == '\0';
	s->nl.fd = -1;
	s->mon.fd = -1;
	s->gen = 1;
	if (s->live && (net_nl_init(&s->nl, NETLINK_ROUTE) < 0 ||
			net_nl_init(&s->mon, NETLINK_ROUTE) < 0)) {
		net_nl_close(&s->nl);
		free(s);
		return -ENOMEM;
	}
	probe_src_init(&s->dev, "/proc/net/dev");
	probe_src_init(&s->if_inet6, "/proc/net/if_inet6");
	*state = s;
	return 0;
}

/* net_close - socket, fds, buffers. */
static void net_close(void *state)
{
	struct net_state *s = state;

	net_nl_close(&s->nl);
	net_nl_close(&s->mon);
	probe_src_close(&s->dev);
	probe_src_close(&s->if_inet6);
	free(s);
}

/* net_release - the arrays grown in the data. */
static void net_release(struct rtlab_probe_data *d)
{
	free(d->net.ifaces);
	free(d->net.addrs);
	free(d->net.prev);
	d->net.ifaces = NULL;
	d->net.addrs = NULL;
	d->net.prev = NULL;
	d->net.n_ifaces = d->net.cap_ifaces = d->net.n_addrs = d->net.cap_addrs = 0;
	d->net.n_prev = d->net.cap_prev = 0;
}

/* swap_prev - the last collection's interfaces become prev; ifaces starts empty (addrs kept). */
static void swap_prev(struct rtlab_probe_net *n)
{
	struct rtlab_net_iface *t = n->prev;
	size_t cap = n->cap_prev;

	n->prev = n->ifaces;
	n->n_prev = n->n_ifaces;
	n->cap_prev = n->cap_ifaces;
	n->ifaces = t;
	n->cap_ifaces = cap;
	n->n_ifaces = 0;
	n->nl_malformed = 0;
}

/* find_prev - @ifc in the previous collection (same name and index), or NULL. */
static const struct rtlab_net_iface *find_prev(const struct rtlab_probe_net *n,
					       const struct rtlab_net_iface *ifc, size_t hint)
{
	for (size_t k = 0; k < n->n_prev; k++) {
		const struct rtlab_net_iface *o = &n->prev[(hint + k) % n->n_prev];

		if (strcmp(o->name, ifc->name) != 0)
			continue;
		if (o->ifindex.st == RTLAB_PV_OK && ifc->ifindex.st == RTLAB_PV_OK &&
		    o->ifindex.v != ifc->ifindex.v)
			return NULL;
		return o;
	}
	return NULL;
}

/* rate - (cur - old) / dt, NOT_READY without a usable earlier reading. */
static void rate(struct rtlab_pf64 *r, struct rtlab_pu64 cur, const struct rtlab_pu64 *old,
		 double dt_s)
{
	if (cur.st != RTLAB_PV_OK)
		PV_NA(*r, cur.st);
	else if (!old || old->st != RTLAB_PV_OK || cur.v < old->v || dt_s <= 0)
		PV_NA(*r, RTLAB_PV_NOT_READY);
	else
		PV_SET(*r, (double)(cur.v - old->v) / dt_s);
}

/* net_rates - per-second rates of the /proc/net/dev counters. */
static void net_rates(struct probe_cx *cx, struct rtlab_net_iface *ifc,
		      const struct rtlab_net_iface *o)
{
	double dt = cx->prev_ns ? (double)(cx->now_ns - cx->prev_ns) / 1e9 : 0;

	if (!cx->prev_ns)
		o = NULL;
	rate(&ifc->rx_bytes_per_s, ifc->dev[RTLAB_NETDEV_RX_BYTES],
	     o ? &o->dev[RTLAB_NETDEV_RX_BYTES] : NULL, dt);
	rate(&ifc->tx_bytes_per_s, ifc->dev[RTLAB_NETDEV_TX_BYTES],
	     o ? &o->dev[RTLAB_NETDEV_TX_BYTES] : NULL, dt);
	rate(&ifc->rx_packets_per_s, ifc->dev[RTLAB_NETDEV_RX_PACKETS],
	     o ? &o->dev[RTLAB_NETDEV_RX_PACKETS] : NULL, dt);
	rate(&ifc->tx_packets_per_s, ifc->dev[RTLAB_NETDEV_TX_PACKETS],
	     o ? &o->dev[RTLAB_NETDEV_TX_PACKETS] : NULL, dt);
}

/* same_link - true if the speed/duplex/driver read for @o still hold for @ifc. */
static bool same_link(const struct rtlab_net_iface *ifc, const struct rtlab_net_iface *o)
{
	return o && ifc->ifindex.v == o->ifindex.v && ifc->operstate.st == o->operstate.st &&
	       ifc->operstate.v == o->operstate.v &&
	       ifc->carrier_changes.st == o->carrier_changes.st &&
	       ifc->carrier_changes.v == o->carrier_changes.v &&
	       ifc->master.v == o->master.v;
}

/* copy_link - speed, duplex and driver as read for @o. */
static void copy_link(struct rtlab_net_iface *ifc, const struct rtlab_net_iface *o)
{
	ifc->speed_mbps = o->speed_mbps;
	memcpy(ifc->duplex, o->duplex, sizeof(ifc->duplex));
	ifc->duplex_st = o->duplex_st;
	memcpy(ifc->driver, o->driver, sizeof(ifc->driver));
	ifc->driver_st = o->driver_st;
}

/* find_index - the interface of index @ifindex (looked for from *@hint on), or NULL. */
static struct rtlab_net_iface *find_index(struct rtlab_probe_net *n, uint64_t ifindex,
					  size_t *hint)
{
	for (size_t k = 0; k < n->n_ifaces; k++) {
		size_t i = (*hint + k) % n->n_ifaces;

		if (n->ifaces[i].ifindex.st == RTLAB_PV_OK && n->ifaces[i].ifindex.v == ifindex) {
			*hint = i;
			return &n->ifaces[i];
		}
	}
	return NULL;
}

/* find_name - the interface named @name, or NULL. */
static struct rtlab_net_iface *find_name(struct rtlab_probe_net *n, const char *name)
{
	for (size_t i = 0; i < n->n_ifaces; i++)
		if (strcmp(n->ifaces[i].name, name) == 0)
			return &n->ifaces[i];
	return NULL;
}

/* resolve_names - master names (live) or master indexes (below a root), address names. */
static void resolve_names(struct rtlab_probe_net *n)
{
	size_t hint = 0;

	for (size_t i = 0; i < n->n_ifaces; i++) {
		struct rtlab_net_iface *ifc = &n->ifaces[i], *m;

		if (n->from_netlink && ifc->master.st == RTLAB_PV_OK && ifc->master.v) {
			m = find_index(n, ifc->master.v, &hint);
			rtlab_strlcpy(ifc->master_name, m ? m->name : "", sizeof(ifc->master_name));
		} else if (!n->from_netlink && ifc->master_name[0]) {
			m = find_name(n, ifc->master_name);
			if (m && m->ifindex.st == RTLAB_PV_OK)
				PV_SET(ifc->master, m->ifindex.v);
		}
	}
	for (size_t i = 0; i < n->n_addrs; i++) {
		struct rtlab_net_addr *a = &n->addrs[i];
		struct rtlab_net_iface *ifc;

		if (a->ifname[0])
			continue;
		/* The addresses of one interface come together: start where the last was. */
		ifc = find_index(n, a->ifindex, &hint);
		if (ifc)
			memcpy(a->ifname, ifc->name, sizeof(a->ifname));
	}
}

/*
 * lists_current - true if no link or address changed since @n's lists were
 * dumped: the monitor is open and had nothing to say.
 */
static bool lists_current(struct net_state *s, const struct rtlab_probe_net *n)
{
	int r;

	if (s->mon.fd < 0 && !s->mon_failed) {
		s->mon_failed = net_nl_monitor(&s->mon, NET_GROUPS) < 0;
		/* What changed before the subscription was not heard. */
		s->gen++;
	}
	if (s->mon.fd < 0)
		return false;
	r = net_nl_drain(&s->mon);
	if (r != 0)
		s->gen++;
	return r == 0 && n->link_gen == s->gen;
}

/* carry - the previous collection's interfaces again (addresses are still there). */
static int carry(struct rtlab_probe_net *n)
{
	if (probe_grow((void **)&n->ifaces, &n->cap_ifaces, n->n_prev, sizeof(*n->ifaces)) < 0)
		return -ENOMEM;
	memcpy(n->ifaces, n->prev, n->n_prev * sizeof(*n->ifaces));
	n->n_ifaces = n->n_prev;
	return 0;
}

/*
 * collect_netlink - live: links and addresses from two dumps; while the
 * monitor hears of no change, the same lists with fresh counters from one
 * RTM_GETSTATS dump.
 */
static int collect_netlink(struct probe_cx *cx, struct net_state *s)
{
	struct rtlab_probe_net *n = &cx->d->net;
	int r;

	if (lists_current(s, n)) {
		r = carry(n);
		if (r == 0)
			r = net_nl_stats_dump(&s->nl, n);
		if (r == 0 && n->nl_malformed)
			probe_why(cx, "netlink: %u malformed messages skipped", n->nl_malformed);
		if (r == 0 || r == -ENOMEM)
			return r;
		n->n_ifaces = 0;
		n->nl_malformed = 0;
	}
	n->n_addrs = 0;
	r = net_nl_dump(&s->nl, RTM_GETLINK, n);
	if (r == 0)
		r = net_nl_dump(&s->nl, RTM_GETADDR, n);
	if (r == 0)
		n->link_gen = s->gen;
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		probe_why(cx, "netlink RTM_GETLINK/RTM_GETADDR dump: %s", strerror(-r));
		n->addrs4_st = n->addrs6_st = probe_st_from_errno(r);
		return 0;
	}
	if (n->nl_malformed)
		probe_why(cx, "netlink: %u malformed messages skipped", n->nl_malformed);
	n->addrs4_st = n->addrs6_st = RTLAB_PV_OK;
	return 0;
}

/* collect_root - below a root: IPv6 addresses from if_inet6 (IPv4 needs netlink). */
static int collect_root(struct probe_cx *cx, struct net_state *s)
{
	struct rtlab_probe_net *n = &cx->d->net;
	ssize_t len = net_read(cx, &s->if_inet6, true);
	unsigned bad = 0;
	int r;

	n->n_addrs = 0;
	n->addrs4_st = RTLAB_PV_ABSENT;
	if (len < 0) {
		n->addrs6_st = probe_st_from_errno((int)len);
		return len == -ENOMEM ? -ENOMEM : 0;
	}
	r = if_inet6_parse(s->if_inet6.buf, (size_t)len, n, &bad);
	if (r == -ENOMEM)
		return r;
	n->addrs6_st = net_parsed(cx, &s->if_inet6, r, bad);
	return 0;
}

/* collect_dev - /proc/net/dev merged into the interfaces by name. */
static int collect_dev(struct probe_cx *cx, struct net_state *s)
{
	struct rtlab_probe_net *n = &cx->d->net;
	ssize_t len = net_read(cx, &s->dev, false);
	unsigned bad = 0;
	int r;

	if (len < 0) {
		uint8_t st = probe_st_from_errno((int)len);

		for (size_t i = 0; i < n->n_ifaces; i++)
			for (size_t k = 0; k < RTLAB_NETDEV__COUNT; k++)
				PV_NA(n->ifaces[i].dev[k], st);
		return len == -ENOMEM ? -ENOMEM : 0;
	}
	r = netdev_parse(s->dev.buf, (size_t)len, n, &bad);
	if (r == -ENOMEM)
		return r;
	net_parsed(cx, &s->dev, r, bad);
	return 0;
}

/* per_iface - sysfs attributes (cached live) and rates of each interface. */
static void per_iface(struct probe_cx *cx, struct net_state *s)
{
	struct rtlab_probe_net *n = &cx->d->net;
	bool refresh = !s->live || cx->now_ns - s->sysfs_ns >= SYSFS_REFRESH_NS;

	for (size_t i = 0; i < n->n_ifaces; i++) {
		struct rtlab_net_iface *ifc = &n->ifaces[i];
		const struct rtlab_net_iface *o = find_prev(n, ifc, i);

		if (!s->live)
			net_sysfs_all(cx->p, ifc);
		if (!refresh && same_link(ifc, o))
			copy_link(ifc, o);
		else
			net_sysfs_link(cx->p, ifc);
		net_rates(cx, ifc, o);
	}
	if (refresh)
		s->sysfs_ns = cx->now_ns;
}

/* net_collect - the interface list, counters, attributes, addresses and rates. */
static int net_collect(struct probe_cx *cx, void *state)
{
	struct net_state *s = state;
	struct rtlab_probe_net *n = &cx->d->net;
	int r;

	swap_prev(n);
	n->from_netlink = s->live;
	r = s->live ? collect_netlink(cx, s) : collect_root(cx, s);
	if (!r)
		r = collect_dev(cx, s);
	if (!r && !s->live) {
		r = net_sysfs_list(cx->p, n);
		if (r < 0 && r != -ENOMEM) {
			probe_why(cx, "/sys/class/net: %s", strerror(-r));
			r = 0;
		}
	}
	if (r < 0)
		return r;
	per_iface(cx, s);
	resolve_names(n);
	return 0;
}

const struct probe_family probe_fam_net = {
	.name = "net",
	.id = RTLAB_PF_NET,
	.open = net_open,
	.close = net_close,
	.collect = net_collect,
	.emit = net_emit,
	.release = net_release,
};
