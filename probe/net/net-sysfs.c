/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* net-sysfs.c - /sys/class/net/IF attributes: speed, duplex, driver, and below a root the rest. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net/net-internal.h"
#include "probe-parse.h"

/* The numeric attributes sysfs has for what netlink gives live. */
static const struct {
	const char *file;
	size_t off;		/* struct rtlab_pu64 in struct rtlab_net_iface */
	bool hex;		/* "0x1003" */
} sysfs_nums[] = {
	{ "ifindex", offsetof(struct rtlab_net_iface, ifindex), false },
	{ "iflink", offsetof(struct rtlab_net_iface, iflink), false },
	{ "type", offsetof(struct rtlab_net_iface, type), false },
	{ "mtu", offsetof(struct rtlab_net_iface, mtu_bytes), false },
	{ "flags", offsetof(struct rtlab_net_iface, flags), true },
	{ "link_mode", offsetof(struct rtlab_net_iface, link_mode), false },
	{ "netdev_group", offsetof(struct rtlab_net_iface, group), false },
	{ "carrier", offsetof(struct rtlab_net_iface, carrier), false },
	{ "dormant", offsetof(struct rtlab_net_iface, dormant), false },
	{ "carrier_changes", offsetof(struct rtlab_net_iface, carrier_changes), false },
	{ "carrier_up_count", offsetof(struct rtlab_net_iface, carrier_up_changes), false },
	{ "carrier_down_count", offsetof(struct rtlab_net_iface, carrier_down_changes), false },
	{ "tx_queue_len", offsetof(struct rtlab_net_iface, tx_queue_len), false },
};

/* net_name_safe - a name that stays inside /sys/class/net when used as a path component. */
bool net_name_safe(const char *name)
{
	return name[0] && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

/* sysfs_path - "/sys/class/net/IF/FILE" into @buf; -ENAMETOOLONG. */
static int sysfs_path(const char *ifname, const char *file, char *buf, size_t size)
{
	int n = snprintf(buf, size, "/sys/class/net/%s/%s", ifname, file);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * sysfs_word - the first line of /sys/class/net/IF/FILE without blanks around
 * it, as [*w, +*wl) inside @buf; 0 or -errno (-EBADMSG for an empty file).
 */
static int sysfs_word(struct rtlab_probe *p, const char *ifname, const char *file, char *buf,
		      size_t size, const char **w, size_t *wl)
{
	char path[128];
	const char *s, *e;
	ssize_t n;
	int r = sysfs_path(ifname, file, path, sizeof(path));

	if (r < 0)
		return r;
	n = probe_read_small(p, path, buf, size);
	if (n < 0)
		return (int)n;
	s = buf;
	e = pp_eol(s, buf + n);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	s = pp_skip_blanks(s, e);
	*w = s;
	*wl = (size_t)(e - s);
	return 0;
}

/* sysfs_u64 - one numeric attribute into @f (decimal or hex). */
static void sysfs_u64(struct rtlab_probe *p, const char *ifname, const char *file, bool hex,
		      struct rtlab_pu64 *f)
{
	char buf[64];
	const char *w, *q;
	size_t wl;
	uint64_t v;
	int r = sysfs_word(p, ifname, file, buf, sizeof(buf), &w, &wl);

	if (r < 0) {
		PV_NA(*f, probe_st_from_errno(r));
		return;
	}
	q = w;
	if ((hex ? np_hex(&q, w + wl, &v) : pp_u64(&q, w + wl, &v)) && q == w + wl)
		PV_SET(*f, v);
	else
		PV_NA(*f, RTLAB_PV_MALFORMED);
}

/* sysfs_text - a text attribute into @dst; its state. */
static uint8_t sysfs_text(struct rtlab_probe *p, const char *ifname, const char *file,
			  char *dst, size_t size)
{
	char buf[256];
	const char *w;
	size_t wl;
	int r = sysfs_word(p, ifname, file, buf, sizeof(buf), &w, &wl);

	dst[0] = '\0';
	if (r < 0)
		return probe_st_from_errno(r);
	pp_copy(dst, size, w, wl);
	return RTLAB_PV_OK;
}

/* sysfs_link_base - the last component of the symbolic link /sys/class/net/IF/FILE. */
static uint8_t sysfs_link_base(struct rtlab_probe *p, const char *ifname, const char *file,
			       char *dst, size_t size)
{
	char rel[128], full[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	dst[0] = '\0';
	if (sysfs_path(ifname, file, rel, sizeof(rel)) < 0 ||
	    probe_path(p, rel, full, sizeof(full)) < 0)
		return RTLAB_PV_ERROR;
	n = readlink(full, target, sizeof(target) - 1);
	if (n < 0)
		return probe_st_from_errno(errno);
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!*base)
		return RTLAB_PV_MALFORMED;
	rtlab_strlcpy(dst, base, size);
	return RTLAB_PV_OK;
}

/* sysfs_speed - "speed" in Mb/s; -1 (unknown) and EINVAL (link down) are unsupported. */
static void sysfs_speed(struct rtlab_probe *p, struct rtlab_net_iface *ifc)
{
	char buf[64];
	const char *w, *q;
	size_t wl;
	int64_t v;
	int r = sysfs_word(p, ifc->name, "speed", buf, sizeof(buf), &w, &wl);

	if (r < 0) {
		PV_NA(ifc->speed_mbps, probe_st_from_errno(r));
		return;
	}
	q = w;
	if (!pp_i64(&q, w + wl, &v) || q != w + wl)
		PV_NA(ifc->speed_mbps, RTLAB_PV_MALFORMED);
	else if (v < 0 || v == UINT32_MAX)
		PV_NA(ifc->speed_mbps, RTLAB_PV_UNSUPPORTED);
	else
		PV_SET(ifc->speed_mbps, v);
}

/* net_sysfs_link - the link attributes read on every host: speed, duplex, driver. */
void net_sysfs_link(struct rtlab_probe *p, struct rtlab_net_iface *ifc)
{
	if (!net_name_safe(ifc->name)) {
		PV_NA(ifc->speed_mbps, RTLAB_PV_MALFORMED);
		ifc->duplex_st = RTLAB_PV_MALFORMED;
		ifc->driver_st = RTLAB_PV_MALFORMED;
		return;
	}
	sysfs_speed(p, ifc);
	ifc->duplex_st = sysfs_text(p, ifc->name, "duplex", ifc->duplex, sizeof(ifc->duplex));
	ifc->driver_st = sysfs_link_base(p, ifc->name, "device/driver", ifc->driver,
					 sizeof(ifc->driver));
}

/* sysfs_hwaddr - "address" or "broadcast" text into bytes. */
static void sysfs_hwaddr(struct rtlab_probe *p, const char *ifname, const char *file,
			 uint8_t *dst, uint8_t *len, uint8_t *st)
{
	char buf[128];
	const char *w;
	size_t wl;
	int r = sysfs_word(p, ifname, file, buf, sizeof(buf), &w, &wl);

	*len = 0;
	if (r < 0) {
		*st = probe_st_from_errno(r);
		return;
	}
	/* A device without a link-layer address (tun) shows an empty line. */
	*len = (uint8_t)np_mac(w, wl, dst, RTLAB_NET_HWADDR_MAX);
	*st = *len || wl == 0 ? RTLAB_PV_OK : RTLAB_PV_MALFORMED;
}

/* sysfs_operstate - "up", "down"... as IF_OPER_*. */
static void sysfs_operstate(struct rtlab_probe *p, struct rtlab_net_iface *ifc)
{
	char buf[64];
	const char *w;
	size_t wl;
	int r = sysfs_word(p, ifc->name, "operstate", buf, sizeof(buf), &w, &wl);
	int op = r < 0 ? -1 : net_operstate_parse(w, wl);

	if (r < 0)
		PV_NA(ifc->operstate, probe_st_from_errno(r));
	else if (op < 0)
		PV_NA(ifc->operstate, RTLAB_PV_MALFORMED);
	else
		PV_SET(ifc->operstate, (uint64_t)op);
}

/* sysfs_stats - statistics/NAME for each link counter sysfs has. */
static void sysfs_stats(struct rtlab_probe *p, struct rtlab_net_iface *ifc)
{
	char file[64];

	for (unsigned i = 0; i < RTLAB_LINKSTAT__COUNT; i++) {
		if (i == RTLAB_LINKSTAT_RX_OTHERHOST_DROPPED) {
			PV_NA(ifc->stats[i], RTLAB_PV_ABSENT);
			continue;
		}
		snprintf(file, sizeof(file), "statistics/%s", rtlab_net_linkstat_name(i));
		sysfs_u64(p, ifc->name, file, false, &ifc->stats[i]);
	}
}

/* net_sysfs_all - below a root, the fields netlink would give, from their sysfs files. */
void net_sysfs_all(struct rtlab_probe *p, struct rtlab_net_iface *ifc)
{
	if (!net_name_safe(ifc->name))
		return;
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(sysfs_nums); i++)
		sysfs_u64(p, ifc->name, sysfs_nums[i].file, sysfs_nums[i].hex,
			  (struct rtlab_pu64 *)((char *)ifc + sysfs_nums[i].off));
	sysfs_operstate(p, ifc);
	sysfs_hwaddr(p, ifc->name, "address", ifc->hwaddr, &ifc->hwaddr_len, &ifc->hwaddr_st);
	sysfs_hwaddr(p, ifc->name, "broadcast", ifc->broadcast, &ifc->broadcast_len,
		     &ifc->broadcast_st);
	ifc->ifalias_st = sysfs_text(p, ifc->name, "ifalias", ifc->ifalias, sizeof(ifc->ifalias));
	/* A master is a link named "master"; none means the interface has no master. */
	if (sysfs_link_base(p, ifc->name, "master", ifc->master_name,
			    sizeof(ifc->master_name)) == RTLAB_PV_ABSENT)
		PV_SET(ifc->master, 0);
	else
		PV_NA(ifc->master, RTLAB_PV_ABSENT);
	sysfs_stats(p, ifc);
}

/* sysfs_list_one - probe_dir_each callback: append an interface not seen in /proc/net/dev. */
static int sysfs_list_one(const char *name, unsigned char type, void *arg)
{
	struct rtlab_probe_net *n = arg;

	if (type != DT_DIR && type != DT_LNK && type != DT_UNKNOWN)
		return 0;
	return net_iface_get(n, name, strlen(name), n->n_ifaces) ? 0 : -ENOMEM;
}

/* net_sysfs_list - interfaces of <root>/sys/class/net not in @n yet. */
int net_sysfs_list(struct rtlab_probe *p, struct rtlab_probe_net *n)
{
	return probe_dir_each(p, "/sys/class/net", sysfs_list_one, n);
}
