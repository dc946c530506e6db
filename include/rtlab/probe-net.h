/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-net.h - the network families: interfaces (netlink, /proc/net/dev,
 * /sys/class/net), protocol counters (snmp, netstat, sockstat, conntrack),
 * routes and ARP, socket counts, and the socket table with owning processes.
 *
 * Strings from the system (interface names, aliases, drivers, unix socket
 * paths) are bytes in bounded, NUL-terminated arrays, never assumed sane:
 * whoever prints them escapes them.
 *
 * Addresses are kept as bytes in network order (4 bytes for IPv4, 16 for
 * IPv6); rtlab_net_addr_str() writes them in the usual text forms.
 */
#ifndef RTLAB_PROBE_NET_H
#define RTLAB_PROBE_NET_H

#include <rtlab/probe-types.h>

struct rtlab_probe;

#define RTLAB_NET_NAME_MAX 16		/* IFNAMSIZ: an interface name and its NUL */
#define RTLAB_NET_HWADDR_MAX 32		/* MAX_ADDR_LEN: link-layer address bytes */

/* The 16 counters of a /proc/net/dev line, in the file's order. */
enum rtlab_netdev_counter {
	RTLAB_NETDEV_RX_BYTES,
	RTLAB_NETDEV_RX_PACKETS,
	RTLAB_NETDEV_RX_ERRS,
	RTLAB_NETDEV_RX_DROP,		/* rx_dropped + rx_missed_errors */
	RTLAB_NETDEV_RX_FIFO,
	RTLAB_NETDEV_RX_FRAME,		/* length + over + crc + frame errors */
	RTLAB_NETDEV_RX_COMPRESSED,
	RTLAB_NETDEV_RX_MULTICAST,
	RTLAB_NETDEV_TX_BYTES,
	RTLAB_NETDEV_TX_PACKETS,
	RTLAB_NETDEV_TX_ERRS,
	RTLAB_NETDEV_TX_DROP,
	RTLAB_NETDEV_TX_FIFO,
	RTLAB_NETDEV_TX_COLLS,
	RTLAB_NETDEV_TX_CARRIER,	/* carrier + aborted + window + heartbeat errors */
	RTLAB_NETDEV_TX_COMPRESSED,
	RTLAB_NETDEV__COUNT,
};

/*
 * The kernel's struct rtnl_link_stats64, in its order (netlink IFLA_STATS64);
 * below a root the same counters come from /sys/class/net/IF/statistics/NAME,
 * where NAME is rtlab_net_linkstat_name().  Packets, bytes or events.
 */
enum rtlab_net_linkstat {
	RTLAB_LINKSTAT_RX_PACKETS,
	RTLAB_LINKSTAT_TX_PACKETS,
	RTLAB_LINKSTAT_RX_BYTES,
	RTLAB_LINKSTAT_TX_BYTES,
	RTLAB_LINKSTAT_RX_ERRORS,
	RTLAB_LINKSTAT_TX_ERRORS,
	RTLAB_LINKSTAT_RX_DROPPED,
	RTLAB_LINKSTAT_TX_DROPPED,
	RTLAB_LINKSTAT_MULTICAST,
	RTLAB_LINKSTAT_COLLISIONS,
	RTLAB_LINKSTAT_RX_LENGTH_ERRORS,
	RTLAB_LINKSTAT_RX_OVER_ERRORS,
	RTLAB_LINKSTAT_RX_CRC_ERRORS,
	RTLAB_LINKSTAT_RX_FRAME_ERRORS,
	RTLAB_LINKSTAT_RX_FIFO_ERRORS,
	RTLAB_LINKSTAT_RX_MISSED_ERRORS,
	RTLAB_LINKSTAT_TX_ABORTED_ERRORS,
	RTLAB_LINKSTAT_TX_CARRIER_ERRORS,
	RTLAB_LINKSTAT_TX_FIFO_ERRORS,
	RTLAB_LINKSTAT_TX_HEARTBEAT_ERRORS,
	RTLAB_LINKSTAT_TX_WINDOW_ERRORS,
	RTLAB_LINKSTAT_RX_COMPRESSED,
	RTLAB_LINKSTAT_TX_COMPRESSED,
	RTLAB_LINKSTAT_RX_NOHANDLER,		/* kernel 4.6+ */
	RTLAB_LINKSTAT_RX_OTHERHOST_DROPPED,	/* kernel 5.19+, netlink only */
	RTLAB_LINKSTAT__COUNT,
};

/*
 * One network interface.  Live (root ""), the link fields come from one
 * RTM_GETLINK netlink dump; below a root (a fixture tree) from the
 * /sys/class/net/IF files of the same meaning, and what only netlink knows
 * (link kind, rx_otherhost_dropped) is RTLAB_PV_ABSENT.
 */
struct rtlab_net_iface {
	char name[RTLAB_NET_NAME_MAX];	/* "eth0" */
	struct rtlab_pu64 ifindex;
	struct rtlab_pu64 iflink;	/* ifindex of the lower device (itself if none) */
	struct rtlab_pu64 type;		/* ARPHRD_*: 1 Ethernet, 772 loopback, 65534 none */
	uint8_t hwaddr[RTLAB_NET_HWADDR_MAX];	/* link-layer (MAC) address */
	uint8_t hwaddr_len;
	uint8_t hwaddr_st;
	uint8_t broadcast[RTLAB_NET_HWADDR_MAX]; /* link-layer broadcast address */
	uint8_t broadcast_len;
	uint8_t broadcast_st;
	struct rtlab_pu64 mtu_bytes;
	/*
	 * IFF_* flags: UP 0x1, BROADCAST 0x2, LOOPBACK 0x8, POINTOPOINT 0x10,
	 * RUNNING 0x40, NOARP 0x80, PROMISC 0x100, ALLMULTI 0x200, MASTER 0x400,
	 * SLAVE 0x800, MULTICAST 0x1000, LOWER_UP 0x10000, DORMANT 0x20000.
	 * Netlink reports RUNNING, LOWER_UP and DORMANT; sysfs (below a root) does not.
	 */
	struct rtlab_pu64 flags;
	struct rtlab_pu64 operstate;	/* IF_OPER_*, see rtlab_net_operstate_name() */
	struct rtlab_pu64 link_mode;	/* 0 default, 1 dormant */
	struct rtlab_pu64 group;	/* interface group (netdev_group) */
	struct rtlab_pu64 carrier;	/* 1 link detected, 0 not; unsupported when down */
	struct rtlab_pu64 dormant;	/* 1 waiting for an external event (802.1X); ditto */
	struct rtlab_pu64 carrier_changes;	/* carrier up and down transitions */
	struct rtlab_pu64 carrier_up_changes;
	struct rtlab_pu64 carrier_down_changes;
	struct rtlab_pu64 tx_queue_len;	/* packets */
	char kind[RTLAB_NET_NAME_MAX];	/* "bond", "bridge", "veth", "vlan"...; "" for a device */
	uint8_t kind_st;
	struct rtlab_pu64 master;	/* ifindex of the master (bond, bridge), 0 if none */
	char master_name[RTLAB_NET_NAME_MAX];	/* its name, "" if none or not found */
	char ifalias[128];		/* the administrator's description, "" if none */
	uint8_t ifalias_st;
	char driver[32];		/* basename of device/driver: "virtio_net", "ixgbe" */
	uint8_t driver_st;		/* absent for virtual devices */
	struct rtlab_pi64 speed_mbps;	/* unsupported when the driver does not know it */
	char duplex[8];			/* "full", "half", "unknown" */
	uint8_t duplex_st;
	struct rtlab_pu64 dev[RTLAB_NETDEV__COUNT];	  /* /proc/net/dev */
	struct rtlab_pu64 stats[RTLAB_LINKSTAT__COUNT];	  /* IFLA_STATS64 or statistics/ */
	/* From /proc/net/dev between two collections; RTLAB_PV_NOT_READY at first. */
	struct rtlab_pf64 rx_bytes_per_s;
	struct rtlab_pf64 tx_bytes_per_s;
	struct rtlab_pf64 rx_packets_per_s;
	struct rtlab_pf64 tx_packets_per_s;
};

/* One IPv4 or IPv6 address of an interface (RTM_GETADDR; below a root, IPv6 from if_inet6). */
struct rtlab_net_addr {
	uint32_t ifindex;
	char ifname[RTLAB_NET_NAME_MAX];	/* "" if the interface was not found */
	uint8_t family;		/* 4 or 6 */
	uint8_t prefix_len;	/* bits */
	uint8_t scope;		/* RT_SCOPE_*: 0 global, 200 site, 253 link, 254 host */
	uint8_t has_peer;	/* point-to-point: peer holds the other end */
	uint8_t has_broadcast;	/* IPv4: broadcast holds it */
	uint32_t flags;		/* IFA_F_*: 0x1 secondary/temporary, 0x80 permanent... */
	uint8_t addr[16];	/* network order; IPv4 in the first 4 bytes */
	uint8_t peer[16];
	uint8_t broadcast[4];
	char label[RTLAB_NET_NAME_MAX];	/* IPv4 label ("eth0:1"), "" if none */
	struct rtlab_pu64 valid_lft_s;	  /* seconds; UINT32_MAX = forever */
	struct rtlab_pu64 preferred_lft_s;
};

/* RTLAB_PF_NET */
struct rtlab_probe_net {
	struct rtlab_net_iface *ifaces;
	size_t n_ifaces, cap_ifaces;
	struct rtlab_net_addr *addrs;
	size_t n_addrs, cap_addrs;
	uint8_t addrs4_st;	/* the IPv4 addresses as a whole (absent below a root) */
	uint8_t addrs6_st;	/* the IPv6 addresses as a whole */
	bool from_netlink;	/* true: live netlink; false: files below a root */
	unsigned nl_malformed;	/* netlink messages that could not be read (skipped) */
	/* Internal: the previous collection (rates, attributes re-read on change only). */
	struct rtlab_net_iface *prev;
	size_t n_prev, cap_prev;
	uint64_t link_gen;	/* change generation of the link and address lists held */
};

/* One counter of /proc/net/snmp, /proc/net/netstat or /proc/net/snmp6. */
struct rtlab_netstat_counter {
	char proto[16];		/* "Tcp", "TcpExt", "Ip6", "Icmp6"... */
	char name[48];		/* "ActiveOpens", "ListenDrops", "InReceives"... */
	struct rtlab_pi64 value;	/* counters, but a few gauges (CurrEstab, MaxConn -1) */
};

/* One value of /proc/net/sockstat or sockstat6: "TCP: inuse 2" is {"TCP", "inuse", 2}. */
struct rtlab_sockstat_value {
	char proto[16];		/* "sockets", "TCP", "UDP", "RAW6", "FRAG"... */
	char name[16];		/* "used", "inuse", "orphan", "tw", "alloc", "mem", "memory" */
	struct rtlab_pu64 value;	/* sockets; "mem" in pages, "memory" in bytes */
};

/* RTLAB_PF_NETSTAT (slow) */
struct rtlab_probe_netstat {
	/* Every counter of snmp, netstat and snmp6, in file order. */
	struct rtlab_netstat_counter *counters;
	size_t n_counters, cap_counters;
	uint8_t snmp_st, netstat_st, snmp6_st;	/* each file as a whole */
	/* Named copies of the most watched ones. */
	struct rtlab_pi64 ip_forwarding;	/* 1 forwarding, 2 not */
	struct rtlab_pi64 tcp_active_opens, tcp_passive_opens, tcp_attempt_fails;
	struct rtlab_pi64 tcp_estab_resets, tcp_curr_estab, tcp_in_segs, tcp_out_segs;
	struct rtlab_pi64 tcp_retrans_segs, tcp_in_errs, tcp_out_rsts;
	struct rtlab_pi64 udp_in_datagrams, udp_out_datagrams, udp_no_ports, udp_in_errors;
	struct rtlab_pi64 udp_rcvbuf_errors, udp_sndbuf_errors;
	struct rtlab_pi64 tcpext_listen_overflows, tcpext_listen_drops, tcpext_tcp_timeouts;
	struct rtlab_pi64 tcpext_syncookies_sent, tcpext_syncookies_recv, tcpext_syncookies_failed;
	struct rtlab_pi64 tcpext_tcp_syn_retrans;
	/* sockstat and sockstat6, every value in file order. */
	struct rtlab_sockstat_value sockstat[48];
	size_t n_sockstat;
	uint8_t sockstat_st, sockstat6_st;
	struct rtlab_pu64 sockets_used;
	struct rtlab_pu64 tcp_inuse, tcp_orphan, tcp_tw, tcp_alloc, tcp_mem_pages;
	struct rtlab_pu64 udp_inuse, udp_mem_pages, udplite_inuse, raw_inuse;
	struct rtlab_pu64 frag_inuse, frag_memory_bytes;
	struct rtlab_pu64 tcp6_inuse, udp6_inuse, udplite6_inuse, raw6_inuse;
	struct rtlab_pu64 frag6_inuse, frag6_memory_bytes;
	struct rtlab_pu64 page_size_bytes;	/* what "mem" pages are made of */
	/* /proc/sys/net/netfilter: absent when nf_conntrack is not loaded. */
	struct rtlab_pu64 conntrack_entries, conntrack_max;
};

/* One route of /proc/net/route (IPv4) or /proc/net/ipv6_route. */
struct rtlab_net_route {
	uint8_t family;		/* 4 or 6 */
	uint8_t dst_len;	/* destination prefix, bits */
	uint8_t src_len;	/* IPv6 source prefix, bits */
	uint8_t dst[16], src[16], gateway[16];	/* network order */
	uint32_t flags;		/* RTF_*: UP 0x1, GATEWAY 0x2, HOST 0x4, REJECT 0x200... */
	uint32_t metric;
	uint32_t refcnt, use;
	uint32_t mtu, window, irtt;	/* IPv4 only: bytes, bytes, ms (0 = default) */
	char ifname[RTLAB_NET_NAME_MAX];
};

/* One neighbour of /proc/net/arp. */
struct rtlab_net_arp {
	uint8_t ip[4];
	uint32_t hw_type;	/* ARPHRD_* */
	uint32_t flags;		/* ATF_*: COM 0x2 (complete), PERM 0x4, PUBL 0x8 */
	uint8_t hwaddr[RTLAB_NET_HWADDR_MAX];
	uint8_t hwaddr_len;
	char ifname[RTLAB_NET_NAME_MAX];
};

/* RTLAB_PF_ROUTE (slow) */
struct rtlab_probe_route {
	struct rtlab_net_route *routes;	/* IPv4 first, then IPv6 */
	size_t n_routes, cap_routes;
	struct rtlab_pu64 n_routes4, n_routes6;
	struct rtlab_net_arp *arp;
	size_t n_arp, cap_arp;
	struct rtlab_pu64 n_arp_entries;
	/* The default route with a gateway and the lowest metric, per family. */
	uint8_t gw4[4], gw6[16];
	char gw4_ifname[RTLAB_NET_NAME_MAX], gw6_ifname[RTLAB_NET_NAME_MAX];
	uint8_t gw4_st, gw6_st;		/* absent: no default gateway */
};

/* Socket protocols (tables of /proc/net). */
enum rtlab_sock_proto {
	RTLAB_SOCK_TCP,
	RTLAB_SOCK_TCP6,
	RTLAB_SOCK_UDP,
	RTLAB_SOCK_UDP6,
	RTLAB_SOCK_RAW,
	RTLAB_SOCK_RAW6,
	RTLAB_SOCK_UNIX,
	RTLAB_SOCK_NETLINK,
	RTLAB_SOCK_PACKET,
	RTLAB_SOCK__COUNT,
};

#define RTLAB_SOCK_BIT(p) (1u << (p))
/* The protocols the socket table lists. */
#define RTLAB_SOCK_LISTABLE                                                                   \
	(RTLAB_SOCK_BIT(RTLAB_SOCK_TCP) | RTLAB_SOCK_BIT(RTLAB_SOCK_TCP6) |                  \
	 RTLAB_SOCK_BIT(RTLAB_SOCK_UDP) | RTLAB_SOCK_BIT(RTLAB_SOCK_UDP6) |                  \
	 RTLAB_SOCK_BIT(RTLAB_SOCK_RAW) | RTLAB_SOCK_BIT(RTLAB_SOCK_RAW6) |                  \
	 RTLAB_SOCK_BIT(RTLAB_SOCK_UNIX))

/* TCP states as the kernel numbers them (include/net/tcp_states.h). */
enum rtlab_tcp_state {
	RTLAB_TCP_ESTABLISHED = 1,
	RTLAB_TCP_SYN_SENT,
	RTLAB_TCP_SYN_RECV,
	RTLAB_TCP_FIN_WAIT1,
	RTLAB_TCP_FIN_WAIT2,
	RTLAB_TCP_TIME_WAIT,
	RTLAB_TCP_CLOSE,
	RTLAB_TCP_CLOSE_WAIT,
	RTLAB_TCP_LAST_ACK,
	RTLAB_TCP_LISTEN,
	RTLAB_TCP_CLOSING,
	RTLAB_TCP_NEW_SYN_RECV,
	RTLAB_TCP_BOUND_INACTIVE,
	RTLAB_TCP_STATE__COUNT,		/* index 0 is unused */
};

/* RTLAB_PF_SOCKETS (slow) */
struct rtlab_probe_sockets {
	struct rtlab_pu64 count[RTLAB_SOCK__COUNT];	/* sockets per protocol */
	/* TCP sockets (IPv4 and IPv6) per state, indexed by enum rtlab_tcp_state. */
	struct rtlab_pu64 tcp_states[RTLAB_TCP_STATE__COUNT];
	uint64_t tcp_unknown_state;	/* lines with a state number out of range */
};

/* One socket of the socket table. */
struct rtlab_socket {
	uint8_t proto;		/* enum rtlab_sock_proto */
	uint8_t family;		/* 4, 6, or 0 for unix */
	uint8_t state;		/* inet: enum rtlab_tcp_state; unix: 1 unconnected .. 4 */
	uint8_t has_uid;	/* unix sockets have no uid in /proc/net/unix */
	uint8_t local[16], remote[16];	/* network order */
	uint16_t local_port, remote_port;	/* raw: the IP protocol number */
	uint64_t tx_queue, rx_queue;	/* bytes; listening TCP: rx the accept queue */
	uint32_t uid;
	uint64_t inode;
	/* Unix sockets: */
	uint16_t unix_type;	/* 1 stream, 2 datagram, 5 seqpacket */
	uint32_t unix_flags;	/* 0x10000: listening */
	char path[112];		/* as the kernel prints it: "@name" if abstract, "" if unbound */
	/* The owners: processes with a file descriptor on the socket. */
	int32_t pid;		/* the first (lowest) owner, 0 if none was found */
	uint32_t n_owners;	/* how many processes hold it */
	char comm[16];		/* the first owner's /proc/PID/comm */
};

/* A socket table: rtlab_probe_sockets_list() fills it, rtlab_socket_table_free() frees it. */
struct rtlab_socket_table {
	struct rtlab_socket *s;
	size_t n, cap;
	unsigned n_malformed;	/* lines or messages that could not be read (skipped) */
	/* The first problem seen ("" if none): a table unreadable or malformed, with file:line. */
	char why[160];
};

/*
 * rtlab_probe_sockets_list - every socket of the protocols in @protos
 * (RTLAB_SOCK_BIT mask of listable ones) read below @p's root from the
 * /proc/net tables, in table order, with its owning processes found by
 * mapping socket inodes to /proc/PID/fd links.  Live (root ""), TCP comes
 * from a NETLINK_SOCK_DIAG dump when the kernel has it (the same sockets,
 * without walking every bucket of the connection table; a listener's send
 * queue is then its backlog, as ss shows it).  @t is emptied first and may
 * be re-used.  Allocates (not for steady-state collection).  A table that
 * cannot be read is skipped and named in t->why.  Returns 0, -ENOMEM, -EINVAL.
 */
RTLAB_API int rtlab_probe_sockets_list(struct rtlab_probe *p, unsigned protos,
				       struct rtlab_socket_table *t);

/* rtlab_socket_table_free - free the sockets of @t and zero it. */
RTLAB_API void rtlab_socket_table_free(struct rtlab_socket_table *t);

/* rtlab_sock_proto_name - "tcp", "tcp6", "udp", ..., "packet"; NULL if out of range. */
RTLAB_API const char *rtlab_sock_proto_name(enum rtlab_sock_proto proto);

/* rtlab_tcp_state_name - "ESTABLISHED", "SYN_SENT", ..., "CLOSING"; "UNKNOWN" if out of range. */
RTLAB_API const char *rtlab_tcp_state_name(unsigned state);

/* rtlab_net_operstate_name - "unknown", "notpresent", "down", ..., "up" (RFC 2863). */
RTLAB_API const char *rtlab_net_operstate_name(uint64_t operstate);

/* rtlab_net_linkstat_name - "rx_packets", ... as in /sys/class/net/IF/statistics. */
RTLAB_API const char *rtlab_net_linkstat_name(enum rtlab_net_linkstat s);

/*
 * rtlab_net_addr_str - @addr (network order) of @family (4 or 6) as text
 * into @buf: "192.0.2.1", "fe80::1" (RFC 5952: lower case, the longest run
 * of zero groups shortened), "::ffff:192.0.2.1".  Returns 0, -EINVAL or -ENOSPC.
 */
RTLAB_API int rtlab_net_addr_str(int family, const uint8_t *addr, char *buf, size_t size);

/*
 * rtlab_net_hwaddr_str - @len link-layer address bytes as "aa:bb:cc:dd:ee:ff"
 * into @buf (truncated to fit).  Returns @buf.
 */
RTLAB_API const char *rtlab_net_hwaddr_str(const uint8_t *addr, size_t len, char *buf,
					   size_t size);

#endif /* RTLAB_PROBE_NET_H */
