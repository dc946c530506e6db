/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-check.c - may this process load BPF tracing programs: capabilities and lockdown. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sys/capability.h>

#include "bpf-internal.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define LOCKDOWN_FILE "/sys/kernel/security/lockdown"

/* cap_effective - whether @cap is in the effective set of @caps. */
static bool cap_effective(cap_t caps, cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;

	return cap_get_flag(caps, cap, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET;
}

/* caps_ok - CAP_SYS_ADMIN, or both CAP_BPF and CAP_PERFMON; the missing ones into @why. */
static int caps_ok(char *why, size_t size)
{
	cap_t caps = cap_get_proc();
	bool bpf, perfmon, admin;

	if (!caps) {
		snprintf(why, size, "cannot read the process capabilities (libcap): %s",
			 strerror(errno));
		return -EPERM;
	}
	bpf = cap_effective(caps, CAP_BPF);
	perfmon = cap_effective(caps, CAP_PERFMON);
	admin = cap_effective(caps, CAP_SYS_ADMIN);
	cap_free(caps);
	if (admin || (bpf && perfmon))
		return 0;
	snprintf(why, size,
		 "missing capabilit%s %s%s%s (libcap: effective set); run as root or grant them, "
		 "e.g. setcap cap_bpf,cap_perfmon+ep on the binary",
		 bpf || perfmon ? "y" : "ies", bpf ? "" : "CAP_BPF",
		 !bpf && !perfmon ? " and " : "", perfmon ? "" : "CAP_PERFMON");
	return -EPERM;
}

/* lockdown_ok - kernel lockdown "confidentiality" refuses BPF reads of kernel memory. */
static int lockdown_ok(char *why, size_t size)
{
	char buf[128] = "";
	FILE *f = fopen(LOCKDOWN_FILE, "re");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (!strstr(buf, "[confidentiality]"))
		return 0;
	snprintf(why, size, "kernel lockdown is 'confidentiality' (%s): BPF tracing is refused",
		 LOCKDOWN_FILE);
	return -EPERM;
}

/* rtlab_bpf_check - whether BPF tracing may load here, and why not. */
RTLAB_API int rtlab_bpf_check(char *why, size_t size)
{
	char tmp[256];
	int r;

	if (!why || !size) {
		why = tmp;
		size = sizeof(tmp);
	}
	why[0] = '\0';
	if (!rtlab_bpf_supported()) {
		snprintf(why, size,
			 "built without eBPF support (needs clang, bpftool, libbpf-dev)");
		return -ENOTSUP;
	}
	r = caps_ok(why, size);
	return r < 0 ? r : lockdown_ok(why, size);
}
