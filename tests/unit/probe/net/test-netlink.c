/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-netlink.c - the rtnetlink message parser on dumps captured on the VM
 * (tests/fixtures/probe/vm/netlink), checked against the sysfs and if_inet6
 * files captured with them, and on truncated, misaligned and forged messages.
 */
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "net-test.h"

/* A message being forged: bytes appended in netlink order. */
struct forge {
	uint8_t b[4096];
	size_t len;
	size_t msg;	/* where the current message starts */
};

/* forge_put - @n bytes of @data, padded to 4. */
static void forge_put(struct forge *f, const void *data, size_t n)
{
	cr_assert_leq(f->len + NLMSG_ALIGN(n), sizeof(f->b));
	memcpy(f->b + f->len, data, n);
	memset(f->b + f->len + n, 0, NLMSG_ALIGN(n) - n);
	f->len += NLMSG_ALIGN(n);
}

/* forge_begin - a new message of @type with its fixed header @hdr. */
static void forge_begin(struct forge *f, uint16_t type, const void *hdr, size_t n)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = NLM_F_MULTI };

	f->msg = f->len;
	forge_put(f, &h, sizeof(h));
	forge_put(f, hdr, n);
}

/* forge_attr - one attribute of the current message. */
static void forge_attr(struct forge *f, uint16_t type, const void *data, size_t n)
{
	struct rtattr a = { .rta_len = (unsigned short)RTA_LENGTH(n), .rta_type = type };

	forge_put(f, &a, sizeof(a));
	if (n)
		forge_put(f, data, n);
}

/* forge_end - the current message's length set. */
static void forge_end(struct forge *f)
{
	uint32_t len = (uint32_t)(f->len - f->msg);

	memcpy(f->b + f->msg, &len, sizeof(len));
}

/* forge_link - an RTM_NEWLINK of @name and @index with an MTU attribute of @mtu_len bytes. */
static void forge_link(struct forge *f, const char *name, int index, size_t mtu_len)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_type = 1, .ifi_index = index,
				 .ifi_flags = IFF_UP | IFF_RUNNING };
	uint32_t mtu = 1500;

	forge_begin(f, RTM_NEWLINK, &ifi, sizeof(ifi));
	forge_attr(f, IFLA_IFNAME, name, strlen(name) + 1);
	forge_attr(f, IFLA_MTU, &mtu, mtu_len);
	forge_end(f);
}

/* forge_done - NLMSG_DONE carrying @err. */
static void forge_done(struct forge *f, int32_t err)
{
	forge_begin(f, NLMSG_DONE, &err, sizeof(err));
	forge_end(f);
}

/* sysfs_number - a number of the vm tree's /sys/class/net/IF/FILE. */
static uint64_t sysfs_number(const char *ifname, const char *file)
{
	char path[256];
	size_t len;
	char *text;
	uint64_t v;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, file);
	text = fixture_load("vm", path, &len);
	v = strtoull(text, NULL, 0);
	free(text);
	return v;
}

/* The captured link dump: every interface, with what sysfs said of it at the time. */
Test(netlink, captured_link_dump_matches_sysfs)
{
	struct rtlab_probe_net n = { 0 };
	size_t len;
	uint8_t *buf = (uint8_t *)fixture_load("vm", "/netlink/rtm_getlink.bin", &len);
	char mac[64], want[64];

	cr_assert_eq(net_nl_parse(buf, len, &n), 1, "the dump ends with NLMSG_DONE");
	cr_assert_eq(n.nl_malformed, 0);
	cr_assert_geq(n.n_ifaces, 2);
	for (size_t i = 0; i < n.n_ifaces; i++) {
		const struct rtlab_net_iface *e = &n.ifaces[i];
		size_t tl;
		char *text;

		cr_assert_eq(e->ifindex.v, sysfs_number(e->name, "ifindex"), "%s", e->name);
		cr_assert_eq(e->mtu_bytes.v, sysfs_number(e->name, "mtu"), "%s", e->name);
		cr_assert_eq(e->type.v, sysfs_number(e->name, "type"), "%s", e->name);
		cr_assert_eq(e->tx_queue_len.v, sysfs_number(e->name, "tx_queue_len"), "%s",
			     e->name);
		cr_assert_eq(e->carrier_changes.v, sysfs_number(e->name, "carrier_changes"));
		cr_assert_eq(e->flags.v & 0xffff & ~(IFF_RUNNING | IFF_LOWER_UP),
			     sysfs_number(e->name, "flags") & ~(IFF_RUNNING), "%s", e->name);
		snprintf(want, sizeof(want), "/sys/class/net/%s/address", e->name);
		text = fixture_load("vm", want, &tl);
		snprintf(want, sizeof(want), "%.*s", (int)strcspn(text, "\n"), text);
		free(text);
		cr_assert_str_eq(rtlab_net_hwaddr_str(e->hwaddr, e->hwaddr_len, mac, sizeof(mac)),
				 want);
		for (int k = 0; k < RTLAB_LINKSTAT_RX_NOHANDLER; k++)
			cr_assert_eq(e->stats[k].st, RTLAB_PV_OK, "%s stat %d", e->name, k);
		cr_assert_eq(e->kind_st, RTLAB_PV_OK);
		cr_assert_eq(e->master.st, RTLAB_PV_OK);
	}
	cr_assert(iface(&n, "lo")->flags.v & IFF_LOOPBACK);
	free(n.ifaces);
	free(buf);
}

/* The captured address dump: its IPv6 addresses are those of the if_inet6 captured with it. */
Test(netlink, captured_addr_dump_matches_if_inet6)
{
	struct rtlab_probe_net nl = { 0 }, pf = { 0 };
	size_t len, tl;
	uint8_t *buf = (uint8_t *)fixture_load("vm", "/netlink/rtm_getaddr.bin", &len);
	char *text = fixture_load("vm", "/proc/net/if_inet6", &tl);
	size_t n6 = 0;

	cr_assert_eq(net_nl_parse(buf, len, &nl), 1);
	cr_assert_eq(if_inet6_parse(text, tl, &pf, NULL), 0);
	for (size_t i = 0; i < nl.n_addrs; i++) {
		const struct rtlab_net_addr *a = &nl.addrs[i];
		bool found = false;

		cr_assert(a->family == 4 || a->family == 6);
		cr_assert_eq(a->valid_lft_s.st, RTLAB_PV_OK);
		if (a->family == 4)
			continue;
		n6++;
		for (size_t k = 0; k < pf.n_addrs && !found; k++)
			found = memcmp(pf.addrs[k].addr, a->addr, 16) == 0 &&
				pf.addrs[k].ifindex == a->ifindex &&
				pf.addrs[k].prefix_len == a->prefix_len &&
				pf.addrs[k].scope == a->scope;
		cr_assert(found, "IPv6 address %zu of the dump is not in if_inet6", i);
	}
	cr_assert_eq(n6, pf.n_addrs);
	free(nl.addrs);
	free(pf.addrs);
	free(buf);
	free(text);
}

/* Every truncation of a real dump, as an exact-size copy: no crash, no read past the end. */
Test(netlink, every_truncation_is_safe)
{
	static const char *const dumps[] = { "/netlink/rtm_getlink.bin",
					     "/netlink/rtm_getaddr.bin" };

	for (size_t d = 0; d < 2; d++) {
		size_t len;
		uint8_t *buf = (uint8_t *)fixture_load("vm", dumps[d], &len);

		for (size_t cut = 0; cut < len; cut++) {
			struct rtlab_probe_net n = { 0 };
			uint8_t *copy = malloc(cut ? cut : 1);
			int r;

			memcpy(copy, buf, cut);
			r = net_nl_parse(copy, cut, &n);
			cr_assert_neq(r, 1, "cut at %zu: no NLMSG_DONE can be whole", cut);
			for (size_t i = 0; i < n.n_ifaces; i++)
				cr_assert_neq(n.ifaces[i].name[0], '\0');
			free(n.ifaces);
			free(n.addrs);
			free(copy);
		}
		free(buf);
	}
}

/* An odd address gives the same result: nothing is read through a misaligned pointer. */
Test(netlink, misaligned_buffer)
{
	struct rtlab_probe_net a = { 0 }, b = { 0 };
	size_t len;
	uint8_t *buf = (uint8_t *)fixture_load("vm", "/netlink/rtm_getlink.bin", &len);
	uint8_t *odd = malloc(len + 1);

	memcpy(odd + 1, buf, len);
	cr_assert_eq(net_nl_parse(buf, len, &a), 1);
	cr_assert_eq(net_nl_parse(odd + 1, len, &b), 1);
	cr_assert_eq(a.n_ifaces, b.n_ifaces);
	for (size_t i = 0; i < a.n_ifaces; i++)
		cr_assert_eq(memcmp(&a.ifaces[i], &b.ifaces[i], sizeof(a.ifaces[i])), 0);
	free(a.ifaces);
	free(b.ifaces);
	free(odd);
	free(buf);
}

/* Forged messages: a short attribute is malformed, a nameless link is skipped and counted. */
Test(netlink, forged_messages)
{
	struct forge f = { .len = 0 };
	struct rtlab_probe_net n = { 0 };
	struct ifinfomsg ifi = { .ifi_index = 9 };

	forge_link(&f, "ok0", 3, 4);
	forge_link(&f, "short0", 4, 2);
	forge_begin(&f, RTM_NEWLINK, &ifi, sizeof(ifi));
	forge_end(&f);
	forge_link(&f, "", 5, 4);
	forge_done(&f, 0);
	cr_assert_eq(net_nl_parse(f.b, f.len, &n), 1);
	cr_assert_eq(n.n_ifaces, 2);
	cr_assert_eq(n.nl_malformed, 2);
	cr_assert_str_eq(n.ifaces[0].name, "ok0");
	cr_assert_eq(n.ifaces[0].mtu_bytes.v, 1500);
	cr_assert_eq(n.ifaces[0].iflink.v, 3, "no IFLA_LINK: the interface itself");
	cr_assert_eq(n.ifaces[0].operstate.st, RTLAB_PV_UNSUPPORTED, "not sent by this kernel");
	cr_assert_eq(n.ifaces[0].stats[0].st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(n.ifaces[1].mtu_bytes.st, RTLAB_PV_MALFORMED);
	free(n.ifaces);
}

/* Fewer IFLA_STATS64 counters (an older kernel): those sent are kept, the rest unsupported. */
Test(netlink, short_stats64)
{
	struct forge f = { .len = 0 };
	struct rtlab_probe_net n = { 0 };
	struct ifinfomsg ifi = { .ifi_index = 2 };
	uint64_t stats[23];

	for (size_t i = 0; i < 23; i++)
		stats[i] = 100 + i;
	forge_begin(&f, RTM_NEWLINK, &ifi, sizeof(ifi));
	forge_attr(&f, IFLA_IFNAME, "old0", 5);
	forge_attr(&f, IFLA_STATS64, stats, sizeof(stats));
	forge_end(&f);
	cr_assert_eq(net_nl_parse(f.b, f.len, &n), 0, "no NLMSG_DONE yet");
	cr_assert_eq(n.ifaces[0].stats[RTLAB_LINKSTAT_RX_BYTES].v, 102);
	cr_assert_eq(n.ifaces[0].stats[RTLAB_LINKSTAT_TX_COMPRESSED].v, 122);
	cr_assert_eq(n.ifaces[0].stats[RTLAB_LINKSTAT_RX_NOHANDLER].st, RTLAB_PV_UNSUPPORTED);
	free(n.ifaces);
}

/* RTM_NEWSTATS: the counters go to the interface of that index; others are skipped. */
Test(netlink, stats_messages_update_known_interfaces)
{
	struct forge f = { .len = 0 };
	struct rtlab_probe_net n = { 0 };
	struct if_stats_msg known = { .ifindex = 3 }, unknown = { .ifindex = 99 };
	uint64_t stats[RTLAB_LINKSTAT__COUNT];

	for (size_t i = 0; i < RTLAB_LINKSTAT__COUNT; i++)
		stats[i] = 1000 + i;
	forge_link(&f, "ok0", 3, 4);
	forge_begin(&f, RTM_NEWSTATS, &known, sizeof(known));
	forge_attr(&f, IFLA_STATS_LINK_64, stats, sizeof(stats));
	forge_end(&f);
	forge_begin(&f, RTM_NEWSTATS, &unknown, sizeof(unknown));
	forge_attr(&f, IFLA_STATS_LINK_64, stats, sizeof(stats));
	forge_end(&f);
	/* No counters at all, and a message too short for its header: malformed. */
	forge_begin(&f, RTM_NEWSTATS, &known, sizeof(known));
	forge_end(&f);
	forge_begin(&f, RTM_NEWSTATS, &known, 4);
	forge_end(&f);
	forge_done(&f, 0);
	cr_assert_eq(net_nl_parse(f.b, f.len, &n), 1);
	cr_assert_eq(n.n_ifaces, 1);
	cr_assert_eq(n.nl_malformed, 2);
	cr_assert_eq(n.ifaces[0].stats[RTLAB_LINKSTAT_RX_BYTES].v, 1000 + RTLAB_LINKSTAT_RX_BYTES);
	cr_assert_eq(n.ifaces[0].stats[RTLAB_LINKSTAT__COUNT - 1].st, RTLAB_PV_OK);
	free(n.ifaces);
}

/* Errors: NLMSG_ERROR and a failed NLMSG_DONE give their errno; a bad length stops all. */
Test(netlink, errors_and_broken_framing)
{
	struct forge f = { .len = 0 };
	struct rtlab_probe_net n = { 0 };
	int32_t err = -EPERM;
	uint32_t tiny = 8;

	forge_begin(&f, NLMSG_ERROR, &err, sizeof(err));
	forge_end(&f);
	cr_assert_eq(net_nl_parse(f.b, f.len, &n), -EPERM);
	f.len = 0;
	forge_done(&f, -EINTR);
	cr_assert_eq(net_nl_parse(f.b, f.len, &n), -EINTR);
	f.len = 0;
	forge_link(&f, "a0", 1, 4);
	memcpy(f.b, &tiny, sizeof(tiny));
	cr_assert_eq(net_nl_parse(f.b, f.len, &n), -EBADMSG);
	cr_assert_eq(n.n_ifaces, 0);
}

/* Addresses: IFA_LOCAL is the address, IFA_ADDRESS then the peer; broadcast and label kept. */
Test(netlink, forged_point_to_point_address)
{
	struct forge f = { .len = 0 };
	struct rtlab_probe_net n = { 0 };
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 32, .ifa_index = 7 };
	uint8_t local[4] = { 10, 8, 0, 2 }, peer[4] = { 10, 8, 0, 1 }, v6[16] = { 0xfe, 0x80 };
	uint32_t flags = 0x80 | 0x100;
	char text[64];

	forge_begin(&f, RTM_NEWADDR, &ifa, sizeof(ifa));
	forge_attr(&f, IFA_ADDRESS, peer, 4);
	forge_attr(&f, IFA_LOCAL, local, 4);
	forge_attr(&f, IFA_LABEL, "tun0", 5);
	forge_attr(&f, IFA_FLAGS, &flags, 4);
	forge_end(&f);
	ifa.ifa_family = AF_INET6;
	forge_begin(&f, RTM_NEWADDR, &ifa, sizeof(ifa));
	forge_attr(&f, IFA_ADDRESS, v6, 4);
	forge_end(&f);
	forge_done(&f, 0);
	cr_assert_eq(net_nl_parse(f.b, f.len, &n), 1);
	cr_assert_eq(n.n_addrs, 1, "an IPv6 address of 4 bytes is refused");
	cr_assert_eq(n.nl_malformed, 1);
	rtlab_net_addr_str(4, n.addrs[0].addr, text, sizeof(text));
	cr_assert_str_eq(text, "10.8.0.2");
	cr_assert(n.addrs[0].has_peer);
	rtlab_net_addr_str(4, n.addrs[0].peer, text, sizeof(text));
	cr_assert_str_eq(text, "10.8.0.1");
	cr_assert_str_eq(n.addrs[0].label, "tun0");
	cr_assert_eq(n.addrs[0].flags, 0x180);
	cr_assert_eq(n.addrs[0].valid_lft_s.st, RTLAB_PV_UNSUPPORTED);
	free(n.addrs);
}
