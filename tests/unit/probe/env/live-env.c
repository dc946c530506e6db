/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-env.c - the quota, runtime and cloud families on this machine against
 * independent sources: nproc, /proc/meminfo and /proc/self/cgroup read here
 * with stdio, getrlimit(), systemd-detect-virt, and the cost of reading the
 * same files.
 *
 * Tolerances:
 *   effective CPUs, rounded   == nproc (which counts the affinity mask) when no CPU
 *                              quota applies; with one, == min(nproc, ceil(quota)),
 *                              as nproc knows nothing of quotas
 *   effective CPUs            in (rounded - 1, rounded]
 *   effective memory          <= MemTotal; == MemTotal when no memory limit applies
 *   rlimits                   exact (getrlimit() in this process right after)
 *   cgroup path               exact (the test does not move itself)
 *   container / hypervisor    systemd-detect-virt's answer where it has one for the
 *                              same thing (it names no kata, gvisor, containerd, cri-o)
 *   node_dmi_info             the same labels and values as node_exporter's dmi
 *                              collector pointed at the same sysfs (a fixture tree, as
 *                              this VM has no DMI)
 *   cost                      median fresh collection <= 1.3 x median pread of the
 *                              files it read (traced), best of three tries
 */
#include <fcntl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "env-test.h"

#include "probe-internal.h"

#define Q RTLAB_PF_QUOTA
#define MAX_FILES 256

/* live - family @f collected on this machine into fresh data. */
static struct rtlab_probe_data *live(enum rtlab_probe_family f)
{
	return collect_at("", f);
}

/* run - the first line of a shell command's output (NULL if it failed or said nothing). */
static char *run(const char *cmd, char *buf, size_t size)
{
	FILE *f = popen(cmd, "r");
	char *r;

	if (!f)
		return NULL;
	r = fgets(buf, (int)size, f);
	if (pclose(f) != 0 || !r)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

Test(live_env, effective_cpus_match_nproc)
{
	struct rtlab_probe_data *d = live(Q);
	const struct rtlab_probe_quota *q = &d->quota;
	char out[64];
	unsigned long nproc, want;

	/* OMP_* would make nproc report something else than the CPUs. */
	if (!run("env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc 2>/dev/null", out, sizeof(out)))
		cr_skip_test("nproc is not installed");
	nproc = strtoul(out, NULL, 10);
	cr_assert_eq(q->cpus_affinity.st, RTLAB_PV_OK);
	cr_assert_eq(q->cpus_affinity.v, nproc);
	want = nproc;
	if (rtlab_pv_ok(q->cpu_quota_cores.st) && !q->cpu_quota_cores.unlimited) {
		unsigned long ceil_q = (unsigned long)q->cpu_quota_cores.v;

		ceil_q += (double)ceil_q < q->cpu_quota_cores.v;
		want = ceil_q < want ? (ceil_q ? ceil_q : 1) : want;
	}
	cr_assert_eq(q->effective_cpus_int.v, want, "nproc %lu, quota %s", nproc,
		     q->cpu_quota_cores.unlimited ? "none" : "set");
	cr_assert_leq(q->effective_cpus.v, (double)q->effective_cpus_int.v);
	cr_assert_gt(q->effective_cpus.v, (double)q->effective_cpus_int.v - 1);
	rtlab_probe_data_free(d);
}

Test(live_env, effective_memory_within_memtotal)
{
	struct rtlab_probe_data *d = live(Q);
	const struct rtlab_probe_quota *q = &d->quota;
	unsigned long long kb = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	fclose(f);
	cr_assert_gt(kb, 0);
	cr_assert_eq(q->mem_total_bytes.v, kb * 1024);
	cr_assert_leq(q->effective_mem_bytes.v, kb * 1024);
	if (q->mem_max_hier_bytes.unlimited)
		cr_assert_eq(q->effective_mem_bytes.v, kb * 1024);
	rtlab_probe_data_free(d);
}

Test(live_env, rlimits_match_getrlimit)
{
	struct rtlab_probe_data *d = live(Q);

	for (int i = 0; i < RTLAB_PROBE_NRLIMITS; i++) {
		const struct rtlab_probe_rlimit *r = &d->quota.rlimit[i];
		struct rlimit rl;

		cr_assert_eq(getrlimit(i, &rl), 0);
		cr_assert_eq(r->soft.unlimited, rl.rlim_cur == RLIM_INFINITY, "%d", i);
		cr_assert_eq(r->hard.unlimited, rl.rlim_max == RLIM_INFINITY, "%d", i);
		if (!r->soft.unlimited)
			cr_assert_eq(r->soft.v, (uint64_t)rl.rlim_cur, "%s",
				     rtlab_probe_rlimit_name((unsigned)i));
		if (!r->hard.unlimited)
			cr_assert_eq(r->hard.v, (uint64_t)rl.rlim_max, "%s",
				     rtlab_probe_rlimit_name((unsigned)i));
	}
	rtlab_probe_data_free(d);
}

Test(live_env, cgroup_path_matches_proc)
{
	struct rtlab_probe_data *d = live(Q);
	const struct rtlab_probe_quota *q = &d->quota;
	char line[1024], v2[512] = "", mem[512] = "", cpu[512] = "";
	FILE *f = fopen("/proc/self/cgroup", "r");

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		c2[strcspn(c2, "\n")] = '\0';
		if (c2 == c1 + 1)
			snprintf(v2, sizeof(v2), "%s", c2 + 1);
		else if (strstr(c1, "memory") && c2 - c1 == 7)
			snprintf(mem, sizeof(mem), "%s", c2 + 1);
		else if (strncmp(c1, ":cpu,", 5) == 0 || strncmp(c1, ":cpu:", 5) == 0)
			snprintf(cpu, sizeof(cpu), "%s", c2 + 1);
	}
	fclose(f);
	if (q->mode == RTLAB_CGROUP_V2)
		cr_assert_str_eq(q->path, v2);
	else if (q->mode != RTLAB_CGROUP_NONE)
		cr_assert_str_eq(q->path, mem[0] ? mem : cpu);
	rtlab_probe_data_free(d);
}

/* systemd_name - our container name as systemd-detect-virt says it ("" for none). */
static const char *systemd_name(const char *ours)
{
	if (!strncmp(ours, "wsl", 3))
		return "wsl";
	if (!strcmp(ours, "lxd"))
		return "lxc";
	return ours;
}

Test(live_env, runtime_agrees_with_systemd)
{
	struct rtlab_probe_data *d = live(RTLAB_PF_RUNTIME);
	const struct rtlab_probe_runtime *r = &d->runtime;
	static const char *const unknown_to_systemd[] = { "", "kata", "gvisor", "containerd",
							  "cri-o", "buildah", "container" };
	char ct[64], vm[64];
	bool known = false;

	if (!run("systemd-detect-virt --container 2>/dev/null || true", ct, sizeof(ct)) ||
	    !run("systemd-detect-virt --vm 2>/dev/null || true", vm, sizeof(vm)))
		cr_skip_test("systemd-detect-virt is not installed");
	cr_log_info("rtlab: %s (%s), %s (%s); systemd: %s, %s", r->container, r->container_evidence,
		    r->virt, r->virt_evidence, ct, vm);
	if (strcmp(ct, "none") != 0) {
		cr_assert_str_eq(systemd_name(r->container), ct);
	} else {
		for (size_t i = 0; i < sizeof(unknown_to_systemd) / sizeof(unknown_to_systemd[0]);
		     i++)
			known |= strcmp(r->container, unknown_to_systemd[i]) == 0;
		cr_assert(known, "rtlab says %s where systemd sees none", r->container);
	}
	if (strcmp(vm, "none") != 0)
		cr_assert_neq(r->virt[0], '\0', "systemd sees %s", vm);
	rtlab_probe_data_free(d);
}

Test(live_env, cloud_collects)
{
	struct rtlab_probe_data *d = live(RTLAB_PF_CLOUD);

	cr_assert_eq(d->err[RTLAB_PF_CLOUD], 0, "%s", d->why[RTLAB_PF_CLOUD]);
	cr_assert_eq(d->cloud.st, RTLAB_PV_OK);
	cr_log_info("cloud: '%s' (%s)", d->cloud.vendor, d->cloud.evidence);
	rtlab_probe_data_free(d);
}

/* NE_DMI - node_exporter's dmi collector alone on a sysfs tree, its node_dmi_info line. */
#define NE_DMI                                                                              \
	"prometheus-node-exporter --web.listen-address=127.0.0.1:9131 --path.sysfs=%s/sys "  \
	"--collector.disable-defaults --collector.dmi >/dev/null 2>&1 & ne=$!; "              \
	"for i in $(seq 50); do out=$(curl -s 127.0.0.1:9131/metrics | grep '^node_dmi_info') " \
	"&& break; sleep 0.1; done; kill $ne; wait $ne 2>/dev/null; echo \"$out\""

/* ne_labels - node_exporter's node_dmi_info labels for @tree as "k=v,k=v" (NULL if none). */
static char *ne_labels(const char *tree, char *out, size_t size)
{
	char root[PATH_MAX], cmd[PATH_MAX + 512], line[2048], *o = out;

	fixture_root(tree, root, sizeof(root));
	snprintf(cmd, sizeof(cmd), NE_DMI, root);
	if (!run(cmd, line, sizeof(line)) || !strchr(line, '{') || !strchr(line, '}'))
		return NULL;
	*strchr(line, '}') = '\0';
	for (const char *p = strchr(line, '{') + 1; *p && o + 1 < out + size; p++)
		if (*p != '"')
			*o++ = *p;
	*o = '\0';
	return out;
}

/* node_dmi_info is node_exporter's, label for label (the fixtures' DMI, read by both). */
Test(live_env, dmi_info_matches_node_exporter, .timeout = 60)
{
	static const char *const trees[] = { "container", "gvisor" };
	static struct rec r;
	char want[2048];

	if (system("command -v prometheus-node-exporter >/dev/null && command -v curl >/dev/null"))
		cr_skip_test("prometheus-node-exporter or curl is not installed");
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		struct rtlab_probe_data *d = collect_tree(trees[i], RTLAB_PF_CLOUD);

		cr_assert_not_null(ne_labels(trees[i], want, sizeof(want)), "node_exporter on %s",
				   trees[i]);
		rec_emit(d, RTLAB_PF_CLOUD, &r);
		cr_assert_not_null(rec_find(&r, "node_dmi_info", want),
				   "%s: node_exporter %s, rtlab %s", trees[i], want, r.s[0].labels);
		rtlab_probe_data_free(d);
	}
}

struct traced {
	char path[MAX_FILES][PATH_MAX];
	size_t n;
};

/* on_read - each traced path once. */
static void on_read(void *arg, const char *path)
{
	struct traced *t = arg;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->path[i], path) == 0)
			return;
	if (t->n < MAX_FILES)
		snprintf(t->path[t->n++], PATH_MAX, "%s", path);
}

/* ns - CLOCK_MONOTONIC in ns. */
static uint64_t ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* u64_cmp - qsort order. */
static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A fresh quota collection costs at most 1.3 times reading its files (median of many). */
Test(live_env, quota_cost_near_the_read_floor, .timeout = 120)
{
	enum { ROUNDS = 2000 };
	static uint64_t a[ROUNDS], b[ROUNDS];
	static char buf[1 << 16];
	static struct traced t;
	int fds[MAX_FILES];
	struct rtlab_probe_opts o = { .root = "", .ttl_fast_ns = 1, .ttl_slow_ns = 1 };
	struct rtlab_probe *p = probe_at("", &o);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	double ratio = 0;

	for (int i = 0; i < 20; i++)
		cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(Q), d), 0);
	probe_set_trace(p, on_read, &t);
	rtlab_probe_collect(p, RTLAB_PF_BIT(Q), d);
	probe_set_trace(p, NULL, NULL);
	cr_assert_gt(t.n, 0);
	for (size_t k = 0; k < t.n; k++)
		fds[k] = open(t.path[k], O_RDONLY | O_CLOEXEC);
	for (int attempt = 0; attempt < 3 && (attempt == 0 || ratio > 1.3); attempt++) {
		for (int i = 0; i < ROUNDS; i++) {
			uint64_t t0 = ns(), t1, t2;

			for (size_t k = 0; k < t.n; k++)
				if (fds[k] >= 0 && pread(fds[k], buf, sizeof(buf), 0) < 0)
					continue;
			t1 = ns();
			rtlab_probe_collect(p, RTLAB_PF_BIT(Q), d);
			t2 = ns();
			a[i] = t1 - t0;
			b[i] = t2 - t1;
		}
		qsort(a, ROUNDS, sizeof(a[0]), u64_cmp);
		qsort(b, ROUNDS, sizeof(b[0]), u64_cmp);
		ratio = (double)b[ROUNDS / 2] / (double)a[ROUNDS / 2];
		cr_log_info("quota: %zu files, read %.1f us, collect %.1f us, ratio %.2f", t.n,
			    a[ROUNDS / 2] / 1e3, b[ROUNDS / 2] / 1e3, ratio);
	}
	cr_assert_leq(ratio, 1.3, "collect costs %.2f x reading its files", ratio);
	for (size_t k = 0; k < t.n; k++)
		if (fds[k] >= 0)
			close(fds[k]);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}
