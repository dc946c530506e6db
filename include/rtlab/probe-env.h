/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-env.h - placeholder until the family lands (replaced by its own header). */
#ifndef RTLAB_PROBE_ENV_H
#define RTLAB_PROBE_ENV_H

#include <rtlab/probe-types.h>

struct rtlab_probe_quota {
	int placeholder;
};

struct rtlab_probe_runtime {
	int placeholder;
};

struct rtlab_probe_cloud {
	int placeholder;
};

#endif /* RTLAB_PROBE_ENV_H */
