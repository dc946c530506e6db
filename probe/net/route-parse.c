/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* route-parse.c - /proc/net/route, /proc/net/ipv6_route and /proc/net/arp. */
#include <errno.h>

#include "net/net-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

#define RTF_UP_BIT 0x1
#define RTF_GATEWAY_BIT 0x2

/* A line parser: fills @item (zeroed) from [p, eol); false if malformed. */
typedef bool (*line_fn)(const char *p, const char *eol, void *item);

/*
 * each_line - every non-blank line but those starting with @header (NULL:
 * none) through @fn into a new item of *@arr; 0, -EBADMSG or -ENOMEM.
 */
static int each_line(const char *buf, size_t len, const char *header, void **arr, size_t *n,
		     size_t *cap, size_t size, line_fn fn, unsigned *bad_line)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	for (; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end);
		char *item;

		line++;
		if (pp_skip_blanks(p, eol) == eol ||
		    (header && (size_t)(eol - p) >= strlen(header) &&
		     memcmp(p, header, strlen(header)) == 0))
			continue;
		if (probe_grow(arr, cap, *n + 1, size) < 0)
			return -ENOMEM;
		item = (char *)*arr + *n * size;
		memset(item, 0, size);
		if (fn(p, eol, item))
			(*n)++;
		else
			r = np_bad(bad_line, line);
	}
	return r;
}

/* u32_field - a decimal (or with @hex, hexadecimal) word that fits 32 bits. */
static bool u32_field(const char **p, const char *eol, bool hex, uint32_t *ret)
{
	uint64_t v;

	if (!(hex ? np_hex(p, eol, &v) : pp_u64(p, eol, &v)) || v > UINT32_MAX)
		return false;
	if (*p < eol && **p != ' ' && **p != '\t')
		return false;
	*ret = (uint32_t)v;
	return true;
}

/* ifname_field - the device name word into @dst. */
static bool ifname_field(const char **p, const char *eol, char *dst)
{
	const char *w;
	size_t wl;

	if (!pp_word(p, eol, &w, &wl))
		return false;
	pp_copy(dst, RTLAB_NET_NAME_MAX, w, wl);
	return true;
}

/* mask_len - the prefix length of a network-order mask (its leading one bits). */
static uint8_t mask_len(const uint8_t *m, size_t n)
{
	uint8_t bits = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t b = m[i];

		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (m[i] != 0xff)
			break;
	}
	return bits;
}

/* route4_line - "eth0 DST GW FLAGS REFCNT USE METRIC MASK MTU WINDOW IRTT". */
static bool route4_line(const char *p, const char *eol, void *item)
{
	struct rtlab_net_route *rt = item;
	uint8_t mask[4];

	rt->family = 4;
	if (!ifname_field(&p, eol, rt->ifname))
		return false;
	p = pp_skip_blanks(p, eol);
	if (!np_hex_words(&p, eol, rt->dst, 1))
		return false;
	p = pp_skip_blanks(p, eol);
	if (!np_hex_words(&p, eol, rt->gateway, 1) || !u32_field(&p, eol, true, &rt->flags) ||
	    !u32_field(&p, eol, false, &rt->refcnt) || !u32_field(&p, eol, false, &rt->use) ||
	    !u32_field(&p, eol, false, &rt->metric))
		return false;
	p = pp_skip_blanks(p, eol);
	if (!np_hex_words(&p, eol, mask, 1) || !u32_field(&p, eol, false, &rt->mtu) ||
	    !u32_field(&p, eol, false, &rt->window) || !u32_field(&p, eol, false, &rt->irtt))
		return false;
	rt->dst_len = mask_len(mask, 4);
	return pp_skip_blanks(p, eol) == eol;
}

/* route4_parse - the header line, then one route per line. */
int route4_parse(const char *buf, size_t len, struct rtlab_probe_route *out, unsigned *bad_line)
{
	return each_line(buf, len, "Iface", (void **)&out->routes, &out->n_routes,
			 &out->cap_routes, sizeof(*out->routes), route4_line, bad_line);
}

/* addr6_plen - 32 hex digits of an address and 2 of a prefix length. */
static bool addr6_plen(const char **p, const char *eol, uint8_t *addr, uint8_t *plen)
{
	uint32_t v;

	*p = pp_skip_blanks(*p, eol);
	if (!np_hex_bytes(p, eol, addr, 16) || !u32_field(p, eol, true, &v) || v > 128)
		return false;
	*plen = (uint8_t)v;
	return true;
}

/* route6_line - "DST DLEN SRC SLEN NEXTHOP METRIC REFCNT USE FLAGS DEV", hex. */
static bool route6_line(const char *p, const char *eol, void *item)
{
	struct rtlab_net_route *rt = item;

	rt->family = 6;
	if (!addr6_plen(&p, eol, rt->dst, &rt->dst_len) ||
	    !addr6_plen(&p, eol, rt->src, &rt->src_len))
		return false;
	p = pp_skip_blanks(p, eol);
	if (!np_hex_bytes(&p, eol, rt->gateway, 16) || !u32_field(&p, eol, true, &rt->metric) ||
	    !u32_field(&p, eol, true, &rt->refcnt) || !u32_field(&p, eol, true, &rt->use) ||
	    !u32_field(&p, eol, true, &rt->flags) || !ifname_field(&p, eol, rt->ifname))
		return false;
	return pp_skip_blanks(p, eol) == eol;
}

/* route6_parse - one route per line, no header. */
int route6_parse(const char *buf, size_t len, struct rtlab_probe_route *out, unsigned *bad_line)
{
	return each_line(buf, len, NULL, (void **)&out->routes, &out->n_routes, &out->cap_routes,
			 sizeof(*out->routes), route6_line, bad_line);
}

/* ipv4_field - a dotted quad word into @ip. */
static bool ipv4_field(const char **p, const char *eol, uint8_t *ip)
{
	const char *q = pp_skip_blanks(*p, eol);

	for (int i = 0; i < 4; i++) {
		uint64_t v;

		if ((i && !pp_lit(&q, eol, ".")) || q == eol || *q < '0' || *q > '9' ||
		    !pp_u64(&q, eol, &v) || v > 255)
			return false;
		ip[i] = (uint8_t)v;
	}
	if (q < eol && *q != ' ' && *q != '\t')
		return false;
	*p = q;
	return true;
}

/* arp_line - "IP HWTYPE FLAGS HWADDR MASK DEVICE". */
static bool arp_line(const char *p, const char *eol, void *item)
{
	struct rtlab_net_arp *a = item;
	const char *w;
	size_t wl;

	if (!ipv4_field(&p, eol, a->ip) || !u32_field(&p, eol, true, &a->hw_type) ||
	    !u32_field(&p, eol, true, &a->flags) || !pp_word(&p, eol, &w, &wl))
		return false;
	a->hwaddr_len = (uint8_t)np_mac(w, wl, a->hwaddr, sizeof(a->hwaddr));
	if (!a->hwaddr_len || !pp_word(&p, eol, &w, &wl) || !ifname_field(&p, eol, a->ifname))
		return false;
	return pp_skip_blanks(p, eol) == eol;
}

/* arp_parse - the header line, then one neighbour per line. */
int arp_parse(const char *buf, size_t len, struct rtlab_probe_route *out, unsigned *bad_line)
{
	return each_line(buf, len, "IP address", (void **)&out->arp, &out->n_arp, &out->cap_arp,
			 sizeof(*out->arp), arp_line, bad_line);
}

/* is_zero - true if the @n bytes are all 0. */
static bool is_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* route_default_gw - per family, the up default route with a gateway and the lowest metric. */
void route_default_gw(struct rtlab_probe_route *out)
{
	const struct rtlab_net_route *best[2] = { NULL, NULL };

	for (size_t i = 0; i < out->n_routes; i++) {
		const struct rtlab_net_route *rt = &out->routes[i];
		int k = rt->family == 6;
		size_t alen = k ? 16 : 4;

		if (rt->dst_len || (rt->flags & (RTF_UP_BIT | RTF_GATEWAY_BIT)) !=
					   (RTF_UP_BIT | RTF_GATEWAY_BIT) ||
		    is_zero(rt->gateway, alen))
			continue;
		if (!best[k] || rt->metric < best[k]->metric)
			best[k] = rt;
	}
	out->gw4_st = best[0] ? RTLAB_PV_OK : RTLAB_PV_ABSENT;
	out->gw6_st = best[1] ? RTLAB_PV_OK : RTLAB_PV_ABSENT;
	memset(out->gw4, 0, sizeof(out->gw4));
	memset(out->gw6, 0, sizeof(out->gw6));
	out->gw4_ifname[0] = out->gw6_ifname[0] = '\0';
	if (best[0]) {
		memcpy(out->gw4, best[0]->gateway, 4);
		memcpy(out->gw4_ifname, best[0]->ifname, sizeof(out->gw4_ifname));
	}
	if (best[1]) {
		memcpy(out->gw6, best[1]->gateway, 16);
		memcpy(out->gw6_ifname, best[1]->ifname, sizeof(out->gw6_ifname));
	}
}
