/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * detect-virt.c - the hypervisor under the kernel, from what a guest can read
 * without privilege (DMI, /sys/hypervisor, device tree, /proc/cmdline,
 * /proc/cpuinfo) and with it (the OEM id of the ACPI tables, root only).
 */
#include <stdio.h>

#include "env/detect.h"
#include "env/env-src.h"
#include "probe-internal.h"
#include "probe-parse.h"

struct prefix_rule {
	const char *prefix;
	const char *name;
};

/* DMI strings of hypervisors (the first word or words of the value). */
static const struct prefix_rule dmi_rules[] = {
	{ "KVM", "kvm" },
	{ "OpenStack", "kvm" },
	{ "KubeVirt", "kvm" },
	{ "Amazon EC2", "amazon" },
	{ "QEMU", "qemu" },
	{ "VMware", "vmware" },
	{ "VMW", "vmware" },
	{ "innotek GmbH", "oracle" },
	{ "VirtualBox", "oracle" },
	{ "Xen", "xen" },
	{ "Bochs", "bochs" },
	{ "Parallels", "parallels" },
	{ "BHYVE", "bhyve" },
	{ "Hyper-V", "microsoft" },
	{ "Apple Virtualization", "apple" },
	{ "Google Compute Engine", "google" },
	{ "Google", "google" },
};

/* The DMI files looked at, in this order. */
static const enum rtlab_dmi_field dmi_order[] = {
	RTLAB_DMI_PRODUCT_NAME, RTLAB_DMI_SYS_VENDOR, RTLAB_DMI_BOARD_VENDOR,
	RTLAB_DMI_BIOS_VENDOR, RTLAB_DMI_PRODUCT_VERSION,
};

/* ACPI table OEM ids (header bytes 10..15, blank-padded) of hypervisors. */
static const struct prefix_rule acpi_rules[] = {
	{ "FIRECK", "firecracker" },
	{ "CLOUDH", "cloud-hypervisor" },
	{ "BOCHS", "qemu" },
	{ "VBOX", "oracle" },
	{ "VMWARE", "vmware" },
	{ "VRTUAL", "microsoft" },
	{ "AMAZON", "amazon" },
	{ "Google", "google" },
	{ "Xen", "xen" },
	{ "BHYVE", "bhyve" },
};

/* Device-tree /hypervisor compatible strings (ARM guests). */
static const struct prefix_rule dt_rules[] = {
	{ "linux,kvm", "kvm" },
	{ "xen,xen", "xen" },
	{ "vmware", "vmware" },
};

#define ACPI_OEM_OFF 10
#define ACPI_OEM_LEN 6

/* prefix_match - the rule whose prefix starts @s, or NULL. */
static const struct prefix_rule *prefix_match(const struct prefix_rule *rules, size_t n,
					      const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strncmp(s, rules[i].prefix, strlen(rules[i].prefix)) == 0)
			return &rules[i];
	return NULL;
}

/* dmi_signs - systemd's DMI vendor table, and Hyper-V's "Microsoft Corporation Virtual Machine". */
static void dmi_signs(const struct rt_in *in, struct pick *pk)
{
	char v[128], name[128];

	for (size_t i = 0; i < sizeof(dmi_order) / sizeof(dmi_order[0]); i++) {
		const struct prefix_rule *r;

		env_text_line(&in->dmi[dmi_order[i]], v, sizeof(v));
		r = prefix_match(dmi_rules, sizeof(dmi_rules) / sizeof(dmi_rules[0]), v);
		if (r)
			env_pick_sign(pk, r->name, "/sys/class/dmi/id/%s: %s",
				      env_dmi_file(dmi_order[i]), v);
	}
	env_text_line(&in->dmi[RTLAB_DMI_SYS_VENDOR], v, sizeof(v));
	env_text_line(&in->dmi[RTLAB_DMI_PRODUCT_NAME], name, sizeof(name));
	if (strcmp(v, "Microsoft Corporation") == 0 && strcmp(name, "Virtual Machine") == 0)
		env_pick_sign(pk, "microsoft",
			      "/sys/class/dmi/id: Microsoft Corporation Virtual Machine");
}

/* acpi_sign - the OEM id of an ACPI table header. */
static void acpi_sign(const struct rt_in *in, struct pick *pk)
{
	const struct env_text *t = &in->acpi;
	char oem[ACPI_OEM_LEN + 1];
	const struct prefix_rule *r;

	if (t->st != RTLAB_PV_OK || t->len < ACPI_OEM_OFF + ACPI_OEM_LEN)
		return;
	for (size_t i = 0; i < ACPI_OEM_LEN; i++) {
		char c = t->buf[ACPI_OEM_OFF + i];

		oem[i] = c >= ' ' && c <= '~' ? c : '?';
	}
	oem[ACPI_OEM_LEN] = '\0';
	r = prefix_match(acpi_rules, sizeof(acpi_rules) / sizeof(acpi_rules[0]), oem);
	if (r)
		env_pick_sign(pk, r->name, "%s: OEM id %s", ACPI_HEADER_PATH, oem);
}

/* cpuinfo_hypervisor - the "hypervisor" CPU flag (x86: CPUID leaf 1, ECX bit 31). */
static bool cpuinfo_hypervisor(const struct env_text *t)
{
	const char *p, *end, *w;
	size_t wl;

	if (!t->buf || t->st != RTLAB_PV_OK)
		return false;
	p = t->buf;
	end = t->buf + t->len;
	while (p < end) {
		const char *eol = pp_eol(p, end), *q = p;

		p = eol < end ? eol + 1 : end;
		if (!pp_lit(&q, eol, "flags") || !(q = memchr(q, ':', (size_t)(eol - q))))
			continue;
		q++;
		while (pp_word(&q, eol, &w, &wl))
			if (pp_eq(w, wl, "hypervisor"))
				return true;
		return false;
	}
	return false;
}

/* virt_detect - strongest signs first; "vm" when only the CPU flag says so. */
void virt_detect(const struct rt_in *in, struct rtlab_probe_runtime *out)
{
	struct pick pk = { out->virt, sizeof(out->virt), out->virt_evidence };
	char v[64];

	dmi_signs(in, &pk);
	env_text_line(&in->hyp_type, v, sizeof(v));
	if (strcmp(v, "xen") == 0)
		env_pick_sign(&pk, "xen", "/sys/hypervisor/type: xen");
	acpi_sign(in, &pk);
	env_text_line(&in->dt_hyp, v, sizeof(v));
	for (size_t i = 0; i < sizeof(dt_rules) / sizeof(dt_rules[0]); i++)
		if (strncmp(v, dt_rules[i].prefix, strlen(dt_rules[i].prefix)) == 0)
			env_pick_sign(&pk, dt_rules[i].name,
				      "/proc/device-tree/hypervisor/compatible: %s", v);
	if (env_text_has(in->cmdline.buf, in->cmdline.len, "virtio_mmio.device="))
		env_pick_sign(&pk, "microvm",
			      "/proc/cmdline: virtio_mmio.device= (devices on MMIO)");
	if (cpuinfo_hypervisor(&in->cpuinfo))
		env_pick_sign(&pk, "vm", "/proc/cpuinfo: hypervisor flag");
	if (out->virt[0] || in->acpi.st != RTLAB_PV_DENIED || in->cpuinfo.st == RTLAB_PV_OK)
		out->virt_st = RTLAB_PV_OK;
	else
		out->virt_st = RTLAB_PV_DENIED;
}
