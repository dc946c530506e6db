/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-names.c - names and text forms of the network families' values. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "net/net-internal.h"

static const char *const operstate_names[] = {
	"unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up",
};

static const char *const linkstat_names[RTLAB_LINKSTAT__COUNT] = {
	"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
	"rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors",
	"rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors",
	"rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
	"tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed",
	"rx_nohandler", "rx_otherhost_dropped",
};

static const char *const proto_names[RTLAB_SOCK__COUNT] = {
	"tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix", "netlink", "packet",
};

static const char *const tcp_state_names[RTLAB_TCP_STATE__COUNT] = {
	"UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
	"BOUND_INACTIVE",
};

/* rtlab_net_operstate_name - RFC 2863 operational state in words. */
const char *rtlab_net_operstate_name(uint64_t operstate)
{
	return operstate < RTLAB_ARRAY_SIZE(operstate_names) ? operstate_names[operstate]
							       : "unknown";
}

/* net_operstate_parse - the IF_OPER_* number of a sysfs operstate word. */
int net_operstate_parse(const char *w, size_t wl)
{
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(operstate_names); i++)
		if (strlen(operstate_names[i]) == wl && memcmp(operstate_names[i], w, wl) == 0)
			return (int)i;
	return -1;
}

/* rtlab_net_linkstat_name - the statistics/ file name of a link counter. */
const char *rtlab_net_linkstat_name(enum rtlab_net_linkstat s)
{
	return (unsigned)s < RTLAB_LINKSTAT__COUNT ? linkstat_names[s] : NULL;
}

/* rtlab_sock_proto_name - the /proc/net file name of a socket protocol. */
const char *rtlab_sock_proto_name(enum rtlab_sock_proto proto)
{
	return (unsigned)proto < RTLAB_SOCK__COUNT ? proto_names[proto] : NULL;
}

/* rtlab_tcp_state_name - the kernel's name of a TCP state. */
const char *rtlab_tcp_state_name(unsigned state)
{
	return state < RTLAB_TCP_STATE__COUNT ? tcp_state_names[state] : "UNKNOWN";
}

/* rtlab_net_addr_str - an IPv4 or IPv6 address as text. */
int rtlab_net_addr_str(int family, const uint8_t *addr, char *buf, size_t size)
{
	int af = family == 4 ? AF_INET : family == 6 ? AF_INET6 : -1;

	if (af < 0 || !addr || !buf)
		return -EINVAL;
	if (size > (size_t)INT32_MAX)
		size = INT32_MAX;
	/* inet_ntop writes RFC 5952 text (glibc, musl) without allocating. */
	if (!inet_ntop(af, addr, buf, (socklen_t)size))
		return -ENOSPC;
	return 0;
}

/* rtlab_net_hwaddr_str - "aa:bb:..." of @len bytes. */
const char *rtlab_net_hwaddr_str(const uint8_t *addr, size_t len, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (size == 0)
		return buf;
	for (size_t i = 0; i < len && o + 2 + (i > 0) < size; i++) {
		if (i)
			buf[o++] = ':';
		buf[o++] = hex[addr[i] >> 4];
		buf[o++] = hex[addr[i] & 15];
	}
	buf[o] = '\0';
	return buf;
}
