/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-names.c - names: tools, syscalls (generated table), softirqs, task states, keys. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <asm/unistd.h>

#include "bpf-internal.h"

static const char *const tool_names[_RTLAB_BPF_TOOL_MAX] = {
	[RTLAB_BPF_RUNQLAT] = "runqlat",
	[RTLAB_BPF_SYSCALLS] = "syscalls",
	[RTLAB_BPF_OFFCPU] = "offcpu",
	[RTLAB_BPF_IRQTIME] = "irqtime",
};

/* Generated from the system's syscall header at build time. */
static const char *const syscall_names[] = {
#include "bpf-syscall-names.h"
};

/* The kernel's softirq vectors (enum { HI_SOFTIRQ, ... }, in this order). */
static const char *const softirq_names[] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER",
	"RCU",
};

/* Task state bits at switch-out (include/linux/sched.h), lowest first, as ps shows them. */
static const struct {
	unsigned bit;
	const char *name;
} state_names[] = {
	{ 0x0001, "S" }, { 0x0002, "D" }, { 0x0004, "T" }, { 0x0008, "t" },
	{ 0x0010, "X" }, { 0x0020, "Z" }, { 0x0040, "P" },
};

#define TASK_NOLOAD_BIT 0x0400

/* rtlab_bpf_tool_name - the name of @tool. */
RTLAB_API const char *rtlab_bpf_tool_name(enum rtlab_bpf_tool tool)
{
	return (unsigned)tool < _RTLAB_BPF_TOOL_MAX ? tool_names[tool] : NULL;
}

/* tool_lookup - the tool named by the @len bytes at @s, or -1. */
static int tool_lookup(const char *s, size_t len)
{
	for (int i = 0; i < _RTLAB_BPF_TOOL_MAX; i++)
		if (strlen(tool_names[i]) == len && !strncmp(tool_names[i], s, len))
			return i;
	return -1;
}

/* rtlab_bpf_tools_parse - "runqlat, offcpu" into a mask. */
RTLAB_API int rtlab_bpf_tools_parse(const char *list, unsigned *ret_mask, char *bad,
				    size_t bad_size)
{
	unsigned mask = 0;
	const char *s = list;

	while (*s) {
		size_t len;
		int t;

		s += strspn(s, ", \t");
		len = strcspn(s, ", \t");
		if (!len)
			break;
		t = tool_lookup(s, len);
		if (t < 0) {
			if (bad && bad_size)
				snprintf(bad, bad_size, "%.*s", (int)len, s);
			return -EINVAL;
		}
		mask |= 1u << t;
		s += len;
	}
	if (!mask) {
		if (bad && bad_size)
			bad[0] = '\0';
		return -EINVAL;
	}
	*ret_mask = mask;
	return 0;
}

/* rtlab_bpf_syscall_name - the name of syscall @nr. */
RTLAB_API const char *rtlab_bpf_syscall_name(long nr)
{
	if (nr < 0 || (size_t)nr >= sizeof(syscall_names) / sizeof(syscall_names[0]))
		return NULL;
	return syscall_names[nr];
}

/* rtlab_bpf_softirq_name - the name of softirq vector @vec. */
RTLAB_API const char *rtlab_bpf_softirq_name(unsigned vec)
{
	return vec < sizeof(softirq_names) / sizeof(softirq_names[0]) ? softirq_names[vec] : NULL;
}

/* rtlab_bpf_state_name - the ps letter of a switch-out state. */
RTLAB_API const char *rtlab_bpf_state_name(unsigned state, bool preempted)
{
	if (preempted || !state)
		return "R";
	if ((state & 0x0002) && (state & TASK_NOLOAD_BIT))
		return "I";
	for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (state & state_names[i].bit)
			return state_names[i].name;
	return "?";
}

/* format_irq - the key of an irqtime histogram. */
static void format_irq(struct rtlab_bpf_hist *h, const struct rtlab_bpf_hkey *k,
		       const char *name)
{
	const char *soft = rtlab_bpf_softirq_name(k->sub);

	if (k->id == RTLAB_BPF_HARDIRQ)
		snprintf(h->key, sizeof(h->key), "hardirq %u %s", k->sub, name[0] ? name : "?");
	else if (soft)
		snprintf(h->key, sizeof(h->key), "softirq %s", soft);
	else
		snprintf(h->key, sizeof(h->key), "softirq %u", k->sub);
}

/* bpf_hist_from_key - the key text (and detail) of a map key. */
void bpf_hist_from_key(struct rtlab_bpf_hist *h, enum rtlab_bpf_tool tool, uint32_t key_mode,
		       const struct rtlab_bpf_hkey *k, const char *name)
{
	char comm[RTLAB_BPF_NAME_LEN + 1];
	const char *sc;

	snprintf(comm, sizeof(comm), "%.*s", RTLAB_BPF_NAME_LEN, name);
	h->tool = tool;
	h->detail[0] = '\0';
	switch (tool) {
	case RTLAB_BPF_RUNQLAT:
		if (key_mode == RTLAB_BPF_MODE_CPU)
			snprintf(h->key, sizeof(h->key), "cpu%u", k->sub);
		else if (key_mode == RTLAB_BPF_MODE_PID)
			snprintf(h->key, sizeof(h->key), "pid %u (%s)", k->sub, comm);
		else
			strcpy(h->key, "all");
		break;
	case RTLAB_BPF_SYSCALLS:
		sc = rtlab_bpf_syscall_name(k->id);
		if (sc)
			snprintf(h->key, sizeof(h->key), "%s", sc);
		else
			snprintf(h->key, sizeof(h->key), "syscall %u", k->id);
		break;
	case RTLAB_BPF_OFFCPU:
		snprintf(h->key, sizeof(h->key), "pid %u (%s)", k->id, comm);
		snprintf(h->detail, sizeof(h->detail), "%s", rtlab_bpf_state_name(k->sub, false));
		break;
	default:
		format_irq(h, k, comm);
		break;
	}
}
