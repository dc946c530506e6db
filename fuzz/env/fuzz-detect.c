/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-detect.c - the runtime and cloud detectors on hostile sources: the
 * input is cut into the sources the detectors read (environs, cgroup and
 * mount tables, marker files, DMI strings, ACPI header) at its bytes 0x01, or
 * if it has none, into equal slices.
 */
#include <stdint.h>
#include <string.h>

#include "env/env-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NPARTS (16 + RTLAB_DMI__COUNT)

/* next_part - the bytes up to the next 0x01 (or @slice bytes) as a readable source. */
static struct env_text next_part(const char **p, const char *end, size_t slice)
{
	const char *s = *p, *e;

	if (slice)
		e = (size_t)(end - s) > slice ? s + slice : end;
	else if (!(e = memchr(s, 1, (size_t)(end - s))))
		e = end;
	*p = e < end ? e + 1 : end;
	return (struct env_text){ s, (size_t)(e - s), RTLAB_PV_OK };
}

/* LLVMFuzzerTestOneInput - one input through every parser of this target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rtlab_probe_runtime rt;
	static struct rtlab_probe_cloud cl;
	const char *p = (const char *)data, *end = p + size;
	size_t slice = memchr(data, 1, size) ? 0 : size / NPARTS + 1;
	struct rt_in in;
	struct cloud_in cin;
	struct rtlab_probe_dmi_str dmi[RTLAB_DMI__COUNT];

	memset(&in, 0, sizeof(in));
	in.self_environ = next_part(&p, end, slice);
	in.pid1_environ = next_part(&p, end, slice);
	in.self_cgroup = next_part(&p, end, slice);
	in.pid1_cgroup = next_part(&p, end, slice);
	in.mountinfo = next_part(&p, end, slice);
	in.containerenv = next_part(&p, end, slice);
	in.systemd_container = next_part(&p, end, slice);
	in.osrelease = next_part(&p, end, slice);
	in.version = next_part(&p, end, slice);
	in.cmdline = next_part(&p, end, slice);
	in.cpuinfo = next_part(&p, end, slice);
	in.hyp_type = next_part(&p, end, slice);
	in.dt_hyp = next_part(&p, end, slice);
	in.acpi = next_part(&p, end, slice);
	in.k8s_ns = next_part(&p, end, slice);
	in.hostname = next_part(&p, end, slice);
	for (size_t i = 0; i < RTLAB_DMI__COUNT; i++) {
		struct env_text d = next_part(&p, end, slice);

		in.dmi[i] = d;
		memset(&dmi[i], 0, sizeof(dmi[i]));
		env_text_line(&d, dmi[i].v, sizeof(dmi[i].v));
		dmi[i].st = (uint8_t)(d.len ? RTLAB_PV_OK : RTLAB_PV_ABSENT);
	}
	in.dockerenv = size & 1;
	in.dev_lxd = size & 2;
	in.wsl_interop = size & 4;
	in.proc_vz = size & 8;
	in.k8s_sa = size & 16;
	in.openshift_ca = size & 32;
	runtime_detect(&in, &rt);
	cin = (struct cloud_in){ .dmi = dmi, .environ = in.self_environ, .hyp_uuid = in.hostname };
	cloud_detect(&cin, &cl);
	return 0;
}
