/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-doctor-kernel.c - doctor checks of the kernel: preemption, throttling, clocks, memory. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "rt-doctor-internal.h"

#define STAT_BUF_SIZE (256 * 1024)
#define SWAPS_BUF_SIZE (16 * 1024)

/* doctor_check_preempt_rt - is this a PREEMPT_RT kernel? */
void doctor_check_preempt_rt(struct doctor *d, struct rtlab_finding *f, int arg)
{
	const struct rtlab_sysinfo *si = &d->si;

	(void)arg;
	doctor_why(f, "without PREEMPT_RT, interrupt handlers, softirqs and spinlocked sections "
		   "cannot be preempted: worst-case latency is typically hundreds of us to "
		   "milliseconds, against tens of us with PREEMPT_RT");
	if (si->preempt_rt) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "PREEMPT_RT kernel %s (from %s)", si->release,
			       si->preempt_source);
		return;
	}
	if (!si->version[0]) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "kernel version string unknown and no "
			       "/sys/kernel/realtime");
		return;
	}
	doctor_verdict(f, RTLAB_VERDICT_BAD, "not PREEMPT_RT: %s '%s', preemption model %s (%s)",
		       si->release, si->version, rtlab_preempt_model_name(si->preempt),
		       si->preempt_source[0] ? si->preempt_source : "no source");
	doctor_fix(f, "boot a PREEMPT_RT kernel: Debian linux-image-rt-amd64 (or -rt-arm64), or "
		   "mainline >= 6.12 built with CONFIG_PREEMPT_RT=y");
}

/* doctor_check_preempt_model - how soon a waking RT task preempts a task running in the kernel. */
void doctor_check_preempt_model(struct doctor *d, struct rtlab_finding *f, int arg)
{
	const struct rtlab_sysinfo *si = &d->si;
	const char *name = rtlab_preempt_model_name(si->preempt);

	(void)arg;
	doctor_why(f, "with none or voluntary, a waking RT task waits for the running task to "
		   "reach a preemption point or user space (up to milliseconds); full, lazy and "
		   "rt preempt at once outside non-preemptible sections");
	switch (si->preempt) {
	case RTLAB_PREEMPT_RT:
	case RTLAB_PREEMPT_FULL:
		doctor_verdict(f, RTLAB_VERDICT_OK, "%s (from %s)", name, si->preempt_source);
		return;
	case RTLAB_PREEMPT_LAZY:
		doctor_verdict(f, RTLAB_VERDICT_OK, "lazy (from %s): RT wake-ups still preempt at "
			       "once, only normal tasks wait for the tick", si->preempt_source);
		return;
	case RTLAB_PREEMPT_NONE:
	case RTLAB_PREEMPT_VOLUNTARY:
		doctor_verdict(f, RTLAB_VERDICT_WARN, "%s (from %s)", name, si->preempt_source);
		if (si->preempt_dynamic)
			doctor_fix(f, "boot with preempt=full, or switch now as root: echo full > "
				   "/sys/kernel/debug/sched/preempt");
		else
			doctor_fix(f, "use a kernel built with CONFIG_PREEMPT=y, or better "
				   "CONFIG_PREEMPT_RT=y");
		return;
	default:
		break;
	}
	doctor_verdict(f, RTLAB_VERDICT_SKIP, "unknown: %s",
		       si->preempt_source[0] ? si->preempt_source :
		       "no debugfs sched/preempt, preempt=, /boot/config or version string");
	doctor_fix(f, "as root: mount -t debugfs none /sys/kernel/debug; cat "
		   "/sys/kernel/debug/sched/preempt");
}

/* throttle_fix - the way to lift the cap, which moved to the fair server in 6.12. */
static void throttle_fix(struct doctor *d, struct rtlab_finding *f)
{
	if (doctor_kernel_at_least(d, 6, 12))
		doctor_fix(f, "on dedicated RT CPUs, as root: echo 0 > /sys/kernel/debug/sched/"
			   "fair_server/cpuN/runtime (normal tasks there may then starve); keep a "
			   "watchdog on runaway RT tasks");
	else
		doctor_fix(f, "on dedicated RT CPUs: sysctl kernel.sched_rt_runtime_us=-1 (persist "
			   "it in /etc/sysctl.d/), and keep a watchdog on runaway RT tasks");
}

/* doctor_check_rt_throttling - the RT bandwidth cap (sched_rt_runtime_us / sched_rt_period_us). */
void doctor_check_rt_throttling(struct doctor *d, struct rtlab_finding *f, int arg)
{
	const struct rtlab_sysinfo *si = &d->si;
	bool fair_server = doctor_kernel_at_least(d, 6, 12);

	(void)arg;
	doctor_why(f, "RT throttling stops RT tasks that exceed their CPU budget per period: a "
		   "safety net against runaway tasks, and a latency source for legitimate ones");
	if (!si->rt_throttle_known) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "cannot read /proc/sys/kernel/sched_rt_"
			       "{runtime,period}_us");
		return;
	}
	if (si->rt_runtime_us < 0 || si->rt_runtime_us >= si->rt_period_us) {
		if (si->rt_runtime_us < 0)
			doctor_verdict(f, RTLAB_VERDICT_OK, "sched_rt_runtime_us -1: no RT "
				       "throttling");
		else
			doctor_verdict(f, RTLAB_VERDICT_OK, "sched_rt_runtime_us %" PRId64 " >= "
				       "period %" PRId64 ": no RT throttling", si->rt_runtime_us,
				       si->rt_period_us);
		doctor_why(f, "without throttling a runaway SCHED_FIFO task can hang its CPU: run "
			   "RT work under a watchdog%s", fair_server ? "; since 6.12 the fair "
			   "server still runs starved normal tasks" : "");
		return;
	}
	doctor_verdict(f, RTLAB_VERDICT_WARN, "RT tasks capped at %" PRId64 " us per %" PRId64
		       " us (%" PRId64 "%%)", si->rt_runtime_us, si->rt_period_us,
		       si->rt_period_us > 0 ? si->rt_runtime_us * 100 / si->rt_period_us : 0);
	if (fair_server)
		doctor_why(f, "a runaway FIFO task cannot freeze the CPU, but an RT task that runs "
			   "long is preempted for up to %" PRId64 " us per period; since 6.12 the "
			   "fair deadline server does this, when normal tasks wait on that CPU",
			   si->rt_period_us - si->rt_runtime_us);
	else
		doctor_why(f, "a runaway FIFO task cannot freeze the CPU, but RT tasks that "
			   "together run longer than the budget are stopped for the rest of the "
			   "period (up to %" PRId64 " us)", si->rt_period_us - si->rt_runtime_us);
	throttle_fix(d, f);
}

/* A clocksource and what rtlab thinks of it. */
struct clock_note {
	const char *name;
	enum rtlab_verdict verdict;
	const char *why;
};

static const struct clock_note clocks[] = {
	{ "tsc", RTLAB_VERDICT_OK, "the TSC is read in user space (vDSO) in tens of ns" },
	{ "arch_sys_counter", RTLAB_VERDICT_OK, "the Arm generic timer is read in user space "
		"(vDSO) in tens of ns" },
	{ "kvm-clock", RTLAB_VERDICT_WARN, "kvm-clock is a paravirtual clock: vDSO-readable, but "
		"slower than a stable TSC and tied to the host's timekeeping" },
	{ "hyperv_clocksource_tsc_page", RTLAB_VERDICT_WARN, "the Hyper-V TSC page is "
		"paravirtual: vDSO-readable, but slower than a stable TSC" },
	{ "hpet", RTLAB_VERDICT_WARN, "each HPET read is an uncached MMIO access (about 1 us) "
		"and a system call (no vDSO); the kernel picks it when it finds the TSC unstable" },
	{ "acpi_pm", RTLAB_VERDICT_WARN, "each ACPI PM timer read is a slow I/O port access "
		"(about 1 us or more) and a system call (no vDSO)" },
	{ "jiffies", RTLAB_VERDICT_BAD, "jiffies only advances at each tick: timestamps are "
		"1/HZ grained, useless for latency measurement" },
};

/* doctor_check_clocksource - what clock_gettime() costs and how fine it is. */
void doctor_check_clocksource(struct doctor *d, struct rtlab_finding *f, int arg)
{
	const char *cs = d->si.clocksource;
	const struct clock_note *note = NULL;
	char avail[128];

	(void)arg;
	doctor_why(f, "every timestamp of a latency measurement reads the clocksource: a slow or "
		   "coarse one adds cost and error to each sample");
	if (!cs[0]) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "cannot read the current clocksource");
		return;
	}
	if (rtlab_read_line(d->ctx, "/sys/devices/system/clocksource/clocksource0/"
			    "available_clocksource", avail, sizeof(avail)) < 0)
		rtlab_strlcpy(avail, "unknown", sizeof(avail));
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(clocks); i++)
		if (strcmp(cs, clocks[i].name) == 0)
			note = &clocks[i];
	doctor_verdict(f, note ? note->verdict : RTLAB_VERDICT_WARN, "%s (available: %s)", cs,
		       avail);
	doctor_why(f, "%s", note ? note->why : "an unusual clocksource: check that it is cheap to "
		   "read and readable through the vDSO (timestamps cost a system call otherwise)");
	if (strstr(avail, "tsc"))
		doctor_fix(f, "check dmesg for 'TSC unstable' first; then echo tsc > /sys/devices/"
			   "system/clocksource/clocksource0/current_clocksource, or boot with "
			   "clocksource=tsc");
	else
		doctor_fix(f, "pick a cheaper clocksource from available_clocksource: echo NAME > "
			   "/sys/devices/system/clocksource/clocksource0/current_clocksource");
}

/* doctor_check_timer_migration - may timers of idle CPUs expire on a busy (RT) CPU? */
void doctor_check_timer_migration(struct doctor *d, struct rtlab_finding *f, int arg)
{
	const char *path = "/proc/sys/kernel/timer_migration";
	int64_t v;
	int r;

	(void)arg;
	doctor_why(f, "with 1, timers armed on an idle CPU may expire on another, busy CPU, "
		   "possibly one running an RT task; 0 keeps timers where they were armed "
		   "(tuned's realtime profile sets 0)");
	r = rtlab_read_i64(d->ctx, path, &v);
	if (r < 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "%s: %s", path, doctor_read_error(r));
		return;
	}
	if (v == 0) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "kernel.timer_migration = 0");
	} else if (v == 1) {
		doctor_verdict(f, RTLAB_VERDICT_WARN, "kernel.timer_migration = 1");
		doctor_fix(f, "sysctl kernel.timer_migration=0 (persist it in /etc/sysctl.d/)");
	} else {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "%s: unexpected value %" PRId64, path, v);
	}
}

/* read_steal - steal time since boot of all CPUs, quietly (the doctor reports, not logs). */
static int read_steal(struct doctor *d, uint64_t *ret_ns)
{
	_cleanup_(freep) char *buf = malloc(STAT_BUF_SIZE);
	long user_hz = sysconf(_SC_CLK_TCK);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = rtlab_read_file(d->ctx, "/proc/stat", buf, STAT_BUF_SIZE);
	if (n < 0)
		return (int)n;
	return rtlab_steal_parse(buf, (size_t)n, NULL, user_hz > 0 ? user_hz : 100, ret_ns);
}

/* doctor_check_hypervisor - a VM measures the host's latency too. */
void doctor_check_hypervisor(struct doctor *d, struct rtlab_finding *f, int arg)
{
	char steal[64] = "";
	uint64_t ns;

	(void)arg;
	doctor_why(f, "the host can deschedule a vCPU at any moment (steal time) and emulates its "
		   "timers and interrupts: latency measured in a guest includes the host's, and no "
		   "guest setting removes it");
	if (read_steal(d, &ns) == 0)
		snprintf(steal, sizeof(steal), "; steal %" PRIu64 " ms since boot",
			 (uint64_t)(ns / RTLAB_NSEC_PER_MSEC));
	if (d->si.hypervisor) {
		doctor_verdict(f, RTLAB_VERDICT_WARN, "running under a hypervisor (CPU flag)%s",
			       steal);
		doctor_fix(f, "pin each vCPU to its own isolated host core on a PREEMPT_RT host, "
			   "with host power saving off and no overcommit; or measure on bare "
			   "metal");
	} else if (d->si.cpu_model[0]) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "no hypervisor CPU flag (%s)%s",
			       d->si.cpu_model, steal);
	} else {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "cannot read /proc/cpuinfo%s", steal);
	}
}

/* thp_mode - the [selected] word of a THP setting into @buf; -EINVAL without one. */
static int thp_mode(struct doctor *d, const char *path, char *buf, size_t size)
{
	char line[256], *open, *close;
	ssize_t n;

	n = rtlab_read_line(d->ctx, path, line, sizeof(line));
	if (n < 0)
		return (int)n;
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close || close == open + 1)
		return -EINVAL;
	*close = '\0';
	rtlab_strlcpy(buf, open + 1, size);
	return 0;
}

/* doctor_check_thp - transparent huge pages: synchronous compaction and khugepaged. */
void doctor_check_thp(struct doctor *d, struct rtlab_finding *f, int arg)
{
	const char *dir = "/sys/kernel/mm/transparent_hugepage";
	char path[128], enabled[32], defrag[32];
	int r;

	(void)arg;
	doctor_why(f, "with THP always, page faults may allocate, zero or compact 2 MiB pages "
		   "synchronously (up to milliseconds), and khugepaged rewrites page tables behind "
		   "the RT task; defrag always adds direct compaction to faults");
	snprintf(path, sizeof(path), "%s/enabled", dir);
	r = thp_mode(d, path, enabled, sizeof(enabled));
	if (r == 0) {
		snprintf(path, sizeof(path), "%s/defrag", dir);
		r = thp_mode(d, path, defrag, sizeof(defrag));
	}
	if (r < 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "%s: %s", path,
			       r == -EINVAL ? "no [selected] mode" : doctor_read_error(r));
		return;
	}
	if (strcmp(enabled, "always") == 0 ||
	    (strcmp(enabled, "never") != 0 && strcmp(defrag, "always") == 0)) {
		doctor_verdict(f, RTLAB_VERDICT_WARN, "enabled [%s], defrag [%s]", enabled, defrag);
		doctor_fix(f, "echo madvise > %s/enabled (or never); echo madvise > %s/defrag; or "
			   "boot with transparent_hugepage=madvise", dir, dir);
		return;
	}
	doctor_verdict(f, RTLAB_VERDICT_OK, "enabled [%s], defrag [%s]", enabled, defrag);
}

/* Swap areas from /proc/swaps. */
struct swaps {
	int count;
	unsigned long long size_kib, used_kib;
	char first[64];
};

/* parse_swaps - the areas of a /proc/swaps text; -EINVAL when it is not one. */
static int parse_swaps(char *buf, struct swaps *s)
{
	char *save = NULL, *line = strtok_r(buf, "\n", &save);

	memset(s, 0, sizeof(*s));
	if (!line || strncmp(line, "Filename", 8) != 0)
		return -EINVAL;
	while ((line = strtok_r(NULL, "\n", &save))) {
		char name[256], type[32];
		unsigned long long size, used;

		if (sscanf(line, "%255s %31s %llu %llu", name, type, &size, &used) != 4)
			return -EINVAL;
		if (s->count++ == 0)
			rtlab_strlcpy(s->first, name, sizeof(s->first));
		s->size_kib += size;
		s->used_kib += used;
	}
	return 0;
}

/* doctor_check_swap - swapped-out pages stall an RT task at its next access. */
void doctor_check_swap(struct doctor *d, struct rtlab_finding *f, int arg)
{
	_cleanup_(freep) char *buf = malloc(SWAPS_BUF_SIZE);
	char swappiness[32] = "unknown";
	struct swaps s;
	ssize_t n;

	(void)arg;
	doctor_why(f, "a swapped-out page stalls its task for a disk (or zram) read at the next "
		   "access; only tasks that lock their memory (mlockall, as rtlab does) are safe, "
		   "and reclaim adds kernel work");
	if (!buf) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "out of memory");
		return;
	}
	n = rtlab_read_file(d->ctx, "/proc/swaps", buf, SWAPS_BUF_SIZE);
	if (n < 0 || parse_swaps(buf, &s) < 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "/proc/swaps: %s",
			       n < 0 ? doctor_read_error((int)n) : "malformed");
		return;
	}
	if (rtlab_read_line(d->ctx, "/proc/sys/vm/swappiness", swappiness, sizeof(swappiness)) < 0)
		rtlab_strlcpy(swappiness, "unknown", sizeof(swappiness));
	if (s.count == 0) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "no swap active (vm.swappiness %s)",
			       swappiness);
		return;
	}
	doctor_verdict(f, RTLAB_VERDICT_WARN, "%d swap area%s (%s%s): %llu KiB, %llu KiB used; "
		       "vm.swappiness %s", s.count, s.count > 1 ? "s" : "", s.first,
		       s.count > 1 ? ", ..." : "", s.size_kib, s.used_kib, swappiness);
	doctor_fix(f, "swapoff -a and drop swap from /etc/fstab, or make every RT process call "
		   "mlockall(MCL_CURRENT|MCL_FUTURE); a lower vm.swappiness only makes swapping "
		   "rarer");
}
