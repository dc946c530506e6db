/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dmi.c - the DMI files, node_exporter's labels for them, and the family file helpers. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "env/env-src.h"

/* By enum rtlab_dmi_field: the file and node_exporter's node_dmi_info label. */
static const struct {
	const char *file;
	const char *label;
} dmi[RTLAB_DMI__COUNT] = {
	[RTLAB_DMI_BIOS_DATE] = { "bios_date", "bios_date" },
	[RTLAB_DMI_BIOS_RELEASE] = { "bios_release", "bios_release" },
	[RTLAB_DMI_BIOS_VENDOR] = { "bios_vendor", "bios_vendor" },
	[RTLAB_DMI_BIOS_VERSION] = { "bios_version", "bios_version" },
	[RTLAB_DMI_BOARD_ASSET_TAG] = { "board_asset_tag", "board_asset_tag" },
	[RTLAB_DMI_BOARD_NAME] = { "board_name", "board_name" },
	[RTLAB_DMI_BOARD_SERIAL] = { "board_serial", "board_serial" },
	[RTLAB_DMI_BOARD_VENDOR] = { "board_vendor", "board_vendor" },
	[RTLAB_DMI_BOARD_VERSION] = { "board_version", "board_version" },
	[RTLAB_DMI_CHASSIS_ASSET_TAG] = { "chassis_asset_tag", "chassis_asset_tag" },
	[RTLAB_DMI_CHASSIS_SERIAL] = { "chassis_serial", "chassis_serial" },
	[RTLAB_DMI_CHASSIS_VENDOR] = { "chassis_vendor", "chassis_vendor" },
	[RTLAB_DMI_CHASSIS_VERSION] = { "chassis_version", "chassis_version" },
	[RTLAB_DMI_PRODUCT_FAMILY] = { "product_family", "product_family" },
	[RTLAB_DMI_PRODUCT_NAME] = { "product_name", "product_name" },
	[RTLAB_DMI_PRODUCT_SERIAL] = { "product_serial", "product_serial" },
	[RTLAB_DMI_PRODUCT_SKU] = { "product_sku", "product_sku" },
	[RTLAB_DMI_PRODUCT_UUID] = { "product_uuid", "product_uuid" },
	[RTLAB_DMI_PRODUCT_VERSION] = { "product_version", "product_version" },
	[RTLAB_DMI_SYS_VENDOR] = { "sys_vendor", "system_vendor" },
};

/* rtlab_probe_dmi_name - node_exporter's label. */
const char *rtlab_probe_dmi_name(enum rtlab_dmi_field f)
{
	return (unsigned)f < RTLAB_DMI__COUNT ? dmi[f].label : NULL;
}

/* env_dmi_file - the sysfs file name. */
const char *env_dmi_file(enum rtlab_dmi_field f)
{
	return (unsigned)f < RTLAB_DMI__COUNT ? dmi[f].file : "";
}

/* env_read - probe_read_small() as an env_text. */
void env_read(struct rtlab_probe *p, const char *path, char *buf, size_t size,
	      struct env_text *t)
{
	ssize_t n = probe_read_small(p, path, buf, size);

	if (n < 0) {
		*t = (struct env_text){ .buf = NULL, .len = 0, .st = probe_st_from_errno((int)n) };
		return;
	}
	*t = (struct env_text){ .buf = buf, .len = (size_t)n, .st = RTLAB_PV_OK };
}

/* env_src_text - probe_src_read() as an env_text. */
void env_src_text(struct rtlab_probe *p, struct probe_src *s, struct env_text *t)
{
	ssize_t n = probe_src_read(p, s);

	if (n < 0) {
		*t = (struct env_text){ .buf = NULL, .len = 0, .st = probe_st_from_errno((int)n) };
		return;
	}
	*t = (struct env_text){ .buf = s->buf, .len = (size_t)n, .st = RTLAB_PV_OK };
}

/* env_exists - faccessat below the root (a dangling name counts as absent). */
bool env_exists(struct rtlab_probe *p, const char *path)
{
	char full[PATH_MAX];

	return probe_path(p, path, full, sizeof(full)) == 0 && access(full, F_OK) == 0;
}

/* env_text_why - a source that exists but could not be read is worth a word. */
void env_text_why(struct probe_cx *cx, const char *path, const struct env_text *t)
{
	if (t->st != RTLAB_PV_OK && t->st != RTLAB_PV_ABSENT)
		probe_why(cx, "%s: %s", path, rtlab_pv_state_name(t->st));
}
