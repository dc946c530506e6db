/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sockets.c - the sockets family: sockets per protocol and TCP connections per
 * state.  Live, TCP is counted from a NETLINK_SOCK_DIAG dump: /proc/net/tcp
 * walks every bucket of the kernel's connection table (262144 on a 24 GiB
 * machine: milliseconds, even with no connection), the dump skips the empty
 * ones.  Below a root, and if the dump fails, the /proc tables are counted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "net/net-internal.h"
#include "net/net-parse.h"

struct sockets_state {
	struct probe_src src[RTLAB_SOCK__COUNT];	/* /proc/net/<proto> */
	struct net_nl diag;				/* live only */
	bool live;
};

struct diag_count {
	struct rtlab_probe_sockets *so;
	unsigned malformed;
};

/* sockets_open - one source per protocol, not yet opened. */
static int sockets_open(struct rtlab_probe *p, void **state)
{
	struct sockets_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	for (int i = 0; i < RTLAB_SOCK__COUNT; i++)
		probe_src_init(&s->src[i], "/proc/net/%s", rtlab_sock_proto_name(i));
	s->live = !probe_root(p)[0];
	if (s->live && net_nl_init(&s->diag, NETLINK_SOCK_DIAG) < 0) {
		free(s);
		return -ENOMEM;
	}
	*state = s;
	return 0;
}

/* sockets_close - fds and buffers. */
static void sockets_close(void *state)
{
	struct sockets_state *s = state;

	for (int i = 0; i < RTLAB_SOCK__COUNT; i++)
		probe_src_close(&s->src[i]);
	if (s->live)
		net_nl_close(&s->diag);
	free(s);
}

/* diag_msg - one TCP socket of the dump counted by family and state. */
static int diag_msg(uint16_t type, const uint8_t *m, size_t len, void *out)
{
	struct diag_count *c = out;
	struct inet_diag_msg d;

	if (type != SOCK_DIAG_BY_FAMILY)
		return 0;
	if (len < sizeof(d))
		return -EBADMSG;
	memcpy(&d, m, sizeof(d));
	if (d.idiag_family != AF_INET && d.idiag_family != AF_INET6)
		return -EBADMSG;
	c->so->count[d.idiag_family == AF_INET ? RTLAB_SOCK_TCP : RTLAB_SOCK_TCP6].v++;
	if (d.idiag_state > 0 && d.idiag_state < RTLAB_TCP_STATE__COUNT)
		c->so->tcp_states[d.idiag_state].v++;
	else
		c->so->tcp_unknown_state++;
	return 0;
}

/* diag_parse - a datagram of the dump (the net_nl_parser signature). */
static int diag_parse(const void *buf, size_t len, void *out)
{
	struct diag_count *c = out;

	return net_nl_walk(buf, len, diag_msg, c, &c->malformed);
}

/* tcp_diag - count TCP and TCP6 sockets from two dumps; 0 or -errno (then /proc is read). */
static int tcp_diag(struct sockets_state *s, struct rtlab_probe_sockets *so)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	struct diag_count c = { .so = so };
	int r = 0;

	PV_SET(so->count[RTLAB_SOCK_TCP], 0);
	PV_SET(so->count[RTLAB_SOCK_TCP6], 0);
	for (size_t i = 0; i < 2 && r == 0; i++) {
		struct {
			struct nlmsghdr h;
			struct inet_diag_req_v2 req;
		} q = { .h.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.req = { .sdiag_family = families[i], .sdiag_protocol = IPPROTO_TCP,
				 .idiag_states = ~0u } };

		r = net_nl_request(&s->diag, &q, sizeof(q), diag_parse, &c);
		/* A kernel without IPv6 has no TCP6 sockets to count. */
		if (r == -ENOENT && families[i] == AF_INET6) {
			PV_NA(so->count[RTLAB_SOCK_TCP6], RTLAB_PV_ABSENT);
			r = 0;
		}
	}
	return r < 0 ? r : 0;
}

/* tcp_states_mark - every TCP state count in state @st (0 and OK to start counting). */
static void tcp_states_mark(struct rtlab_probe_sockets *so, uint8_t st)
{
	for (int k = 1; k < RTLAB_TCP_STATE__COUNT; k++)
		PV_NA(so->tcp_states[k], st);
	PV_NA(so->tcp_states[0], RTLAB_PV_ABSENT);
	so->tcp_unknown_state = 0;
}

/* sockets_collect - count the lines of each table. */
static int sockets_collect(struct probe_cx *cx, void *state)
{
	struct sockets_state *s = state;
	struct rtlab_probe_sockets *so = &cx->d->sockets;
	uint8_t tcp_st = RTLAB_PV_OK;

	bool diag;

	tcp_states_mark(so, RTLAB_PV_OK);
	diag = s->live && tcp_diag(s, so) == 0;
	if (s->live && !diag)
		tcp_states_mark(so, RTLAB_PV_OK);	/* start again from /proc */
	for (int i = 0; i < RTLAB_SOCK__COUNT; i++) {
		bool tcp = i == RTLAB_SOCK_TCP || i == RTLAB_SOCK_TCP6;
		ssize_t n;
		unsigned bad = 0;
		int r;

		if (tcp && diag)
			continue;
		/* No IPv6 or no packet sockets in this kernel: a fact, not a problem. */
		n = net_read(cx, &s->src[i], i != RTLAB_SOCK_TCP);

		if (n == -ENOMEM)
			return -ENOMEM;
		if (n < 0) {
			PV_NA(so->count[i], probe_st_from_errno((int)n));
			if (i == RTLAB_SOCK_TCP)
				tcp_st = so->count[i].st;
			continue;
		}
		r = sock_count_parse(s->src[i].buf, (size_t)n, i, so, &bad);
		net_parsed(cx, &s->src[i], r, bad);
	}
	if (tcp_st != RTLAB_PV_OK)
		tcp_states_mark(so, tcp_st);
	return 0;
}

/* Node_exporter's tcpstat names of the states (index: enum rtlab_tcp_state). */
static const char *const state_labels[RTLAB_TCP_STATE__COUNT] = {
	NULL, "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2", "time_wait",
	"close", "close_wait", "last_ack", "listen", "closing", "new_syn_recv", "bound_inactive",
};

static const struct rtlab_metric m_sockets = {
	"rtlab_sockets", "Sockets per protocol (lines of /proc/net/<proto>).", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_states = {
	"node_tcp_connection_states", "Number of connection states.", RTLAB_METRIC_GAUGE
};

/* sockets_emit - rtlab_sockets{proto}, node_tcp_connection_states{state}. */
static void sockets_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_sockets *so = &d->sockets;

	for (int i = 0; i < RTLAB_SOCK__COUNT; i++)
		pe_emitl(e, &m_sockets, mv_u64(so->count[i]),
			 { "proto", rtlab_sock_proto_name(i) });
	for (int k = 1; k < RTLAB_TCP_STATE__COUNT; k++)
		pe_emitl(e, &m_states, mv_u64(so->tcp_states[k]), { "state", state_labels[k] });
}

const struct probe_family probe_fam_sockets = {
	.name = "sockets",
	.id = RTLAB_PF_SOCKETS,
	.slow = true,
	.open = sockets_open,
	.close = sockets_close,
	.collect = sockets_collect,
	.emit = sockets_emit,
};
