/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-cpu.h - placeholder until the family lands (replaced by its own header). */
#ifndef RTLAB_PROBE_CPU_H
#define RTLAB_PROBE_CPU_H

#include <rtlab/probe-types.h>

struct rtlab_probe_cpu {
	int placeholder;
};

/* /proc/loadavg */
struct rtlab_probe_load {
	struct rtlab_pf64 load1, load5, load15;
	struct rtlab_pu64 runnable;	/* scheduling entities runnable now */
	struct rtlab_pu64 entities;	/* scheduling entities (threads) that exist */
	struct rtlab_pu64 last_pid;
};

struct rtlab_probe_interrupts {
	int placeholder;
};

#endif /* RTLAB_PROBE_CPU_H */
