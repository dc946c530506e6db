/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-mem.h - placeholder until the family lands (replaced by its own header). */
#ifndef RTLAB_PROBE_MEM_H
#define RTLAB_PROBE_MEM_H

#include <rtlab/probe-types.h>

struct rtlab_probe_mem {
	int placeholder;
};

struct rtlab_probe_vmstat {
	int placeholder;
};

struct rtlab_probe_numa {
	int placeholder;
};

struct rtlab_probe_psi {
	int placeholder;
};

#endif /* RTLAB_PROBE_MEM_H */
