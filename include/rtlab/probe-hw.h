/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-hw.h - placeholder until the family lands (replaced by its own header). */
#ifndef RTLAB_PROBE_HW_H
#define RTLAB_PROBE_HW_H

#include <rtlab/probe-types.h>

struct rtlab_probe_thermal {
	int placeholder;
};

struct rtlab_probe_power {
	int placeholder;
};

struct rtlab_probe_gpu {
	int placeholder;
};

#endif /* RTLAB_PROBE_HW_H */
