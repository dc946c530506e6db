/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* inet6-parse.c - /proc/net/if_inet6: the IPv6 addresses of the interfaces. */
#include <errno.h>

#include "net/net-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* The scope bits if_inet6 prints (IFA_HOST, IFA_LINK, IFA_SITE) as RT_SCOPE_* numbers. */
#define INET6_SCOPE_HOST 0x10
#define INET6_SCOPE_LINK 0x20
#define INET6_SCOPE_SITE 0x40

/* rt_scope - the netlink scope of an if_inet6 scope. */
static uint8_t rt_scope(uint64_t scope)
{
	if (scope & INET6_SCOPE_HOST)
		return 254;
	if (scope & INET6_SCOPE_LINK)
		return 253;
	if (scope & INET6_SCOPE_SITE)
		return 200;
	return 0;
}

/* inet6_line - "ADDR32 IFINDEX PLEN SCOPE FLAGS NAME" into @a; false if malformed. */
static bool inet6_line(const char *p, const char *eol, struct rtlab_net_addr *a)
{
	uint64_t ifindex, plen, scope, flags;
	const char *w;
	size_t wl;

	p = pp_skip_blanks(p, eol);
	if (!np_hex_bytes(&p, eol, a->addr, 16) || !np_hex(&p, eol, &ifindex) ||
	    !np_hex(&p, eol, &plen) || !np_hex(&p, eol, &scope) || !np_hex(&p, eol, &flags) ||
	    !pp_word(&p, eol, &w, &wl) || ifindex > UINT32_MAX || plen > 128 ||
	    flags > UINT32_MAX)
		return false;
	a->family = 6;
	a->ifindex = (uint32_t)ifindex;
	a->prefix_len = (uint8_t)plen;
	a->scope = rt_scope(scope);
	a->flags = (uint32_t)flags;
	pp_copy(a->ifname, sizeof(a->ifname), w, wl);
	PV_NA(a->valid_lft_s, RTLAB_PV_ABSENT);
	PV_NA(a->preferred_lft_s, RTLAB_PV_ABSENT);
	return pp_skip_blanks(p, eol) == eol;
}

/* if_inet6_parse - one address per line, appended to @out->addrs. */
int if_inet6_parse(const char *buf, size_t len, struct rtlab_probe_net *out, unsigned *bad_line)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	for (; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end);
		struct rtlab_net_addr *a;

		line++;
		if (pp_skip_blanks(p, eol) == eol)
			continue;
		if (probe_grow((void **)&out->addrs, &out->cap_addrs, out->n_addrs + 1,
			       sizeof(*a)) < 0)
			return -ENOMEM;
		a = &out->addrs[out->n_addrs];
		memset(a, 0, sizeof(*a));
		if (inet6_line(p, eol, a))
			out->n_addrs++;
		else
			r = np_bad(bad_line, line);
	}
	return r;
}
