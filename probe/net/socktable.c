/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * socktable.c - the socket table: every socket of /proc/net/{tcp,udp,raw,unix}
 * with the processes that hold it, found by reading the /proc/PID/fd links
 * ("socket:[INODE]") and looking the inodes up in the table sorted by inode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "net/net-internal.h"
#include "probe-parse.h"

/* One socket in inode order. */
struct by_inode {
	uint64_t inode;
	size_t i;		/* index in the table */
	int32_t last_pid;	/* the last process counted as an owner */
};

/* The walk of /proc. */
struct owner_walk {
	struct rtlab_socket_table *t;
	struct by_inode *idx;
	size_t n;
	int proc_fd;		/* <root>/proc */
	int fd_dir;		/* <root>/proc/PID/fd during its walk */
	int32_t pid;
	char comm[16];		/* of pid, "" until read */
	bool comm_read;
};

/* set_why - the first problem of the listing. */
static void __attribute__((format(printf, 2, 3)))
set_why(struct rtlab_socket_table *t, const char *fmt, ...)
{
	va_list ap;

	if (t->why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
}

/* cmp_inode - qsort/bsearch order of struct by_inode. */
static int cmp_inode(const void *a, const void *b)
{
	const struct by_inode *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

/* read_comm - /proc/PID/comm of the process being walked, once. */
static void read_comm(struct owner_walk *w)
{
	char path[32], buf[64];
	ssize_t n;
	int fd;

	w->comm_read = true;
	w->comm[0] = '\0';
	snprintf(path, sizeof(path), "%d/comm", w->pid);
	fd = openat(w->proc_fd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	if (buf[n - 1] == '\n')
		n--;
	pp_copy(w->comm, sizeof(w->comm), buf, (size_t)n);
}

/* one_fd - probe_dirfd_each callback: a "socket:[INODE]" link makes PID an owner. */
static int one_fd(const char *name, unsigned char type, void *arg)
{
	struct owner_walk *w = arg;
	struct by_inode key, *hit;
	struct rtlab_socket *s;
	char link[64];
	const char *p;
	ssize_t n;

	(void)type;
	n = readlinkat(w->fd_dir, name, link, sizeof(link) - 1);
	if (n < 9 || memcmp(link, "socket:[", 8) != 0)
		return 0;
	p = link + 8;
	if (!pp_u64(&p, link + n, &key.inode) || p != link + n - 1 || *p != ']')
		return 0;
	hit = bsearch(&key, w->idx, w->n, sizeof(*w->idx), cmp_inode);
	if (!hit || hit->last_pid == w->pid)
		return 0;
	hit->last_pid = w->pid;
	s = &w->t->s[hit->i];
	s->n_owners++;
	if (s->pid == 0 || w->pid < s->pid) {
		if (!w->comm_read)
			read_comm(w);
		s->pid = w->pid;
		memcpy(s->comm, w->comm, sizeof(s->comm));
	}
	return 0;
}

/* one_pid - probe_dir_each callback: walk /proc/PID/fd of each numeric entry. */
static int one_pid(const char *name, unsigned char type, void *arg)
{
	struct owner_walk *w = arg;
	char path[32];
	const char *p = name;
	uint64_t pid;
	int r;

	(void)type;
	if (!pp_u64(&p, name + strlen(name), &pid) || *p || pid == 0 || pid > INT32_MAX)
		return 0;
	snprintf(path, sizeof(path), "%s/fd", name);
	w->fd_dir = openat(w->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->fd_dir < 0) {
		if (errno == EACCES || errno == EPERM)
			set_why(w->t, "/proc/%s/fd: %s (owners of some sockets unknown)", name,
				strerror(errno));
		return 0;
	}
	w->pid = (int32_t)pid;
	w->comm_read = false;
	r = probe_dirfd_each(w->fd_dir, one_fd, w);
	close(w->fd_dir);
	w->fd_dir = -1;
	return r < 0 ? 0 : r;
}

/* resolve_owners - the owners of every socket of @t. */
static int resolve_owners(struct rtlab_probe *p, struct rtlab_socket_table *t)
{
	struct owner_walk w = { .t = t, .fd_dir = -1 };
	char full[PATH_MAX];
	int r;

	if (t->n == 0)
		return 0;
	w.idx = calloc(t->n, sizeof(*w.idx));
	if (!w.idx)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++)
		if (t->s[i].inode)
			w.idx[w.n++] = (struct by_inode){ .inode = t->s[i].inode, .i = i };
	qsort(w.idx, w.n, sizeof(*w.idx), cmp_inode);
	r = probe_path(p, "/proc", full, sizeof(full));
	w.proc_fd = r < 0 ? -1 : open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.proc_fd < 0) {
		set_why(t, "%s/proc: cannot be read (no owners)", probe_root(p));
		free(w.idx);
		return 0;
	}
	r = probe_dirfd_each(w.proc_fd, one_pid, &w);
	if (r < 0)
		set_why(t, "%s/proc: cannot be read to the end", probe_root(p));
	close(w.proc_fd);
	free(w.idx);
	return 0;
}

/* read_table - the table of @proto appended to @t; 0 or -ENOMEM (other problems in t->why). */
static int read_table(struct rtlab_probe *p, unsigned proto, struct rtlab_socket_table *t)
{
	struct probe_src src;
	unsigned bad = 0;
	ssize_t n;
	int r = 0;

	probe_src_init(&src, "/proc/net/%s", rtlab_sock_proto_name(proto));
	src.buf = NULL;
	src.cap = 0;
	n = probe_src_read(p, &src);
	if (n == -ENOMEM) {
		r = -ENOMEM;
	} else if (n < 0) {
		/* No IPv6 is a kind of system, not a problem. */
		if (n != -ENOENT || !strchr(src.path, '6'))
			set_why(t, "%s: %s", src.path, strerror((int)-n));
	} else {
		r = sock_table_parse(src.buf, (size_t)n, proto, t, &bad);
		if (r == -EBADMSG) {
			set_why(t, "%s:%u: malformed (line skipped)", src.path, bad);
			r = 0;
		}
	}
	probe_src_close(&src);
	return r;
}

/* parse_diag - sockdiag_parse with the parser signature. */
static int parse_diag(const void *buf, size_t len, void *out)
{
	return sockdiag_parse(buf, len, out);
}

/*
 * tcp_diag - live, the TCP sockets of @protos from a sock_diag dump per
 * family: the kernel skips the empty buckets of its connection table much
 * faster than /proc/net/tcp walks them.  0, or -errno (the table is then as
 * it was, for /proc to fill).
 */
static int tcp_diag(unsigned protos, struct rtlab_socket_table *t)
{
	static const struct {
		unsigned proto;
		uint8_t family;
	} fams[] = { { RTLAB_SOCK_TCP, AF_INET }, { RTLAB_SOCK_TCP6, AF_INET6 } };
	size_t before = t->n;
	struct net_nl nl;
	int r = net_nl_init(&nl, NETLINK_SOCK_DIAG);

	for (size_t i = 0; i < 2 && r == 0; i++) {
		struct {
			struct nlmsghdr h;
			struct inet_diag_req_v2 req;
		} q = { .h.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.req = { .sdiag_family = fams[i].family, .sdiag_protocol = IPPROTO_TCP,
				 .idiag_states = ~0u } };

		if (protos & RTLAB_SOCK_BIT(fams[i].proto))
			r = net_nl_request(&nl, &q, sizeof(q), parse_diag, t);
		/* A kernel without IPv6 has nothing to say of it. */
		if (r == -ENOENT && fams[i].family == AF_INET6)
			r = 0;
	}
	net_nl_close(&nl);
	if (r < 0)
		t->n = before;
	return r;
}

/* rtlab_probe_sockets_list - read each table asked for, then find the owners. */
int rtlab_probe_sockets_list(struct rtlab_probe *p, unsigned protos, struct rtlab_socket_table *t)
{
	const unsigned tcp = RTLAB_SOCK_BIT(RTLAB_SOCK_TCP) | RTLAB_SOCK_BIT(RTLAB_SOCK_TCP6);
	int r = 0;

	if (!p || !t || (protos & ~RTLAB_SOCK_LISTABLE))
		return -EINVAL;
	t->n = 0;
	t->n_malformed = 0;
	t->why[0] = '\0';
	/* Live, TCP comes from sock_diag when the kernel has it; /proc otherwise. */
	if ((protos & tcp) && probe_root(p)[0] == '\0') {
		r = tcp_diag(protos, t);
		if (r == 0)
			protos &= ~tcp;
		else if (r == -ENOMEM)
			return r;
		r = 0;
	}
	for (unsigned proto = 0; proto < RTLAB_SOCK__COUNT && r == 0; proto++)
		if (protos & RTLAB_SOCK_BIT(proto))
			r = read_table(p, proto, t);
	if (r == 0)
		r = resolve_owners(p, t);
	return r;
}

/* rtlab_socket_table_free - the sockets array. */
void rtlab_socket_table_free(struct rtlab_socket_table *t)
{
	if (!t)
		return;
	free(t->s);
	memset(t, 0, sizeof(*t));
}
