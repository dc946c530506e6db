/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-mem.c - the mem, vmstat, psi and numa families on this machine, against
 * independent sources: free(1), the files read directly, and node_exporter.
 *
 * Tolerances: totals (MemTotal, SwapTotal, VmallocTotal, DirectMap*, ...) do
 * not move and must be equal; values that move between two readings (free,
 * available, used, caches) must be within 2% of MemTotal of the other source,
 * or between a reading taken before and one taken after; counters (vmstat,
 * PSI totals) must lie between a reading before and one after.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "mem-test.h"

/* live - the families of @mask collected on this machine into fresh data. */
static struct rtlab_probe_data *live(uint64_t mask)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	cr_assert_not_null(d);
	cr_assert_eq(rtlab_probe_collect(p, mask, d), 0);
	rtlab_probe_free(p);
	return d;
}

/* slurp - the whole output of @cmd (malloc'ed, NUL-terminated), NULL if it failed. */
static char *slurp(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0, cap = 1 << 16;
	char *buf = malloc(cap);

	cr_assert_not_null(buf);
	if (!f) {
		free(buf);
		return NULL;
	}
	for (size_t r; (r = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
		n += r;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
	}
	buf[n] = '\0';
	if (pclose(f) != 0 || n == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* file_text - a file read directly (malloc'ed). */
static char *file_text(const char *path)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "cat %s", path);
	return slurp(cmd);
}

/* within - |a - b| <= tol. */
static bool within(uint64_t a, uint64_t b, uint64_t tol)
{
	return a > b ? a - b <= tol : b - a <= tol;
}

/* free -b: total exactly, available/used/free within 2% of total, swap total exactly. */
Test(live_mem, against_free)
{
	unsigned long long t, u, f, sh, bc, av, st, su, sf;
	char *out = slurp("free -b 2>/dev/null");
	struct rtlab_probe_data *d;
	const char *mem, *swap;
	uint64_t tol;

	if (!out)
		cr_skip_test("free(1) is not installed");
	mem = strstr(out, "Mem:");
	swap = strstr(out, "Swap:");
	cr_assert(mem && swap, "%s", out);
	cr_assert_eq(sscanf(mem, "Mem: %llu %llu %llu %llu %llu %llu", &t, &u, &f, &sh, &bc, &av),
		     6);
	cr_assert_eq(sscanf(swap, "Swap: %llu %llu %llu", &st, &su, &sf), 3);
	d = live(RTLAB_PF_BIT(RTLAB_PF_MEM));
	tol = t / 50;
	cr_assert_eq(d->mem.info.mem_total_bytes.v, t);
	cr_assert(within(d->mem.info.mem_available_bytes.v, av, tol));
	cr_assert(within(d->mem.used_bytes.v, u, tol), "used %lu, free(1) %llu",
		  (unsigned long)d->mem.used_bytes.v, u);
	cr_assert(within(d->mem.info.mem_free_bytes.v, f, tol));
	cr_assert_eq(d->mem.info.swap_total_bytes.v, st);
	cr_assert(within(d->mem.swap_used_bytes.v, su, tol));
	rtlab_probe_data_free(d);
	free(out);
}

/* is_fixed - a meminfo key whose value does not move while the system runs. */
static bool is_fixed(const char *key)
{
	static const char *const fixed[] = { "MemTotal", "SwapTotal", "VmallocTotal",
					     "Hugepagesize", "HugePages_Total", "CmaTotal" };

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(key, fixed[i]) == 0)
			return true;
	return false;
}

/* probe_value - the probe's value for meminfo key @key (named or extra), which must be OK. */
static uint64_t probe_value(const struct rtlab_meminfo *mi, const char *key)
{
	size_t cursor = 0;
	int i = meminfo_key_find(key, strlen(key), &cursor);

	if (i >= 0) {
		cr_assert_eq(meminfo_cfield(mi, &meminfo_keys[i])->st, RTLAB_PV_OK, "%s", key);
		return meminfo_cfield(mi, &meminfo_keys[i])->v;
	}
	for (size_t j = 0; j < mi->n_extra; j++)
		if (strcmp(mi->extra[j].name, key) == 0)
			return mi->extra[j].value.v;
	cr_assert_fail("%s is not kept", key);
	return 0;
}

/* Every line of /proc/meminfo read directly before and after is in the probe's reading. */
Test(live_mem, against_proc_meminfo)
{
	char *before = file_text("/proc/meminfo"), *after;
	struct rtlab_probe_data *d = live(RTLAB_PF_BIT(RTLAB_PF_MEM));
	size_t lines = 0, ok = 0;
	char key[64];
	unsigned long long a, b;

	after = file_text("/proc/meminfo");
	cr_assert(before && after);
	for (const char *p = before; *p; p = strchr(p, '\n') + 1) {
		uint64_t v, tol;
		char unit[4] = "";

		cr_assert(sscanf(p, "%63[^:]: %llu %3s", key, &a, unit) >= 2, "%.40s", p);
		cr_assert(kv_value(after, key, &b), "%s", key);
		v = probe_value(&d->mem.info, key);
		if (unit[0]) {
			a *= 1024;
			b *= 1024;
		}
		tol = is_fixed(key) ? 0 : d->mem.info.mem_total_bytes.v / 50;
		cr_assert(v + tol >= (a < b ? a : b) && v <= (a > b ? a : b) + tol,
			  "%s: probe %lu, /proc/meminfo %llu then %llu", key, (unsigned long)v, a,
			  b);
		lines++;
	}
	for (size_t i = 0; i < meminfo_nkeys; i++)
		ok += meminfo_cfield(&d->mem.info, &meminfo_keys[i])->st == RTLAB_PV_OK;
	cr_assert_eq(ok + d->mem.info.n_extra, lines, "every line, no more");
	rtlab_probe_data_free(d);
	free(before);
	free(after);
}

/* /proc/vmstat: the same lines in the same order; counters between two direct readings. */
Test(live_mem, against_proc_vmstat)
{
	char *before = file_text("/proc/vmstat"), *after;
	struct rtlab_probe_data *d = live(RTLAB_PF_BIT(RTLAB_PF_VMSTAT));
	unsigned long long a, b;
	size_t i = 0;
	char name[64];

	after = file_text("/proc/vmstat");
	cr_assert(before && after);
	for (const char *p = before; *p; p = strchr(p, '\n') + 1, i++) {
		cr_assert_eq(sscanf(p, "%63s %llu", name, &a), 2);
		cr_assert_lt(i, d->vmstat.lines.n);
		cr_assert_str_eq(d->vmstat.lines.items[i].name, name);
	}
	cr_assert_eq(i, d->vmstat.lines.n);
	cr_assert(kv_value(before, "pgfault", &a) && kv_value(after, "pgfault", &b));
	cr_assert(d->vmstat.pgfault.v >= a && d->vmstat.pgfault.v <= b);
	rtlab_probe_data_free(d);
	free(before);
	free(after);
}

/* PSI: each total between two direct readings. */
Test(live_mem, against_proc_pressure)
{
	static const char *const files[] = { "cpu", "memory", "io" };
	char path[64], *before[3], *after;
	struct rtlab_probe_data *d;
	unsigned long long a, b;

	if (access("/proc/pressure/cpu", R_OK) != 0)
		cr_skip_test("no /proc/pressure on this kernel");
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/pressure/%s", files[i]);
		before[i] = file_text(path);
	}
	d = live(RTLAB_PF_BIT(RTLAB_PF_PSI));
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/proc/pressure/%s", files[i]);
		after = file_text(path);
		cr_assert(before[i] && after);
		cr_assert_eq(sscanf(strstr(before[i], "total="), "total=%llu", &a), 1);
		cr_assert_eq(sscanf(strstr(after, "total="), "total=%llu", &b), 1);
		cr_assert(d->psi.res[i].some.total_us.v >= a && d->psi.res[i].some.total_us.v <= b,
			  "%s", files[i]);
		free(before[i]);
		free(after);
	}
	rtlab_probe_data_free(d);
}

/* free_port - a TCP port of the loopback nobody listens on now. */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	close(fd);
	return ntohs(a.sin_port);
}

/* node_exporter - one scrape of node_exporter with the collectors of this group, or NULL. */
static char *node_exporter(void)
{
	char listen[64], cmd[128];
	char *argv[] = { "prometheus-node-exporter", listen, "--collector.disable-defaults",
			 "--collector.meminfo", "--collector.meminfo_numa", "--collector.pressure",
			 NULL };
	posix_spawn_file_actions_t fa;
	char *out = NULL;
	pid_t pid;
	int port = free_port();

	snprintf(listen, sizeof(listen), "--web.listen-address=127.0.0.1:%d", port);
	snprintf(cmd, sizeof(cmd), "curl -sf http://127.0.0.1:%d/metrics 2>/dev/null", port);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, NULL) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return NULL;
	}
	posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < 50 && !out; i++) {
		usleep(100000);
		out = slurp(cmd);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return out;
}

/* Each meminfo, meminfo_numa and pressure sample of node_exporter: ours, same name and labels. */
Test(live_mem, against_node_exporter)
{
	char *ne = node_exporter(), name[128], labels[128];
	struct rtlab_probe_data *d;
	struct rec mem, numa, psi;
	size_t n = 0;
	double v;

	if (!ne)
		cr_skip_test("prometheus-node-exporter or curl is missing, or no answer");
	d = live(RTLAB_PF_BIT(RTLAB_PF_MEM) | RTLAB_PF_BIT(RTLAB_PF_NUMA) |
		 RTLAB_PF_BIT(RTLAB_PF_PSI));
	mem = rec_emit(d, RTLAB_PF_MEM);
	numa = rec_emit(d, RTLAB_PF_NUMA);
	psi = rec_emit(d, RTLAB_PF_PSI);
	for (const char *p = ne; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		const struct got *g;
		char *q;

		labels[0] = '\0';
		if (sscanf(p, "%127[a-zA-Z0-9_]{node=\"%127[0-9]\"} %lf", name, labels, &v) < 2 &&
		    sscanf(p, "%127[a-zA-Z0-9_] %lf", name, &v) < 2)
			continue;
		if (strncmp(name, "node_memory_", 12) && strncmp(name, "node_pressure_", 14))
			continue;
		if (labels[0]) {
			memmove(labels + 5, labels, strlen(labels) + 1);
			memcpy(labels, "node=", 5);
		}
		q = strstr(name, "_numa_") ? "numa" : strstr(name, "pressure") ? "psi" : "mem";
		g = rec_find(q[0] == 'n' ? &numa : q[0] == 'p' ? &psi : &mem, name, labels);
		cr_assert_not_null(g, "node_exporter has %s{%s}, rtlab has not", name, labels);
		cr_assert_eq(g->v.st, RTLAB_PV_OK, "%s", name);
		if (strcmp(name, "node_memory_MemTotal_bytes") == 0 ||
		    strcmp(name, "node_memory_SwapTotal_bytes") == 0)
			cr_assert_float_eq((double)g->v.u, v, 0.5, "%s", name);
		if (strstr(name, "seconds_total"))
			cr_assert(g->v.f >= v - 1e-6 && g->v.f < v + 60.0, "%s: %f vs %f", name,
				  g->v.f, v);
		n++;
	}
	cr_assert_gt(n, 50, "only %zu samples compared", n);
	rec_free(&mem);
	rec_free(&numa);
	rec_free(&psi);
	rtlab_probe_data_free(d);
	free(ne);
}
