/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-net.h - placeholder until the family lands (replaced by its own header). */
#ifndef RTLAB_PROBE_NET_H
#define RTLAB_PROBE_NET_H

#include <rtlab/probe-types.h>

struct rtlab_probe_net {
	int placeholder;
};

struct rtlab_probe_netstat {
	int placeholder;
};

struct rtlab_probe_route {
	int placeholder;
};

struct rtlab_probe_sockets {
	int placeholder;
};

#endif /* RTLAB_PROBE_NET_H */
