/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-proc.h - placeholder until the family lands (replaced by its own header). */
#ifndef RTLAB_PROBE_PROC_H
#define RTLAB_PROBE_PROC_H

#include <rtlab/probe-types.h>

struct rtlab_probe_procs {
	int placeholder;
};

#endif /* RTLAB_PROBE_PROC_H */
