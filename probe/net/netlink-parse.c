/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netlink-parse.c - RTM_NEWLINK, RTM_NEWADDR and RTM_NEWSTATS messages of a rtnetlink dump. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "net/net-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

#define ATTR_TABLE 64	/* attribute types kept (IFLA_* and IFA_* we read are below) */

/* One attribute: its payload within the message. */
struct nl_attr {
	const uint8_t *data;
	size_t len;
	bool set;
};

/*
 * attrs_table - the attributes in [b, b+len) into @tb by type (a later one of
 * the same type wins).  -EBADMSG if one's length is impossible.
 */
static int attrs_table(const uint8_t *b, size_t len, struct nl_attr *tb)
{
	size_t off = 0;

	memset(tb, 0, ATTR_TABLE * sizeof(*tb));
	while (len - off >= sizeof(struct rtattr)) {
		struct rtattr a;

		memcpy(&a, b + off, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > len - off)
			return -EBADMSG;
		a.rta_type &= NLA_TYPE_MASK;
		if (a.rta_type < ATTR_TABLE) {
			tb[a.rta_type].data = b + off + RTA_LENGTH(0);
			tb[a.rta_type].len = a.rta_len - RTA_LENGTH(0);
			tb[a.rta_type].set = true;
		}
		if (RTA_ALIGN(a.rta_len) >= len - off)
			break;
		off += RTA_ALIGN(a.rta_len);
	}
	return 0;
}

/* attr_str - a string attribute into @dst (cut at its NUL or its end, then at @size). */
static void attr_str(const struct nl_attr *a, char *dst, size_t size)
{
	const uint8_t *nul = memchr(a->data, '\0', a->len);

	pp_copy(dst, size, (const char *)a->data, nul ? (size_t)(nul - a->data) : a->len);
}

/* How a link attribute read as a number is stored. */
struct link_num {
	uint16_t attr;		/* IFLA_* */
	uint8_t size;		/* 1 or 4 bytes */
	uint8_t missing_st;	/* state when the kernel did not send it; OK means 0 */
	size_t off;		/* its struct rtlab_pu64 in struct rtlab_net_iface */
};

#define LINK_NUM(a, sz, st, field) { a, sz, st, offsetof(struct rtlab_net_iface, field) }

static const struct link_num link_nums[] = {
	LINK_NUM(IFLA_MTU, 4, RTLAB_PV_UNSUPPORTED, mtu_bytes),
	LINK_NUM(IFLA_TXQLEN, 4, RTLAB_PV_UNSUPPORTED, tx_queue_len),
	LINK_NUM(IFLA_OPERSTATE, 1, RTLAB_PV_UNSUPPORTED, operstate),
	LINK_NUM(IFLA_LINKMODE, 1, RTLAB_PV_UNSUPPORTED, link_mode),
	LINK_NUM(IFLA_GROUP, 4, RTLAB_PV_UNSUPPORTED, group),
	LINK_NUM(IFLA_CARRIER, 1, RTLAB_PV_UNSUPPORTED, carrier),
	LINK_NUM(IFLA_CARRIER_CHANGES, 4, RTLAB_PV_UNSUPPORTED, carrier_changes),
	LINK_NUM(IFLA_CARRIER_UP_COUNT, 4, RTLAB_PV_UNSUPPORTED, carrier_up_changes),
	LINK_NUM(IFLA_CARRIER_DOWN_COUNT, 4, RTLAB_PV_UNSUPPORTED, carrier_down_changes),
	LINK_NUM(IFLA_MASTER, 4, RTLAB_PV_OK, master),
};

/* link_num_set - one numeric attribute into its field. */
static void link_num_set(struct rtlab_net_iface *ifc, const struct link_num *ln,
			 const struct nl_attr *a)
{
	struct rtlab_pu64 *f = (struct rtlab_pu64 *)((char *)ifc + ln->off);
	uint32_t v32;
	uint8_t v8;

	if (!a->set) {
		PV_NA(*f, ln->missing_st);
	} else if (a->len < ln->size) {
		PV_NA(*f, RTLAB_PV_MALFORMED);
	} else if (ln->size == 1) {
		memcpy(&v8, a->data, 1);
		PV_SET(*f, v8);
	} else {
		memcpy(&v32, a->data, 4);
		PV_SET(*f, v32);
	}
}

/* link_hwaddr - a link-layer address attribute into @dst. */
static void link_hwaddr(const struct nl_attr *a, uint8_t *dst, uint8_t *len, uint8_t *st)
{
	if (!a->set) {
		*st = RTLAB_PV_ABSENT;
		return;
	}
	*len = (uint8_t)(a->len < RTLAB_NET_HWADDR_MAX ? a->len : RTLAB_NET_HWADDR_MAX);
	memcpy(dst, a->data, *len);
	*st = RTLAB_PV_OK;
}

/* link_kind - IFLA_INFO_KIND inside IFLA_LINKINFO; "" for a device without one. */
static void link_kind(const struct nl_attr *info, struct rtlab_net_iface *ifc)
{
	struct nl_attr tb[ATTR_TABLE];

	ifc->kind_st = RTLAB_PV_OK;
	if (!info->set)
		return;
	if (attrs_table(info->data, info->len, tb) < 0) {
		ifc->kind_st = RTLAB_PV_MALFORMED;
		return;
	}
	if (tb[IFLA_INFO_KIND].set)
		attr_str(&tb[IFLA_INFO_KIND], ifc->kind, sizeof(ifc->kind));
}

/* link_stats - IFLA_STATS64: as many counters as the kernel sent, the rest unsupported. */
static void link_stats(const struct nl_attr *a, struct rtlab_net_iface *ifc)
{
	size_t n = a->set ? a->len / sizeof(uint64_t) : 0;

	for (size_t i = 0; i < RTLAB_LINKSTAT__COUNT; i++) {
		uint64_t v;

		if (i < n) {
			memcpy(&v, a->data + i * sizeof(v), sizeof(v));
			PV_SET(ifc->stats[i], v);
		} else {
			PV_NA(ifc->stats[i], RTLAB_PV_UNSUPPORTED);
		}
	}
}

/* nl_link - one RTM_NEWLINK payload appended as an interface. */
static int nl_link(const uint8_t *m, size_t len, struct rtlab_probe_net *out)
{
	struct nl_attr tb[ATTR_TABLE];
	struct rtlab_net_iface *ifc;
	struct ifinfomsg ifi;
	char name[RTLAB_NET_NAME_MAX];

	if (len < NLMSG_ALIGN(sizeof(ifi)))
		return -EBADMSG;
	memcpy(&ifi, m, sizeof(ifi));
	if (attrs_table(m + NLMSG_ALIGN(sizeof(ifi)), len - NLMSG_ALIGN(sizeof(ifi)), tb) < 0 ||
	    !tb[IFLA_IFNAME].set || ifi.ifi_index <= 0)
		return -EBADMSG;
	attr_str(&tb[IFLA_IFNAME], name, sizeof(name));
	if (!name[0])
		return -EBADMSG;
	if (probe_grow((void **)&out->ifaces, &out->cap_ifaces, out->n_ifaces + 1,
		       sizeof(*ifc)) < 0)
		return -ENOMEM;
	ifc = &out->ifaces[out->n_ifaces++];
	net_iface_reset(ifc, name, strlen(name), RTLAB_PV_ABSENT);
	PV_SET(ifc->ifindex, (uint64_t)ifi.ifi_index);
	PV_SET(ifc->type, ifi.ifi_type);
	PV_SET(ifc->flags, ifi.ifi_flags);
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(link_nums); i++)
		link_num_set(ifc, &link_nums[i], &tb[link_nums[i].attr]);
	/* As sysfs: carrier and dormancy mean something only while the interface is up. */
	if (ifi.ifi_flags & IFF_UP) {
		PV_SET(ifc->dormant, (ifi.ifi_flags & IFF_DORMANT) != 0);
	} else {
		PV_NA(ifc->dormant, RTLAB_PV_UNSUPPORTED);
		if (ifc->carrier.st == RTLAB_PV_OK)
			PV_NA(ifc->carrier, RTLAB_PV_UNSUPPORTED);
	}
	if (tb[IFLA_LINK].set)
		link_num_set(ifc, &(struct link_num)LINK_NUM(IFLA_LINK, 4, 0, iflink),
			     &tb[IFLA_LINK]);
	else
		PV_SET(ifc->iflink, (uint64_t)ifi.ifi_index);
	link_hwaddr(&tb[IFLA_ADDRESS], ifc->hwaddr, &ifc->hwaddr_len, &ifc->hwaddr_st);
	link_hwaddr(&tb[IFLA_BROADCAST], ifc->broadcast, &ifc->broadcast_len, &ifc->broadcast_st);
	link_kind(&tb[IFLA_LINKINFO], ifc);
	ifc->ifalias_st = RTLAB_PV_OK;
	if (tb[IFLA_IFALIAS].set)
		attr_str(&tb[IFLA_IFALIAS], ifc->ifalias, sizeof(ifc->ifalias));
	link_stats(&tb[IFLA_STATS64], ifc);
	return 0;
}

/*
 * nl_stats - one RTM_NEWSTATS payload: IFLA_STATS_LINK_64 into the interface
 * of that index already in @out (one that is not there is skipped: a new link
 * makes the next collection dump the links again).
 */
static int nl_stats(const uint8_t *m, size_t len, struct rtlab_probe_net *out)
{
	struct nl_attr tb[ATTR_TABLE];
	struct if_stats_msg ifsm;

	if (len < NLMSG_ALIGN(sizeof(ifsm)))
		return -EBADMSG;
	memcpy(&ifsm, m, sizeof(ifsm));
	if (attrs_table(m + NLMSG_ALIGN(sizeof(ifsm)), len - NLMSG_ALIGN(sizeof(ifsm)), tb) < 0 ||
	    !tb[IFLA_STATS_LINK_64].set)
		return -EBADMSG;
	for (size_t i = 0; i < out->n_ifaces; i++) {
		struct rtlab_net_iface *ifc = &out->ifaces[i];

		if (ifc->ifindex.st == RTLAB_PV_OK && ifc->ifindex.v == ifsm.ifindex) {
			link_stats(&tb[IFLA_STATS_LINK_64], ifc);
			break;
		}
	}
	return 0;
}

/* addr_lifetimes - IFA_CACHEINFO's preferred and valid lifetimes. */
static void addr_lifetimes(const struct nl_attr *a, struct rtlab_net_addr *ad)
{
	struct ifa_cacheinfo ci;

	if (!a->set || a->len < sizeof(ci)) {
		PV_NA(ad->valid_lft_s, a->set ? RTLAB_PV_MALFORMED : RTLAB_PV_UNSUPPORTED);
		PV_NA(ad->preferred_lft_s, ad->valid_lft_s.st);
		return;
	}
	memcpy(&ci, a->data, sizeof(ci));
	PV_SET(ad->valid_lft_s, ci.ifa_valid);
	PV_SET(ad->preferred_lft_s, ci.ifa_prefered);
}

/* nl_addr - one RTM_NEWADDR payload appended as an address (other families skipped). */
static int nl_addr(const uint8_t *m, size_t len, struct rtlab_probe_net *out)
{
	struct nl_attr tb[ATTR_TABLE];
	const struct nl_attr *local, *peer;
	struct rtlab_net_addr *ad;
	struct ifaddrmsg ifa;
	size_t alen;

	if (len < NLMSG_ALIGN(sizeof(ifa)))
		return -EBADMSG;
	memcpy(&ifa, m, sizeof(ifa));
	if (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6)
		return 0;
	alen = ifa.ifa_family == AF_INET ? 4 : 16;
	if (attrs_table(m + NLMSG_ALIGN(sizeof(ifa)), len - NLMSG_ALIGN(sizeof(ifa)), tb) < 0)
		return -EBADMSG;
	/* IFA_LOCAL is the address itself; IFA_ADDRESS then is the peer's. */
	peer = &tb[IFA_ADDRESS];
	local = tb[IFA_LOCAL].set ? &tb[IFA_LOCAL] : peer;
	if (!local->set || local->len != alen || (peer->set && peer->len != alen))
		return -EBADMSG;
	if (probe_grow((void **)&out->addrs, &out->cap_addrs, out->n_addrs + 1, sizeof(*ad)) < 0)
		return -ENOMEM;
	ad = &out->addrs[out->n_addrs++];
	memset(ad, 0, sizeof(*ad));
	ad->ifindex = ifa.ifa_index;
	ad->family = ifa.ifa_family == AF_INET ? 4 : 6;
	ad->prefix_len = ifa.ifa_prefixlen;
	ad->scope = ifa.ifa_scope;
	ad->flags = ifa.ifa_flags;
	if (tb[IFA_FLAGS].set && tb[IFA_FLAGS].len >= 4)
		memcpy(&ad->flags, tb[IFA_FLAGS].data, 4);
	memcpy(ad->addr, local->data, alen);
	if (local != peer && peer->set && memcmp(peer->data, local->data, alen) != 0) {
		memcpy(ad->peer, peer->data, alen);
		ad->has_peer = 1;
	}
	if (tb[IFA_BROADCAST].set && tb[IFA_BROADCAST].len == 4 && alen == 4) {
		memcpy(ad->broadcast, tb[IFA_BROADCAST].data, 4);
		ad->has_broadcast = 1;
	}
	if (tb[IFA_LABEL].set)
		attr_str(&tb[IFA_LABEL], ad->label, sizeof(ad->label));
	addr_lifetimes(&tb[IFA_CACHEINFO], ad);
	return 0;
}

/* nl_errno - the error code of an NLMSG_ERROR or NLMSG_DONE payload (0 if none). */
static int nl_errno(const uint8_t *m, size_t len)
{
	int32_t e;

	if (len < sizeof(e))
		return 0;
	memcpy(&e, m, sizeof(e));
	return e < 0 && e >= -4095 ? e : 0;
}

/* net_nl_walk - frame by frame: DONE and ERROR here, the rest to @fn. */
int net_nl_walk(const void *buf, size_t len, net_nl_msg_fn fn, void *out, unsigned *malformed)
{
	const uint8_t *b = buf;
	size_t off = 0;

	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		const uint8_t *m;
		size_t mlen;
		int r = 0;

		memcpy(&h, b + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			return -EBADMSG;
		m = b + off + NLMSG_HDRLEN;
		mlen = h.nlmsg_len - NLMSG_HDRLEN;
		if (h.nlmsg_type == NLMSG_DONE) {
			r = nl_errno(m, mlen);
			return r < 0 ? r : 1;
		}
		if (h.nlmsg_type == NLMSG_ERROR) {
			r = nl_errno(m, mlen);
			if (r < 0)
				return r;
		} else if (h.nlmsg_type != NLMSG_NOOP) {
			r = fn(h.nlmsg_type, m, mlen, out);
		}
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			(*malformed)++;
		if (NLMSG_ALIGN(h.nlmsg_len) >= len - off)
			break;
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
	return 0;
}

/* rtnl_msg - an RTM_NEWLINK, RTM_NEWADDR or RTM_NEWSTATS message; others are not ours. */
static int rtnl_msg(uint16_t type, const uint8_t *m, size_t len, void *out)
{
	if (type == RTM_NEWLINK)
		return nl_link(m, len, out);
	if (type == RTM_NEWADDR)
		return nl_addr(m, len, out);
	if (type == RTM_NEWSTATS)
		return nl_stats(m, len, out);
	return 0;
}

/* net_nl_parse - every message of the buffer, up to NLMSG_DONE. */
int net_nl_parse(const void *buf, size_t len, struct rtlab_probe_net *out)
{
	return net_nl_walk(buf, len, rtnl_msg, out, &out->nl_malformed);
}
