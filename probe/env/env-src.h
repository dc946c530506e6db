/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* env-src.h - reading helpers of the env group's families (not installed). */
#ifndef RTLAB_PROBE_ENV_SRC_H
#define RTLAB_PROBE_ENV_SRC_H

#include "env/env-parse.h"
#include "probe-internal.h"

/* An ACPI table every ACPI machine has; its header carries the OEM id (root only). */
#define ACPI_HEADER_PATH "/sys/firmware/acpi/tables/FACP"

/* env_dmi_file - the file of @f under /sys/class/dmi/id ("sys_vendor"). */
const char *env_dmi_file(enum rtlab_dmi_field f);

/*
 * env_read - a small file below the root into @buf (one read, no fd kept) as
 * @t; its state says why it could not be read.
 */
void env_read(struct rtlab_probe *p, const char *path, char *buf, size_t size,
	      struct env_text *t);

/* env_src_text - a kept-open source, re-read, as @t. */
void env_src_text(struct rtlab_probe *p, struct probe_src *s, struct env_text *t);

/* env_exists - does <root>@path exist (any type)? */
bool env_exists(struct rtlab_probe *p, const char *path);

/* env_text_why - record @t's failure (other than absence) with probe_why(). */
void env_text_why(struct probe_cx *cx, const char *path, const struct env_text *t);

#endif /* RTLAB_PROBE_ENV_SRC_H */
