/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sockdiag-parse.c - TCP sockets of a NETLINK_SOCK_DIAG dump (struct inet_diag_msg). */
#include <errno.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>

#include "net/net-parse.h"
#include "probe-internal.h"

/* diag_msg - one SOCK_DIAG_BY_FAMILY message appended to the table. */
static int diag_msg(uint16_t type, const uint8_t *m, size_t len, void *out)
{
	struct rtlab_socket_table *t = out;
	struct inet_diag_msg d;
	struct rtlab_socket *s;
	size_t alen;

	if (type != SOCK_DIAG_BY_FAMILY)
		return 0;
	if (len < sizeof(d))
		return -EBADMSG;
	memcpy(&d, m, sizeof(d));
	if (d.idiag_family != AF_INET && d.idiag_family != AF_INET6)
		return -EBADMSG;
	if (probe_grow((void **)&t->s, &t->cap, t->n + 1, sizeof(*s)) < 0)
		return -ENOMEM;
	s = &t->s[t->n++];
	memset(s, 0, sizeof(*s));
	alen = d.idiag_family == AF_INET ? 4 : 16;
	s->proto = d.idiag_family == AF_INET ? RTLAB_SOCK_TCP : RTLAB_SOCK_TCP6;
	s->family = d.idiag_family == AF_INET ? 4 : 6;
	s->state = d.idiag_state;
	/* Addresses come in network order as /proc would give them once decoded. */
	memcpy(s->local, d.id.idiag_src, alen);
	memcpy(s->remote, d.id.idiag_dst, alen);
	s->local_port = ntohs(d.id.idiag_sport);
	s->remote_port = ntohs(d.id.idiag_dport);
	s->rx_queue = d.idiag_rqueue;
	s->tx_queue = d.idiag_wqueue;
	s->uid = d.idiag_uid;
	s->has_uid = 1;
	s->inode = d.idiag_inode;
	return 0;
}

/* sockdiag_parse - every message of the buffer, up to NLMSG_DONE. */
int sockdiag_parse(const void *buf, size_t len, struct rtlab_socket_table *t)
{
	return net_nl_walk(buf, len, diag_msg, t, &t->n_malformed);
}
