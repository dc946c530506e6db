/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-doctor-internal.h - what the rtlab doctor checks share (not installed). */
#ifndef RTLAB_RT_DOCTOR_INTERNAL_H
#define RTLAB_RT_DOCTOR_INTERNAL_H

#include <rtlab/doctor.h>
#include <rtlab/sysinfo.h>

#include "core-internal.h"

/* EXIT_LAT_DEEP_US - an idle state whose exit latency exceeds this is "deep". */
#define EXIT_LAT_DEEP_US 10

/* The facts every check may use, gathered once per run. */
struct doctor {
	struct rtlab_ctx *ctx;
	struct rtlab_sysinfo si;
	cpu_set_t iso;		/* isolated: isolcpus plus cgroup v2 isolated partitions */
	bool iso_known;
};

typedef void (*doctor_check_fn)(struct doctor *d, struct rtlab_finding *f, int arg);

/* doctor_verdict - set the verdict and what was seen (printf-like, truncated to fit). */
void doctor_verdict(struct rtlab_finding *f, enum rtlab_verdict v, const char *fmt, ...)
	RTLAB_PRINTF(3, 4);

/* doctor_why - why the check matters for latency (printf-like, truncated to fit). */
void doctor_why(struct rtlab_finding *f, const char *fmt, ...) RTLAB_PRINTF(2, 3);

/* doctor_fix - how to fix it (printf-like, truncated to fit). */
void doctor_fix(struct rtlab_finding *f, const char *fmt, ...) RTLAB_PRINTF(2, 3);

/* doctor_cpus - @set as a CPU list, "none" when empty, "..." appended when cut; returns @buf. */
const char *doctor_cpus(const cpu_set_t *set, char *buf, size_t size);

/* doctor_cpus_minus - @a without the CPUs of @b into @ret. */
void doctor_cpus_minus(const cpu_set_t *a, const cpu_set_t *b, cpu_set_t *ret);

/* doctor_cpus_meet - whether @a and @b share a CPU. */
bool doctor_cpus_meet(const cpu_set_t *a, const cpu_set_t *b);

/* doctor_read_error - a read error in words: "absent", "empty", "malformed" or strerror(). */
const char *doctor_read_error(int r);

/* doctor_kernel_at_least - whether the running release is at least @major.@minor. */
bool doctor_kernel_at_least(const struct doctor *d, int major, int minor);

/* Kernel checks (rt-doctor-kernel.c). */
void doctor_check_preempt_rt(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_preempt_model(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_rt_throttling(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_clocksource(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_timer_migration(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_hypervisor(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_thp(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_swap(struct doctor *d, struct rtlab_finding *f, int arg);

/* CPU isolation checks (rt-doctor-isol.c). */
void doctor_check_isolcpus(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_nohz_full(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_rcu_nocbs(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_irq_affinity(struct doctor *d, struct rtlab_finding *f, int arg);

/* CPU power checks (rt-doctor-cpu.c). */
void doctor_check_governor(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_cstates(struct doctor *d, struct rtlab_finding *f, int arg);
void doctor_check_smt(struct doctor *d, struct rtlab_finding *f, int arg);

#endif /* RTLAB_RT_DOCTOR_INTERNAL_H */
