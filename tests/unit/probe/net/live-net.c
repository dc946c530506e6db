/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-net.c - the net group on this machine against independent sources:
 * `ip -o link`, /sys/class/net, a direct read of /proc/net/dev, `ss -tan` and
 * `ss -tanp`, sockets this test opens itself, "rtlab probe sockets", and the
 * cost of a collection next to its floor.
 *
 * Tolerances: TCP connections come and go (other tests, time-wait expiry)
 * between our read and ss's, so each state count may differ by 2; lo's
 * counters are bracketed by direct reads taken just before and just after.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net-test.h"

#include "../../../../cli/probe-cmds.h"

/* run_output - the output of @cmd (a shell line), or NULL if it fails. */
static char *run_output(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	char *out = NULL;
	size_t cap = 0, len = 0, n;
	char buf[4096];

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			out = realloc(out, cap);
			cr_assert_not_null(out);
		}
		memcpy(out + len, buf, n);
		len += n;
	}
	if (pclose(f) != 0) {
		free(out);
		return NULL;
	}
	if (!out)
		out = calloc(1, 1);
	out[len] = '\0';
	return out;
}

/* need_tool - skip the test when @tool is not installed. */
static void need_tool(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd) != 0)
		cr_skip_test("%s is not installed", tool);
}

/* live - a fresh live collection of @fams into a new data (the probe in *@pp). */
static struct rtlab_probe_data *live(uint64_t fams, struct rtlab_probe **pp)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	*pp = net_collect_at("", fams, d);
	return d;
}

/* The interfaces are those `ip -o link` lists, read through netlink. */
Test(net_live, interfaces_are_those_of_ip_link)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = live(RTLAB_PF_BIT(RTLAB_PF_NET), &p);
	char *out, *line, *save = NULL;
	size_t seen = 0;

	need_tool("ip");
	out = run_output("ip -o link show");
	cr_assert_not_null(out);
	cr_assert(d->net.from_netlink);
	cr_assert_str_eq(d->why[RTLAB_PF_NET], "");
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *name = strchr(line, ':');
		size_t nl;

		cr_assert_not_null(name);
		name += 2;
		nl = strcspn(name, ":@");
		name[nl] = '\0';
		cr_assert_not_null(iface(&d->net, name), "ip lists %s, the probe does not", name);
		seen++;
	}
	cr_assert_eq(d->net.n_ifaces, seen, "the probe lists interfaces ip does not");
	free(out);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* file_size - the bytes a read of @path to its end gives. */
static size_t file_size(const char *path)
{
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f = fopen(path, "r");

	cr_assert_not_null(f);
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	free(text);
	return n < 0 ? 0 : (size_t)n;
}

/*
 * In a network namespace of its own (this test's process only): 30 veth
 * pairs and a bridge, so that /proc/net/dev spans several kernel pages, one
 * pair enslaved, an IPv4 and an IPv6 address.
 */
Test(net_live, many_interfaces_in_a_namespace)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	const struct rtlab_net_iface *va0, *br;
	bool v4 = false, v6 = false;
	char text[64];

	need_tool("ip");
	if (unshare(CLONE_NEWNET) < 0)
		cr_skip_test("no network namespace of our own: %s", strerror(errno));
	if (system("ip link add br0 type bridge && for i in $(seq 0 29); do "
		   "ip link add va$i type veth peer name vb$i || exit 1; done && "
		   "ip link set va0 master br0 && ip link set lo up && ip link set br0 up && "
		   "ip addr add 10.9.8.7/24 brd + dev br0 && "
		   "ip addr add 2001:db8::7/64 dev br0 nodad") != 0)
		cr_skip_test("this kernel cannot make veth pairs and bridges");
	cr_assert_gt(file_size("/proc/net/dev"), 4096, "one page holds it all: no test");
	d = live(RTLAB_PF_BIT(RTLAB_PF_NET), &p);
	cr_assert_str_eq(d->why[RTLAB_PF_NET], "");
	cr_assert_eq(d->net.n_ifaces, 62);
	for (size_t i = 0; i < d->net.n_ifaces; i++)
		cr_assert_eq(d->net.ifaces[i].dev[RTLAB_NETDEV_TX_COMPRESSED].st, RTLAB_PV_OK,
			     "%s has no /proc/net/dev counters", d->net.ifaces[i].name);
	va0 = iface(&d->net, "va0");
	br = iface(&d->net, "br0");
	cr_assert_str_eq(va0->kind, "veth");
	cr_assert_str_eq(va0->master_name, "br0");
	cr_assert_eq(va0->master.v, br->ifindex.v);
	cr_assert_str_eq(br->kind, "bridge");
	cr_assert_str_eq(iface(&d->net, "vb29")->master_name, "");
	for (size_t i = 0; i < d->net.n_addrs; i++) {
		const struct rtlab_net_addr *a = &d->net.addrs[i];

		rtlab_net_addr_str(a->family, a->addr, text, sizeof(text));
		if (strcmp(text, "10.9.8.7") == 0) {
			cr_assert_str_eq(a->ifname, "br0");
			cr_assert_eq(a->prefix_len, 24);
			cr_assert(a->has_broadcast);
			rtlab_net_addr_str(4, a->broadcast, text, sizeof(text));
			cr_assert_str_eq(text, "10.9.8.255");
			v4 = true;
		} else if (strcmp(text, "2001:db8::7") == 0) {
			cr_assert_eq(a->prefix_len, 64);
			cr_assert_eq(a->scope, 0);
			v6 = true;
		}
	}
	cr_assert(v4 && v6, "the addresses given are not all listed");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* sys_u64 - /sys/class/net/@ifname/@file as a number (0 if unreadable). */
static uint64_t sys_u64(const char *ifname, const char *file)
{
	char path[256], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, file);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoull(buf, NULL, 0);
}

/* Netlink's index, MTU, queue length and MAC are sysfs's. */
Test(net_live, netlink_agrees_with_sysfs)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = live(RTLAB_PF_BIT(RTLAB_PF_NET), &p);

	for (size_t i = 0; i < d->net.n_ifaces; i++) {
		const struct rtlab_net_iface *e = &d->net.ifaces[i];
		char path[256], mac[128], want[128] = "";
		FILE *f;

		cr_assert_eq(e->ifindex.v, sys_u64(e->name, "ifindex"), "%s", e->name);
		cr_assert_eq(e->mtu_bytes.v, sys_u64(e->name, "mtu"), "%s", e->name);
		cr_assert_eq(e->tx_queue_len.v, sys_u64(e->name, "tx_queue_len"), "%s", e->name);
		snprintf(path, sizeof(path), "/sys/class/net/%s/address", e->name);
		f = fopen(path, "r");
		cr_assert_not_null(f);
		if (!fgets(want, sizeof(want), f))
			want[0] = '\0';
		fclose(f);
		want[strcspn(want, "\n")] = '\0';
		cr_assert_str_eq(rtlab_net_hwaddr_str(e->hwaddr, e->hwaddr_len, mac, sizeof(mac)),
				 want, "%s", e->name);
	}
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* lo_direct - lo's rx bytes, rx packets and tx bytes read straight from /proc/net/dev. */
static void lo_direct(uint64_t v[3])
{
	char line[512];
	FILE *f = fopen("/proc/net/dev", "r");
	unsigned long long c[16];

	cr_assert_not_null(f);
	v[0] = v[1] = v[2] = UINT64_MAX;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || strncmp(line + strspn(line, " "), "lo:", 3) != 0)
			continue;
		cr_assert_eq(sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu",
				    &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7], &c[8]),
			     9);
		v[0] = c[0];
		v[1] = c[1];
		v[2] = c[8];
	}
	fclose(f);
	cr_assert_neq(v[0], UINT64_MAX, "no lo in /proc/net/dev");
}

/* lo's counters (both /proc/net/dev's and netlink's) lie between two direct reads. */
Test(net_live, lo_counters_bracketed_by_direct_reads)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	const struct rtlab_net_iface *lo;
	uint64_t before[3], after[3];

	lo_direct(before);
	d = live(RTLAB_PF_BIT(RTLAB_PF_NET), &p);
	lo_direct(after);
	lo = iface(&d->net, "lo");
	cr_assert_not_null(lo);
	cr_assert(lo->dev[RTLAB_NETDEV_RX_BYTES].v >= before[0] &&
		  lo->dev[RTLAB_NETDEV_RX_BYTES].v <= after[0]);
	cr_assert(lo->dev[RTLAB_NETDEV_RX_PACKETS].v >= before[1] &&
		  lo->dev[RTLAB_NETDEV_RX_PACKETS].v <= after[1]);
	cr_assert(lo->dev[RTLAB_NETDEV_TX_BYTES].v >= before[2] &&
		  lo->dev[RTLAB_NETDEV_TX_BYTES].v <= after[2]);
	cr_assert(lo->stats[RTLAB_LINKSTAT_RX_BYTES].v >= before[0] &&
		  lo->stats[RTLAB_LINKSTAT_RX_BYTES].v <= after[0]);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* A loopback TCP connection: listener, client and accepted sockets, the listener's port. */
struct conn {
	int lfd, cfd, afd;
	uint16_t port;
};

/* conn_open - listen on 127.0.0.1 (or ::1 with @v6) and connect to it; false without IPv6. */
static bool conn_open(struct conn *c, bool v6)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

	c->lfd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->lfd < 0)
		return false;
	if (v6) {
		a6->sin6_family = AF_INET6;
		a6->sin6_addr = in6addr_loopback;
	} else {
		a4->sin_family = AF_INET;
		a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	if (bind(c->lfd, (struct sockaddr *)&ss, sl) < 0) {
		close(c->lfd);
		return false;
	}
	cr_assert_eq(listen(c->lfd, 8), 0);
	cr_assert_eq(getsockname(c->lfd, (struct sockaddr *)&ss, &sl), 0);
	c->port = ntohs(v6 ? a6->sin6_port : a4->sin_port);
	c->cfd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_eq(connect(c->cfd, (struct sockaddr *)&ss, sl), 0);
	c->afd = accept(c->lfd, NULL, NULL);
	cr_assert_geq(c->afd, 0);
	return true;
}

/* conn_close - the three sockets. */
static void conn_close(struct conn *c)
{
	close(c->cfd);
	close(c->afd);
	close(c->lfd);
}

/* own_socket - the socket of @t on local port @port in @state, or NULL. */
static const struct rtlab_socket *own_socket(const struct rtlab_socket_table *t, uint16_t port,
					     unsigned state)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->s[i].local_port == port && t->s[i].state == state)
			return &t->s[i];
	return NULL;
}

/* ss_count - how many lines of `ss -tan` output @out are in state @word. */
static uint64_t ss_count(const char *out, const char *word)
{
	uint64_t n = 0;
	size_t wl = strlen(word);

	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		n += strncmp(p, word, wl) == 0 && (p[wl] == ' ' || p[wl] == '\t');
	return n;
}

/* TCP sockets per state, as ss counts them (within 2), our own three among them. */
Test(net_live, tcp_states_match_ss)
{
	static const struct {
		unsigned state;
		const char *ss;
	} map[] = {
		{ RTLAB_TCP_ESTABLISHED, "ESTAB" },   { RTLAB_TCP_SYN_SENT, "SYN-SENT" },
		{ RTLAB_TCP_SYN_RECV, "SYN-RECV" },   { RTLAB_TCP_FIN_WAIT1, "FIN-WAIT-1" },
		{ RTLAB_TCP_FIN_WAIT2, "FIN-WAIT-2" }, { RTLAB_TCP_TIME_WAIT, "TIME-WAIT" },
		{ RTLAB_TCP_CLOSE_WAIT, "CLOSE-WAIT" }, { RTLAB_TCP_LAST_ACK, "LAST-ACK" },
		{ RTLAB_TCP_LISTEN, "LISTEN" },	      { RTLAB_TCP_CLOSING, "CLOSING" },
	};
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	struct conn c;
	char *out;

	need_tool("ss");
	cr_assert(conn_open(&c, false));
	d = live(RTLAB_PF_BIT(RTLAB_PF_SOCKETS), &p);
	out = run_output("ss -tanH");
	cr_assert_not_null(out);
	cr_assert_geq(d->sockets.tcp_states[RTLAB_TCP_LISTEN].v, 1);
	cr_assert_geq(d->sockets.tcp_states[RTLAB_TCP_ESTABLISHED].v, 2);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		int64_t ours = (int64_t)d->sockets.tcp_states[map[i].state].v;
		int64_t theirs = (int64_t)ss_count(out, map[i].ss);

		cr_assert_eq(d->sockets.tcp_states[map[i].state].st, RTLAB_PV_OK);
		cr_assert(ours - theirs <= 2 && theirs - ours <= 2, "%s: probe %lld, ss %lld",
			  map[i].ss, (long long)ours, (long long)theirs);
	}
	free(out);
	conn_close(&c);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* ss_pid - the pid `ss -tanp` gives the socket listening on 127.0.0.1:@port, 0 if none. */
static long ss_pid(uint16_t port)
{
	char cmd[128], *out, *pid;
	long v = 0;

	snprintf(cmd, sizeof(cmd), "ss -tlnpH 'sport = :%u'", port);
	out = run_output(cmd);
	cr_assert_not_null(out);
	pid = strstr(out, "pid=");
	if (pid)
		v = strtol(pid + 4, NULL, 10);
	free(out);
	return v;
}

/* Our own sockets are listed with this process as owner, as `ss -tanp` shows it. */
Test(net_live, own_sockets_owned_by_this_process)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_socket_table t = { 0 };
	const struct rtlab_socket *l, *e;
	struct conn c, c6;
	bool v6;
	char comm[32] = "", addr[64];
	FILE *f = fopen("/proc/self/comm", "r");

	cr_assert_not_null(f);
	cr_assert_not_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	cr_assert(conn_open(&c, false));
	v6 = conn_open(&c6, true);
	cr_assert_eq(rtlab_probe_sockets_list(p, RTLAB_SOCK_LISTABLE, &t), 0);
	l = own_socket(&t, c.port, RTLAB_TCP_LISTEN);
	cr_assert_not_null(l, "the listener on port %u is not listed", c.port);
	cr_assert_eq(l->pid, getpid());
	cr_assert_str_eq(l->comm, comm);
	rtlab_net_addr_str(l->family, l->local, addr, sizeof(addr));
	cr_assert_str_eq(addr, "127.0.0.1");
	e = own_socket(&t, c.port, RTLAB_TCP_ESTABLISHED);
	cr_assert_not_null(e, "the accepted socket is not listed");
	cr_assert_eq(e->pid, getpid());
	if (v6) {
		l = own_socket(&t, c6.port, RTLAB_TCP_LISTEN);
		cr_assert_not_null(l);
		cr_assert_eq(l->proto, RTLAB_SOCK_TCP6);
		rtlab_net_addr_str(6, l->local, addr, sizeof(addr));
		cr_assert_str_eq(addr, "::1");
		conn_close(&c6);
	}
	if (system("command -v ss >/dev/null 2>&1") == 0)
		cr_assert_eq(ss_pid(c.port), getpid(), "ss -tanp names another owner");
	conn_close(&c);
	rtlab_socket_table_free(&t);
	rtlab_probe_free(p);
}

/* slurp - the whole file @path (malloc'ed, NUL-terminated). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;

	cr_assert_not_null(f, "%s", path);
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = calloc(1, 1);
	}
	fclose(f);
	return text;
}

/*
 * In a network namespace of its own: 40 connections over lo, 81 TCP sockets
 * (a /proc/net/tcp of several pages), counted exactly and all owned by us.
 */
Test(net_live, many_sockets_in_a_namespace)
{
	enum { CONNS = 40 };
	struct conn c[CONNS];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	struct rtlab_socket_table t = { 0 };
	size_t mine = 0;

	need_tool("ip");
	if (unshare(CLONE_NEWNET) < 0)
		cr_skip_test("no network namespace of our own: %s", strerror(errno));
	cr_assert_eq(system("ip link set lo up"), 0);
	cr_assert(conn_open(&c[0], false));
	for (int i = 1; i < CONNS; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(c[0].port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		c[i].cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		cr_assert_eq(connect(c[i].cfd, (struct sockaddr *)&a, sizeof(a)), 0);
		c[i].afd = accept(c[0].lfd, NULL, NULL);
		cr_assert_geq(c[i].afd, 0);
	}
	cr_assert_gt(file_size("/proc/net/tcp"), 4096, "one page holds it all: no test");
	d = live(RTLAB_PF_BIT(RTLAB_PF_SOCKETS), &p);
	cr_assert_eq(d->sockets.count[RTLAB_SOCK_TCP].v, 2 * CONNS + 1);
	cr_assert_eq(d->sockets.tcp_states[RTLAB_TCP_ESTABLISHED].v, 2 * CONNS);
	cr_assert_eq(d->sockets.tcp_states[RTLAB_TCP_LISTEN].v, 1);
	cr_assert_eq(rtlab_probe_sockets_list(p, RTLAB_SOCK_BIT(RTLAB_SOCK_TCP), &t), 0);
	cr_assert_eq(t.n, 2 * CONNS + 1);
	for (size_t i = 0; i < t.n; i++)
		mine += t.s[i].pid == getpid() && t.s[i].n_owners == 1;
	cr_assert_eq(mine, t.n, "every socket here is this process's alone");
	for (int i = 1; i < CONNS; i++) {
		close(c[i].cfd);
		close(c[i].afd);
	}
	conn_close(&c[0]);
	rtlab_socket_table_free(&t);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* capture - run the sockets view with @argv, its stdout into *@out; its exit status. */
static int capture(int argc, char **argv, char **out)
{
	char path[] = "/tmp/rtlab-sockets-XXXXXX";
	int fd = mkstemp(path), saved, r;
	struct rtlab_ctx *ctx = rtlab_ctx_new();

	cr_assert_geq(fd, 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	r = probe_cmd_sockets(argc, argv, ctx);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fd);
	rtlab_ctx_free(ctx);
	*out = slurp(path);
	unlink(path);
	return r;
}

/* "rtlab probe sockets": the table and the JSON show our listener and this process. */
Test(net_live, sockets_view)
{
	char *argv_t[] = { "sockets", "-t", "-l", "-n", NULL };
	char *argv_j[] = { "sockets", "--tcp", "--all", "--json", NULL };
	char *argv_bad[] = { "sockets", "-t", "--bogus", NULL };
	char *out, want[64], pid[32];
	struct conn c;
	json_t *root, *s;
	json_error_t err;
	size_t i;
	bool found = false;

	cr_assert(conn_open(&c, false));
	cr_assert_eq(capture(4, argv_t, &out), 0);
	snprintf(want, sizeof(want), "127.0.0.1:%u", c.port);
	snprintf(pid, sizeof(pid), ",pid=%d))", getpid());
	cr_assert(strncmp(out, "Netid State", 11) == 0, "%s", out);
	for (char *line = strstr(out, want); line && !found; line = strstr(line + 1, want)) {
		char *eol = strchr(line, '\n');

		found = eol && strstr(line, pid) && strstr(line, pid) < eol;
	}
	cr_assert(found, "no line with %s and %s in:\n%s", want, pid, out);
	free(out);
	cr_assert_eq(capture(4, argv_j, &out), 0);
	root = json_loads(out, 0, &err);
	cr_assert_not_null(root, "%s", err.text);
	found = false;
	json_array_foreach(root, i, s) {
		json_t *proc = json_object_get(s, "process");

		if (json_integer_value(json_object_get(json_object_get(s, "local"), "port")) ==
			    c.port && json_is_object(proc) &&
		    json_integer_value(json_object_get(proc, "pid")) == getpid())
			found = true;
	}
	cr_assert(found, "the JSON lacks the listener:\n%s", out);
	json_decref(root);
	free(out);
	cr_assert_eq(capture(3, argv_bad, &out), 2);
	free(out);
	conn_close(&c);
}

/* udp_to_lo - @n datagrams to 127.0.0.1 (they cross lo). */
static void udp_to_lo(int n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	for (int i = 0; i < n; i++)
		sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof(a));
	close(fd);
}

/*
 * In a namespace of its own: the link and address lists are dumped again
 * when a change is notified (lo brought up, its addresses appear), kept
 * otherwise while the counters still move.
 */
Test(net_live, lists_follow_notifications)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	const struct rtlab_net_iface *lo;
	uint64_t gen, rx;

	need_tool("ip");
	if (unshare(CLONE_NEWNET) < 0)
		cr_skip_test("no network namespace of our own: %s", strerror(errno));
	d = live(RTLAB_PF_BIT(RTLAB_PF_NET), &p);
	cr_assert_eq(d->net.n_addrs, 0);
	cr_assert_eq(iface(&d->net, "lo")->flags.v & IFF_UP, 0);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d), 0);
	gen = d->net.link_gen;
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d), 0);
	cr_assert_eq(d->net.link_gen, gen, "nothing changed: no new dump");

	cr_assert_eq(system("ip link set lo up"), 0);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d), 0);
	cr_assert_neq(d->net.link_gen, gen, "the change was not heard");
	lo = iface(&d->net, "lo");
	cr_assert_neq(lo->flags.v & IFF_UP, 0);
	cr_assert_gt(d->net.n_addrs, 0, "lo's addresses are not listed");
	cr_assert_str_eq(d->net.addrs[0].ifname, "lo");

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d), 0);
	gen = d->net.link_gen;
	rx = iface(&d->net, "lo")->stats[RTLAB_LINKSTAT_RX_PACKETS].v;
	udp_to_lo(10);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d), 0);
	lo = iface(&d->net, "lo");
	cr_assert_eq(d->net.link_gen, gen);
	cr_assert_geq(lo->stats[RTLAB_LINKSTAT_RX_PACKETS].v, rx + 10);
	cr_assert_geq(lo->dev[RTLAB_NETDEV_RX_PACKETS].v, rx + 10);
	cr_assert_gt(d->net.n_addrs, 0, "the addresses were kept");
	cr_assert_str_eq(d->why[RTLAB_PF_NET], "");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* Rates: not ready on a fresh data, then measured; traffic on lo shows. */
Test(net_live, lo_rate_after_traffic)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = live(RTLAB_PF_BIT(RTLAB_PF_NET), &p);
	static char chunk[65536];
	struct conn c;
	size_t sent = 0;

	cr_assert_eq(iface(&d->net, "lo")->rx_bytes_per_s.st, RTLAB_PV_NOT_READY);
	cr_assert(conn_open(&c, false));
	while (sent < 4 * sizeof(chunk)) {
		ssize_t n = write(c.cfd, chunk, sizeof(chunk));

		cr_assert_gt(n, 0);
		sent += (size_t)n;
		cr_assert_gt(read(c.afd, chunk, sizeof(chunk)), 0);
	}
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d), 0);
	cr_assert_eq(iface(&d->net, "lo")->rx_bytes_per_s.st, RTLAB_PV_OK);
	cr_assert_gt(iface(&d->net, "lo")->rx_bytes_per_s.v, 0);
	conn_close(&c);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* nl_dump_raw - one rtnetlink dump read to its end without parsing (the floor's part). */
static void nl_dump_raw(int fd, uint16_t type, uint8_t *buf, size_t size)
{
	struct {
		struct nlmsghdr h;
		struct if_stats_msg ifsm;	/* the start of an ifinfomsg or ifaddrmsg */
	} req = { .h = { .nlmsg_type = type, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP } };
	bool done = false;

	if (type == RTM_GETSTATS)
		req.ifsm.filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	req.h.nlmsg_len = NLMSG_LENGTH(type == RTM_GETLINK  ? sizeof(struct ifinfomsg) :
				       type == RTM_GETSTATS ? sizeof(struct if_stats_msg) :
							      sizeof(struct ifaddrmsg));
	cr_assert_eq(send(fd, &req, req.h.nlmsg_len, 0), (ssize_t)req.h.nlmsg_len);
	while (!done) {
		ssize_t n = recv(fd, buf, size, 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		cr_assert_gt(n, 0);
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n))
			done |= h->nlmsg_type == NLMSG_DONE;
	}
}

/* skip_if_sanitized - timings under AddressSanitizer measure the sanitizer. */
static void skip_if_sanitized(void)
{
#if defined(__SANITIZE_ADDRESS__)
	cr_skip_test("timings under AddressSanitizer say nothing of the probe");
#endif
}

/* cpu_ns - this thread's CPU time: what a collection costs, whatever else the machine runs. */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* cmp_u64 - qsort order. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* median - of @n samples. */
static uint64_t median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

/*
 * A fresh net collection costs at most 1.3 times its floor: a bare pread of
 * /proc/net/dev, a look at the notification socket and the RTM_GETSTATS dump,
 * unparsed (no link changed meanwhile: the link and address lists are those
 * of the last collection).  Medians of alternating rounds of this thread's
 * CPU time, the kernel's work for it included, so that other load on the
 * machine does not count.
 */
Test(net_live, net_collection_near_its_floor, .timeout = 60)
{
	enum { ROUNDS = 600 };
	static uint64_t tc[ROUNDS], tf[ROUNDS];
	static uint8_t buf[65536];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	double ratio;
	int nl, dev, mon;

	skip_if_sanitized();
	d = live(RTLAB_PF_BIT(RTLAB_PF_NET), &p);
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	mon = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	dev = open("/proc/net/dev", O_RDONLY | O_CLOEXEC);
	cr_assert_geq(nl, 0);
	cr_assert_geq(dev, 0);
	for (int i = 0; i < 50; i++)
		rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d);
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = cpu_ns();

		rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NET), d);
		tc[i] = cpu_ns() - t0;
		t0 = cpu_ns();
		cr_assert_gt(pread(dev, buf, sizeof(buf), 0), 0);
		cr_assert_lt(recv(mon, buf, sizeof(buf), MSG_DONTWAIT), 0);
		nl_dump_raw(nl, RTM_GETSTATS, buf, sizeof(buf));
		tf[i] = cpu_ns() - t0;
	}
	ratio = (double)median(tc, ROUNDS) / (double)median(tf, ROUNDS);
	cr_log_info("net: %.1f us, floor %.1f us, ratio %.2f", median(tc, ROUNDS) / 1e3,
		    median(tf, ROUNDS) / 1e3, ratio);
	cr_assert_leq(ratio, 1.3, "net collection %.2fx its floor", ratio);
	close(mon);
	close(nl);
	close(dev);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/*
 * The socket table with owners, for the sockets and processes there are now,
 * well under 10 ms: 5 ms of this thread's CPU time at most (each file
 * descriptor of each process is read once).
 */
Test(net_live, socket_list_is_fast, .timeout = 60)
{
	enum { ROUNDS = 21 };
	struct rtlab_socket_table t = { 0 };
	struct rtlab_probe *p;
	uint64_t tl[ROUNDS], m;

	skip_if_sanitized();
	p = probe_at("", NULL);
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = cpu_ns();

		cr_assert_eq(rtlab_probe_sockets_list(p, RTLAB_SOCK_LISTABLE, &t), 0);
		tl[i] = cpu_ns() - t0;
	}
	m = median(tl, ROUNDS);
	cr_log_info("socket list: %zu sockets in %.2f ms", t.n, m / 1e6);
	cr_assert_lt(m, 5 * UINT64_C(1000000), "%zu sockets in %.2f ms", t.n, m / 1e6);
	rtlab_socket_table_free(&t);
	rtlab_probe_free(p);
}
