/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-collect.c - cost of each probe family next to its floor.
 *
 * The floor of a family is a bare pread of the very files the family reads
 * (found by tracing one collection), from fds kept open, with no parsing: what
 * the kernel costs to generate them.  For the net family it adds what it asks
 * of netlink while no link changes: a look at the notification socket and one
 * RTM_GETSTATS dump, read unparsed; for sockets, the two sock_diag dumps of
 * TCP (IPv4, IPv6); for fs, statvfs of each mount point it asked.  A directory
 * it scans is read to its end with getdents from the start (lseek) of a kept
 * fd.  A path that is not there costs the floor one bare open attempt: the
 * kernel's answer that it is absent, which the family has to ask for too.  A family that read nothing (no such hardware here, or
 * facts kept from its first collection) has no ratio; procs walks /proc, whose
 * floor is the process walk's own (measured by bench-probe-walk).  Family and
 * floor rounds alternate so both see the same noise; the medians and their
 * ratio are printed.  The same for all default families at once (fresh:
 * what the fast ones refresh on the slow TTL too), without sockets, and for
 * the fast ones alone (what collect_all reads with the slow families cached).
 * Then collect_all fresh, with the slow families cached, and on a full cache
 * hit.
 *
 *	bench-probe-collect [--rounds N]
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

#include "probe-internal.h"

#define MAX_FILES 4096

struct trace {
	char *path[MAX_FILES];
	size_t n;
};

/* on_read - remember each path once. */
static void on_read(void *arg, const char *path)
{
	struct trace *t = arg;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->path[i], path) == 0)
			return;
	if (t->n < MAX_FILES)
		t->path[t->n++] = strdup(path);
}

/* cmp_u64 - qsort order. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* median_us - the median of @n samples in ns, as µs. */
static double median_us(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return (double)v[n / 2] / 1000.0;
}

/*
 * floor_round - every file read whole, as plainly as it can be: one pread,
 * and more only for a /proc table longer than a kernel page (a read of 2048
 * bytes or more may have stopped at a page), as the probe must; a path that
 * was not there, one open attempt.  Returns the ns it took.
 */
static uint64_t floor_round(char *const *paths, const int *fds, const bool *dir, size_t n,
			    char *buf, size_t size)
{
	uint64_t t0 = rtlab_now_ns();

	for (size_t i = 0; i < n; i++) {
		ssize_t r;
		off_t off = 0;

		if (fds[i] < 0) {
			int fd = open(paths[i], O_RDONLY | O_CLOEXEC);

			if (fd >= 0)
				close(fd);
			continue;
		}
		if (dir[i]) {
			lseek(fds[i], 0, SEEK_SET);
			while (syscall(SYS_getdents64, fds[i], buf, 32768) > 0)
				;
			continue;
		}
		while ((r = pread(fds[i], buf, size, off)) >= 2048)
			off += r;
	}
	return rtlab_now_ns() - t0;
}

/* Sockets for the netlink part of a floor (-1: not part of it). */
struct nl_floor {
	int route;	/* RTM_GETSTATS (net) */
	int mon;	/* the look at the notifications (net) */
	int diag;	/* SOCK_DIAG_BY_FAMILY of TCP (sockets) */
};

/* nl_drain - the answer to the request of @len bytes at @req, read to its end, unparsed. */
static void nl_drain(int fd, const void *req, size_t len, char *buf, size_t size)
{
	bool done = false;

	if (send(fd, req, len, 0) != (ssize_t)len)
		return;
	while (!done) {
		ssize_t n = recv(fd, buf, size, 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n <= 0)
			break;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n))
			done |= h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR;
	}
}

/* nl_floor_round - the netlink part of a family's floor; the ns it took. */
static uint64_t nl_floor_round(const struct nl_floor *nf, char *buf, size_t size)
{
	struct {
		struct nlmsghdr h;
		struct if_stats_msg ifsm;
	} st = { .h = { .nlmsg_len = sizeof(st), .nlmsg_type = RTM_GETSTATS,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		 .ifsm = { .filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64) } };
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 req;
	} dg = { .h = { .nlmsg_len = sizeof(dg), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		 .req = { .sdiag_protocol = IPPROTO_TCP, .idiag_states = ~0u } };
	uint64_t t0 = rtlab_now_ns();

	if (nf->route >= 0) {
		(void)!recv(nf->mon, buf, size, MSG_DONTWAIT);
		nl_drain(nf->route, &st, sizeof(st), buf, size);
	}
	if (nf->diag >= 0) {
		dg.req.sdiag_family = AF_INET;
		nl_drain(nf->diag, &dg, sizeof(dg), buf, size);
		dg.req.sdiag_family = AF_INET6;
		nl_drain(nf->diag, &dg, sizeof(dg), buf, size);
	}
	return rtlab_now_ns() - t0;
}

/* The mount points the fs family asked statvfs of (its floor's other part). */
struct vfs_floor {
	char *path[MAX_FILES];
	size_t n;
};

/* vfs_floor_init - the mount points of @d that were not hidden and answered. */
static void vfs_floor_init(struct vfs_floor *vf, const struct rtlab_probe_data *d)
{
	vf->n = 0;
	for (size_t i = 0; i < d->fs.nmounts && vf->n < MAX_FILES; i++) {
		const struct rtlab_fs_mount *m = &d->fs.mounts[i];

		if (!m->hidden && m->block_bytes.st == RTLAB_PV_OK)
			vf->path[vf->n++] = strdup(m->mount_point);
	}
}

/* vfs_floor_round - statvfs of each; the ns it took. */
static uint64_t vfs_floor_round(const struct vfs_floor *vf)
{
	uint64_t t0 = rtlab_now_ns();
	struct statvfs st;

	for (size_t i = 0; i < vf->n; i++)
		(void)!statvfs(vf->path[i], &st);
	return rtlab_now_ns() - t0;
}

/* collect_round - one collection of @fams; returns the ns it took. */
static uint64_t collect_round(struct rtlab_probe *p, uint64_t fams, struct rtlab_probe_data *d)
{
	uint64_t t0 = rtlab_now_ns();

	rtlab_probe_collect(p, fams, d);
	return rtlab_now_ns() - t0;
}

/* new_probe - a probe of the live machine with the given TTLs. */
static struct rtlab_probe *new_probe(uint64_t ttl_fast, uint64_t ttl_slow)
{
	struct rtlab_probe_opts o = { .ttl_fast_ns = ttl_fast, .ttl_slow_ns = ttl_slow };
	struct rtlab_probe *p;

	if (rtlab_probe_new(NULL, &o, &p) < 0) {
		fprintf(stderr, "bench: cannot create a probe\n");
		exit(1);
	}
	return p;
}

/* bench_family - median of @fams fresh next to the floor of the files it reads. */
static void bench_family(const char *name, uint64_t fams, size_t rounds, char *buf, size_t size)
{
	bool slow = false;

	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++)
		if ((fams & RTLAB_PF_BIT(f)) && rtlab_probe_family_is_slow(f))
			slow = true;

	/*
	 * Fast families afresh on every call, with what they refresh on the slow
	 * TTL (topology, queue settings...) at its default; slow ones afresh too.
	 */
	struct rtlab_probe *p = new_probe(1, slow ? 1 : 0);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	uint64_t *tc = calloc(rounds, sizeof(*tc)), *tf = calloc(rounds, sizeof(*tf));
	struct trace t = { .n = 0 };
	struct nl_floor nf = { -1, -1, -1 };
	struct vfs_floor vf = { .n = 0 };
	int *fds;
	bool *dir;
	double c, f;

	if (fams & RTLAB_PF_BIT(RTLAB_PF_NET)) {
		nf.route = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
		nf.mon = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	}
	if (fams & RTLAB_PF_BIT(RTLAB_PF_SOCKETS))
		nf.diag = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	for (int i = 0; i < 20; i++)
		rtlab_probe_collect(p, fams, d);
	probe_set_trace(p, on_read, &t);
	rtlab_probe_collect(p, fams, d);
	probe_set_trace(p, NULL, NULL);
	if (fams & RTLAB_PF_BIT(RTLAB_PF_FS))
		vfs_floor_init(&vf, d);
	fds = calloc(t.n ? t.n : 1, sizeof(*fds));
	dir = calloc(t.n ? t.n : 1, sizeof(*dir));
	for (size_t i = 0; i < t.n; i++) {
		struct stat st;

		fds[i] = open(t.path[i], O_RDONLY | O_CLOEXEC);
		dir[i] = fds[i] >= 0 && fstat(fds[i], &st) == 0 && S_ISDIR(st.st_mode);
	}
	for (size_t i = 0; i < rounds; i++) {
		tc[i] = collect_round(p, fams, d);
		tf[i] = floor_round(t.path, fds, dir, t.n, buf, size) + nl_floor_round(&nf, buf, size) +
			vfs_floor_round(&vf);
	}
	c = median_us(tc, rounds);
	f = median_us(tf, rounds);
	if (fams == RTLAB_PF_BIT(RTLAB_PF_PROCS))
		printf("%-22s %10.2f %10s %7s %6s\n", name, c, "walk", "below", "-");
	else if (t.n || nf.route >= 0 || nf.diag >= 0 || vf.n)
		printf("%-22s %10.2f %10.2f %7.2f %6zu\n", name, c, f, c / f, t.n);
	else
		printf("%-22s %10.2f %10s %7s %6zu\n", name, c, "-", "-", t.n);
	for (size_t i = 0; i < t.n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		free(t.path[i]);
	}
	for (size_t i = 0; i < vf.n; i++)
		free(vf.path[i]);
	if (nf.route >= 0)
		close(nf.route);
	if (nf.mon >= 0)
		close(nf.mon);
	if (nf.diag >= 0)
		close(nf.diag);
	free(fds);
	free(dir);
	free(tc);
	free(tf);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* bench_mask - median of collecting @fams with the given TTLs after a warm-up. */
static double bench_mask(uint64_t fams, uint64_t ttl_fast, uint64_t ttl_slow, size_t rounds)
{
	struct rtlab_probe *p = new_probe(ttl_fast, ttl_slow);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	uint64_t *tc = calloc(rounds, sizeof(*tc));
	double m;

	for (int i = 0; i < 20; i++)
		rtlab_probe_collect(p, fams, d);
	for (size_t i = 0; i < rounds; i++)
		tc[i] = collect_round(p, fams, d);
	m = median_us(tc, rounds);
	free(tc);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
	return m;
}

/* bench_all - median of collect_all with the given TTLs after a warm-up. */
static double bench_all(uint64_t ttl_fast, uint64_t ttl_slow, size_t rounds)
{
	return bench_mask(RTLAB_PROBE_DEFAULT, ttl_fast, ttl_slow, rounds);
}

int main(int argc, char **argv)
{
	const uint64_t hour = 3600 * UINT64_C(1000000000);
	size_t rounds = 2000, size = 1 << 22;
	char *buf = malloc(size);
	uint64_t basic = RTLAB_PF_BIT(RTLAB_PF_CPU) | RTLAB_PF_BIT(RTLAB_PF_MEM) |
			 RTLAB_PF_BIT(RTLAB_PF_LOAD) | RTLAB_PF_BIT(RTLAB_PF_PSI);
	uint64_t fast = 0;

	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++)
		if ((RTLAB_PROBE_DEFAULT & RTLAB_PF_BIT(f)) && !rtlab_probe_family_is_slow(f))
			fast |= RTLAB_PF_BIT(f);
	if (argc == 3 && strcmp(argv[1], "--rounds") == 0) {
		rounds = strtoul(argv[2], NULL, 10);
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [--rounds N]\n", argv[0]);
		return 2;
	}
	if (!buf || rounds < 1)
		return 2;
	printf("%-22s %10s %10s %7s %6s\n", "family", "median_us", "floor_us", "ratio", "files");
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++)
		bench_family(rtlab_probe_family_name(f), RTLAB_PF_BIT(f), rounds, buf, size);
	bench_family("cpu+mem+load+psi", basic, rounds, buf, size);
	bench_family("all default, fresh", RTLAB_PROBE_DEFAULT, rounds, buf, size);
	bench_family("all default but sockets", RTLAB_PROBE_DEFAULT & ~RTLAB_PF_BIT(RTLAB_PF_SOCKETS),
		     rounds, buf, size);
	bench_family("fast ones (slow cached)", fast, rounds, buf, size);
	printf("\n%-38s %10.2f\n", "collect_all fresh (median us)", bench_all(1, 1, rounds));
	printf("%-38s %10.2f\n", "collect_all fresh but sockets (median us)",
	       bench_mask(RTLAB_PROBE_DEFAULT & ~RTLAB_PF_BIT(RTLAB_PF_SOCKETS), 1, 1, rounds));
	printf("%-38s %10.2f\n", "collect_all slow cached (median us)", bench_all(0, hour, rounds));
	printf("%-38s %10.3f\n", "collect_all full cache hit (median us)",
	       bench_all(hour, hour, rounds * 10));
	free(buf);
	return 0;
}
