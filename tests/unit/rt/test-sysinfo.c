/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-sysinfo.c - system facts on fixture trees (a captured VM, a tuned
 * PREEMPT_RT board, a broken tree), the kernel command line parser, the
 * /proc/stat steal parser and the cpu_dma_latency hold.
 */
#include <dirent.h>
#include <stdint.h>

#include "test-tree.h"

/* cpus_of - a CPU set from a list. */
static cpu_set_t cpus_of(const char *list)
{
	cpu_set_t set;

	cr_assert_eq(rtlab_cpulist_parse(list, &set, NULL), 0, "list %s", list);
	return set;
}

/* read_tree - rtlab_sysinfo_read() below a fixture, which must succeed. */
static void read_tree(const char *name, struct rtlab_sysinfo *si)
{
	struct rtlab_ctx *ctx = ctx_fixture(name, NULL);

	cr_assert_eq(rtlab_sysinfo_read(ctx, si), 0);
	rtlab_ctx_free(ctx);
}

Test(sysinfo, model_names)
{
	cr_assert_str_eq(rtlab_preempt_model_name(RTLAB_PREEMPT_RT), "rt");
	cr_assert_str_eq(rtlab_preempt_model_name(RTLAB_PREEMPT_VOLUNTARY), "voluntary");
	cr_assert_str_eq(rtlab_preempt_model_name(RTLAB_PREEMPT_UNKNOWN), "unknown");
	cr_assert_str_eq(rtlab_preempt_model_name(_RTLAB_PREEMPT_MAX), "unknown");
}

Test(sysinfo, vm_tree)
{
	struct rtlab_sysinfo si;
	cpu_set_t all = cpus_of("0-1");

	read_tree("rt-vm", &si);
	cr_assert_str_eq(si.sysname, "Linux");
	cr_assert_str_eq(si.release, "6.18.44-fc-v657");
	cr_assert_str_eq(si.machine, "x86_64");
	cr_assert_not_null(strstr(si.version, "PREEMPT_DYNAMIC"));
	cr_assert_not(si.preempt_rt);
	cr_assert(si.preempt_dynamic);
	cr_assert_eq(si.preempt, RTLAB_PREEMPT_FULL);
	cr_assert_not_null(strstr(si.preempt_source, "uname"), "%s", si.preempt_source);
	cr_assert(si.rt_throttle_known);
	cr_assert_eq(si.rt_runtime_us, 950000);
	cr_assert_eq(si.rt_period_us, 1000000);
	cr_assert_eq(si.nr_online, 2);
	cr_assert(CPU_EQUAL(&si.online, &all));
	cr_assert(si.isolated_known);
	cr_assert_eq(CPU_COUNT(&si.isolated), 0);
	cr_assert_not(si.nohz_full_known, "the VM kernel has no nohz_full file");
	cr_assert(si.rcu_nocbs_known);
	cr_assert_eq(CPU_COUNT(&si.rcu_nocbs), 0);
	cr_assert_str_eq(si.clocksource, "tsc");
	cr_assert_str_eq(si.cpu_model, "AMD EPYC");
	cr_assert(si.hypervisor);
	cr_assert_eq(si.hz, 0);
	cr_assert_not_null(strstr(si.cmdline, "console=ttyS0"));
}

Test(sysinfo, tuned_tree)
{
	struct rtlab_sysinfo si;
	cpu_set_t iso = cpus_of("2-3");

	read_tree("rt-tuned", &si);
	cr_assert_str_eq(si.release, "6.1.0-28-rt-amd64");
	cr_assert(si.preempt_rt);
	cr_assert_not(si.preempt_dynamic);
	cr_assert_eq(si.preempt, RTLAB_PREEMPT_RT);
	cr_assert_str_eq(si.preempt_source, "sysfs realtime");
	cr_assert_eq(si.rt_runtime_us, -1);
	cr_assert_eq(si.nr_online, 4);
	cr_assert(CPU_EQUAL(&si.isolated, &iso));
	cr_assert(si.nohz_full_known);
	cr_assert(CPU_EQUAL(&si.nohz_full, &iso));
	cr_assert(CPU_EQUAL(&si.rcu_nocbs, &iso));
	cr_assert_eq(si.hz, 1000);
	cr_assert_not(si.hypervisor);
	cr_assert_str_eq(si.cpu_model, "Intel(R) Core(TM) i5-8365UE CPU @ 1.60GHz");
	cr_assert_str_eq(si.nodename, "rt-board");
}

Test(sysinfo, broken_tree)
{
	struct rtlab_sysinfo si;

	read_tree("rt-broken", &si);
	cr_assert_not(si.preempt_rt, "realtime 'yes' is not 1");
	cr_assert_eq(si.preempt, RTLAB_PREEMPT_UNKNOWN);
	cr_assert_str_eq(si.preempt_source, "");
	cr_assert_not(si.rt_throttle_known);
	cr_assert_eq(si.rt_runtime_us, 0);
	cr_assert_not(si.isolated_known, "isolated '2-x' and an unbalanced isolcpus= quote");
	cr_assert_not(si.nohz_full_known);
	cr_assert_str_eq(si.clocksource, "");
	cr_assert_str_eq(si.version, "");
	cr_assert_eq(si.nr_online, 2);
	cr_assert_eq(si.hz, 0);
}

Test(sysinfo, nothing_readable)
{
	struct log_capture lc = { .count = 0 };
	struct rtlab_sysinfo si;
	struct rtlab_ctx *ctx;
	char root[64];

	tree_new(root, sizeof(root));
	ctx = ctx_at(root, &lc);
	cr_assert_eq(rtlab_sysinfo_read(ctx, &si), -ENOENT);
	cr_assert_eq(lc.count, 1);
	cr_assert_not_null(strstr(lc.msg, root), "%s", lc.msg);
	rtlab_ctx_free(ctx);
	tree_free(root);
}

Test(sysinfo, real_root)
{
	struct rtlab_ctx *ctx = rtlab_ctx_new();
	struct rtlab_sysinfo si;

	cr_assert_eq(rtlab_sysinfo_read(ctx, &si), 0);
	cr_assert_str_eq(si.sysname, "Linux");
	cr_assert_gt(strlen(si.release), 0);
	cr_assert_gt(si.nr_online, 0);
	rtlab_ctx_free(ctx);
}

/* model_of - the model found in a temporary tree holding @files (path, text pairs). */
static struct rtlab_sysinfo model_of(const char *const *files, size_t n)
{
	struct rtlab_sysinfo si;
	struct rtlab_ctx *ctx;
	char root[64];

	tree_new(root, sizeof(root));
	for (size_t i = 0; i + 1 < n; i += 2)
		tree_put(root, files[i], files[i + 1]);
	ctx = ctx_at(root, NULL);
	cr_assert_eq(rtlab_sysinfo_read(ctx, &si), 0);
	rtlab_ctx_free(ctx);
	tree_free(root);
	return si;
}

Test(sysinfo, model_from_debugfs)
{
	static const char *const files[] = {
		"/proc/sys/kernel/version", "#1 SMP PREEMPT_DYNAMIC Thu Jan  1 2025\n",
		"/proc/cmdline", "ro preempt=none\n",
		"/sys/kernel/debug/sched/preempt", "none voluntary full (lazy)\n",
	};
	struct rtlab_sysinfo si = model_of(files, 6);

	cr_assert_eq(si.preempt, RTLAB_PREEMPT_LAZY);
	cr_assert_str_eq(si.preempt_source, "debugfs");
}

Test(sysinfo, model_from_cmdline)
{
	static const char *const files[] = {
		"/proc/sys/kernel/version", "#1 SMP PREEMPT_DYNAMIC Thu Jan  1 2025\n",
		"/proc/cmdline", "ro preempt=voluntary quiet\n",
	};
	struct rtlab_sysinfo si = model_of(files, 4);

	cr_assert_eq(si.preempt, RTLAB_PREEMPT_VOLUNTARY);
	cr_assert_str_eq(si.preempt_source, "cmdline");
}

Test(sysinfo, cmdline_ignored_without_dynamic)
{
	static const char *const files[] = {
		"/proc/sys/kernel/version", "#1 SMP PREEMPT Thu Jan  1 2025\n",
		"/proc/cmdline", "ro preempt=none\n",
	};
	struct rtlab_sysinfo si = model_of(files, 4);

	cr_assert_eq(si.preempt, RTLAB_PREEMPT_FULL);
	cr_assert_str_eq(si.preempt_source, "uname");
}

Test(sysinfo, model_from_config)
{
	static const char *const files[] = {
		"/proc/sys/kernel/osrelease", "6.1.0-28-amd64\n",
		"/proc/sys/kernel/version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1\n",
		"/boot/config-6.1.0-28-amd64", "CONFIG_HZ_250=y\nCONFIG_HZ=250\n"
		"CONFIG_PREEMPT_VOLUNTARY=y\nCONFIG_PREEMPT_DYNAMIC=y\n",
	};
	struct rtlab_sysinfo si = model_of(files, 6);

	cr_assert_eq(si.preempt, RTLAB_PREEMPT_VOLUNTARY);
	cr_assert_str_eq(si.preempt_source, "config");
	cr_assert_eq(si.hz, 250);
}

Test(sysinfo, no_preempt_flag)
{
	static const char *const files[] = {
		"/proc/sys/kernel/version", "#1 SMP Thu Jan  1 2025\n",
	};
	struct rtlab_sysinfo si = model_of(files, 2);

	cr_assert_eq(si.preempt, RTLAB_PREEMPT_UNKNOWN);
	cr_assert_not_null(strstr(si.preempt_source, "none or voluntary"));
}

Test(sysinfo, rt_from_version)
{
	static const char *const files[] = {
		"/proc/sys/kernel/version", "#1 SMP PREEMPT_RT Thu Jan  1 2025\n",
	};
	struct rtlab_sysinfo si = model_of(files, 2);

	cr_assert(si.preempt_rt);
	cr_assert_eq(si.preempt, RTLAB_PREEMPT_RT);
	cr_assert_str_eq(si.preempt_source, "uname");
}

Test(sysinfo, old_nohz_null_and_isolcpus_fallback)
{
	static const char *const files[] = {
		"/sys/devices/system/cpu/online", "0-3\n",
		"/sys/devices/system/cpu/nohz_full", "(null)\n",
		"/proc/cmdline", "ro isolcpus=nohz,domain,managed_irq,1-3 rcu_nocbs=all\n",
	};
	struct rtlab_sysinfo si = model_of(files, 6);
	cpu_set_t iso = cpus_of("1-3"), all = cpus_of("0-3");

	cr_assert(si.nohz_full_known);
	cr_assert_eq(CPU_COUNT(&si.nohz_full), 0);
	cr_assert(si.isolated_known);
	cr_assert(CPU_EQUAL(&si.isolated, &iso));
	cr_assert(CPU_EQUAL(&si.rcu_nocbs, &all));
}

Test(sysinfo, empty_isolated_is_empty_set)
{
	static const char *const files[] = {
		"/sys/devices/system/cpu/isolated", "\n",
		"/sys/devices/system/cpu/nohz_full", "",
	};
	struct rtlab_sysinfo si = model_of(files, 4);

	cr_assert(si.isolated_known);
	cr_assert(si.nohz_full_known);
	cr_assert_eq(CPU_COUNT(&si.isolated), 0);
}

/* Kernel command line parameters. */

Test(cmdline, found_and_absent)
{
	const char *cl = "BOOT_IMAGE=/vmlinuz ro quiet isolcpus=2-3 nohz_full=2-3\n";
	char buf[64];

	cr_assert_eq(rtlab_cmdline_param(cl, "isolcpus", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "2-3");
	cr_assert_eq(rtlab_cmdline_param(cl, "nohz_full", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "2-3", "the trailing newline is not part of the value");
	cr_assert_eq(rtlab_cmdline_param(cl, "rcu_nocbs", buf, sizeof(buf)), 0);
	cr_assert_eq(rtlab_cmdline_param("", "quiet", buf, sizeof(buf)), 0);
}

Test(cmdline, flags_and_empty_values)
{
	const char *cl = "ro quiet foo= nosmt";
	char buf[16] = "x";

	cr_assert_eq(rtlab_cmdline_param(cl, "quiet", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(rtlab_cmdline_param(cl, "foo", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(rtlab_cmdline_param(cl, "nosmt", NULL, 0), 1, "presence only");
	cr_assert_eq(rtlab_cmdline_param(cl, "smt", NULL, 0), 0);
}

Test(cmdline, quoted)
{
	const char *cl = "a=1 dyndbg=\"file foo.c +p\" \"isolcpus=1 3\" b=\"\" c=2";
	char buf[64];

	cr_assert_eq(rtlab_cmdline_param(cl, "dyndbg", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "file foo.c +p");
	cr_assert_eq(rtlab_cmdline_param(cl, "isolcpus", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "1 3");
	cr_assert_eq(rtlab_cmdline_param(cl, "b", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(rtlab_cmdline_param(cl, "c", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "2");
	cr_assert_eq(rtlab_cmdline_param(cl, "file", buf, sizeof(buf)), 0, "inside quotes");
}

Test(cmdline, names_match_whole)
{
	const char *cl = "isolcpus_x=5 isolcpus2=3 xisolcpus=4 isol=1";
	char buf[16];

	cr_assert_eq(rtlab_cmdline_param(cl, "isolcpus", buf, sizeof(buf)), 0);
	cr_assert_eq(rtlab_cmdline_param(cl, "isolcpus_", buf, sizeof(buf)), 0);
	cr_assert_eq(rtlab_cmdline_param(cl, "isol", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "1");
}

Test(cmdline, dash_underscore_last_wins_and_double_dash)
{
	const char *cl = "rcu-nocbs=2 a=1 a=2 -- b=3 init=/bin/sh";
	char buf[16];

	cr_assert_eq(rtlab_cmdline_param(cl, "rcu_nocbs", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "2");
	cr_assert_eq(rtlab_cmdline_param(cl, "a", buf, sizeof(buf)), 1);
	cr_assert_str_eq(buf, "2");
	cr_assert_eq(rtlab_cmdline_param(cl, "b", buf, sizeof(buf)), 0, "after '--': init's");
}

Test(cmdline, errors)
{
	char buf[4];

	cr_assert_eq(rtlab_cmdline_param("a=123456", "a", buf, sizeof(buf)), -ENOSPC);
	cr_assert_str_eq(buf, "123");
	cr_assert_eq(rtlab_cmdline_param("a=1", "a", buf, 0), -ENOSPC);
	cr_assert_eq(rtlab_cmdline_param("a=1", "", buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(rtlab_cmdline_param("a=1", "a=1", buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(rtlab_cmdline_param(NULL, "a", buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(rtlab_cmdline_param("a=\"", "a", buf, sizeof(buf)), 1, "lone quote");
	cr_assert_str_eq(buf, "");
	cr_assert_eq(rtlab_cmdline_param("\"", "a", buf, sizeof(buf)), 0);
}

/* Steal time from /proc/stat. */

static const char stat_text[] =
	"cpu  100 0 50 1000 3 0 1 9 0 0\n"
	"cpu0 50 0 25 500 1 0 1 4 0 0\n"
	"cpu1 50 0 25 500 2 0 0 5 0 0\n"
	"intr 12345 0 1 2\n"
	"ctxt 999\n";

/* LIT - a string literal and its length. */
#define LIT(s) s, sizeof(s) - 1

/* steal - rtlab_steal_parse() on a copy of @text with no NUL after it. */
static int steal(const char *text, size_t len, const char *cpus, long hz, uint64_t *ns)
{
	char *copy = malloc(len ? len : 1);
	cpu_set_t set;
	int r;

	cr_assert_not_null(copy);
	memcpy(copy, text, len);
	if (cpus)
		set = cpus_of(cpus);
	r = rtlab_steal_parse(copy, len, cpus ? &set : NULL, hz, ns);
	free(copy);
	return r;
}

Test(steal, total_and_sets)
{
	uint64_t ns = 0;
	size_t len = strlen(stat_text);

	cr_assert_eq(steal(stat_text, len, NULL, 100, &ns), 0);
	cr_assert_eq(ns, 90 * RTLAB_NSEC_PER_MSEC);
	cr_assert_eq(steal(stat_text, len, "0-1", 100, &ns), 0);
	cr_assert_eq(ns, 90 * RTLAB_NSEC_PER_MSEC);
	cr_assert_eq(steal(stat_text, len, "1", 100, &ns), 0);
	cr_assert_eq(ns, 50 * RTLAB_NSEC_PER_MSEC);
	cr_assert_eq(steal(stat_text, len, "1", 1000, &ns), 0);
	cr_assert_eq(ns, 5 * RTLAB_NSEC_PER_MSEC);
	cr_assert_eq(steal(stat_text, len, "1", 300, &ns), 0, "USER_HZ not dividing 1e9");
	cr_assert_eq(ns, 16666666);
}

Test(steal, missing_cpu)
{
	uint64_t ns;

	cr_assert_eq(steal(stat_text, strlen(stat_text), "0-2", 100, &ns), -ENOENT);
	cr_assert_eq(steal(LIT("cpu0 1 2 3 4 5 6 7 8\n"), NULL, 100, &ns), -ENOENT,
		     "no total line");
	cr_assert_eq(steal(LIT(""), NULL, 100, &ns), -ENOENT);
}

Test(steal, malformed)
{
	uint64_t ns;

	cr_assert_eq(steal(LIT("cpu  1 2 3\n"), NULL, 100, &ns), -EINVAL, "too few fields");
	cr_assert_eq(steal(LIT("cpu  1 2 x 4 5 6 7 8\n"), NULL, 100, &ns), -EINVAL);
	cr_assert_eq(steal(LIT("cpu  1 2 3 4 5 6 7 -8\n"), NULL, 100, &ns), -EINVAL);
	cr_assert_eq(steal(LIT("cpuX 1 2 3 4 5 6 7 8\n"), NULL, 100, &ns), -EINVAL);
	cr_assert_eq(steal(LIT("cpu  1 2 3 4 5 6 7 99999999999999999999\n"), NULL, 100, &ns),
		     -EINVAL, "overflow");
	cr_assert_eq(steal(LIT("cpu0 1 2 3 4 5 6 7 8\ncpu0 1 2 3 4 5 6 7 8\n"), "0", 100, &ns),
		     -EINVAL, "the same CPU twice");
	cr_assert_eq(steal(stat_text, strlen(stat_text), NULL, 0, &ns), -EINVAL, "no tick rate");
	cr_assert_eq(rtlab_steal_parse(NULL, 0, NULL, 100, &ns), -EINVAL);
}

Test(steal, not_nul_terminated)
{
	const char text[] = "cpu  1 2 3 4 5 6 7 89 0 0\n";
	uint64_t ns;

	/* the buffer ends inside "89": the parser must stop at its end */
	cr_assert_eq(steal(text, 20, NULL, 100, &ns), 0);
	cr_assert_eq(ns, 80 * RTLAB_NSEC_PER_MSEC);
	cr_assert_eq(steal(text, 19, NULL, 100, &ns), -EINVAL, "ends before the steal field");
	cr_assert_eq(steal(stat_text, 40, "1", 100, &ns), -ENOENT, "cut before cpu1");
}

Test(steal, read_fixture)
{
	struct rtlab_ctx *ctx = ctx_fixture("rt-vm", NULL);
	long hz = sysconf(_SC_CLK_TCK);
	cpu_set_t one = cpus_of("1");
	uint64_t ns;

	cr_assert_eq(rtlab_steal_read(ctx, NULL, &ns), 0);
	cr_assert_eq(ns, 36 * RTLAB_NSEC_PER_SEC / (uint64_t)hz);
	cr_assert_eq(rtlab_steal_read(ctx, &one, &ns), 0);
	cr_assert_eq(ns, 21 * RTLAB_NSEC_PER_SEC / (uint64_t)hz);
	rtlab_ctx_free(ctx);
}

Test(steal, read_broken)
{
	struct log_capture lc = { .count = 0 };
	struct rtlab_ctx *ctx = ctx_fixture("rt-broken", &lc);
	uint64_t ns;

	cr_assert_eq(rtlab_steal_read(ctx, NULL, &ns), -EINVAL);
	cr_assert_not_null(strstr(lc.msg, "/proc/stat"), "%s", lc.msg);
	rtlab_ctx_free(ctx);
}

/* cpu_dma_latency */

/* count_fds - open file descriptors of this process. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* dev_value - the bytes of <root>/dev/cpu_dma_latency; returns the file size. */
static long dev_value(const char *root, int32_t *ret)
{
	char path[128];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/dev/cpu_dma_latency", root);
	cr_assert_eq(stat(path, &st), 0);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	if (st.st_size == (off_t)sizeof(*ret))
		cr_assert_eq(fread(ret, sizeof(*ret), 1, f), 1);
	fclose(f);
	return (long)st.st_size;
}

Test(dmalat, hold_writes_and_release_closes)
{
	struct rtlab_dma_latency *h;
	struct rtlab_ctx *ctx;
	char root[64];
	int32_t v = -1;
	int fds;

	tree_new(root, sizeof(root));
	tree_put(root, "/dev/cpu_dma_latency", "");
	ctx = ctx_at(root, NULL);
	fds = count_fds();
	h = rtlab_dma_latency_hold(ctx, 0);
	cr_assert_not_null(h, "%s", strerror(errno));
	cr_assert_eq(count_fds(), fds + 1, "the fd is kept");
	cr_assert_eq(dev_value(root, &v), 4);
	cr_assert_eq(v, 0);
	cr_assert_eq(rtlab_dma_latency_value(h), 0);
	cr_assert_null(rtlab_dma_latency_release(h));
	cr_assert_eq(count_fds(), fds, "release closes the fd");

	h = rtlab_dma_latency_hold(ctx, 125);
	cr_assert_not_null(h);
	cr_assert_eq(dev_value(root, &v), 4);
	cr_assert_eq(v, 125);
	cr_assert_eq(rtlab_dma_latency_value(h), 125);
	rtlab_dma_latency_release(h);
	rtlab_ctx_free(ctx);
	tree_free(root);
}

Test(dmalat, errors)
{
	struct log_capture lc = { .count = 0 };
	struct rtlab_ctx *ctx;
	char root[64];

	cr_assert_null(rtlab_dma_latency_release(NULL));
	tree_new(root, sizeof(root));
	ctx = ctx_at(root, &lc);
	cr_assert_null(rtlab_dma_latency_hold(ctx, 0));
	cr_assert_eq(errno, ENOENT);
	cr_assert_not_null(strstr(lc.msg, "/dev/cpu_dma_latency"), "%s", lc.msg);
	cr_assert_not_null(strstr(lc.msg, strerror(ENOENT)), "%s", lc.msg);
	cr_assert_null(rtlab_dma_latency_hold(ctx, -5));
	cr_assert_eq(errno, EINVAL);
	cr_assert_eq(lc.count, 2);
	rtlab_ctx_free(ctx);
	tree_free(root);
}

Test(dmalat, permission_names_the_privilege)
{
	struct log_capture lc = { .count = 0 };
	struct rtlab_ctx *ctx;
	char root[64], path[128];

	if (geteuid() == 0)
		cr_skip_test("root opens a read-only file anyway");
	tree_new(root, sizeof(root));
	tree_put(root, "/dev/cpu_dma_latency", "");
	snprintf(path, sizeof(path), "%s/dev/cpu_dma_latency", root);
	cr_assert_eq(chmod(path, 0400), 0);
	ctx = ctx_at(root, &lc);
	cr_assert_null(rtlab_dma_latency_hold(ctx, 0));
	cr_assert_eq(errno, EACCES);
	cr_assert_not_null(strstr(lc.msg, "needs root"), "%s", lc.msg);
	rtlab_ctx_free(ctx);
	tree_free(root);
}
