/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* detect.h - what the runtime, virtualization and cloud detectors share (not installed). */
#ifndef RTLAB_PROBE_ENV_DETECT_H
#define RTLAB_PROBE_ENV_DETECT_H

#include "env/env-parse.h"

/* A name being decided and the evidence of the signs that agree with it. */
struct pick {
	char *name;
	size_t size;
	char *ev;	/* RTLAB_PROBE_EVIDENCE_LEN bytes */
};

/*
 * env_pick_sign - a sign of @what: names it if nothing is named yet; if it agrees
 * with the name ("vm", a hypervisor of unknown make, agrees with any), its
 * evidence is added.  False if it disagrees (ignored).
 */
bool env_pick_sign(struct pick *pk, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* env_line_with - the line of @t that contains @needle (start, length); false if none. */
bool env_line_with(const struct env_text *t, const char *needle, const char **line, int *ll);

/* env_quote_len - how much of a quoted line goes into an evidence text. */
int env_quote_len(int ll);

/* env_lookup - @key in the process's environ, else pid 1's; the file's name, or NULL. */
const char *env_lookup(const struct rt_in *in, const char *key, const char **v, size_t *vl);

/* virt_detect - the hypervisor: DMI, Xen, ACPI OEM id, device tree, cmdline, cpuinfo flag. */
void virt_detect(const struct rt_in *in, struct rtlab_probe_runtime *out);

#endif /* RTLAB_PROBE_ENV_DETECT_H */
