/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe-sockets.c - "rtlab probe sockets": the socket table with the process
 * holding each socket, as "ss -tanp" shows it, or as JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "probe-cmds.h"

#define CMD "probe sockets"
#define UNIX_ACCEPTCON 0x10000	/* __SO_ACCEPTCON: a listening unix socket */

struct sockets_opts {
	unsigned protos;	/* RTLAB_SOCK_BIT mask */
	bool listening, all, json;
};

/* What one row shows, escaped. */
struct sock_row {
	const char *netid;
	const char *state;
	char local[200];
	char peer[96];
	char process[96];
};

/* usage - the help of "rtlab probe sockets". */
static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtlab probe sockets [-t] [-u] [-x] [-w] [-l] [-a] [-n] [--json]\n\n"
		"The sockets of this network namespace, with the process holding each one\n"
		"(found through /proc/PID/fd; other users' processes need root).\n\n"
		"options:\n"
		"  -t, --tcp        TCP sockets            -u, --udp    UDP sockets\n"
		"  -x, --unix       unix sockets           -w, --raw    raw sockets\n"
		"                   (none of them: all four)\n"
		"  -l, --listening  listening (and unconnected) sockets only\n"
		"  -a, --all        listening and connected sockets\n"
		"                   (neither: connected ones, without TIME-WAIT and SYN-RECV)\n"
		"  -n, --numeric    numeric addresses and ports (always: nothing is resolved)\n"
		"  -p, --processes  the owning process (always shown)\n"
		"  -j, --json       a JSON array of sockets\n"
		"  -h, --help       show this help\n\n"
		"Exit status: 0 when the table was read, 1 when it could not be, 2 for bad\n"
		"options.\n");
}

/* bad_option - one line naming the option getopt_long() refused. */
static int bad_option(const char *arg)
{
	char esc[256];

	if (optopt && strncmp(arg, "--", 2) != 0)
		return cli_usage_error(CMD, "unknown option '-%c'", optopt);
	cli_escape(arg, esc, sizeof(esc));
	return cli_usage_error(CMD, "unknown option '%s'", esc);
}

/* parse_opts - the command line into @o; EXIT_OK, or EXIT_USAGE after one line. */
static int parse_opts(int argc, char **argv, struct sockets_opts *o, bool *help)
{
	static const struct option longopts[] = {
		{ "tcp", no_argument, NULL, 't' },	 { "udp", no_argument, NULL, 'u' },
		{ "unix", no_argument, NULL, 'x' },	 { "raw", no_argument, NULL, 'w' },
		{ "listening", no_argument, NULL, 'l' }, { "all", no_argument, NULL, 'a' },
		{ "numeric", no_argument, NULL, 'n' },	 { "json", no_argument, NULL, 'j' },
		{ "processes", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },	 { NULL, 0, NULL, 0 },
	};
	const unsigned tcp = RTLAB_SOCK_BIT(RTLAB_SOCK_TCP) | RTLAB_SOCK_BIT(RTLAB_SOCK_TCP6);
	const unsigned udp = RTLAB_SOCK_BIT(RTLAB_SOCK_UDP) | RTLAB_SOCK_BIT(RTLAB_SOCK_UDP6);
	const unsigned raw = RTLAB_SOCK_BIT(RTLAB_SOCK_RAW) | RTLAB_SOCK_BIT(RTLAB_SOCK_RAW6);
	char esc[256];
	int c;

	opterr = 0;
	optind = 0;	/* glibc: start a fresh scan */
	while ((c = getopt_long(argc, argv, "+tuxwlanpjh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			o->protos |= tcp;
			break;
		case 'u':
			o->protos |= udp;
			break;
		case 'w':
			o->protos |= raw;
			break;
		case 'x':
			o->protos |= RTLAB_SOCK_BIT(RTLAB_SOCK_UNIX);
			break;
		case 'l':
			o->listening = true;
			break;
		case 'a':
			o->all = true;
			break;
		case 'n':
		case 'p':
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			*help = true;
			return EXIT_OK;
		default:
			return bad_option(argv[optind - 1]);
		}
	}
	if (optind < argc) {
		cli_escape(argv[optind], esc, sizeof(esc));
		return cli_usage_error(CMD, "unexpected argument '%s'", esc);
	}
	if (!o->protos)
		o->protos = RTLAB_SOCK_LISTABLE;
	return EXIT_OK;
}

/* is_unix - a unix socket. */
static bool is_unix(const struct rtlab_socket *s)
{
	return s->proto == RTLAB_SOCK_UNIX;
}

/* listening_like - LISTEN, or not connected (ss counts both as listening). */
static bool listening_like(const struct rtlab_socket *s)
{
	if (is_unix(s))
		return s->state == 1;
	return s->state == RTLAB_TCP_LISTEN || s->state == RTLAB_TCP_CLOSE;
}

/* shown - ss's filter: -a all, -l listening, else connected without TIME-WAIT/SYN-RECV. */
static bool shown(const struct rtlab_socket *s, const struct sockets_opts *o)
{
	if (o->all)
		return true;
	if (o->listening)
		return listening_like(s);
	return !listening_like(s) && s->state != RTLAB_TCP_TIME_WAIT &&
	       s->state != RTLAB_TCP_SYN_RECV;
}

/* netid - "tcp", "udp", "raw", or "u_str", "u_dgr", "u_seq" for unix sockets. */
static const char *netid(const struct rtlab_socket *s)
{
	switch (s->proto) {
	case RTLAB_SOCK_TCP:
	case RTLAB_SOCK_TCP6:
		return "tcp";
	case RTLAB_SOCK_UDP:
	case RTLAB_SOCK_UDP6:
		return "udp";
	case RTLAB_SOCK_RAW:
	case RTLAB_SOCK_RAW6:
		return "raw";
	default:
		return s->unix_type == 1 ? "u_str" : s->unix_type == 2 ? "u_dgr" :
		       s->unix_type == 5 ? "u_seq" : "u_???";
	}
}

/* state_name - ss's words for the state. */
static const char *state_name(const struct rtlab_socket *s)
{
	static const char *const inet[RTLAB_TCP_STATE__COUNT] = {
		"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
		"TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
		"NEW-SYN-RECV", "BOUND-INACTIVE",
	};
	static const char *const unix_states[] = {
		"UNKNOWN", "UNCONN", "CONNECTING", "ESTAB", "DISCONNECTING",
	};

	if (!is_unix(s))
		return s->state < RTLAB_TCP_STATE__COUNT ? inet[s->state] : "UNKNOWN";
	if (s->state == 1 && (s->unix_flags & UNIX_ACCEPTCON))
		return "LISTEN";
	return s->state < 5 ? unix_states[s->state] : "UNKNOWN";
}

/* addr_text - "a.b.c.d" or "[v6]" of an inet socket's address. */
static void addr_text(const struct rtlab_socket *s, const uint8_t *a, char *buf, size_t size)
{
	char addr[64];

	if (rtlab_net_addr_str(s->family, a, addr, sizeof(addr)) < 0)
		snprintf(addr, sizeof(addr), "?");
	snprintf(buf, size, s->family == 6 ? "[%s]" : "%s", addr);
}

/* port_text - the port, or "*" for 0. */
static void port_text(uint16_t port, char *buf, size_t size)
{
	if (port)
		snprintf(buf, size, "%u", port);
	else
		snprintf(buf, size, "*");
}

/* fill_row - the escaped cells of @s. */
static void fill_row(const struct rtlab_socket *s, struct sock_row *r)
{
	char a[72], port[8], esc[160];

	r->netid = netid(s);
	r->state = state_name(s);
	if (is_unix(s)) {
		snprintf(r->local, sizeof(r->local), "%s %llu",
			 s->path[0] ? cli_escape(s->path, esc, sizeof(esc)) : "*",
			 (unsigned long long)s->inode);
		snprintf(r->peer, sizeof(r->peer), "*");
	} else {
		addr_text(s, s->local, a, sizeof(a));
		port_text(s->local_port, port, sizeof(port));
		snprintf(r->local, sizeof(r->local), "%s:%s", a, port);
		addr_text(s, s->remote, a, sizeof(a));
		port_text(s->remote_port, port, sizeof(port));
		snprintf(r->peer, sizeof(r->peer), "%s:%s", a, port);
	}
	r->process[0] = '\0';
	if (s->pid > 0) {
		int n = snprintf(r->process, sizeof(r->process), "users:((\"%s\",pid=%d))",
				 cli_escape(s->comm, esc, sizeof(esc)), s->pid);

		if (s->n_owners > 1 && n > 0 && (size_t)n < sizeof(r->process))
			snprintf(r->process + n, sizeof(r->process) - (size_t)n, " +%u",
				 s->n_owners - 1);
	}
}

/* print_table - the header and one aligned line per shown socket. */
static void print_table(const struct rtlab_socket_table *t, const struct sockets_opts *o)
{
	int wl = 18, wp = 18;
	struct sock_row r;

	for (size_t i = 0; i < t->n; i++) {
		if (!shown(&t->s[i], o))
			continue;
		fill_row(&t->s[i], &r);
		wl = (int)strlen(r.local) > wl ? (int)strlen(r.local) : wl;
		wp = (int)strlen(r.peer) > wp ? (int)strlen(r.peer) : wp;
	}
	printf("%-5s %-10s %6s %6s %-*s %-*s %s\n", "Netid", "State", "Recv-Q", "Send-Q", wl,
	       "Local Address:Port", wp, "Peer Address:Port", "Process");
	for (size_t i = 0; i < t->n; i++) {
		const struct rtlab_socket *s = &t->s[i];

		if (!shown(s, o))
			continue;
		fill_row(s, &r);
		/* No padding after the last cell that has text. */
		printf("%-5s %-10s %6llu %6llu %-*s %-*s%s%s\n", r.netid, r.state,
		       (unsigned long long)s->rx_queue, (unsigned long long)s->tx_queue, wl,
		       r.local, r.process[0] ? wp : 0, r.peer, r.process[0] ? " " : "", r.process);
	}
}

/* json_endpoint - {"address": ..., "port": N} of an inet socket. */
static json_t *json_endpoint(const struct rtlab_socket *s, const uint8_t *a, uint16_t port)
{
	char addr[64];

	if (rtlab_net_addr_str(s->family, a, addr, sizeof(addr)) < 0)
		addr[0] = '\0';
	return json_pack("{s:s, s:i}", "address", addr, "port", (int)port);
}

/* json_socket - one socket as an object, or NULL. */
static json_t *json_socket(const struct rtlab_socket *s)
{
	char esc[512];
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "netid", netid(s), "proto",
			      rtlab_sock_proto_name(s->proto), "state", state_name(s), "recv_q",
			      (json_int_t)s->rx_queue, "send_q", (json_int_t)s->tx_queue, "inode",
			      (json_int_t)s->inode);
	int r = 0;

	if (!o)
		return NULL;
	if (is_unix(s)) {
		r |= json_object_set_new(o, "path", json_string(cli_escape(s->path, esc,
									 sizeof(esc))));
	} else {
		r |= json_object_set_new(o, "local", json_endpoint(s, s->local, s->local_port));
		r |= json_object_set_new(o, "peer", json_endpoint(s, s->remote, s->remote_port));
		r |= json_object_set_new(o, "uid", json_integer(s->uid));
	}
	if (s->pid > 0)
		r |= json_object_set_new(o, "process",
					 json_pack("{s:s, s:i, s:i}", "comm",
						   cli_escape(s->comm, esc, sizeof(esc)), "pid",
						   (int)s->pid, "owners", (int)s->n_owners));
	else
		r |= json_object_set_new(o, "process", json_null());
	if (r) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* print_json - the shown sockets as a JSON array; EXIT_OK or EXIT_FAIL. */
static int print_json(const struct rtlab_socket_table *t, const struct sockets_opts *o)
{
	json_t *a = json_array();
	int r = a ? 0 : -1;

	for (size_t i = 0; i < t->n && r == 0; i++)
		if (shown(&t->s[i], o))
			r = json_array_append_new(a, json_socket(&t->s[i]));
	if (r == 0)
		r = json_dumpf(a, stdout, JSON_INDENT(2));
	json_decref(a);
	if (r) {
		fprintf(stderr, "rtlab %s: cannot write JSON\n", CMD);
		return EXIT_FAIL;
	}
	printf("\n");
	return EXIT_OK;
}

/* probe_cmd_sockets - read the table, print it. */
int probe_cmd_sockets(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct sockets_opts o = { 0 };
	struct rtlab_socket_table t = { 0 };
	struct rtlab_probe *p = NULL;
	char esc[512];
	bool help = false;
	int r = parse_opts(argc, argv, &o, &help);

	if (r != EXIT_OK || help) {
		if (help)
			usage(stdout);
		return r;
	}
	r = rtlab_probe_new(ctx, NULL, &p);
	if (r == 0)
		r = rtlab_probe_sockets_list(p, o.protos, &t);
	if (r < 0) {
		fprintf(stderr, "rtlab %s: %s\n", CMD, strerror(-r));
		rtlab_socket_table_free(&t);
		rtlab_probe_free(p);
		return EXIT_FAIL;
	}
	if (t.why[0])
		fprintf(stderr, "rtlab %s: %s\n", CMD, cli_escape(t.why, esc, sizeof(esc)));
	if (o.json)
		r = print_json(&t, &o);
	else
		print_table(&t, &o);
	rtlab_socket_table_free(&t);
	rtlab_probe_free(p);
	return r;
}
