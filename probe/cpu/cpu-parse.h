/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu-parse.h - pure parsers of the cpu group's sources (unit-tested, fuzzed). */
#ifndef RTLAB_PROBE_CPU_PARSE_H
#define RTLAB_PROBE_CPU_PARSE_H

#include <stddef.h>

#include <rtlab/probe.h>

/*
 * load_parse - /proc/loadavg ("0.52 0.58 0.59 2/611 12345\n") into @out.
 * Fields that cannot be read are RTLAB_PV_MALFORMED.  Returns 0, or
 * -EBADMSG if any field was malformed.
 */
int load_parse(const char *buf, size_t len, struct rtlab_probe_load *out);

#endif /* RTLAB_PROBE_CPU_PARSE_H */
