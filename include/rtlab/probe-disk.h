/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-disk.h - placeholder until the family lands (replaced by its own header). */
#ifndef RTLAB_PROBE_DISK_H
#define RTLAB_PROBE_DISK_H

#include <rtlab/probe-types.h>

struct rtlab_probe_disk {
	int placeholder;
};

struct rtlab_probe_fs {
	int placeholder;
};

struct rtlab_probe_raid {
	int placeholder;
};

#endif /* RTLAB_PROBE_DISK_H */
