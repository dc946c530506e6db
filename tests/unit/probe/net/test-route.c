/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-route.c - the route family: IPv4 and IPv6 routes, default gateways, ARP. */
#include "net-test.h"

/* route_text - "DST/LEN via GW dev IF metric M" of route @i, for easy comparison. */
static const char *route_text(const struct rtlab_probe_route *rt, size_t i, char *buf,
			      size_t size)
{
	const struct rtlab_net_route *r = &rt->routes[i];
	char dst[64], gw[64];

	rtlab_net_addr_str(r->family, r->dst, dst, sizeof(dst));
	rtlab_net_addr_str(r->family, r->gateway, gw, sizeof(gw));
	snprintf(buf, size, "%s/%u via %s dev %s metric %u flags %#x", dst, r->dst_len, gw,
		 r->ifname, r->metric, r->flags);
	return buf;
}

/* The hand-made IPv4 table: host-order hex read right, masks as prefix lengths. */
Test(route, ipv4_table)
{
	struct rtlab_probe_route rt = { 0 };
	size_t len;
	char *text = fixture_load("manycore", "/proc/net/route", &len);
	char buf[256];

	cr_assert_eq(route4_parse(text, len, &rt, NULL), 0);
	cr_assert_eq(rt.n_routes, 7);
	cr_assert_str_eq(route_text(&rt, 0, buf, sizeof(buf)),
			 "0.0.0.0/0 via 10.100.0.1 dev bond0.100 metric 100 flags 0x3");
	cr_assert_str_eq(route_text(&rt, 2, buf, sizeof(buf)),
			 "10.0.0.0/22 via 0.0.0.0 dev bond0 metric 0 flags 0x1");
	cr_assert_str_eq(route_text(&rt, 6, buf, sizeof(buf)),
			 "10.0.7.9/32 via 10.0.0.1 dev bond0 metric 0 flags 0x7");
	cr_assert_eq(rt.routes[5].mtu, 1420);
	free(rt.routes);
	free(text);
}

/* The hand-made IPv6 table: network-order hex, prefix lengths, metrics in hex. */
Test(route, ipv6_table)
{
	struct rtlab_probe_route rt = { 0 };
	size_t len;
	char *text = fixture_load("manycore", "/proc/net/ipv6_route", &len);
	char buf[256];

	cr_assert_eq(route6_parse(text, len, &rt, NULL), 0);
	cr_assert_eq(rt.n_routes, 9);
	cr_assert_str_eq(route_text(&rt, 0, buf, sizeof(buf)),
			 "2001:db8:10::/64 via :: dev bond0 metric 256 flags 0x1");
	cr_assert_str_eq(route_text(&rt, 3, buf, sizeof(buf)),
			 "::/0 via fe80::1 dev bond0 metric 1024 flags 0x450003");
	cr_assert_str_eq(route_text(&rt, 8, buf, sizeof(buf)),
			 "::/0 via :: dev lo metric 4294967295 flags 0x200200");
	free(rt.routes);
	free(text);
}

/* The ARP table: addresses, types, flags, MACs and devices. */
Test(route, arp_table)
{
	struct rtlab_probe_route rt = { 0 };
	size_t len;
	char *text = fixture_load("manycore", "/proc/net/arp", &len);
	char ip[16], mac[64];

	cr_assert_eq(arp_parse(text, len, &rt, NULL), 0);
	cr_assert_eq(rt.n_arp, 5);
	rtlab_net_addr_str(4, rt.arp[4].ip, ip, sizeof(ip));
	cr_assert_str_eq(ip, "172.17.0.2");
	cr_assert_eq(rt.arp[4].flags, 6);
	cr_assert_eq(rt.arp[4].hw_type, 1);
	cr_assert_str_eq(rtlab_net_hwaddr_str(rt.arp[4].hwaddr, rt.arp[4].hwaddr_len, mac,
					      sizeof(mac)), "02:42:ac:11:00:02");
	cr_assert_str_eq(rt.arp[4].ifname, "br0");
	cr_assert_eq(rt.arp[2].flags, 0, "an incomplete entry is still listed");
	free(rt.arp);
	free(text);
}

/* Damaged lines are skipped and named; what is whole is kept. */
Test(route, damaged_lines)
{
	const char *r4 = "Iface\tDestination\tGateway\n"
			 "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
			 "eth0\t000200C0\t0000\n"
			 "eth0\t0002ZZC0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
	const char *r6 = "fe800000000000000000000000000000 40 "
			 "00000000000000000000000000000000 00 "
			 "00000000000000000000000000000000 00000100 00000001 00000000 00000001\n";
	const char *arp = "IP address HW type Flags HW address Mask Device\n"
			  "10.0.0.256 0x1 0x2 00:11:22:33:44:55 * eth0\n"
			  "10.0.0.1 0x1 0x2 00:11:22:33:44 * eth0\n"
			  "10.0.0.2 0x1 0x2 00:11:22:33:44:5 * eth0\n"
			  "10.0.0.3 0x1 0x2 00:11:22:33:44:55 * eth0\n";
	struct rtlab_probe_route rt = { 0 };
	unsigned bad = 0;

	cr_assert_eq(route4_parse(r4, strlen(r4), &rt, &bad), -EBADMSG);
	cr_assert_eq(bad, 3);
	cr_assert_eq(rt.n_routes, 1);
	bad = 0;
	cr_assert_eq(route6_parse(r6, strlen(r6), &rt, &bad), -EBADMSG, "no device name");
	cr_assert_eq(bad, 1);
	bad = 0;
	cr_assert_eq(arp_parse(arp, strlen(arp), &rt, &bad), -EBADMSG);
	cr_assert_eq(bad, 2);
	cr_assert_eq(rt.n_arp, 2, "a 5-byte address is an address; 10.0.0.256 and :5 are not");
	free(rt.routes);
	free(rt.arp);
}

/* The family on the hand-made tree: counts, lowest-metric gateways, metrics. */
Test(route, family_on_the_manycore_tree)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p = net_fixture("manycore", RTLAB_PF_BIT(RTLAB_PF_ROUTE), d);
	const struct rtlab_probe_route *rt = &d->route;
	struct samples s;
	char gw[64];

	cr_assert_str_eq(d->why[RTLAB_PF_ROUTE], "");
	cr_assert_eq(rt->n_routes4.v, 7);
	cr_assert_eq(rt->n_routes6.v, 9);
	cr_assert_eq(rt->n_arp_entries.v, 5);
	cr_assert_eq(rt->gw4_st, RTLAB_PV_OK);
	rtlab_net_addr_str(4, rt->gw4, gw, sizeof(gw));
	cr_assert_str_eq(gw, "10.100.0.1");
	cr_assert_str_eq(rt->gw4_ifname, "bond0.100");
	rtlab_net_addr_str(6, rt->gw6, gw, sizeof(gw));
	cr_assert_str_eq(gw, "fe80::100:1");
	cr_assert_str_eq(rt->gw6_ifname, "bond0.100");
	s = samples_of(d, RTLAB_PF_ROUTE);
	cr_assert_eq(sample(&s, "node_arp_entries", "device=bond0")->v.u, 3);
	cr_assert_eq(sample(&s, "node_arp_entries", "device=br0")->v.u, 1);
	cr_assert_eq(sample(&s, "rtlab_routes", "family=ipv6")->v.u, 9);
	sample(&s, "rtlab_route_info",
	       "destination=10.0.0.0/22,device=bond0,family=ipv4,flags=0x1,gateway=,metric=0,"
	       "source=");
	sample(&s, "rtlab_default_gateway_info", "device=bond0.100,family=ipv4,gateway=10.100.0.1");
	sample(&s, "rtlab_arp_entry_info",
	       "device=br0,flags=0x6,hw_address=02:42:ac:11:00:02,hw_type=1,ip_address=172.17.0.2");
	samples_free(&s);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* No IPv6 and no gateway: absent, said once for what matters; no ARP file is named. */
Test(route, absent_sources)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[256];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/net/route",
		 "Iface\tDestination\tGateway\n"
		 "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
	p = net_collect_at(root, RTLAB_PF_BIT(RTLAB_PF_ROUTE), d);
	cr_assert_eq(d->route.n_routes4.v, 1);
	cr_assert_eq(d->route.n_routes6.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->route.gw4_st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->route.n_arp_entries.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_ROUTE], "/proc/net/arp") != NULL, "%s",
		  d->why[RTLAB_PF_ROUTE]);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}
