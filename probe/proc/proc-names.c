/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-names.c - names of process states, namespaces, fd kinds, policies, terminals, caps. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "probe-internal.h"

/* In RTLAB_PROC_STATE_LETTERS order, then the slot of other letters. */
static const char *const state_names[RTLAB_PROC_NSTATES] = {
	"running", "sleeping", "disk sleep", "stopped", "tracing stop", "dead", "zombie",
	"parked", "idle", "wakekill", "waking", "dead (old)", "noload", "unknown",
};

/* rtlab_proc_state_index - the slot of state letter @c. */
unsigned rtlab_proc_state_index(char c)
{
	const char *s = c ? strchr(RTLAB_PROC_STATE_LETTERS, c) : NULL;

	return s ? (unsigned)(s - RTLAB_PROC_STATE_LETTERS) : RTLAB_PROC_NSTATES - 1;
}

/* rtlab_proc_state_name - the kernel's word for state letter @c. */
const char *rtlab_proc_state_name(char c)
{
	return state_names[rtlab_proc_state_index(c)];
}

static const char *const ns_names[RTLAB_PROC_NS__COUNT] = {
	"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children",
	"user", "uts",
};

/* rtlab_proc_ns_name - the /proc/<pid>/ns link name. */
const char *rtlab_proc_ns_name(enum rtlab_proc_ns ns)
{
	return (unsigned)ns < RTLAB_PROC_NS__COUNT ? ns_names[ns] : NULL;
}

/* rtlab_proc_fd_kind_name - a word for the kind. */
const char *rtlab_proc_fd_kind_name(enum rtlab_proc_fd_kind k)
{
	static const char *const names[] = { "path", "socket", "pipe", "anon", "other" };

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "other";
}

static const char *const src_names[RTLAB_PROC_SRC__COUNT] = {
	[RTLAB_PROC_SRC_STAT] = "stat",
	[RTLAB_PROC_SRC_STATUS] = "status",
	[RTLAB_PROC_SRC_STATM] = "statm",
	[RTLAB_PROC_SRC_COMM] = "comm",
	[RTLAB_PROC_SRC_CMDLINE] = "cmdline",
	[RTLAB_PROC_SRC_EXE] = "exe",
	[RTLAB_PROC_SRC_CWD] = "cwd",
	[RTLAB_PROC_SRC_ROOT] = "root",
	[RTLAB_PROC_SRC_IO] = "io",
	[RTLAB_PROC_SRC_SMAPS_ROLLUP] = "smaps_rollup",
	[RTLAB_PROC_SRC_LIMITS] = "limits",
	[RTLAB_PROC_SRC_CGROUP] = "cgroup",
	[RTLAB_PROC_SRC_NS] = "ns",
	[RTLAB_PROC_SRC_FD] = "fd",
	[RTLAB_PROC_SRC_OOM_SCORE] = "oom_score",
	[RTLAB_PROC_SRC_OOM_SCORE_ADJ] = "oom_score_adj",
	[RTLAB_PROC_SRC_SCHEDSTAT] = "schedstat",
	[RTLAB_PROC_SRC_SCHED_ATTR] = "sched_getattr",
	[RTLAB_PROC_SRC_ATTR] = "attr/current",
	[RTLAB_PROC_SRC_TASK] = "task",
	[RTLAB_PROC_SRC_CHILDREN] = "children",
	[RTLAB_PROC_SRC_ENVIRON] = "environ",
	[RTLAB_PROC_SRC_MAPS] = "maps",
	[RTLAB_PROC_SRC_SYSTEM] = "system",
};

/* rtlab_proc_src_name - the source's file name. */
const char *rtlab_proc_src_name(enum rtlab_proc_src s)
{
	return (unsigned)s < RTLAB_PROC_SRC__COUNT ? src_names[s] : NULL;
}

/* rtlab_proc_policy_name - the SCHED_* name of @policy. */
const char *rtlab_proc_policy_name(uint64_t policy)
{
	static const char *const names[] = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",
					     "SCHED_BATCH", NULL, "SCHED_IDLE", "SCHED_DEADLINE",
					     "SCHED_EXT" };

	return policy < sizeof(names) / sizeof(names[0]) ? names[policy] : NULL;
}

/* rtlab_proc_tty_name - the device name of a tty_nr (major 4: tty/ttyS, 136-143: pts). */
const char *rtlab_proc_tty_name(int64_t tty_nr, char *buf, size_t size)
{
	uint64_t nr = (uint64_t)tty_nr & 0xffffffffu;
	unsigned major = (unsigned)((nr >> 8) & 0xfff);
	unsigned minor = (unsigned)((nr & 0xff) | ((nr >> 12) & 0xfff00));

	if (size == 0)
		return buf;
	if (nr == 0)
		buf[0] = '\0';
	else if (major == 4 && minor < 64)
		snprintf(buf, size, "tty%u", minor);
	else if (major == 4)
		snprintf(buf, size, "ttyS%u", minor - 64);
	else if (major >= 136 && major <= 143)
		snprintf(buf, size, "pts/%u", minor + (major - 136) * 256);
	else
		snprintf(buf, size, "%u:%u", major, minor);
	return buf;
}

/* rtlab_proc_cap_names - the libcap names of the bits of @mask, comma-separated. */
int rtlab_proc_cap_names(uint64_t mask, char *buf, size_t size)
{
	size_t len = 0;
	int r = 0;

	if (size == 0)
		return -ENOSPC;
	buf[0] = '\0';
	for (unsigned bit = 0; bit < 64; bit++) {
		char *name;
		int n;

		if (!(mask & (UINT64_C(1) << bit)))
			continue;
		name = cap_to_name((cap_value_t)bit);
		n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", name ? name : "?");
		if (name)
			cap_free(name);
		if (n < 0 || (size_t)n >= size - len) {
			r = -ENOSPC;
			break;
		}
		len += (size_t)n;
	}
	if (r < 0) {
		/* Keep the list cut at its last whole name. */
		buf[len] = '\0';
		return r;
	}
	return (int)len;
}
