/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-netstat.c - the netstat family: snmp/netstat pairs, snmp6, sockstat,
 * conntrack, on the captured tree and on damaged text.
 */
#include <unistd.h>

#include "net-test.h"

/* counter - the value of {proto, name} in @ns, asserted to exist. */
static const struct rtlab_netstat_counter *counter(const struct rtlab_probe_netstat *ns,
						   const char *proto, const char *name)
{
	for (size_t i = 0; i < ns->n_counters; i++)
		if (strcmp(ns->counters[i].proto, proto) == 0 &&
		    strcmp(ns->counters[i].name, name) == 0)
			return &ns->counters[i];
	cr_assert_fail("no counter %s %s", proto, name);
	return NULL;
}

/* names_in - how many names the "Proto: names" lines (every other line) of @text hold. */
static size_t names_in(const char *text)
{
	size_t n = 0;
	bool names = true;

	for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		const char *eol = strchr(p, '\n') ? strchr(p, '\n') : p + strlen(p);

		cr_assert_not_null(strchr(p, ':'));
		if (names)
			for (const char *q = strchr(p, ':') + 1; q < eol; q++)
				n += q[-1] == ' ' && q[0] != ' ';
		names = !names;
	}
	return n;
}

/* The captured snmp: one counter per name, MaxConn is the kernel's fixed -1. */
Test(netstat, captured_snmp)
{
	struct rtlab_probe_netstat ns = { 0 };
	size_t len;
	char *text = fixture_load("vm", "/proc/net/snmp", &len);
	const struct rtlab_netstat_counter *c;

	cr_assert_eq(snmp_parse(text, len, &ns, NULL), 0);
	cr_assert_eq(ns.n_counters, names_in(text));
	c = counter(&ns, "Tcp", "MaxConn");
	cr_assert_eq(c->value.st, RTLAB_PV_OK);
	cr_assert_eq(c->value.v, -1);
	c = counter(&ns, "Ip", "Forwarding");
	cr_assert(c->value.v == 1 || c->value.v == 2);
	counter(&ns, "IcmpMsg", "InType3");
	counter(&ns, "UdpLite", "InErrors");
	for (size_t i = 0; i < ns.n_counters; i++)
		cr_assert_eq(ns.counters[i].value.st, RTLAB_PV_OK, "%s %s", ns.counters[i].proto,
			     ns.counters[i].name);
	free(ns.counters);
	free(text);
}

/* The captured netstat (TcpExt, IpExt, MPTcpExt) and snmp6. */
Test(netstat, captured_netstat_and_snmp6)
{
	struct rtlab_probe_netstat ns = { 0 };
	size_t len, len6;
	char *text = fixture_load("vm", "/proc/net/netstat", &len);
	char *text6 = fixture_load("vm", "/proc/net/snmp6", &len6);

	cr_assert_eq(snmp_parse(text, len, &ns, NULL), 0);
	cr_assert_eq(ns.n_counters, names_in(text));
	counter(&ns, "TcpExt", "ListenDrops");
	counter(&ns, "IpExt", "InOctets");
	cr_assert_eq(snmp6_parse(text6, len6, &ns, NULL), 0);
	cr_assert_eq(counter(&ns, "Ip6", "InReceives")->value.st, RTLAB_PV_OK);
	counter(&ns, "Icmp6", "InErrors");
	counter(&ns, "Udp6", "RcvbufErrors");
	counter(&ns, "UdpLite6", "InErrors");
	free(ns.counters);
	free(text);
	free(text6);
}

/* Fewer values than names: those without one are malformed, the line named. */
Test(netstat, short_values_line)
{
	const char *s = "Ip: Forwarding DefaultTTL\nIp: 1 64\nTcp: A B C\nTcp: 1 2\n";
	struct rtlab_probe_netstat ns = { 0 };
	unsigned bad = 0;

	cr_assert_eq(snmp_parse(s, strlen(s), &ns, &bad), -EBADMSG);
	cr_assert_eq(bad, 3);
	cr_assert_eq(counter(&ns, "Ip", "DefaultTTL")->value.v, 64);
	cr_assert_eq(counter(&ns, "Tcp", "B")->value.v, 2);
	cr_assert_eq(counter(&ns, "Tcp", "C")->value.st, RTLAB_PV_MALFORMED);
	free(ns.counters);
}

/* Lines that do not pair up: the lone names are malformed, the next pair still read. */
Test(netstat, unpaired_lines)
{
	const char *s = "Ip: A B\nUdp: X Y\nUdp: 7 8\nTcp: Z";
	struct rtlab_probe_netstat ns = { 0 };
	unsigned bad = 0;

	cr_assert_eq(snmp_parse(s, strlen(s), &ns, &bad), -EBADMSG);
	cr_assert_eq(bad, 1);
	cr_assert_eq(counter(&ns, "Ip", "A")->value.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(counter(&ns, "Udp", "Y")->value.v, 8);
	cr_assert_eq(counter(&ns, "Tcp", "Z")->value.st, RTLAB_PV_MALFORMED);
	free(ns.counters);
}

/* Values that are not numbers, and extra values, make the pair malformed. */
Test(netstat, bad_values)
{
	const char *s = "Ip: A B\nIp: 1x 2 3\n";
	struct rtlab_probe_netstat ns = { 0 };

	cr_assert_eq(snmp_parse(s, strlen(s), &ns, NULL), -EBADMSG);
	cr_assert_eq(counter(&ns, "Ip", "A")->value.st, RTLAB_PV_MALFORMED);
	free(ns.counters);
}

/* snmp6: a name without the protocol's 6 and a missing value are malformed. */
Test(netstat, snmp6_damaged)
{
	const char *s = "Ip6InReceives 5\nGarbage 1\nIcmp6InType1\nUdp6NoPorts 3 4\n";
	struct rtlab_probe_netstat ns = { 0 };
	unsigned bad = 0;

	cr_assert_eq(snmp6_parse(s, strlen(s), &ns, &bad), -EBADMSG);
	cr_assert_eq(bad, 2);
	cr_assert_eq(counter(&ns, "Ip6", "InReceives")->value.v, 5);
	cr_assert_eq(counter(&ns, "Icmp6", "InType1")->value.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(counter(&ns, "Udp6", "NoPorts")->value.st, RTLAB_PV_MALFORMED);
	free(ns.counters);
}

/* sockstat: every pair, a bad value, and more values than room. */
Test(netstat, sockstat)
{
	const char *s = "sockets: used 17\nTCP: inuse 2 orphan x tw 3\nFRAG: inuse 0 memory 0\n";
	struct rtlab_probe_netstat ns = { 0 };
	char big[4096];
	size_t o = 0;

	cr_assert_eq(sockstat_parse(s, strlen(s), &ns, NULL), -EBADMSG);
	cr_assert_eq(ns.n_sockstat, 6);
	cr_assert_str_eq(ns.sockstat[0].proto, "sockets");
	cr_assert_eq(ns.sockstat[0].value.v, 17);
	cr_assert_eq(ns.sockstat[2].value.st, RTLAB_PV_MALFORMED);
	cr_assert_str_eq(ns.sockstat[3].name, "tw");
	cr_assert_eq(ns.sockstat[3].value.v, 3);
	ns.n_sockstat = 0;
	for (int i = 0; i < 60; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, "P%d: inuse %d\n", i, i);
	cr_assert_eq(sockstat_parse(big, o, &ns, NULL), -ENOSPC);
	cr_assert_eq(ns.n_sockstat, sizeof(ns.sockstat) / sizeof(ns.sockstat[0]));
}

/* The family on the captured tree: named copies, conntrack, the metrics. */
Test(netstat, family_on_the_vm_tree)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p = net_fixture("vm", RTLAB_PF_BIT(RTLAB_PF_NETSTAT), d);
	const struct rtlab_probe_netstat *ns = &d->netstat;
	struct samples s;
	const struct kept *k;
	char labels[8] = "";

	cr_assert_str_eq(d->why[RTLAB_PF_NETSTAT], "");
	cr_assert_eq(ns->snmp_st, RTLAB_PV_OK);
	cr_assert_eq(ns->tcp_curr_estab.st, RTLAB_PV_OK);
	cr_assert_eq(ns->tcp_active_opens.v, counter(ns, "Tcp", "ActiveOpens")->value.v);
	cr_assert_eq(ns->tcpext_listen_drops.v, counter(ns, "TcpExt", "ListenDrops")->value.v);
	cr_assert_eq(ns->udp_no_ports.st, RTLAB_PV_OK);
	cr_assert_eq(ns->sockets_used.st, RTLAB_PV_OK);
	cr_assert_eq(ns->tcp_mem_pages.st, RTLAB_PV_OK);
	cr_assert_eq(ns->tcp6_inuse.st, RTLAB_PV_OK);
	cr_assert_eq(ns->conntrack_max.st, RTLAB_PV_OK);
	s = samples_of(d, RTLAB_PF_NETSTAT);
	k = sample(&s, "node_netstat_Tcp_CurrEstab", labels);
	cr_assert_eq(k->v.i, ns->tcp_curr_estab.v);
	sample(&s, "node_netstat_TcpExt_ListenDrops", labels);
	sample(&s, "node_netstat_Ip6_InReceives", labels);
	k = sample(&s, "node_sockstat_TCP_mem_bytes", labels);
	cr_assert_eq(k->v.u, ns->tcp_mem_pages.v * (uint64_t)sysconf(_SC_PAGESIZE));
	cr_assert_eq(sample(&s, "node_sockstat_sockets_used", labels)->v.u, ns->sockets_used.v);
	cr_assert_eq(sample(&s, "node_nf_conntrack_entries_limit", labels)->v.u,
		     ns->conntrack_max.v);
	samples_free(&s);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* Without IPv6 and conntrack: absent, and no problem reported; a bad count is malformed. */
Test(netstat, absent_and_damaged_sources)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[256];

	tree_new(root, sizeof(root));
	tree_copy(root, "vm", "/proc/net/snmp");
	tree_copy(root, "vm", "/proc/net/netstat");
	tree_copy(root, "vm", "/proc/net/sockstat");
	p = net_collect_at(root, RTLAB_PF_BIT(RTLAB_PF_NETSTAT), d);
	cr_assert_str_eq(d->why[RTLAB_PF_NETSTAT], "");
	cr_assert_eq(d->netstat.snmp6_st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->netstat.tcp6_inuse.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->netstat.conntrack_entries.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->netstat.tcp_in_segs.st, RTLAB_PV_OK);
	rtlab_probe_free(p);
	tree_put(root, "/proc/sys/net/netfilter/nf_conntrack_count", "12 apples\n");
	tree_put(root, "/proc/net/snmp", "Tcp: ActiveOpens CurrEstab\nTcp: 5\n");
	p = net_collect_at(root, RTLAB_PF_BIT(RTLAB_PF_NETSTAT), d);
	cr_assert(strstr(d->why[RTLAB_PF_NETSTAT], "/proc/net/snmp:1: malformed") != NULL, "%s",
		  d->why[RTLAB_PF_NETSTAT]);
	cr_assert_eq(d->netstat.conntrack_entries.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->netstat.tcp_active_opens.v, 5);
	cr_assert_eq(d->netstat.tcp_curr_estab.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->netstat.udp_in_datagrams.st, RTLAB_PV_MALFORMED,
		     "no Udp line in a damaged file: the file's state, not a plain absence");
	cr_assert_eq(d->netstat.snmp_st, RTLAB_PV_MALFORMED);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}
