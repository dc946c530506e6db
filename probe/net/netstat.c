/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netstat.c - the netstat family: /proc/net/snmp, netstat, snmp6, sockstat,
 * sockstat6 and the conntrack table's size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net-internal.h"
#include "probe-parse.h"

enum { SRC_SNMP, SRC_NETSTAT, SRC_SNMP6, SRC_SOCKSTAT, SRC_SOCKSTAT6, SRC_CT_COUNT, SRC_CT_MAX,
       SRC__COUNT };

static const char *const src_paths[SRC__COUNT] = {
	[SRC_SNMP] = "/proc/net/snmp",
	[SRC_NETSTAT] = "/proc/net/netstat",
	[SRC_SNMP6] = "/proc/net/snmp6",
	[SRC_SOCKSTAT] = "/proc/net/sockstat",
	[SRC_SOCKSTAT6] = "/proc/net/sockstat6",
	[SRC_CT_COUNT] = "/proc/sys/net/netfilter/nf_conntrack_count",
	[SRC_CT_MAX] = "/proc/sys/net/netfilter/nf_conntrack_max",
};

/* netstat_open - the sources, not yet opened. */
static int netstat_open(struct rtlab_probe *p, void **state)
{
	(void)p;
	return probe_srcs_open(src_paths, SRC__COUNT, state);
}

/* netstat_release - the counter list. */
static void netstat_release(struct rtlab_probe_data *d)
{
	free(d->netstat.counters);
	d->netstat.counters = NULL;
	d->netstat.n_counters = d->netstat.cap_counters = 0;
}

/* One table source and its parser. */
typedef int (*netstat_parser)(const char *buf, size_t len, struct rtlab_probe_netstat *out,
			      unsigned *bad_line);

/* read_table - read source @i and parse it; returns the file's state (or -ENOMEM). */
static int read_table(struct probe_cx *cx, struct probe_srcs *s, int i, netstat_parser parse)
{
	struct probe_src *src = &s->src[i];
	/* No IPv6 (snmp6, sockstat6) is a kind of system, not a problem. */
	ssize_t n = net_read(cx, src, i == SRC_SNMP6 || i == SRC_SOCKSTAT6);
	unsigned bad = 0;
	int r;

	if (n == -ENOMEM)
		return -ENOMEM;
	if (n < 0)
		return probe_st_from_errno((int)n);
	r = parse(src->buf, (size_t)n, &cx->d->netstat, &bad);
	if (r == -ENOMEM)
		return r;
	return net_parsed(cx, src, r, bad);
}

/* read_count - a one-number file of /proc/sys into @f (absent without the module). */
static void read_count(struct probe_cx *cx, struct probe_src *src, struct rtlab_pu64 *f)
{
	ssize_t n = net_read(cx, src, true);
	const char *p, *end;
	uint64_t v;

	if (n < 0) {
		PV_NA(*f, probe_st_from_errno((int)n));
		return;
	}
	p = src->buf;
	end = src->buf + n;
	if (pp_u64(&p, end, &v) && pp_skip_blanks(p, end) == pp_eol(p, end)) {
		PV_SET(*f, v);
	} else {
		PV_NA(*f, net_parsed(cx, src, -EBADMSG, 1));
	}
}

/* netstat_collect - every table, then the named copies. */
static int netstat_collect(struct probe_cx *cx, void *state)
{
	struct probe_srcs *s = state;
	struct rtlab_probe_netstat *ns = &cx->d->netstat;
	uint8_t *sts[] = { [SRC_SNMP] = &ns->snmp_st, [SRC_NETSTAT] = &ns->netstat_st,
			   [SRC_SNMP6] = &ns->snmp6_st, [SRC_SOCKSTAT] = &ns->sockstat_st,
			   [SRC_SOCKSTAT6] = &ns->sockstat6_st };
	const netstat_parser parsers[] = { [SRC_SNMP] = snmp_parse, [SRC_NETSTAT] = snmp_parse,
					   [SRC_SNMP6] = snmp6_parse,
					   [SRC_SOCKSTAT] = sockstat_parse,
					   [SRC_SOCKSTAT6] = sockstat_parse };
	long page = sysconf(_SC_PAGESIZE);

	ns->n_counters = 0;
	ns->n_sockstat = 0;
	for (int i = SRC_SNMP; i <= SRC_SOCKSTAT6; i++) {
		int st = read_table(cx, s, i, parsers[i]);

		if (st < 0)
			return st;
		*sts[i] = (uint8_t)st;
	}
	netstat_named(ns);
	if (page > 0)
		PV_SET(ns->page_size_bytes, (uint64_t)page);
	else
		PV_NA(ns->page_size_bytes, RTLAB_PV_ERROR);
	read_count(cx, &s->src[SRC_CT_COUNT], &ns->conntrack_entries);
	read_count(cx, &s->src[SRC_CT_MAX], &ns->conntrack_max);
	return 0;
}

/*
 * join - the strings of @parts (NULL-terminated) one after the other into
 * @buf, cut at @size - 1 bytes (names are built for every sample: no stdio).
 * Returns the length written.
 */
static size_t join(char *buf, size_t size, const char *const *parts)
{
	size_t n = 0;

	for (; *parts && n < size - 1; parts++) {
		size_t len = strlen(*parts);

		if (len > size - 1 - n)
			len = size - 1 - n;
		memcpy(buf + n, *parts, len);
		n += len;
	}
	buf[n] = '\0';
	return n;
}

/* metric_name - "PREFIX_A_B" with any byte outside [A-Za-z0-9_] written as '_'. */
static void metric_name(char *buf, size_t size, const char *prefix, const char *a, const char *b)
{
	size_t n = join(buf, size, (const char *const[]){ prefix, "_", a, "_", b, NULL });

	for (size_t i = strlen(prefix); i < n; i++) {
		char c = buf[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			buf[i] = '_';
	}
}

static const struct rtlab_metric m_ct_entries = {
	"node_nf_conntrack_entries",
	"Number of currently allocated flow entries for connection tracking.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_ct_limit = {
	"node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.",
	RTLAB_METRIC_GAUGE
};

/* emit_sockstat - node_sockstat_PROTO_name, and _mem_bytes for the "mem" pages. */
static void emit_sockstat(struct probe_emit *e, const struct rtlab_probe_netstat *ns)
{
	char name[96], help[128];
	struct rtlab_metric m = { name, help, RTLAB_METRIC_GAUGE };

	for (size_t i = 0; i < ns->n_sockstat; i++) {
		const struct rtlab_sockstat_value *sv = &ns->sockstat[i];

		metric_name(name, sizeof(name), "node_sockstat", sv->proto, sv->name);
		join(help, sizeof(help), (const char *const[]){ "Number of ", sv->proto,
			" sockets in state ", sv->name, ".", NULL });
		pe_emit(e, &m, mv_u64(sv->value));
		if (strcmp(sv->name, "mem") == 0) {
			struct rtlab_pu64 b = sv->value;

			if (ns->page_size_bytes.st != RTLAB_PV_OK)
				b.st = ns->page_size_bytes.st;
			b.v *= ns->page_size_bytes.v;
			metric_name(name, sizeof(name), "node_sockstat", sv->proto, "mem_bytes");
			join(help, sizeof(help), (const char *const[]){ "Memory of ", sv->proto,
				" sockets in bytes.", NULL });
			pe_emit(e, &m, mv_u64(b));
		}
	}
}

/* netstat_emit - node_netstat_Proto_Name for every counter, sockstat, conntrack. */
static void netstat_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_netstat *ns = &d->netstat;
	char name[96], help[128];
	struct rtlab_metric m = { name, help, RTLAB_METRIC_GAUGE };

	for (size_t i = 0; i < ns->n_counters; i++) {
		const struct rtlab_netstat_counter *c = &ns->counters[i];

		metric_name(name, sizeof(name), "node_netstat", c->proto, c->name);
		join(help, sizeof(help),
		     (const char *const[]){ "Statistic ", c->proto, c->name, ".", NULL });
		pe_emit(e, &m, mv_i64(c->value));
	}
	emit_sockstat(e, ns);
	pe_emit(e, &m_ct_entries, mv_u64(ns->conntrack_entries));
	pe_emit(e, &m_ct_limit, mv_u64(ns->conntrack_max));
}

const struct probe_family probe_fam_netstat = {
	.name = "netstat",
	.id = RTLAB_PF_NETSTAT,
	.slow = true,
	.open = netstat_open,
	.close = probe_srcs_close,
	.collect = netstat_collect,
	.emit = netstat_emit,
	.release = netstat_release,
};
