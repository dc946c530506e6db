/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-emit.c - the net family's samples, named as node_exporter's netdev and netclass. */
#include <stdio.h>
#include <string.h>

#include "net/net-internal.h"

/* A per-interface value: a struct rtlab_pu64 at @off in struct rtlab_net_iface. */
struct iface_metric {
	struct rtlab_metric m;
	size_t off;
};

#define IFM(name, help, type, field)                                                      \
	{ { name, help, RTLAB_METRIC_##type }, offsetof(struct rtlab_net_iface, field) }
#define DEV(dir, what, idx)                                                               \
	IFM("node_network_" dir "_" what "_total", "Network device statistic " dir "_" what \
	    " (/proc/net/dev).", COUNTER, dev[RTLAB_NETDEV_##idx])
#define LST(name, what, idx)                                                              \
	IFM(name, what " (IFLA_STATS64 or statistics/).", COUNTER, stats[RTLAB_LINKSTAT_##idx])
#define PROP(name, what, field) IFM("node_network_" name, what, GAUGE, field)

static const struct iface_metric iface_metrics[] = {
	DEV("receive", "bytes", RX_BYTES),
	DEV("receive", "packets", RX_PACKETS),
	DEV("receive", "errs", RX_ERRS),
	DEV("receive", "drop", RX_DROP),
	DEV("receive", "fifo", RX_FIFO),
	DEV("receive", "frame", RX_FRAME),
	DEV("receive", "compressed", RX_COMPRESSED),
	DEV("receive", "multicast", RX_MULTICAST),
	DEV("transmit", "bytes", TX_BYTES),
	DEV("transmit", "packets", TX_PACKETS),
	DEV("transmit", "errs", TX_ERRS),
	DEV("transmit", "drop", TX_DROP),
	DEV("transmit", "fifo", TX_FIFO),
	DEV("transmit", "colls", TX_COLLS),
	DEV("transmit", "carrier", TX_CARRIER),
	DEV("transmit", "compressed", TX_COMPRESSED),
	LST("node_network_receive_nohandler_total",
	    "Packets dropped for want of a protocol handler", RX_NOHANDLER),
	LST("rtlab_network_receive_length_errors_total", "Received frames of a bad length",
	    RX_LENGTH_ERRORS),
	LST("rtlab_network_receive_over_errors_total", "Receive ring overruns", RX_OVER_ERRORS),
	LST("rtlab_network_receive_crc_errors_total", "Received frames with a bad CRC",
	    RX_CRC_ERRORS),
	LST("rtlab_network_receive_frame_errors_total", "Received frames misaligned",
	    RX_FRAME_ERRORS),
	LST("rtlab_network_receive_missed_errors_total", "Frames the device missed",
	    RX_MISSED_ERRORS),
	LST("rtlab_network_receive_otherhost_dropped_total",
	    "Packets dropped for another host's address", RX_OTHERHOST_DROPPED),
	LST("rtlab_network_transmit_aborted_errors_total", "Transmissions aborted",
	    TX_ABORTED_ERRORS),
	LST("rtlab_network_transmit_carrier_errors_total", "Transmissions lost for carrier",
	    TX_CARRIER_ERRORS),
	LST("rtlab_network_transmit_heartbeat_errors_total", "SQE heartbeat errors",
	    TX_HEARTBEAT_ERRORS),
	LST("rtlab_network_transmit_window_errors_total", "Late collisions", TX_WINDOW_ERRORS),
	PROP("mtu_bytes", "Network device property: mtu_bytes", mtu_bytes),
	PROP("transmit_queue_length", "Network device property: transmit_queue_length",
	     tx_queue_len),
	PROP("carrier", "Network device property: carrier", carrier),
	PROP("dormant", "Network device property: dormant", dormant),
	IFM("node_network_carrier_changes_total", "Network device property: carrier_changes_total",
	    COUNTER, carrier_changes),
	IFM("node_network_carrier_up_changes_total",
	    "Network device property: carrier_up_changes_total", COUNTER, carrier_up_changes),
	IFM("node_network_carrier_down_changes_total",
	    "Network device property: carrier_down_changes_total", COUNTER, carrier_down_changes),
	PROP("iface_id", "Network device property: iface_id", ifindex),
	PROP("iface_link", "Network device property: iface_link", iflink),
	PROP("iface_link_mode", "Network device property: iface_link_mode", link_mode),
	PROP("net_dev_group", "Network device property: net_dev_group", group),
	PROP("protocol_type", "Network device property: protocol_type", type),
	IFM("rtlab_network_flags", "IFF_* flags of the interface (netlink's, with RUNNING).", GAUGE,
	    flags),
	IFM("rtlab_network_operstate", "RFC 2863 operational state (IF_OPER_*: 6 up, 2 down).",
	    GAUGE, operstate),
};

/* A per-interface rate. */
struct rate_metric {
	struct rtlab_metric m;
	size_t off;	/* struct rtlab_pf64 */
};

#define RATE(name, help, field) { { name, help, RTLAB_METRIC_GAUGE }, \
				  offsetof(struct rtlab_net_iface, field) }

static const struct rate_metric rate_metrics[] = {
	RATE("rtlab_network_receive_bytes_per_second", "Bytes received per second.",
	     rx_bytes_per_s),
	RATE("rtlab_network_transmit_bytes_per_second", "Bytes sent per second.", tx_bytes_per_s),
	RATE("rtlab_network_receive_packets_per_second", "Packets received per second.",
	     rx_packets_per_s),
	RATE("rtlab_network_transmit_packets_per_second", "Packets sent per second.",
	     tx_packets_per_s),
};

static const struct rtlab_metric m_up = {
	"node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_speed = {
	"node_network_speed_bytes", "Network device property: speed_bytes (bytes per second).",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_info = {
	"node_network_info", "Non-numeric data from /sys/class/net/<iface>, value is always 1.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_link_info = {
	"rtlab_network_link_info", "Driver, link kind and master of the interface; value 1.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_addr_compat = {
	"node_network_address_info", "node network address by device", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_addr = {
	"rtlab_network_address_info", "An IPv4 or IPv6 address of an interface; value 1.",
	RTLAB_METRIC_GAUGE
};

/* emit_up - node_network_up: operstate "up". */
static void emit_up(struct probe_emit *e, const struct rtlab_probe_net *n)
{
	for (size_t i = 0; i < n->n_ifaces; i++) {
		const struct rtlab_net_iface *ifc = &n->ifaces[i];
		struct rtlab_pu64 up = { ifc->operstate.v == 6, ifc->operstate.st };

		pe_emitl(e, &m_up, mv_u64(up), { "device", ifc->name });
	}
}

/* emit_speed - node_network_speed_bytes: Mb/s as bytes per second. */
static void emit_speed(struct probe_emit *e, const struct rtlab_probe_net *n)
{
	for (size_t i = 0; i < n->n_ifaces; i++) {
		const struct rtlab_net_iface *ifc = &n->ifaces[i];
		struct rtlab_pu64 mbps = { (uint64_t)ifc->speed_mbps.v, ifc->speed_mbps.st };

		pe_emitl(e, &m_speed, mv_scaled(mbps, 125000.0), { "device", ifc->name });
	}
}

/* text_or_empty - @s if its state is OK, else "". */
static const char *text_or_empty(const char *s, uint8_t st)
{
	return st == RTLAB_PV_OK ? s : "";
}

/* emit_info - node_network_info and rtlab_network_link_info. */
static void emit_info(struct probe_emit *e, const struct rtlab_probe_net *n)
{
	for (size_t i = 0; i < n->n_ifaces; i++) {
		const struct rtlab_net_iface *ifc = &n->ifaces[i];
		char addr[3 * RTLAB_NET_HWADDR_MAX], brd[3 * RTLAB_NET_HWADDR_MAX];
		const char *op = ifc->operstate.st == RTLAB_PV_OK ?
				 rtlab_net_operstate_name(ifc->operstate.v) : "";

		rtlab_net_hwaddr_str(ifc->hwaddr,
				     ifc->hwaddr_st == RTLAB_PV_OK ? ifc->hwaddr_len : 0, addr,
				     sizeof(addr));
		rtlab_net_hwaddr_str(ifc->broadcast,
				     ifc->broadcast_st == RTLAB_PV_OK ? ifc->broadcast_len : 0, brd,
				     sizeof(brd));
		pe_emitl(e, &m_info, mv_one(RTLAB_PV_OK), { "address", addr }, { "broadcast", brd },
			 { "device", ifc->name },
			 { "duplex", text_or_empty(ifc->duplex, ifc->duplex_st) },
			 { "ifalias", text_or_empty(ifc->ifalias, ifc->ifalias_st) },
			 { "operstate", op });
	}
	for (size_t i = 0; i < n->n_ifaces; i++) {
		const struct rtlab_net_iface *ifc = &n->ifaces[i];

		pe_emitl(e, &m_link_info, mv_one(RTLAB_PV_OK), { "device", ifc->name },
			 { "driver", text_or_empty(ifc->driver, ifc->driver_st) },
			 { "kind", text_or_empty(ifc->kind, ifc->kind_st) },
			 { "master", ifc->master_name });
	}
}

/* compat_scope - node_exporter's scope words, from the address itself. */
static const char *compat_scope(const struct rtlab_net_addr *a)
{
	static const uint8_t loopback[16] = { [15] = 1 }, zero[16] = { 0 };
	const uint8_t *x = a->addr;

	if (a->family == 4) {
		if (x[0] == 127 || (x[0] == 169 && x[1] == 254) ||
		    (x[0] == 224 && x[1] == 0 && x[2] == 0))
			return "link-local";
		if (x[0] >= 224 || (x[0] | x[1] | x[2] | x[3]) == 0)
			return "";
		return "global";
	}
	if (memcmp(x, loopback, 16) == 0 || (x[0] == 0xfe && (x[1] & 0xc0) == 0x80) ||
	    (x[0] == 0xff && (x[1] & 0x0f) == 0x02))
		return "link-local";
	if (x[0] == 0xff && (x[1] & 0x0f) == 0x01)
		return "interface-local";
	if (x[0] == 0xff || memcmp(x, zero, 16) == 0)
		return "";
	return "global";
}

/* scope_name - the kernel's RT_SCOPE_* in words. */
static const char *scope_name(uint8_t scope, char *buf, size_t size)
{
	switch (scope) {
	case 0:
		return "global";
	case 200:
		return "site";
	case 253:
		return "link";
	case 254:
		return "host";
	case 255:
		return "nowhere";
	default:
		snprintf(buf, size, "%u", scope);
		return buf;
	}
}

/* emit_addrs - node_network_address_info (node_exporter's labels) and rtlab's full one. */
static void emit_addrs(struct probe_emit *e, const struct rtlab_probe_net *n)
{
	char addr[64], plen[8], peer[64], brd[64], scope[8], flags[16];

	for (size_t i = 0; i < n->n_addrs; i++) {
		const struct rtlab_net_addr *a = &n->addrs[i];

		rtlab_net_addr_str(a->family, a->addr, addr, sizeof(addr));
		snprintf(plen, sizeof(plen), "%u", a->prefix_len);
		pe_emitl(e, &m_addr_compat, mv_one(RTLAB_PV_OK), { "address", addr },
			 { "device", a->ifname }, { "netmask", plen },
			 { "scope", compat_scope(a) });
	}
	for (size_t i = 0; i < n->n_addrs; i++) {
		const struct rtlab_net_addr *a = &n->addrs[i];

		rtlab_net_addr_str(a->family, a->addr, addr, sizeof(addr));
		snprintf(plen, sizeof(plen), "%u", a->prefix_len);
		snprintf(flags, sizeof(flags), "0x%x", a->flags);
		peer[0] = brd[0] = '\0';
		if (a->has_peer)
			rtlab_net_addr_str(a->family, a->peer, peer, sizeof(peer));
		if (a->has_broadcast)
			rtlab_net_addr_str(4, a->broadcast, brd, sizeof(brd));
		pe_emitl(e, &m_addr, mv_one(RTLAB_PV_OK), { "address", addr }, { "broadcast", brd },
			 { "device", a->ifname }, { "family", a->family == 4 ? "ipv4" : "ipv6" },
			 { "flags", flags }, { "label", a->label }, { "peer", peer },
			 { "prefix_length", plen },
			 { "scope", scope_name(a->scope, scope, sizeof(scope)) });
	}
}

/* net_emit - every metric, all interfaces of one metric in a row. */
void net_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_net *n = &d->net;

	for (size_t k = 0; k < RTLAB_ARRAY_SIZE(iface_metrics); k++) {
		const struct iface_metric *im = &iface_metrics[k];

		for (size_t i = 0; i < n->n_ifaces; i++) {
			const struct rtlab_pu64 *v =
				(const struct rtlab_pu64 *)((const char *)&n->ifaces[i] + im->off);

			pe_emitl(e, &im->m, mv_u64(*v), { "device", n->ifaces[i].name });
		}
	}
	for (size_t k = 0; k < RTLAB_ARRAY_SIZE(rate_metrics); k++) {
		const struct rate_metric *rm = &rate_metrics[k];

		for (size_t i = 0; i < n->n_ifaces; i++) {
			const struct rtlab_pf64 *v =
				(const struct rtlab_pf64 *)((const char *)&n->ifaces[i] + rm->off);

			pe_emitl(e, &rm->m, mv_f64(*v), { "device", n->ifaces[i].name });
		}
	}
	emit_up(e, n);
	emit_speed(e, n);
	emit_info(e, n);
	emit_addrs(e, n);
}
