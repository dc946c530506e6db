/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sockstat-parse.c - /proc/net/sockstat{,6}, and the named netstat fields. */
#include <errno.h>

#include "net/net-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* sockstat_line - "PROTO: name value name value": each pair appended. */
static int sockstat_line(const char *p, const char *eol, struct rtlab_probe_netstat *out)
{
	const char *colon = memchr(p, ':', (size_t)(eol - p));
	const char *proto = p, *w;
	size_t pl, wl;
	int r = 0;

	if (!colon || colon == p)
		return -EBADMSG;
	pl = (size_t)(colon - p);
	p = colon + 1;
	while (pp_word(&p, eol, &w, &wl)) {
		struct rtlab_sockstat_value *sv;
		uint64_t v;

		if (out->n_sockstat >= RTLAB_ARRAY_SIZE(out->sockstat))
			return -ENOSPC;
		sv = &out->sockstat[out->n_sockstat++];
		pp_copy(sv->proto, sizeof(sv->proto), proto, pl);
		pp_copy(sv->name, sizeof(sv->name), w, wl);
		if (pp_u64(&p, eol, &v) && (p == eol || *p == ' ' || *p == '\t')) {
			PV_SET(sv->value, v);
		} else {
			PV_NA(sv->value, RTLAB_PV_MALFORMED);
			r = -EBADMSG;
			pp_word(&p, eol, &w, &wl);
		}
	}
	return r;
}

/* sockstat_parse - one "PROTO:" line after another. */
int sockstat_parse(const char *buf, size_t len, struct rtlab_probe_netstat *out,
		   unsigned *bad_line)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	for (; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end);
		int lr;

		line++;
		if (pp_skip_blanks(p, eol) == eol)
			continue;
		lr = sockstat_line(p, eol, out);
		if (lr == -ENOSPC)
			return lr;
		if (lr < 0)
			r = np_bad(bad_line, line);
	}
	return r;
}

/* A named copy of a counter of snmp/netstat. */
struct named_counter {
	const char *proto;
	const char *name;
	size_t off;		/* struct rtlab_pi64 in struct rtlab_probe_netstat */
};

#define NC(proto, name, field) { proto, name, offsetof(struct rtlab_probe_netstat, field) }

static const struct named_counter named_counters[] = {
	NC("Ip", "Forwarding", ip_forwarding),
	NC("Tcp", "ActiveOpens", tcp_active_opens),
	NC("Tcp", "PassiveOpens", tcp_passive_opens),
	NC("Tcp", "AttemptFails", tcp_attempt_fails),
	NC("Tcp", "EstabResets", tcp_estab_resets),
	NC("Tcp", "CurrEstab", tcp_curr_estab),
	NC("Tcp", "InSegs", tcp_in_segs),
	NC("Tcp", "OutSegs", tcp_out_segs),
	NC("Tcp", "RetransSegs", tcp_retrans_segs),
	NC("Tcp", "InErrs", tcp_in_errs),
	NC("Tcp", "OutRsts", tcp_out_rsts),
	NC("Udp", "InDatagrams", udp_in_datagrams),
	NC("Udp", "OutDatagrams", udp_out_datagrams),
	NC("Udp", "NoPorts", udp_no_ports),
	NC("Udp", "InErrors", udp_in_errors),
	NC("Udp", "RcvbufErrors", udp_rcvbuf_errors),
	NC("Udp", "SndbufErrors", udp_sndbuf_errors),
	NC("TcpExt", "ListenOverflows", tcpext_listen_overflows),
	NC("TcpExt", "ListenDrops", tcpext_listen_drops),
	NC("TcpExt", "TCPTimeouts", tcpext_tcp_timeouts),
	NC("TcpExt", "SyncookiesSent", tcpext_syncookies_sent),
	NC("TcpExt", "SyncookiesRecv", tcpext_syncookies_recv),
	NC("TcpExt", "SyncookiesFailed", tcpext_syncookies_failed),
	NC("TcpExt", "TCPSynRetrans", tcpext_tcp_syn_retrans),
};

/* A named copy of a sockstat value; "mem" pages, "memory" bytes. */
struct named_sockstat {
	const char *proto;
	const char *name;
	size_t off;		/* struct rtlab_pu64 in struct rtlab_probe_netstat */
};

#define NS(proto, name, field) { proto, name, offsetof(struct rtlab_probe_netstat, field) }

static const struct named_sockstat named_sockstats[] = {
	NS("sockets", "used", sockets_used),
	NS("TCP", "inuse", tcp_inuse),
	NS("TCP", "orphan", tcp_orphan),
	NS("TCP", "tw", tcp_tw),
	NS("TCP", "alloc", tcp_alloc),
	NS("TCP", "mem", tcp_mem_pages),
	NS("UDP", "inuse", udp_inuse),
	NS("UDP", "mem", udp_mem_pages),
	NS("UDPLITE", "inuse", udplite_inuse),
	NS("RAW", "inuse", raw_inuse),
	NS("FRAG", "inuse", frag_inuse),
	NS("FRAG", "memory", frag_memory_bytes),
	NS("TCP6", "inuse", tcp6_inuse),
	NS("UDP6", "inuse", udp6_inuse),
	NS("UDPLITE6", "inuse", udplite6_inuse),
	NS("RAW6", "inuse", raw6_inuse),
	NS("FRAG6", "inuse", frag6_inuse),
	NS("FRAG6", "memory", frag6_memory_bytes),
};

/* missing_st - the state of a named value not found: its file's, or absent. */
static uint8_t missing_st(uint8_t file_st)
{
	return file_st == RTLAB_PV_OK ? RTLAB_PV_ABSENT : file_st;
}

/* find_entry - the entry of @arr (@n of @stride bytes, strings at @poff and @noff) or NULL. */
static const void *find_entry(const void *arr, size_t n, size_t stride, size_t poff, size_t noff,
			      const char *proto, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = (const char *)arr + i * stride;

		if (strcmp(e + noff, name) == 0 && strcmp(e + poff, proto) == 0)
			return e;
	}
	return NULL;
}

/* netstat_named - look each named value up in the lists. */
void netstat_named(struct rtlab_probe_netstat *out)
{
	for (size_t k = 0; k < RTLAB_ARRAY_SIZE(named_counters); k++) {
		const struct named_counter *nc = &named_counters[k];
		struct rtlab_pi64 *f = (struct rtlab_pi64 *)((char *)out + nc->off);
		const struct rtlab_netstat_counter *c =
			find_entry(out->counters, out->n_counters, sizeof(*c),
				   offsetof(struct rtlab_netstat_counter, proto),
				   offsetof(struct rtlab_netstat_counter, name), nc->proto,
				   nc->name);
		bool ext = strcmp(nc->proto, "TcpExt") == 0;

		if (c)
			*f = c->value;
		else
			PV_NA(*f, missing_st(ext ? out->netstat_st : out->snmp_st));
	}
	for (size_t k = 0; k < RTLAB_ARRAY_SIZE(named_sockstats); k++) {
		const struct named_sockstat *ns = &named_sockstats[k];
		struct rtlab_pu64 *f = (struct rtlab_pu64 *)((char *)out + ns->off);
		const struct rtlab_sockstat_value *sv =
			find_entry(out->sockstat, out->n_sockstat, sizeof(*sv),
				   offsetof(struct rtlab_sockstat_value, proto),
				   offsetof(struct rtlab_sockstat_value, name), ns->proto,
				   ns->name);
		bool six = ns->proto[strlen(ns->proto) - 1] == '6';

		if (sv)
			*f = sv->value;
		else
			PV_NA(*f, missing_st(six ? out->sockstat6_st : out->sockstat_st));
	}
}
