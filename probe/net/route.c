/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* route.c - the route family: IPv4 and IPv6 routes, the default gateways, ARP. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net-internal.h"

enum { SRC_ROUTE, SRC_ROUTE6, SRC_ARP, SRC__COUNT };

static const char *const src_paths[SRC__COUNT] = {
	[SRC_ROUTE] = "/proc/net/route",
	[SRC_ROUTE6] = "/proc/net/ipv6_route",
	[SRC_ARP] = "/proc/net/arp",
};

/* route_open - the sources, not yet opened. */
static int route_open(struct rtlab_probe *p, void **state)
{
	(void)p;
	return probe_srcs_open(src_paths, SRC__COUNT, state);
}

/* route_release - the route and neighbour arrays. */
static void route_release(struct rtlab_probe_data *d)
{
	free(d->route.routes);
	free(d->route.arp);
	d->route.routes = NULL;
	d->route.arp = NULL;
	d->route.n_routes = d->route.cap_routes = d->route.n_arp = d->route.cap_arp = 0;
}

typedef int (*route_parser)(const char *buf, size_t len, struct rtlab_probe_route *out,
			    unsigned *bad_line);

/* read_one - read and parse source @i, its item count from @first into @count. */
static int read_one(struct probe_cx *cx, struct probe_srcs *s, int i, route_parser parse,
		    const size_t *n, struct rtlab_pu64 *count)
{
	struct probe_src *src = &s->src[i];
	size_t before = *n;
	/* A kernel without IPv6 has no ipv6_route: nothing to say. */
	ssize_t len = net_read(cx, src, i == SRC_ROUTE6);
	unsigned bad = 0;
	int r;

	if (len < 0) {
		PV_NA(*count, probe_st_from_errno((int)len));
		return len == -ENOMEM ? -ENOMEM : 0;
	}
	r = parse(src->buf, (size_t)len, &cx->d->route, &bad);
	if (r == -ENOMEM)
		return r;
	net_parsed(cx, src, r, bad);
	PV_SET(*count, *n - before);
	return 0;
}

/* route_collect - the three tables, then the default gateways. */
static int route_collect(struct probe_cx *cx, void *state)
{
	struct probe_srcs *s = state;
	struct rtlab_probe_route *rt = &cx->d->route;
	int r;

	rt->n_routes = 0;
	rt->n_arp = 0;
	r = read_one(cx, s, SRC_ROUTE, route4_parse, &rt->n_routes, &rt->n_routes4);
	if (!r)
		r = read_one(cx, s, SRC_ROUTE6, route6_parse, &rt->n_routes, &rt->n_routes6);
	if (!r)
		r = read_one(cx, s, SRC_ARP, arp_parse, &rt->n_arp, &rt->n_arp_entries);
	if (r < 0)
		return r;
	route_default_gw(rt);
	return 0;
}

static const struct rtlab_metric m_routes = {
	"rtlab_routes", "Routes of the kernel's tables (/proc/net/route, ipv6_route).",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_route_info = {
	"rtlab_route_info", "A route; value 1.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_gw_info = {
	"rtlab_default_gateway_info", "The default gateway of lowest metric; value 1.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_arp = {
	"node_arp_entries", "ARP entries by device", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_arp_info = {
	"rtlab_arp_entry_info", "A neighbour of the ARP table; value 1.", RTLAB_METRIC_GAUGE
};

/* prefix_str - "ADDR/LEN". */
static void prefix_str(int family, const uint8_t *a, uint8_t len, char *buf, size_t size)
{
	char addr[64];

	rtlab_net_addr_str(family, a, addr, sizeof(addr));
	snprintf(buf, size, "%s/%u", addr, len);
}

/* emit_routes - the counts and one info sample per route. */
static void emit_routes(struct probe_emit *e, const struct rtlab_probe_route *rt)
{
	char dst[80], src[80], gw[64], metric[16], flags[16];

	pe_emitl(e, &m_routes, mv_u64(rt->n_routes4), { "family", "ipv4" });
	pe_emitl(e, &m_routes, mv_u64(rt->n_routes6), { "family", "ipv6" });
	for (size_t i = 0; i < rt->n_routes; i++) {
		const struct rtlab_net_route *r = &rt->routes[i];
		static const uint8_t zero[16];

		prefix_str(r->family, r->dst, r->dst_len, dst, sizeof(dst));
		src[0] = gw[0] = '\0';
		if (r->src_len)
			prefix_str(r->family, r->src, r->src_len, src, sizeof(src));
		if (memcmp(r->gateway, zero, r->family == 4 ? 4 : 16) != 0)
			rtlab_net_addr_str(r->family, r->gateway, gw, sizeof(gw));
		snprintf(metric, sizeof(metric), "%u", r->metric);
		snprintf(flags, sizeof(flags), "0x%x", r->flags);
		pe_emitl(e, &m_route_info, mv_one(RTLAB_PV_OK), { "destination", dst },
			 { "device", r->ifname }, { "family", r->family == 4 ? "ipv4" : "ipv6" },
			 { "flags", flags }, { "gateway", gw }, { "metric", metric },
			 { "source", src });
	}
}

/* emit_gateways - the default gateway of each family that has one. */
static void emit_gateways(struct probe_emit *e, const struct rtlab_probe_route *rt)
{
	char gw[64];

	gw[0] = '\0';
	if (rt->gw4_st == RTLAB_PV_OK)
		rtlab_net_addr_str(4, rt->gw4, gw, sizeof(gw));
	pe_emitl(e, &m_gw_info, mv_one(rt->gw4_st), { "device", rt->gw4_ifname },
		 { "family", "ipv4" }, { "gateway", gw });
	gw[0] = '\0';
	if (rt->gw6_st == RTLAB_PV_OK)
		rtlab_net_addr_str(6, rt->gw6, gw, sizeof(gw));
	pe_emitl(e, &m_gw_info, mv_one(rt->gw6_st), { "device", rt->gw6_ifname },
		 { "family", "ipv6" }, { "gateway", gw });
}

/* emit_arp - node_arp_entries per device (first seen order), then each neighbour. */
static void emit_arp(struct probe_emit *e, const struct rtlab_probe_route *rt)
{
	char ip[16], hw[3 * RTLAB_NET_HWADDR_MAX], type[16], flags[16];

	for (size_t i = 0; i < rt->n_arp; i++) {
		struct rtlab_pu64 n = { 0, rt->n_arp_entries.st };
		bool seen = false;

		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(rt->arp[k].ifname, rt->arp[i].ifname) == 0;
		if (seen)
			continue;
		for (size_t k = i; k < rt->n_arp; k++)
			n.v += strcmp(rt->arp[k].ifname, rt->arp[i].ifname) == 0;
		pe_emitl(e, &m_arp, mv_u64(n), { "device", rt->arp[i].ifname });
	}
	for (size_t i = 0; i < rt->n_arp; i++) {
		const struct rtlab_net_arp *a = &rt->arp[i];

		rtlab_net_addr_str(4, a->ip, ip, sizeof(ip));
		rtlab_net_hwaddr_str(a->hwaddr, a->hwaddr_len, hw, sizeof(hw));
		snprintf(type, sizeof(type), "%u", a->hw_type);
		snprintf(flags, sizeof(flags), "0x%x", a->flags);
		pe_emitl(e, &m_arp_info, mv_one(RTLAB_PV_OK), { "device", a->ifname },
			 { "flags", flags }, { "hw_address", hw }, { "hw_type", type },
			 { "ip_address", ip });
	}
}

/* route_emit - routes, gateways, neighbours. */
static void route_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	emit_routes(e, &d->route);
	emit_gateways(e, &d->route);
	emit_arp(e, &d->route);
}

const struct probe_family probe_fam_route = {
	.name = "route",
	.id = RTLAB_PF_ROUTE,
	.slow = true,
	.open = route_open,
	.close = probe_srcs_close,
	.collect = route_collect,
	.emit = route_emit,
	.release = route_release,
};
