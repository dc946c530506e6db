/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netlink.c - netlink dumps (rtnetlink, sock_diag) on one socket with a fixed receive buffer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "net/net-internal.h"

/*
 * The kernel sizes a dump's datagrams after the reader's buffer, up to 32 KiB
 * (more for a single link with many VFs, which we do not ask for).
 */
#define NL_BUF_SIZE (64 * 1024)

/* net_nl_init - no socket of @protocol yet, a receive buffer. */
int net_nl_init(struct net_nl *nl, int protocol)
{
	nl->fd = -1;
	nl->protocol = protocol;
	nl->seq = 0;
	nl->cap = NL_BUF_SIZE;
	nl->buf = malloc(nl->cap);
	return nl->buf ? 0 : -ENOMEM;
}

/* nl_drop - close the socket (the next dump opens a fresh one). */
static void nl_drop(struct net_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

/* net_nl_close - socket and buffer. */
void net_nl_close(struct net_nl *nl)
{
	nl_drop(nl);
	free(nl->buf);
	nl->buf = NULL;
}

/* nl_open - the socket, with a receive timeout so a dump cannot hang. */
static int nl_open(struct net_nl *nl)
{
	struct timeval tv = { .tv_sec = 2 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, nl->protocol);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	nl->fd = fd;
	return 0;
}

/* nl_send - send the request @req of @len bytes (a struct nlmsghdr first) with a new sequence. */
static int nl_send(struct net_nl *nl, void *req, size_t len)
{
	struct nlmsghdr *h = req;
	ssize_t n;

	h->nlmsg_len = (uint32_t)len;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = ++nl->seq;
	do
		n = send(nl->fd, req, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

/* nl_receive - the dump's datagrams through @parse into @out until it says done. */
static int nl_receive(struct net_nl *nl, net_nl_parser parse, void *out)
{
	for (;;) {
		ssize_t got = recv(nl->fd, nl->buf, nl->cap, MSG_TRUNC);
		int r;

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if ((size_t)got > nl->cap)
			return -EMSGSIZE;
		r = parse(nl->buf, (size_t)got, out);
		if (r != 0)
			return r < 0 ? r : 0;
		if (got == 0)
			return -EBADMSG;
	}
}

/* net_nl_request - send @req and read its dump; the socket is dropped on any error. */
int net_nl_request(struct net_nl *nl, void *req, size_t len, net_nl_parser parse, void *out)
{
	int r = 0;

	if (nl->fd < 0)
		r = nl_open(nl);
	if (!r)
		r = nl_send(nl, req, len);
	if (!r)
		r = nl_receive(nl, parse, out);
	if (r < 0)
		nl_drop(nl);
	return r;
}

/* parse_rtnl - net_nl_parse with the parser signature. */
static int parse_rtnl(const void *buf, size_t len, void *out)
{
	return net_nl_parse(buf, len, out);
}

/* net_nl_dump - an RTM_GETLINK or RTM_GETADDR dump of every family. */
int net_nl_dump(struct net_nl *nl, uint16_t type, struct rtlab_probe_net *n)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;	/* an ifaddrmsg for RTM_GETADDR: its start, zeroed */
	} req;
	size_t body = type == RTM_GETLINK ? sizeof(struct ifinfomsg) : sizeof(struct ifaddrmsg);

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_type = type;
	return net_nl_request(nl, &req, NLMSG_LENGTH(body), parse_rtnl, n);
}

/* net_nl_stats_dump - an RTM_GETSTATS dump of IFLA_STATS_LINK_64 into the interfaces of @n. */
int net_nl_stats_dump(struct net_nl *nl, struct rtlab_probe_net *n)
{
	struct {
		struct nlmsghdr h;
		struct if_stats_msg ifsm;
	} req;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_type = RTM_GETSTATS;
	req.ifsm.filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	return net_nl_request(nl, &req, NLMSG_LENGTH(sizeof(req.ifsm)), parse_rtnl, n);
}

/* net_nl_monitor - subscribe @nl (not yet open) to @groups, non-blocking. */
int net_nl_monitor(struct net_nl *nl, uint32_t groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, nl->protocol);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	nl->fd = fd;
	return 0;
}

/*
 * net_nl_drain - read every notification waiting on the monitor @nl: how many
 * there were (1 after an overflow: some were lost), or -errno (socket closed).
 */
int net_nl_drain(struct net_nl *nl)
{
	int seen = 0;

	for (;;) {
		ssize_t got = recv(nl->fd, nl->buf, nl->cap, MSG_DONTWAIT | MSG_TRUNC);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return seen;
		if (got < 0 && errno == ENOBUFS) {
			seen = 1;
			continue;
		}
		if (got < 0) {
			int r = -errno;

			nl_drop(nl);
			return r;
		}
		seen = 1;
	}
}
