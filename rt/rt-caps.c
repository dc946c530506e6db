/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-caps.c - which capabilities the process has (libcap), and how to grant them. */
#include <errno.h>
#include <sys/capability.h>

#include "core-internal.h"
#include <rtlab/sched.h>

struct cap_info {
	const char *name;
	const char *hint;
};

static const struct cap_info caps[_RTLAB_CAP_MAX] = {
	[RTLAB_CAP_SYS_NICE] = { "CAP_SYS_NICE",
		"run as root, or 'setcap cap_sys_nice+ep rtlab', or raise RLIMIT_RTPRIO "
		"(ulimit -r 99, /etc/security/limits.conf rtprio)" },
	[RTLAB_CAP_IPC_LOCK] = { "CAP_IPC_LOCK",
		"run as root, or 'setcap cap_ipc_lock+ep rtlab', or raise RLIMIT_MEMLOCK "
		"(ulimit -l unlimited, /etc/security/limits.conf memlock)" },
	[RTLAB_CAP_SYS_PTRACE] = { "CAP_SYS_PTRACE",
		"run as root, or 'setcap cap_sys_ptrace+ep rtlab'; tracing your own children "
		"also works with kernel.yama.ptrace_scope <= 1" },
	[RTLAB_CAP_PERFMON] = { "CAP_PERFMON",
		"run as root, or 'setcap cap_perfmon+ep rtlab', or lower "
		"kernel.perf_event_paranoid" },
	[RTLAB_CAP_BPF] = { "CAP_BPF",
		"run as root, or 'setcap cap_bpf,cap_perfmon+ep rtlab'" },
	[RTLAB_CAP_SYS_ADMIN] = { "CAP_SYS_ADMIN",
		"run as root, or 'setcap cap_sys_admin+ep rtlab'" },
	[RTLAB_CAP_SYS_RESOURCE] = { "CAP_SYS_RESOURCE",
		"run as root, or 'setcap cap_sys_resource+ep rtlab'" },
};

/* cap_value - the libcap value of @cap, or -1. */
static int cap_value(enum rtlab_cap cap)
{
	cap_value_t v;

	if ((unsigned int)cap >= _RTLAB_CAP_MAX)
		return -1;
	if (cap_from_name(caps[cap].name, &v) < 0)
		return -1;
	return v;
}

/* rtlab_cap_name - "CAP_X". */
const char *rtlab_cap_name(enum rtlab_cap cap)
{
	if ((unsigned int)cap >= _RTLAB_CAP_MAX)
		return NULL;
	return caps[cap].name;
}

/* rtlab_cap_grant_hint - how to grant @cap. */
const char *rtlab_cap_grant_hint(enum rtlab_cap cap)
{
	if ((unsigned int)cap >= _RTLAB_CAP_MAX)
		return NULL;
	return caps[cap].hint;
}

/* rtlab_cap_have - @cap in the effective set of this process. */
int rtlab_cap_have(enum rtlab_cap cap)
{
	cap_flag_value_t flag = CAP_CLEAR;
	int v = cap_value(cap);
	cap_t set;
	int r;

	if (v < 0 || !CAP_IS_SUPPORTED(v))
		return -EOPNOTSUPP;
	set = cap_get_proc();
	if (!set)
		return -errno;
	r = cap_get_flag(set, v, CAP_EFFECTIVE, &flag);
	if (r < 0)
		r = -errno;
	cap_free(set);
	if (r < 0)
		return r;
	return flag == CAP_SET;
}
