/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* netdev-parse.c - /proc/net/dev: 16 counters per interface. */
#include <errno.h>

#include "net/net-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* netdev_line - "  eth0: 1 2 ... 16" into its interface: 0, -EBADMSG or -ENOMEM. */
static int netdev_line(const char *p, const char *eol, struct rtlab_probe_net *out, size_t *hint)
{
	const char *colon = memchr(p, ':', (size_t)(eol - p));
	const char *name, *name_end;
	struct rtlab_net_iface *ifc;
	bool ok = true;

	if (!colon)
		return -EBADMSG;
	name = pp_skip_blanks(p, colon);
	name_end = colon;
	while (name_end > name && (name_end[-1] == ' ' || name_end[-1] == '\t'))
		name_end--;
	if (name_end == name)
		return -EBADMSG;
	ifc = net_iface_get(out, name, (size_t)(name_end - name), *hint);
	if (!ifc)
		return -ENOMEM;
	*hint = (size_t)(ifc - out->ifaces) + 1;
	p = colon + 1;
	for (size_t i = 0; i < RTLAB_NETDEV__COUNT; i++) {
		uint64_t v;

		if (ok && pp_u64(&p, eol, &v) && (p == eol || *p == ' ' || *p == '\t')) {
			PV_SET(ifc->dev[i], v);
		} else {
			PV_NA(ifc->dev[i], RTLAB_PV_MALFORMED);
			ok = false;
		}
	}
	return ok ? 0 : -EBADMSG;
}

/* netdev_parse - the header lines (with '|') skipped, one interface per other line. */
int netdev_parse(const char *buf, size_t len, struct rtlab_probe_net *out, unsigned *bad_line)
{
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	size_t hint = 0;
	int r = 0;

	while (p < end) {
		const char *eol = pp_eol(p, end);
		int lr;

		line++;
		if (memchr(p, '|', (size_t)(eol - p)) || pp_skip_blanks(p, eol) == eol) {
			p = pp_next_line(p, end);
			continue;
		}
		lr = netdev_line(p, eol, out, &hint);
		if (lr == -ENOMEM)
			return lr;
		if (lr < 0)
			r = np_bad(bad_line, line);
		p = pp_next_line(p, end);
	}
	return r;
}
