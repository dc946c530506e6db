/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-sockets.c - socket counts and the socket table: /proc/net tables
 * (host-order hex addresses, IPv6 words, unix paths) and the owners found
 * through /proc/PID/fd, on the hand-made tree and temporary trees.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "net-test.h"

static const char *const tables[] = {
	"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6",
	"/proc/net/raw", "/proc/net/raw6", "/proc/net/unix", "/proc/net/netlink",
	"/proc/net/packet",
};

/* count_table - sock_count_parse of the manycore table of @proto. */
static int count_table(enum rtlab_sock_proto proto, struct rtlab_probe_sockets *so)
{
	size_t len;
	char *text = fixture_load("manycore", tables[proto], &len);
	int r = sock_count_parse(text, len, proto, so, NULL);

	free(text);
	return r;
}

/* Counts per protocol and TCP states over tcp and tcp6. */
Test(sockets, counts_of_the_manycore_tables)
{
	struct rtlab_probe_sockets so = { 0 };
	static const unsigned want[RTLAB_SOCK__COUNT] = { 8, 6, 3, 1, 1, 1, 5, 6, 1 };

	for (int i = 0; i < RTLAB_SOCK__COUNT; i++) {
		cr_assert_eq(count_table(i, &so), 0, "%s", tables[i]);
		cr_assert_eq(so.count[i].v, want[i], "%s", tables[i]);
		cr_assert_eq(so.count[i].st, RTLAB_PV_OK);
	}
	cr_assert_eq(so.tcp_states[RTLAB_TCP_LISTEN].v, 4);
	cr_assert_eq(so.tcp_states[RTLAB_TCP_ESTABLISHED].v, 5);
	cr_assert_eq(so.tcp_states[RTLAB_TCP_SYN_SENT].v, 1);
	cr_assert_eq(so.tcp_states[RTLAB_TCP_TIME_WAIT].v, 1);
	cr_assert_eq(so.tcp_states[RTLAB_TCP_CLOSE_WAIT].v, 1);
	cr_assert_eq(so.tcp_states[RTLAB_TCP_FIN_WAIT1].v, 1);
	cr_assert_eq(so.tcp_states[RTLAB_TCP_CLOSING].v, 1);
	cr_assert_eq(so.tcp_unknown_state, 0);
}

/* A unix path with a newline is one socket; a damaged tcp line is named; odd states counted. */
Test(sockets, counting_damaged_tables)
{
	const char *unx = "Num       RefCount Protocol Flags    Type St Inode Path\n"
			  "ffff0001: 00000002 00000000 00010000 0001 01 100 /tmp/a\nb\n"
			  "ffff0002: 00000002 00000000 00000000 0001 03 101\n";
	const char *tcp = "  sl  local_address rem_address   st\n"
			  "   0: 0100007F:0016 00000000:0000 0A 00000000:00000000\n"
			  "   1: 0100007F:0016 00000000:0000\n"
			  "   2: 0100007F:0016 00000000:0000 7F 00000000:00000000\n";
	struct rtlab_probe_sockets so = { 0 };
	unsigned bad = 0;

	cr_assert_eq(sock_count_parse(unx, strlen(unx), RTLAB_SOCK_UNIX, &so, &bad), 0);
	cr_assert_eq(so.count[RTLAB_SOCK_UNIX].v, 2);
	cr_assert_eq(sock_count_parse(tcp, strlen(tcp), RTLAB_SOCK_TCP, &so, &bad), -EBADMSG);
	cr_assert_eq(bad, 3);
	cr_assert_eq(so.count[RTLAB_SOCK_TCP].v, 2);
	cr_assert_eq(so.tcp_states[RTLAB_TCP_LISTEN].v, 1);
	cr_assert_eq(so.tcp_unknown_state, 1);
	cr_assert_eq(sock_count_parse(tcp, strlen(tcp), RTLAB_SOCK__COUNT, &so, NULL), -EINVAL);
}

/* find_inode - the socket of @t with @inode, asserted to exist. */
static const struct rtlab_socket *find_inode(const struct rtlab_socket_table *t, uint64_t inode)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->s[i].inode == inode)
			return &t->s[i];
	cr_assert_fail("no socket of inode %llu", (unsigned long long)inode);
	return NULL;
}

/* endpoint_text - "ADDR port P" of one end of @s. */
static const char *endpoint_text(const struct rtlab_socket *s, bool local, char *buf, size_t size)
{
	char a[64];

	rtlab_net_addr_str(s->family, local ? s->local : s->remote, a, sizeof(a));
	snprintf(buf, size, "%s port %u", a, local ? s->local_port : s->remote_port);
	return buf;
}

/* table_of - sock_table_parse of the manycore table of @proto into @t. */
static void table_of(enum rtlab_sock_proto proto, struct rtlab_socket_table *t)
{
	size_t len;
	char *text = fixture_load("manycore", tables[proto], &len);

	cr_assert_eq(sock_table_parse(text, len, proto, t, NULL), 0, "%s", tables[proto]);
	free(text);
}

/* IPv4 and IPv6 endpoints: host-order words, mapped addresses, ports, queues, uid. */
Test(sockets, inet_table_addresses)
{
	struct rtlab_socket_table t = { 0 };
	const struct rtlab_socket *s;
	char buf[96];

	table_of(RTLAB_SOCK_TCP, &t);
	table_of(RTLAB_SOCK_TCP6, &t);
	cr_assert_eq(t.n, 14);
	s = find_inode(&t, 20002);
	cr_assert_str_eq(endpoint_text(s, true, buf, sizeof(buf)), "127.0.0.1 port 5432");
	cr_assert_eq(s->state, RTLAB_TCP_LISTEN);
	cr_assert_eq(s->rx_queue, 3);
	cr_assert_eq(s->uid, 110);
	s = find_inode(&t, 20003);
	cr_assert_str_eq(endpoint_text(s, false, buf, sizeof(buf)), "10.0.0.99 port 51234");
	cr_assert_eq(s->tx_queue, 0x24);
	s = find_inode(&t, 30004);
	cr_assert_str_eq(endpoint_text(s, true, buf, sizeof(buf)), "::ffff:10.0.0.21 port 8080");
	cr_assert_eq(s->family, 6);
	cr_assert_eq(s->proto, RTLAB_SOCK_TCP6);
	s = find_inode(&t, 30005);
	cr_assert_str_eq(endpoint_text(s, true, buf, sizeof(buf)),
			 "fe80::3eec:efff:fe10:2001 port 22");
	cr_assert_str_eq(endpoint_text(s, false, buf, sizeof(buf)), "fe80::1 port 40001");
	s = find_inode(&t, 30006);
	cr_assert_str_eq(endpoint_text(s, false, buf, sizeof(buf)),
			 "2001:db8:ffff:0:1::1 port 50001");
	rtlab_socket_table_free(&t);
	cr_assert_null(t.s);
}

/* Unix sockets: paths with spaces, abstract names, unbound ones, listening flags. */
Test(sockets, unix_table)
{
	struct rtlab_socket_table t = { 0 };
	const struct rtlab_socket *s;

	table_of(RTLAB_SOCK_UNIX, &t);
	cr_assert_eq(t.n, 5);
	s = find_inode(&t, 60005);
	cr_assert_str_eq(s->path, "/run/my socket with spaces");
	cr_assert_eq(s->unix_type, 5);
	cr_assert_eq(s->unix_flags, 0x10000);
	cr_assert_str_eq(find_inode(&t, 60004)->path, "@/org/kernel/udev/udevd");
	cr_assert_str_eq(find_inode(&t, 60002)->path, "");
	cr_assert_eq(find_inode(&t, 60002)->state, 3);
	rtlab_socket_table_free(&t);
}

/* put_link - a symbolic link <root>@path -> @target (directories made on the way). */
static void put_link(const char *root, const char *path, const char *target)
{
	char full[PATH_MAX];

	tree_put(root, path, "");
	snprintf(full, sizeof(full), "%s%s", root, path);
	cr_assert_eq(unlink(full), 0);
	cr_assert_eq(symlink(target, full), 0, "%s: %s", full, strerror(errno));
}

/* Owners: the lowest pid first, each process counted once, other links ignored. */
Test(sockets, owners_from_proc_fd_links)
{
	struct rtlab_probe *p;
	struct rtlab_socket_table t = { 0 };
	const struct rtlab_socket *s;
	char root[256];

	tree_new(root, sizeof(root));
	for (int i = 0; i < 7; i++)
		tree_copy(root, "manycore", tables[i]);
	tree_put(root, "/proc/200/comm", "postgres\n");
	put_link(root, "/proc/200/fd/3", "socket:[20002]");
	put_link(root, "/proc/200/fd/4", "socket:[20002]");
	put_link(root, "/proc/200/fd/5", "pipe:[20003]");
	tree_put(root, "/proc/1000/comm", "pg \x1b[31mworker\n");
	put_link(root, "/proc/1000/fd/9", "socket:[20002]");
	put_link(root, "/proc/1000/fd/10", "socket:[60005]");
	put_link(root, "/proc/1000/fd/11", "socket:[999999]");
	put_link(root, "/proc/1000/fd/12", "socket:[20003");
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_sockets_list(p, RTLAB_SOCK_LISTABLE, &t), 0);
	cr_assert_eq(t.n, 8 + 6 + 3 + 1 + 1 + 1 + 5);
	s = find_inode(&t, 20002);
	cr_assert_eq(s->pid, 200);
	cr_assert_eq(s->n_owners, 2);
	cr_assert_str_eq(s->comm, "postgres");
	s = find_inode(&t, 60005);
	cr_assert_eq(s->pid, 1000);
	cr_assert_str_eq(s->comm, "pg \x1b[31mworker", "kept as bytes: the printer escapes");
	cr_assert_eq(find_inode(&t, 20003)->pid, 0, "a pipe is no socket");
	cr_assert_eq(find_inode(&t, 20003)->n_owners, 0);
	for (size_t i = 0; i < t.n; i++)
		if (t.s[i].inode == 0)
			cr_assert_eq(t.s[i].pid, 0, "TIME-WAIT sockets have no owner");
	cr_assert_str_eq(t.why, "");
	cr_assert_eq(rtlab_probe_sockets_list(p, RTLAB_SOCK_BIT(RTLAB_SOCK_UNIX), &t), 0);
	cr_assert_eq(t.n, 5, "the table is emptied first");
	cr_assert_eq(rtlab_probe_sockets_list(p, RTLAB_SOCK_BIT(RTLAB_SOCK_NETLINK), &t), -EINVAL);
	rtlab_socket_table_free(&t);
	rtlab_probe_free(p);
	tree_free(root);
}

/* Missing and damaged tables: named in why, the rest still listed. */
Test(sockets, list_with_missing_and_damaged_tables)
{
	struct rtlab_probe *p;
	struct rtlab_socket_table t = { 0 };
	char root[256];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/net/udp",
		 "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when\n"
		 "    0: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000"
		 "     0        0 41 2 0 0\n"
		 "    1: 00000000:0044 garbage\n");
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_sockets_list(p, RTLAB_SOCK_LISTABLE, &t), 0);
	cr_assert_eq(t.n, 1);
	cr_assert(strstr(t.why, "/proc/net/tcp:") != NULL, "%s", t.why);
	rtlab_socket_table_free(&t);
	tree_copy(root, "manycore", "/proc/net/tcp");
	cr_assert_eq(rtlab_probe_sockets_list(p, RTLAB_SOCK_BIT(RTLAB_SOCK_UDP), &t), 0);
	cr_assert(strstr(t.why, "/proc/net/udp:3: malformed") != NULL, "%s", t.why);
	rtlab_socket_table_free(&t);
	rtlab_probe_free(p);
	tree_free(root);
}

/* The family on the hand-made tree and its metrics. */
Test(sockets, family_on_the_manycore_tree)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p = net_fixture("manycore", RTLAB_PF_BIT(RTLAB_PF_SOCKETS), d);
	struct samples s;

	cr_assert_str_eq(d->why[RTLAB_PF_SOCKETS], "");
	cr_assert_eq(d->sockets.count[RTLAB_SOCK_TCP6].v, 6);
	cr_assert_eq(d->sockets.tcp_states[RTLAB_TCP_LISTEN].v, 4);
	s = samples_of(d, RTLAB_PF_SOCKETS);
	cr_assert_eq(sample(&s, "rtlab_sockets", "proto=unix")->v.u, 5);
	cr_assert_eq(sample(&s, "node_tcp_connection_states", "state=listen")->v.u, 4);
	cr_assert_eq(sample(&s, "node_tcp_connection_states", "state=established")->v.u, 5);
	cr_assert_eq(sample(&s, "node_tcp_connection_states", "state=syn_recv")->v.u, 0);
	samples_free(&s);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* No tcp table: the states are not zero but absent, and the file is named. */
Test(sockets, missing_tcp_table)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[256];

	tree_new(root, sizeof(root));
	tree_copy(root, "manycore", "/proc/net/unix");
	p = net_collect_at(root, RTLAB_PF_BIT(RTLAB_PF_SOCKETS), d);
	cr_assert(strstr(d->why[RTLAB_PF_SOCKETS], "/proc/net/tcp:") != NULL, "%s",
		  d->why[RTLAB_PF_SOCKETS]);
	cr_assert_eq(d->sockets.tcp_states[RTLAB_TCP_LISTEN].st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->sockets.count[RTLAB_SOCK_UDP6].st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->sockets.count[RTLAB_SOCK_UNIX].v, 5);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* same_socket - true if @a and @b are the same socket (as both sources describe it). */
static bool same_socket(const struct rtlab_socket *a, const struct rtlab_socket *b)
{
	return a->proto == b->proto && a->state == b->state && a->inode == b->inode &&
	       a->local_port == b->local_port && a->remote_port == b->remote_port &&
	       memcmp(a->local, b->local, 16) == 0 && memcmp(a->remote, b->remote, 16) == 0 &&
	       a->uid == b->uid;
}

/* A sock_diag dump captured with /proc/net/tcp{,6}: the same sockets, told the same. */
Test(sockets, captured_sock_diag_matches_proc)
{
	static const char *const dumps[] = { "/netlink/sock_diag_tcp4.bin",
					     "/netlink/sock_diag_tcp6.bin" };
	struct rtlab_socket_table diag = { 0 }, proc = { 0 };
	size_t len;

	for (int i = 0; i < 2; i++) {
		enum rtlab_sock_proto proto = i ? RTLAB_SOCK_TCP6 : RTLAB_SOCK_TCP;
		char *text = fixture_load("vm", i ? "/proc/net/tcp6" : "/proc/net/tcp", &len);
		char *buf = fixture_load("vm", dumps[i], &len);

		cr_assert_eq(sockdiag_parse(buf, len, &diag), 1, "%s ends with NLMSG_DONE",
			     dumps[i]);
		free(buf);
		len = strlen(text);
		cr_assert_eq(sock_table_parse(text, len, proto, &proc, NULL), 0);
		free(text);
	}
	cr_assert_eq(diag.n_malformed, 0);
	cr_assert_geq(diag.n, 4, "the capture held two connections of its own");
	cr_assert_eq(diag.n, proc.n);
	for (size_t i = 0; i < diag.n; i++) {
		bool found = false;

		for (size_t k = 0; k < proc.n && !found; k++)
			found = same_socket(&diag.s[i], &proc.s[k]);
		cr_assert(found, "socket %zu of the dump (inode %llu) is not in /proc", i,
			  (unsigned long long)diag.s[i].inode);
	}
	rtlab_socket_table_free(&diag);
	rtlab_socket_table_free(&proc);
}

/* Every cut of a dump, as an exact-size copy, and a message too short for its header. */
Test(sockets, sock_diag_truncations)
{
	size_t len;
	uint8_t *buf = (uint8_t *)fixture_load("vm", "/netlink/sock_diag_tcp4.bin", &len);

	for (size_t cut = 0; cut < len; cut++) {
		struct rtlab_socket_table t = { 0 };
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, buf, cut);
		cr_assert_neq(sockdiag_parse(copy, cut, &t), 1, "cut at %zu", cut);
		rtlab_socket_table_free(&t);
		free(copy);
	}
	free(buf);
}
