/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sockets.c - the sockets family: sockets per protocol and TCP connections per state. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/net-internal.h"

struct sockets_state {
	struct probe_src src[RTLAB_SOCK__COUNT];	/* /proc/net/<proto> */
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
	*state = s;
	return 0;
}

/* sockets_close - fds and buffers. */
static void sockets_close(void *state)
{
	struct sockets_state *s = state;

	for (int i = 0; i < RTLAB_SOCK__COUNT; i++)
		probe_src_close(&s->src[i]);
	free(s);
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

	tcp_states_mark(so, RTLAB_PV_OK);
	for (int i = 0; i < RTLAB_SOCK__COUNT; i++) {
		/* No IPv6 or no packet sockets in this kernel: a fact, not a problem. */
		ssize_t n = net_read(cx, &s->src[i], i != RTLAB_SOCK_TCP);
		unsigned bad = 0;
		int r;

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
