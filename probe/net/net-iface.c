/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-iface.c - the interface list: finding, appending and resetting entries. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "net/net-parse.h"
#include "probe-internal.h"

/* The struct rtlab_pu64 fields of an interface outside the counter arrays. */
static const size_t iface_u64_fields[] = {
	offsetof(struct rtlab_net_iface, ifindex),
	offsetof(struct rtlab_net_iface, iflink),
	offsetof(struct rtlab_net_iface, type),
	offsetof(struct rtlab_net_iface, mtu_bytes),
	offsetof(struct rtlab_net_iface, flags),
	offsetof(struct rtlab_net_iface, operstate),
	offsetof(struct rtlab_net_iface, link_mode),
	offsetof(struct rtlab_net_iface, group),
	offsetof(struct rtlab_net_iface, carrier),
	offsetof(struct rtlab_net_iface, dormant),
	offsetof(struct rtlab_net_iface, carrier_changes),
	offsetof(struct rtlab_net_iface, carrier_up_changes),
	offsetof(struct rtlab_net_iface, carrier_down_changes),
	offsetof(struct rtlab_net_iface, tx_queue_len),
	offsetof(struct rtlab_net_iface, master),
};

/* The struct rtlab_pf64 rates. */
static const size_t iface_f64_fields[] = {
	offsetof(struct rtlab_net_iface, rx_bytes_per_s),
	offsetof(struct rtlab_net_iface, tx_bytes_per_s),
	offsetof(struct rtlab_net_iface, rx_packets_per_s),
	offsetof(struct rtlab_net_iface, tx_packets_per_s),
};

/* net_iface_reset - a blank interface named @name whose values are all in state @st. */
void net_iface_reset(struct rtlab_net_iface *ifc, const char *name, size_t nl, uint8_t st)
{
	memset(ifc, 0, sizeof(*ifc));
	if (nl >= sizeof(ifc->name))
		nl = sizeof(ifc->name) - 1;
	memcpy(ifc->name, name, nl);
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(iface_u64_fields); i++)
		((struct rtlab_pu64 *)((char *)ifc + iface_u64_fields[i]))->st = st;
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(iface_f64_fields); i++)
		((struct rtlab_pf64 *)((char *)ifc + iface_f64_fields[i]))->st = st;
	for (size_t i = 0; i < RTLAB_NETDEV__COUNT; i++)
		ifc->dev[i].st = st;
	for (size_t i = 0; i < RTLAB_LINKSTAT__COUNT; i++)
		ifc->stats[i].st = st;
	ifc->speed_mbps.st = st;
	ifc->hwaddr_st = st;
	ifc->broadcast_st = st;
	ifc->kind_st = st;
	ifc->ifalias_st = st;
	ifc->driver_st = st;
	ifc->duplex_st = st;
}

/* name_is - true if the stored @have is [@name, +@nl), cut as it was stored. */
static bool name_is(const char *have, const char *name, size_t nl)
{
	if (nl >= RTLAB_NET_NAME_MAX)
		nl = RTLAB_NET_NAME_MAX - 1;
	return strncmp(have, name, nl) == 0 && have[nl] == '\0';
}

/* net_iface_get - the interface of that name (at @hint first), appended if new. */
struct rtlab_net_iface *net_iface_get(struct rtlab_probe_net *n, const char *name, size_t nl,
				      size_t hint)
{
	struct rtlab_net_iface *ifc;

	if (hint < n->n_ifaces && name_is(n->ifaces[hint].name, name, nl))
		return &n->ifaces[hint];
	for (size_t i = 0; i < n->n_ifaces; i++)
		if (name_is(n->ifaces[i].name, name, nl))
			return &n->ifaces[i];
	if (probe_grow((void **)&n->ifaces, &n->cap_ifaces, n->n_ifaces + 1, sizeof(*ifc)) < 0)
		return NULL;
	ifc = &n->ifaces[n->n_ifaces++];
	net_iface_reset(ifc, name, nl, RTLAB_PV_ABSENT);
	return ifc;
}
