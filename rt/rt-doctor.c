/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-doctor.c - rtlab doctor: the table of RT-readiness checks, the runner, shared helpers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <rtlab/sched.h>

#include "cleanup.h"
#include "rt-doctor-internal.h"

static const char *const verdict_names[_RTLAB_VERDICT_MAX] = {
	[RTLAB_VERDICT_OK] = "ok",
	[RTLAB_VERDICT_WARN] = "warn",
	[RTLAB_VERDICT_BAD] = "bad",
	[RTLAB_VERDICT_SKIP] = "skip",
};

/* What rtlab loses without each capability. */
static const char *const cap_loss[_RTLAB_CAP_MAX] = {
	[RTLAB_CAP_SYS_NICE] = "without it rtlab cannot use SCHED_DEADLINE, nor FIFO/RR priorities "
		"above RLIMIT_RTPRIO, nor change other tasks' priority or affinity",
	[RTLAB_CAP_IPC_LOCK] = "without it mlockall() is limited by RLIMIT_MEMLOCK, so RT tasks "
		"can take page faults (milliseconds) on memory that is not locked",
	[RTLAB_CAP_SYS_PTRACE] = "without it the syscall tracer (rtlab trace) cannot attach to "
		"processes it did not start",
	[RTLAB_CAP_PERFMON] = "without it perf counters (cycles, cache misses, system-wide "
		"events) are limited by kernel.perf_event_paranoid",
	[RTLAB_CAP_BPF] = "without it (and CAP_PERFMON) the eBPF recorders cannot load their "
		"programs",
	[RTLAB_CAP_SYS_ADMIN] = "without it the ftrace recorder cannot set up a tracefs instance "
		"(kernels before 5.8 also need it for perf and BPF); /dev/cpu_dma_latency needs "
		"write access to the device file, root by default",
	[RTLAB_CAP_SYS_RESOURCE] = "without it rtlab cannot raise hard resource limits "
		"(RLIMIT_MEMLOCK, RLIMIT_RTPRIO, RLIMIT_RTTIME) above what the account has",
};

/* One check: its stable id, its title, the function and its argument. */
struct doctor_check {
	const char *id;
	const char *title;
	doctor_check_fn fn;
	int arg;
};

static void check_cap(struct doctor *d, struct rtlab_finding *f, int arg);

static const struct doctor_check checks[] = {
	{ "preempt-rt", "PREEMPT_RT kernel", doctor_check_preempt_rt, 0 },
	{ "preempt-model", "Preemption model", doctor_check_preempt_model, 0 },
	{ "isolcpus", "Isolated CPUs (isolcpus)", doctor_check_isolcpus, 0 },
	{ "nohz-full", "Tick-less CPUs (nohz_full)", doctor_check_nohz_full, 0 },
	{ "rcu-nocbs", "RCU callback offload (rcu_nocbs)", doctor_check_rcu_nocbs, 0 },
	{ "irq-affinity", "IRQ affinity of isolated CPUs", doctor_check_irq_affinity, 0 },
	{ "governor", "CPU frequency governor", doctor_check_governor, 0 },
	{ "cstates", "Deep C-states", doctor_check_cstates, 0 },
	{ "smt", "SMT (hyper-threading)", doctor_check_smt, 0 },
	{ "thp", "Transparent huge pages", doctor_check_thp, 0 },
	{ "rt-throttling", "RT throttling", doctor_check_rt_throttling, 0 },
	{ "clocksource", "Clocksource", doctor_check_clocksource, 0 },
	{ "swap", "Swap", doctor_check_swap, 0 },
	{ "timer-migration", "Timer migration", doctor_check_timer_migration, 0 },
	{ "hypervisor", "Virtual machine (steal time)", doctor_check_hypervisor, 0 },
	{ "cap-sys-nice", "Capability CAP_SYS_NICE", check_cap, RTLAB_CAP_SYS_NICE },
	{ "cap-ipc-lock", "Capability CAP_IPC_LOCK", check_cap, RTLAB_CAP_IPC_LOCK },
	{ "cap-sys-ptrace", "Capability CAP_SYS_PTRACE", check_cap, RTLAB_CAP_SYS_PTRACE },
	{ "cap-perfmon", "Capability CAP_PERFMON", check_cap, RTLAB_CAP_PERFMON },
	{ "cap-bpf", "Capability CAP_BPF", check_cap, RTLAB_CAP_BPF },
	{ "cap-sys-admin", "Capability CAP_SYS_ADMIN", check_cap, RTLAB_CAP_SYS_ADMIN },
	{ "cap-sys-resource", "Capability CAP_SYS_RESOURCE", check_cap, RTLAB_CAP_SYS_RESOURCE },
};

/* rtlab_verdict_name - the name of a verdict. */
const char *rtlab_verdict_name(enum rtlab_verdict v)
{
	if ((unsigned int)v >= _RTLAB_VERDICT_MAX)
		return "unknown";
	return verdict_names[v];
}

/* doctor_verdict - set verdict and seen. */
void doctor_verdict(struct rtlab_finding *f, enum rtlab_verdict v, const char *fmt, ...)
{
	va_list ap;

	f->verdict = v;
	va_start(ap, fmt);
	vsnprintf(f->seen, sizeof(f->seen), fmt, ap);
	va_end(ap);
}

/* doctor_why - set why. */
void doctor_why(struct rtlab_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
}

/* doctor_fix - set fix. */
void doctor_fix(struct rtlab_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->fix, sizeof(f->fix), fmt, ap);
	va_end(ap);
}

/* doctor_cpus - a CPU list for a finding. */
const char *doctor_cpus(const cpu_set_t *set, char *buf, size_t size)
{
	if (size < 8) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	if (CPU_COUNT(set) == 0) {
		rtlab_strlcpy(buf, "none", size);
		return buf;
	}
	if (rtlab_cpulist_format(set, buf, size - 4) < 0) {
		char *comma = strrchr(buf, ',');

		if (comma)
			comma[1] = '\0';
		strcat(buf, "...");
	}
	return buf;
}

/* doctor_cpus_minus - set difference. */
void doctor_cpus_minus(const cpu_set_t *a, const cpu_set_t *b, cpu_set_t *ret)
{
	CPU_ZERO(ret);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, a) && !CPU_ISSET(c, b))
			CPU_SET(c, ret);
}

/* doctor_cpus_meet - non-empty intersection. */
bool doctor_cpus_meet(const cpu_set_t *a, const cpu_set_t *b)
{
	cpu_set_t both;

	CPU_AND(&both, a, b);
	return CPU_COUNT(&both) > 0;
}

/* doctor_read_error - what a failed rtlab_read_*() means for a reader of findings. */
const char *doctor_read_error(int r)
{
	switch (r) {
	case -ENOENT:
		return "absent";
	case -ENODATA:
		return "empty";
	case -EINVAL:
	case -ERANGE:
		return "malformed";
	default:
		return strerror(-r);
	}
}

/* doctor_kernel_at_least - compare the release's "major.minor" with @major.@minor. */
bool doctor_kernel_at_least(const struct doctor *d, int major, int minor)
{
	int ma, mi;

	if (sscanf(d->si.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/* cap_limit - the soft limit that can stand in for a missing capability, as text. */
static void cap_limit(enum rtlab_cap cap, char *buf, size_t size)
{
	struct rlimit rl;
	int res;

	buf[0] = '\0';
	if (cap == RTLAB_CAP_SYS_NICE)
		res = RLIMIT_RTPRIO;
	else if (cap == RTLAB_CAP_IPC_LOCK)
		res = RLIMIT_MEMLOCK;
	else
		return;
	if (getrlimit(res, &rl) < 0)
		return;
	if (rl.rlim_cur == RLIM_INFINITY)
		snprintf(buf, size, "; %s unlimited", cap == RTLAB_CAP_SYS_NICE ? "RLIMIT_RTPRIO" :
			 "RLIMIT_MEMLOCK");
	else if (cap == RTLAB_CAP_SYS_NICE)
		snprintf(buf, size, "; RLIMIT_RTPRIO %llu", (unsigned long long)rl.rlim_cur);
	else
		snprintf(buf, size, "; RLIMIT_MEMLOCK %llu KiB",
			 (unsigned long long)rl.rlim_cur / 1024);
}

/* in_bounding_set - whether capability @name may still be gained (true when unsure). */
static bool in_bounding_set(const char *name)
{
	cap_value_t v;

	if (cap_from_name(name, &v) < 0)
		return true;
	return prctl(PR_CAPBSET_READ, (unsigned long)v, 0, 0, 0) != 0;
}

/* check_cap - one capability of the running process (not of the root tree). */
static void check_cap(struct doctor *d, struct rtlab_finding *f, int arg)
{
	enum rtlab_cap cap = (enum rtlab_cap)arg;
	const char *name = rtlab_cap_name(cap), *hint = rtlab_cap_grant_hint(cap);
	char limit[64];
	int r;

	(void)d;
	if (!name)
		name = "capability";
	doctor_why(f, "%s", cap_loss[cap]);
	r = rtlab_cap_have(cap);
	if (r < 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "%s is unknown to this kernel or libcap: %s",
			       name, strerror(-r));
		return;
	}
	if (r > 0) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "%s in the effective set of this process",
			       name);
		return;
	}
	if (geteuid() == 0 && !in_bounding_set(name)) {
		doctor_verdict(f, RTLAB_VERDICT_WARN, "%s missing: this root process's bounding "
			       "set lacks it (container or service sandbox)", name);
		doctor_fix(f, "grant it where rtlab is started: docker/podman run --cap-add %s, or "
			   "CapabilityBoundingSet= and AmbientCapabilities= in the systemd unit",
			   strncmp(name, "CAP_", 4) == 0 ? name + 4 : name);
		return;
	}
	cap_limit(cap, limit, sizeof(limit));
	doctor_verdict(f, RTLAB_VERDICT_WARN, "%s missing from the effective set of this process%s",
		       name, limit);
	doctor_fix(f, "%s", hint ? hint : "run as root");
}

/* read_isolated - isolcpus plus the isolated partitions of cgroup v2 cpusets. */
static void read_isolated(struct doctor *d)
{
	const char *path = "/sys/fs/cgroup/cpuset.cpus.isolated";
	char buf[1024];
	cpu_set_t part;

	d->iso = d->si.isolated;
	d->iso_known = d->si.isolated_known;
	if (rtlab_read_line(d->ctx, path, buf, sizeof(buf)) < 0)
		return;
	if (rtlab_cpulist_parse(buf, &part, NULL) < 0) {
		rtlab_log(d->ctx, RTLAB_LOG_DEBUG, "%s%s: malformed CPU list", d->ctx->root, path);
		return;
	}
	CPU_OR(&d->iso, &d->iso, &part);
	d->iso_known = true;
}

/* run_check - one check into @f, which starts as "skip, not checked". */
static void run_check(struct doctor *d, const struct doctor_check *c, struct rtlab_finding *f)
{
	memset(f, 0, sizeof(*f));
	rtlab_strlcpy(f->id, c->id, sizeof(f->id));
	rtlab_strlcpy(f->title, c->title, sizeof(f->title));
	doctor_verdict(f, RTLAB_VERDICT_SKIP, "not checked");
	c->fn(d, f, c->arg);
	if (f->verdict == RTLAB_VERDICT_OK)
		f->fix[0] = '\0';
	rtlab_log(d->ctx, RTLAB_LOG_DEBUG, "doctor: %s: %s: %s", f->id,
		  rtlab_verdict_name(f->verdict), f->seen);
}

/* rtlab_doctor_run - read the facts once, then run the first @max checks. */
int rtlab_doctor_run(struct rtlab_ctx *ctx, struct rtlab_finding *ret, size_t max, size_t *ret_n)
{
	_cleanup_(freep) struct doctor *d = NULL;
	int r;

	if (!ctx || !ret_n || (max && !ret))
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return rtlab_err(ctx, -ENOMEM, "doctor: out of memory");
	d->ctx = ctx;
	r = rtlab_sysinfo_read(ctx, &d->si);
	if (r < 0)
		return r;
	read_isolated(d);
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(checks) && i < max; i++)
		run_check(d, &checks[i], &ret[i]);
	*ret_n = RTLAB_ARRAY_SIZE(checks);
	return 0;
}
