/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-doctor.c - rtlab doctor verdicts on fixture trees: a captured VM, a
 * tuned PREEMPT_RT board, a broken tree, and small temporary trees that
 * each break one thing.
 */
#include "test-tree.h"

#define MAX_FINDINGS 64

/* Findings of one run. */
struct run {
	struct rtlab_finding f[MAX_FINDINGS];
	size_t n;
};

/* run_ctx - run the doctor with @ctx, which must succeed. */
static void run_ctx(struct rtlab_ctx *ctx, struct run *r)
{
	cr_assert_eq(rtlab_doctor_run(ctx, r->f, MAX_FINDINGS, &r->n), 0);
	cr_assert_leq(r->n, MAX_FINDINGS);
	rtlab_ctx_free(ctx);
}

/* run_fixture - the doctor on tests/fixtures/@name. */
static void run_fixture(const char *name, struct run *r)
{
	run_ctx(ctx_fixture(name, NULL), r);
}

/* run_files - the doctor on a temporary tree holding @files (path, text pairs) and ostype. */
static void run_files(const char *const *files, size_t n, struct run *r)
{
	char root[64];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/sys/kernel/ostype", "Linux\n");	/* one fact, or nothing runs */
	for (size_t i = 0; i + 1 < n; i += 2)
		tree_put(root, files[i], files[i + 1]);
	run_ctx(ctx_at(root, NULL), r);
	tree_free(root);
}

/* find - the finding called @id, which must exist. */
static const struct rtlab_finding *find(const struct run *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->f[i].id, id) == 0)
			return &r->f[i];
	cr_assert_fail("no finding '%s'", id);
	return NULL;
}

/* expect - @id has verdict @v and, if @needle, "seen" contains it. */
static void expect(const struct run *r, const char *id, enum rtlab_verdict v, const char *needle)
{
	const struct rtlab_finding *f = find(r, id);

	cr_expect_eq(f->verdict, v, "%s: %s, expected %s (seen: %s)", id,
		     rtlab_verdict_name(f->verdict), rtlab_verdict_name(v), f->seen);
	if (needle)
		cr_expect_not_null(strstr(f->seen, needle), "%s: '%s' not in '%s'", id, needle,
				   f->seen);
}

/* check_shape - every finding is complete, consistent and fits its fields. */
static void check_shape(const struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct rtlab_finding *f = &r->f[i];

		cr_expect_gt(strlen(f->id), 0);
		cr_expect_gt(strlen(f->title), 0, "%s", f->id);
		cr_expect_lt((unsigned int)f->verdict, _RTLAB_VERDICT_MAX, "%s", f->id);
		cr_expect_gt(strlen(f->seen), 0, "%s: empty seen", f->id);
		cr_expect_str_neq(f->seen, "not checked", "%s", f->id);
		cr_expect_gt(strlen(f->why), 0, "%s: empty why", f->id);
		cr_expect_lt(strlen(f->why), sizeof(f->why) - 1, "%s: why cut: %s", f->id, f->why);
		cr_expect_lt(strlen(f->fix), sizeof(f->fix) - 1, "%s: fix cut: %s", f->id, f->fix);
		cr_expect_lt(strlen(f->seen), sizeof(f->seen) - 1, "%s: seen cut", f->id);
		if (f->verdict == RTLAB_VERDICT_OK)
			cr_expect_str_empty(f->fix, "%s: ok with a fix", f->id);
		if (f->verdict == RTLAB_VERDICT_WARN || f->verdict == RTLAB_VERDICT_BAD)
			cr_expect_gt(strlen(f->fix), 0, "%s: no fix", f->id);
		for (size_t j = 0; j < i; j++)
			cr_expect_str_neq(f->id, r->f[j].id, "duplicate id");
	}
}

Test(doctor, verdict_names)
{
	cr_assert_str_eq(rtlab_verdict_name(RTLAB_VERDICT_OK), "ok");
	cr_assert_str_eq(rtlab_verdict_name(RTLAB_VERDICT_WARN), "warn");
	cr_assert_str_eq(rtlab_verdict_name(RTLAB_VERDICT_BAD), "bad");
	cr_assert_str_eq(rtlab_verdict_name(RTLAB_VERDICT_SKIP), "skip");
	cr_assert_str_eq(rtlab_verdict_name(_RTLAB_VERDICT_MAX), "unknown");
}

Test(doctor, vm_tree)
{
	static struct run r;

	run_fixture("rt-vm", &r);
	check_shape(&r);
	expect(&r, "preempt-rt", RTLAB_VERDICT_BAD, "PREEMPT_DYNAMIC");
	expect(&r, "preempt-model", RTLAB_VERDICT_OK, "full");
	expect(&r, "isolcpus", RTLAB_VERDICT_WARN, "no CPU isolated");
	expect(&r, "nohz-full", RTLAB_VERDICT_SKIP, "CONFIG_NO_HZ_FULL");
	expect(&r, "rcu-nocbs", RTLAB_VERDICT_WARN, NULL);
	expect(&r, "irq-affinity", RTLAB_VERDICT_SKIP, "no CPU isolated");
	expect(&r, "governor", RTLAB_VERDICT_SKIP, "no cpufreq");
	expect(&r, "cstates", RTLAB_VERDICT_OK, "haltpoll");
	expect(&r, "smt", RTLAB_VERDICT_OK, "notsupported");
	expect(&r, "thp", RTLAB_VERDICT_OK, "[madvise]");
	expect(&r, "rt-throttling", RTLAB_VERDICT_WARN, "950000");
	expect(&r, "clocksource", RTLAB_VERDICT_OK, "tsc");
	expect(&r, "swap", RTLAB_VERDICT_OK, "no swap");
	expect(&r, "timer-migration", RTLAB_VERDICT_WARN, NULL);
	expect(&r, "hypervisor", RTLAB_VERDICT_WARN, "steal");
	cr_expect_not_null(strstr(find(&r, "rt-throttling")->why, "fair"), "6.18: fair server");
	cr_expect_not_null(strstr(find(&r, "isolcpus")->fix, "isolcpus=managed_irq,domain,1 "));
}

Test(doctor, tuned_tree)
{
	static const char *const ok[] = {
		"preempt-rt", "preempt-model", "isolcpus", "nohz-full", "rcu-nocbs",
		"irq-affinity", "governor", "cstates", "smt", "thp", "rt-throttling",
		"clocksource", "swap", "timer-migration", "hypervisor",
	};
	static struct run r;

	run_fixture("rt-tuned", &r);
	check_shape(&r);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		expect(&r, ok[i], RTLAB_VERDICT_OK, NULL);
	expect(&r, "preempt-model", RTLAB_VERDICT_OK, "rt");
	expect(&r, "isolcpus", RTLAB_VERDICT_OK, "isolated 2-3 of 0-3");
	expect(&r, "irq-affinity", RTLAB_VERDICT_OK, "11 IRQs");
	expect(&r, "governor", RTLAB_VERDICT_OK, "performance on 0-3");
	expect(&r, "cstates", RTLAB_VERDICT_OK, "intel_idle.max_cstate=1");
	expect(&r, "thp", RTLAB_VERDICT_OK, "[never]");
	expect(&r, "nohz-full", RTLAB_VERDICT_OK, "covers the isolated CPUs 2-3");
	cr_expect_not_null(strstr(find(&r, "nohz-full")->why, "HZ=1000"));
}

Test(doctor, broken_tree_skips_with_reasons)
{
	static const char *const skipped[] = {
		"preempt-rt", "preempt-model", "isolcpus", "nohz-full", "rcu-nocbs",
		"irq-affinity", "governor", "cstates", "smt", "thp", "rt-throttling",
		"clocksource", "swap", "timer-migration",
	};
	static struct run r;

	run_fixture("rt-broken", &r);
	check_shape(&r);
	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		expect(&r, skipped[i], RTLAB_VERDICT_SKIP, NULL);
	expect(&r, "governor", RTLAB_VERDICT_SKIP, "malformed");
	expect(&r, "nohz-full", RTLAB_VERDICT_SKIP, "malformed CPU list");
	expect(&r, "cstates", RTLAB_VERDICT_SKIP, "malformed");
	expect(&r, "swap", RTLAB_VERDICT_SKIP, "malformed");
	expect(&r, "thp", RTLAB_VERDICT_SKIP, "no [selected] mode");
	expect(&r, "smt", RTLAB_VERDICT_SKIP, "malformed");
	expect(&r, "timer-migration", RTLAB_VERDICT_SKIP, "empty");
}

Test(doctor, nothing_readable_fails)
{
	struct log_capture lc = { .count = 0 };
	struct rtlab_finding f[4];
	struct rtlab_ctx *ctx;
	char root[64];
	size_t n = 0;

	tree_new(root, sizeof(root));
	ctx = ctx_at(root, &lc);
	cr_assert_lt(rtlab_doctor_run(ctx, f, 4, &n), 0);
	cr_assert_eq(lc.count, 1, "one message");
	rtlab_ctx_free(ctx);
	tree_free(root);
}

Test(doctor, short_array)
{
	struct rtlab_ctx *ctx = ctx_fixture("rt-vm", NULL);
	struct rtlab_finding f[3];
	size_t n = 0;

	cr_assert_eq(rtlab_doctor_run(ctx, f, 3, &n), 0);
	cr_assert_gt(n, 3, "the count of every check");
	cr_assert_str_eq(f[0].id, "preempt-rt");
	cr_assert_eq(rtlab_doctor_run(ctx, NULL, 0, &n), 0, "counting only");
	cr_assert_eq(rtlab_doctor_run(ctx, NULL, 2, &n), -EINVAL);
	rtlab_ctx_free(ctx);
}

Test(doctor, capabilities_each_named)
{
	static const char *const caps[] = {
		"cap-sys-nice", "cap-ipc-lock", "cap-sys-ptrace", "cap-perfmon", "cap-bpf",
		"cap-sys-admin", "cap-sys-resource",
	};
	static struct run r;

	run_fixture("rt-tuned", &r);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const struct rtlab_finding *f = find(&r, caps[i]);

		cr_expect_not_null(strstr(f->seen, "CAP_"), "%s", f->seen);
		cr_expect_not_null(strstr(f->why, "without it"), "%s", f->why);
	}
	cr_expect_not_null(strstr(find(&r, "cap-ipc-lock")->why, "mlockall"));
	cr_expect_not_null(strstr(find(&r, "cap-sys-nice")->why, "SCHED_DEADLINE"));
	cr_expect_not_null(strstr(find(&r, "cap-sys-ptrace")->why, "tracer"));
	cr_expect_not_null(strstr(find(&r, "cap-sys-admin")->why, "tracefs"));
}

/* A small isolated machine: 4 CPUs, 2-3 isolated. */
#define ISOLATED_BASE \
	"/sys/devices/system/cpu/online", "0-3\n", \
	"/sys/devices/system/cpu/isolated", "2-3\n", \
	"/sys/devices/system/cpu/nohz_full", "2-3\n", \
	"/proc/cmdline", "isolcpus=2-3 nohz_full=2-3\n"

Test(doctor, irq_on_isolated_cpu_is_bad)
{
	static const char *const files[] = {
		ISOLATED_BASE,
		"/proc/irq/10/smp_affinity_list", "0-3\n",
		"/proc/irq/9/smp_affinity_list", "3\n",
		"/proc/irq/11/smp_affinity_list", "0-1\n",
		"/proc/irq/default_smp_affinity", "3\n",
	};
	static struct run r;

	run_files(files, sizeof(files) / sizeof(files[0]), &r);
	check_shape(&r);
	expect(&r, "irq-affinity", RTLAB_VERDICT_BAD, "IRQ 9,10 may run on the isolated CPUs 2-3");
	cr_expect_not_null(strstr(find(&r, "irq-affinity")->fix, "echo 0-1 >"));
	expect(&r, "isolcpus", RTLAB_VERDICT_OK, "housekeeping on 0-1");
	expect(&r, "rcu-nocbs", RTLAB_VERDICT_OK, NULL);
}

Test(doctor, default_irq_affinity_on_isolated_cpu_is_bad)
{
	static const char *const files[] = {
		ISOLATED_BASE,
		"/proc/irq/11/smp_affinity_list", "0-1\n",
		"/proc/irq/default_smp_affinity", "f\n",
	};
	static struct run r;

	run_files(files, sizeof(files) / sizeof(files[0]), &r);
	expect(&r, "irq-affinity", RTLAB_VERDICT_BAD, "default_smp_affinity f");
}

Test(doctor, partial_nohz_and_rcu)
{
	static const char *const files[] = {
		"/sys/devices/system/cpu/online", "0-3\n",
		"/sys/devices/system/cpu/isolated", "1-3\n",
		"/sys/devices/system/cpu/nohz_full", "2\n",
		"/proc/cmdline", "isolcpus=1-3 nohz_full=2 rcu_nocbs=3\n",
	};
	static struct run r;

	run_files(files, sizeof(files) / sizeof(files[0]), &r);
	expect(&r, "nohz-full", RTLAB_VERDICT_WARN, "1,3 still take the tick");
	expect(&r, "rcu-nocbs", RTLAB_VERDICT_WARN, "1 still run");
}

Test(doctor, governor_powersave_warns)
{
	static const char *const files[] = {
		"/sys/devices/system/cpu/online", "0-1\n",
		"/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave\n",
		"/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance\n",
	};
	static struct run r;

	run_files(files, sizeof(files) / sizeof(files[0]), &r);
	expect(&r, "governor", RTLAB_VERDICT_WARN, "powersave on 0, performance on 1");
}

Test(doctor, thp_always_warns)
{
	static const char *const always[] = {
		"/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n",
		"/sys/kernel/mm/transparent_hugepage/defrag", "always defer [madvise] never\n",
	};
	static const char *const defrag[] = {
		"/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n",
		"/sys/kernel/mm/transparent_hugepage/defrag", "[always] defer madvise never\n",
	};
	static const char *const never[] = {
		"/sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n",
		"/sys/kernel/mm/transparent_hugepage/defrag", "[always] defer madvise never\n",
	};
	static struct run r;

	run_files(always, 4, &r);
	expect(&r, "thp", RTLAB_VERDICT_WARN, "enabled [always]");
	run_files(defrag, 4, &r);
	expect(&r, "thp", RTLAB_VERDICT_WARN, "defrag [always]");
	run_files(never, 4, &r);
	expect(&r, "thp", RTLAB_VERDICT_OK, "enabled [never]");
}

Test(doctor, swap_active_warns)
{
	static const char *const files[] = {
		"/proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
			       "/dev/sda2                               partition"
			       "\t4194300\t\t1024\t\t-2\n",
		"/proc/sys/vm/swappiness", "60\n",
	};
	static struct run r;

	run_files(files, 4, &r);
	expect(&r, "swap", RTLAB_VERDICT_WARN,
	       "1 swap area (/dev/sda2): 4194300 KiB, 1024 KiB used");
	cr_expect_not_null(strstr(find(&r, "swap")->fix, "mlockall"));
}

Test(doctor, deep_cstate_warns)
{
	static const char *const files[] = {
		"/sys/devices/system/cpu/online", "0\n",
		"/sys/devices/system/cpu/cpu0/cpuidle/state0/name", "POLL\n",
		"/sys/devices/system/cpu/cpu0/cpuidle/state0/latency", "0\n",
		"/sys/devices/system/cpu/cpu0/cpuidle/state1/name", "C6\n",
		"/sys/devices/system/cpu/cpu0/cpuidle/state1/latency", "133\n",
		"/sys/devices/system/cpu/cpu0/cpuidle/state1/disable", "0\n",
	};
	static struct run r;

	run_files(files, sizeof(files) / sizeof(files[0]), &r);
	expect(&r, "cstates", RTLAB_VERDICT_WARN, "C6 (133 us) on 0");
	cr_expect_not_null(strstr(find(&r, "cstates")->why, "cpu_dma_latency"));
	expect(&r, "isolcpus", RTLAB_VERDICT_SKIP, "1 CPU online");
}

Test(doctor, clocksources)
{
	static const char *const hpet[] = {
		"/sys/devices/system/clocksource/clocksource0/current_clocksource", "hpet\n",
		"/sys/devices/system/clocksource/clocksource0/available_clocksource",
		"hpet acpi_pm\n",
	};
	static const char *const jiffies[] = {
		"/sys/devices/system/clocksource/clocksource0/current_clocksource", "jiffies\n",
	};
	static struct run r;

	run_files(hpet, 4, &r);
	expect(&r, "clocksource", RTLAB_VERDICT_WARN, "hpet");
	cr_expect_not_null(strstr(find(&r, "clocksource")->fix, "available_clocksource"),
			   "no tsc to suggest");
	run_files(jiffies, 2, &r);
	expect(&r, "clocksource", RTLAB_VERDICT_BAD, "jiffies");
}

Test(doctor, throttling_before_6_12)
{
	static const char *const files[] = {
		"/proc/sys/kernel/osrelease", "6.1.0-28-amd64\n",
		"/proc/sys/kernel/sched_rt_runtime_us", "950000\n",
		"/proc/sys/kernel/sched_rt_period_us", "1000000\n",
	};
	static struct run r;

	run_files(files, 6, &r);
	expect(&r, "rt-throttling", RTLAB_VERDICT_WARN, "(95%)");
	cr_expect_not_null(strstr(find(&r, "rt-throttling")->fix, "sched_rt_runtime_us=-1"));
}

Test(doctor, preempt_none_warns)
{
	static const char *const files[] = {
		"/proc/sys/kernel/version", "#1 SMP PREEMPT_DYNAMIC Thu Jan  1 2025\n",
		"/proc/cmdline", "ro preempt=none\n",
	};
	static struct run r;

	run_files(files, 4, &r);
	expect(&r, "preempt-model", RTLAB_VERDICT_WARN, "none (from cmdline)");
	cr_expect_not_null(strstr(find(&r, "preempt-model")->fix, "preempt=full"));
	expect(&r, "preempt-rt", RTLAB_VERDICT_BAD, "model none");
}

Test(doctor, smt_active_warns)
{
	static const char *const files[] = {
		"/sys/devices/system/cpu/smt/active", "1\n",
		"/sys/devices/system/cpu/smt/control", "on\n",
	};
	static struct run r;

	run_files(files, 4, &r);
	expect(&r, "smt", RTLAB_VERDICT_WARN, "SMT active (control: on)");
}
