/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-netdev.c - the net family below a root: /proc/net/dev, /sys/class/net,
 * /proc/net/if_inet6, rates, address text, damaged trees and the metrics.
 */
#include <unistd.h>

#include "net-test.h"

#include <criterion/parameterized.h>

#define NETDEV_HEADER                                                                        \
	"Inter-|   Receive                                                |  Transmit\n"        \
	" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets "  \
	"errs drop fifo colls carrier compressed\n"

/* The hand-made tree: ten interfaces, counters glued to the colon, one long name. */
Test(netdev, parses_every_counter_of_the_manycore_tree)
{
	struct rtlab_probe_net n = { 0 };
	unsigned bad = 0;
	size_t len;
	char *buf = fixture_load("manycore", "/proc/net/dev", &len);
	const struct rtlab_net_iface *eno1, *lng;

	cr_assert_eq(netdev_parse(buf, len, &n, &bad), 0, "line %u", bad);
	cr_assert_eq(n.n_ifaces, 10);
	eno1 = iface(&n, "eno1");
	cr_assert_not_null(eno1);
	cr_assert_eq(eno1->dev[RTLAB_NETDEV_RX_BYTES].v, UINT64_C(98765432109876));
	cr_assert_eq(eno1->dev[RTLAB_NETDEV_RX_PACKETS].v, UINT64_C(76543210987));
	cr_assert_eq(eno1->dev[RTLAB_NETDEV_RX_DROP].v, 345);
	cr_assert_eq(eno1->dev[RTLAB_NETDEV_RX_FRAME].v, 7);
	cr_assert_eq(eno1->dev[RTLAB_NETDEV_RX_MULTICAST].v, 123456);
	cr_assert_eq(eno1->dev[RTLAB_NETDEV_TX_COMPRESSED].st, RTLAB_PV_OK);
	/* Not read from /proc/net/dev: absent, never a zero that looks real. */
	cr_assert_eq(eno1->mtu_bytes.st, RTLAB_PV_ABSENT);
	lng = iface(&n, "enp129s0f1np1");
	cr_assert_not_null(lng);
	cr_assert_eq(lng->dev[RTLAB_NETDEV_TX_BYTES].v, UINT64_C(2147483648000));
	cr_assert_eq(iface(&n, "bond0.100")->dev[RTLAB_NETDEV_RX_BYTES].v, UINT64_C(5000000000));
	free(n.ifaces);
	free(buf);
}

/* A line cut short keeps what it has; the rest is malformed and the line is named. */
Test(netdev, truncated_line_is_malformed_from_where_it_stops)
{
	const char *s = NETDEV_HEADER "    lo: 10 20 0 0 0 0 0 0 30 40 0 0 0 0 0 0\n"
			"  eth0: 100 200 3 4\n";
	struct rtlab_probe_net n = { 0 };
	unsigned bad = 0;
	const struct rtlab_net_iface *e;

	cr_assert_eq(netdev_parse(s, strlen(s), &n, &bad), -EBADMSG);
	cr_assert_eq(bad, 4);
	e = iface(&n, "eth0");
	cr_assert_eq(e->dev[RTLAB_NETDEV_RX_DROP].v, 4);
	cr_assert_eq(e->dev[RTLAB_NETDEV_RX_FIFO].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(e->dev[RTLAB_NETDEV_TX_COMPRESSED].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(iface(&n, "lo")->dev[RTLAB_NETDEV_TX_PACKETS].v, 40);
	free(n.ifaces);
}

/* Lines without a name or a colon, signs and overflows are refused. */
Test(netdev, garbage_lines_are_refused)
{
	static const char *const bad_lines[] = {
		"no colon here 1 2 3\n",
		"   : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
		"x: -1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
		"x: 99999999999999999999 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
		"x: 1a 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	};

	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		struct rtlab_probe_net n = { 0 };
		unsigned bad = 0;

		cr_assert_eq(netdev_parse(bad_lines[i], strlen(bad_lines[i]), &n, &bad), -EBADMSG,
			     "%s", bad_lines[i]);
		cr_assert_eq(bad, 1);
		for (size_t k = 0; k < n.n_ifaces; k++)
			cr_assert_neq(n.ifaces[k].dev[0].st, RTLAB_PV_OK, "%s", bad_lines[i]);
		free(n.ifaces);
	}
}

/* The header alone is no interface, and no error. */
Test(netdev, header_only_is_empty)
{
	struct rtlab_probe_net n = { 0 };

	cr_assert_eq(netdev_parse(NETDEV_HEADER, strlen(NETDEV_HEADER), &n, NULL), 0);
	cr_assert_eq(n.n_ifaces, 0);
}

/* if_inet6: addresses, prefix lengths, the scope as netlink numbers it, the name. */
Test(netdev, if_inet6_addresses)
{
	struct rtlab_probe_net n = { 0 };
	size_t len;
	char *buf = fixture_load("manycore", "/proc/net/if_inet6", &len);
	char text[64];

	cr_assert_eq(if_inet6_parse(buf, len, &n, NULL), 0);
	cr_assert_eq(n.n_addrs, 8);
	cr_assert_eq(rtlab_net_addr_str(6, n.addrs[0].addr, text, sizeof(text)), 0);
	cr_assert_str_eq(text, "::1");
	cr_assert_eq(n.addrs[0].scope, 254);
	cr_assert_eq(n.addrs[0].prefix_len, 128);
	cr_assert_str_eq(n.addrs[0].ifname, "lo");
	cr_assert_eq(n.addrs[2].scope, 253);
	cr_assert_eq(n.addrs[2].ifindex, 5);
	rtlab_net_addr_str(6, n.addrs[2].addr, text, sizeof(text));
	cr_assert_str_eq(text, "fe80::3eec:efff:fe10:2001");
	cr_assert_str_eq(n.addrs[7].ifname, "enp129s0f1np1");
	cr_assert_eq(n.addrs[7].flags, 0x01);
	free(n.addrs);
	free(buf);
}

/* A short address or a missing name makes the line malformed. */
Test(netdev, if_inet6_damaged)
{
	const char *s = "00000000000000000000000000000001 01 80 10 80       lo\n"
			"fe80000000000000 02 40 20 80 eth0\n"
			"fe800000000000000000000000000001 02 40 20 80\n";
	struct rtlab_probe_net n = { 0 };
	unsigned bad = 0;

	cr_assert_eq(if_inet6_parse(s, strlen(s), &n, &bad), -EBADMSG);
	cr_assert_eq(bad, 2);
	cr_assert_eq(n.n_addrs, 1);
	free(n.addrs);
}

struct addr_case {
	int family;
	uint8_t bytes[16];
	char text[48];
};

/* RFC 5952: lower case, the longest zero run shortened (the first of equal ones), not one. */
ParameterizedTestParameters(netdev, address_text)
{
	static struct addr_case cases[] = {
		{ 4, { 192, 0, 2, 1 }, "192.0.2.1" },
		{ 4, { 0, 0, 0, 0 }, "0.0.0.0" },
		{ 6, { [15] = 1 }, "::1" },
		{ 6, { 0 }, "::" },
		{ 6, { 0xfe, 0x80, [8] = 0x3e, 0xec, 0xef, 0xff, 0xfe, 0x10, 0x20, 0x01 },
		  "fe80::3eec:efff:fe10:2001" },
		{ 6, { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1 },
		  "2001:db8:ffff:0:1::1" },
		{ 6, { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1 },
		  "2001:db8::1:0:0:1" },
		{ 6, { [10] = 0xff, 0xff, 192, 0, 2, 1 }, "::ffff:192.0.2.1" },
		{ 6, { 0xAB, 0xCD, [15] = 0xEF }, "abcd::ef" },
	};

	return cr_make_param_array(struct addr_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/* Each case written as expected. */
ParameterizedTest(struct addr_case *c, netdev, address_text)
{
	char text[64];

	cr_assert_eq(rtlab_net_addr_str(c->family, c->bytes, text, sizeof(text)), 0);
	cr_assert_str_eq(text, c->text);
}

/* Bad family and a buffer too small are errors, not truncated text. */
Test(netdev, address_text_errors)
{
	uint8_t a[16] = { 0xfe, 0x80, [15] = 1 };
	char small[4], mac[8];

	cr_assert_eq(rtlab_net_addr_str(5, a, small, sizeof(small)), -EINVAL);
	cr_assert_eq(rtlab_net_addr_str(6, a, small, sizeof(small)), -ENOSPC);
	cr_assert_str_eq(rtlab_net_hwaddr_str(a, 6, mac, sizeof(mac)), "fe:80");
	cr_assert_str_eq(rtlab_net_hwaddr_str(a, 0, mac, sizeof(mac)), "");
}

/* The family on the hand-made tree: sysfs attributes, the bond, IPv6, absent netlink fields. */
Test(netdev, family_on_the_manycore_tree)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p = net_fixture("manycore", RTLAB_PF_BIT(RTLAB_PF_NET), d);
	const struct rtlab_probe_net *n = &d->net;
	const struct rtlab_net_iface *eno1 = iface(n, "eno1"), *bond = iface(n, "bond0");
	const struct rtlab_net_iface *tun = iface(n, "tun0"), *eno3 = iface(n, "eno3");
	char mac[64];

	cr_assert_eq(d->err[RTLAB_PF_NET], 0);
	cr_assert_str_eq(d->why[RTLAB_PF_NET], "");
	cr_assert_not(n->from_netlink);
	cr_assert_eq(n->n_ifaces, 10);
	cr_assert_eq(eno1->speed_mbps.v, 10000);
	cr_assert_str_eq(eno1->duplex, "full");
	cr_assert_str_eq(eno1->driver, "ixgbe");
	cr_assert_str_eq(eno1->master_name, "bond0");
	cr_assert_eq(eno1->master.v, 5);
	cr_assert_eq(eno1->master.st, RTLAB_PV_OK);
	cr_assert_str_eq(eno1->ifalias, "uplink to ToR switch A");
	cr_assert_eq(eno1->mtu_bytes.v, 9000);
	cr_assert_eq(eno1->flags.v, 0x1803);
	cr_assert_eq(eno1->operstate.v, 6);
	cr_assert_eq(eno1->carrier_changes.v, 3);
	cr_assert_str_eq(rtlab_net_hwaddr_str(eno1->hwaddr, eno1->hwaddr_len, mac, sizeof(mac)),
			 "3c:ec:ef:10:20:01");
	cr_assert_eq(eno1->stats[RTLAB_LINKSTAT_RX_BYTES].v, UINT64_C(98765432109876));
	cr_assert_eq(eno1->stats[RTLAB_LINKSTAT_RX_OTHERHOST_DROPPED].st, RTLAB_PV_ABSENT);
	cr_assert_eq(eno1->kind_st, RTLAB_PV_ABSENT, "link kinds need netlink");
	cr_assert_eq(bond->master.v, 0);
	cr_assert_eq(bond->master.st, RTLAB_PV_OK);
	cr_assert_eq(bond->driver_st, RTLAB_PV_ABSENT);
	cr_assert_eq(bond->speed_mbps.v, 20000);
	cr_assert_eq(iface(n, "veth3a9f0c1")->master.v, 7);
	cr_assert_eq(tun->hwaddr_st, RTLAB_PV_OK);
	cr_assert_eq(tun->hwaddr_len, 0);
	cr_assert_eq(eno3->speed_mbps.st, RTLAB_PV_ABSENT);
	cr_assert_eq(eno3->carrier.st, RTLAB_PV_ABSENT);
	cr_assert_eq(eno3->operstate.v, 2);
	cr_assert_eq(n->addrs4_st, RTLAB_PV_ABSENT);
	cr_assert_eq(n->addrs6_st, RTLAB_PV_OK);
	cr_assert_eq(n->n_addrs, 8);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* The metrics: node_exporter's names and labels, speed in bytes, one run per name. */
Test(netdev, metrics_on_the_manycore_tree)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p = net_fixture("manycore", RTLAB_PF_BIT(RTLAB_PF_NET), d);
	struct samples s = samples_of(d, RTLAB_PF_NET);
	const struct kept *k;

	k = sample(&s, "node_network_receive_bytes_total", "device=eno1");
	cr_assert_eq(k->v.u, UINT64_C(98765432109876));
	k = sample(&s, "node_network_speed_bytes", "device=eno1");
	cr_assert_float_eq(k->v.f, 1.25e9, 1);
	k = sample(&s, "node_network_up", "device=eno3");
	cr_assert_eq(k->v.u, 0);
	cr_assert_eq(k->v.st, RTLAB_PV_OK);
	cr_assert_eq(sample(&s, "node_network_up", "device=bond0")->v.u, 1);
	sample(&s, "node_network_info",
	       "address=3c:ec:ef:10:20:01,broadcast=ff:ff:ff:ff:ff:ff,device=eno1,duplex=full,"
	       "ifalias=uplink to ToR switch A,operstate=up");
	sample(&s, "rtlab_network_link_info", "device=eno2,driver=ixgbe,kind=,master=bond0");
	k = sample(&s, "rtlab_network_receive_bytes_per_second", "device=lo");
	cr_assert_eq(k->v.st, RTLAB_PV_NOT_READY);
	sample(&s, "node_network_address_info",
	       "address=2001:db8:10::21,device=bond0,netmask=64,scope=global");
	sample(&s, "node_network_address_info",
	       "address=::1,device=lo,netmask=128,scope=link-local");
	samples_free(&s);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* put_dev - a /proc/net/dev of one interface "eth0" with rx/tx bytes and packets. */
static void put_dev(const char *root, uint64_t rxb, uint64_t rxp, uint64_t txb, uint64_t txp)
{
	char text[512];

	snprintf(text, sizeof(text),
		 NETDEV_HEADER "  eth0: %llu %llu 0 0 0 0 0 0 %llu %llu 0 0 0 0 0 0\n",
		 (unsigned long long)rxb, (unsigned long long)rxp, (unsigned long long)txb,
		 (unsigned long long)txp);
	tree_put(root, "/proc/net/dev", text);
}

/* Rates: not ready at first, then the difference over the interval, then not ready again. */
Test(netdev, rates_need_two_readings)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	const struct rtlab_net_iface *e;
	char root[256];
	uint64_t t1, t2;
	double dt;

	tree_new(root, sizeof(root));
	put_dev(root, 1000, 10, 5000, 50);
	p = net_collect_at(root, RTLAB_PF_BIT(RTLAB_PF_NET), d);
	e = iface(&d->net, "eth0");
	cr_assert_eq(e->rx_bytes_per_s.st, RTLAB_PV_NOT_READY);
	cr_assert_eq(e->tx_packets_per_s.st, RTLAB_PV_NOT_READY);
	t1 = d->t_ns[RTLAB_PF_NET];
	usleep(20000);
	put_dev(root, 3000, 30, 5000, 60);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d), 0);
	t2 = d->t_ns[RTLAB_PF_NET];
	dt = (double)(t2 - t1) / 1e9;
	e = iface(&d->net, "eth0");
	cr_assert_eq(e->rx_bytes_per_s.st, RTLAB_PV_OK);
	cr_assert_float_eq(e->rx_bytes_per_s.v, 2000 / dt, 1e-6 * 2000 / dt);
	cr_assert_float_eq(e->rx_packets_per_s.v, 20 / dt, 1e-6 * 20 / dt);
	cr_assert_float_eq(e->tx_bytes_per_s.v, 0, 1e-12);
	cr_assert_float_eq(e->tx_packets_per_s.v, 10 / dt, 1e-6 * 10 / dt);
	/* A counter that went back (the interface was re-created) gives no rate. */
	put_dev(root, 10, 1, 5000, 60);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d), 0);
	cr_assert_eq(iface(&d->net, "eth0")->rx_bytes_per_s.st, RTLAB_PV_NOT_READY);
	cr_assert_eq(iface(&d->net, "eth0")->tx_bytes_per_s.st, RTLAB_PV_OK);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* No /proc/net/dev: the sysfs interfaces are listed, their counters absent, the file named. */
Test(netdev, missing_proc_net_dev_is_named)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	const struct rtlab_net_iface *e;
	char root[256];

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/class/net/eth0/mtu", "1500\n");
	tree_put(root, "/sys/class/net/eth0/speed", "-1\n");
	tree_put(root, "/sys/class/net/eth0/operstate", "sideways\n");
	tree_put(root, "/sys/class/net/eth0/flags", "0xzz\n");
	p = net_collect_at(root, RTLAB_PF_BIT(RTLAB_PF_NET), d);
	cr_assert(strstr(d->why[RTLAB_PF_NET], "/proc/net/dev") != NULL, "%s",
		  d->why[RTLAB_PF_NET]);
	cr_assert_eq(d->net.n_ifaces, 1);
	e = &d->net.ifaces[0];
	cr_assert_str_eq(e->name, "eth0");
	cr_assert_eq(e->dev[RTLAB_NETDEV_RX_BYTES].st, RTLAB_PV_ABSENT);
	cr_assert_eq(e->rx_bytes_per_s.st, RTLAB_PV_ABSENT);
	cr_assert_eq(e->mtu_bytes.v, 1500);
	cr_assert_eq(e->speed_mbps.st, RTLAB_PV_UNSUPPORTED, "speed -1 is unknown");
	cr_assert_eq(e->operstate.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(e->flags.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(e->carrier.st, RTLAB_PV_ABSENT);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* A malformed line is named with its number; a name that would climb out of sysfs is not used. */
Test(netdev, malformed_line_and_hostile_name)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	const struct rtlab_net_iface *e;
	char root[256];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/net/dev",
		 NETDEV_HEADER "    ..: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n  eth0: 1 2\n");
	tree_put(root, "/sys/class/speed", "1000\n");
	p = net_collect_at(root, RTLAB_PF_BIT(RTLAB_PF_NET), d);
	cr_assert(strstr(d->why[RTLAB_PF_NET], "/proc/net/dev:4: malformed") != NULL, "%s",
		  d->why[RTLAB_PF_NET]);
	e = iface(&d->net, "..");
	cr_assert_not_null(e);
	cr_assert_eq(e->dev[RTLAB_NETDEV_TX_COMPRESSED].v, 16);
	cr_assert_eq(e->speed_mbps.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(iface(&d->net, "eth0")->dev[RTLAB_NETDEV_RX_PACKETS].v, 2);
	cr_assert_eq(iface(&d->net, "eth0")->dev[RTLAB_NETDEV_RX_ERRS].st, RTLAB_PV_MALFORMED);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* The captured tree reads without a problem and agrees with its own sysfs statistics. */
Test(netdev, family_on_the_vm_tree)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p = net_fixture("vm", RTLAB_PF_BIT(RTLAB_PF_NET), d);
	const struct rtlab_net_iface *lo = iface(&d->net, "lo");

	cr_assert_str_eq(d->why[RTLAB_PF_NET], "");
	cr_assert_not_null(lo);
	cr_assert_eq(lo->type.v, 772);
	cr_assert(lo->flags.v & 0x8, "lo is a loopback");
	for (size_t i = 0; i < d->net.n_ifaces; i++) {
		const struct rtlab_net_iface *e = &d->net.ifaces[i];

		cr_assert_eq(e->dev[RTLAB_NETDEV_RX_PACKETS].st, RTLAB_PV_OK, "%s", e->name);
		cr_assert_eq(e->ifindex.st, RTLAB_PV_OK, "%s", e->name);
		/* statistics/ was copied just after /proc/net/dev: never behind it. */
		cr_assert_geq(e->stats[RTLAB_LINKSTAT_RX_BYTES].v,
			      e->dev[RTLAB_NETDEV_RX_BYTES].v, "%s", e->name);
		cr_assert_geq(e->stats[RTLAB_LINKSTAT_TX_PACKETS].v,
			      e->dev[RTLAB_NETDEV_TX_PACKETS].v, "%s", e->name);
	}
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}
