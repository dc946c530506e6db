/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-bpf-live.c - the eBPF tools loaded for real, checked against independent counts. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rtlab/bpf.h>

#define PINGS 2000
#define GETPPIDS 12345
#define NAPS 10
#define NAP_NS (20 * 1000 * 1000L)

static struct rtlab_ctx *ctx;

/* setup - a library context for each test. */
static void setup(void)
{
	ctx = rtlab_ctx_new();
}

/* teardown - free the context. */
static void teardown(void)
{
	rtlab_ctx_free(ctx);
}

TestSuite(bpf_live, .init = setup, .fini = teardown, .timeout = 120);

/* open_tool - load and attach @o, or skip the test saying why BPF cannot load here. */
static struct rtlab_bpf *open_tool(const struct rtlab_bpf_opts *o)
{
	struct rtlab_bpf *b = NULL;
	char why[512];
	int r = rtlab_bpf_check(why, sizeof(why));

	if (r < 0)
		cr_skip_test("BPF cannot load here: %s", why);
	r = rtlab_bpf_open(ctx, o, &b);
	if (r == -EPERM || r == -ENOTSUP)
		cr_skip_test("BPF cannot load here: %s", strerror(-r));
	cr_assert_eq(r, 0, "rtlab_bpf_open: %s", strerror(-r));
	cr_assert_eq(rtlab_bpf_start(b), 0);
	return b;
}

/* find - the histogram keyed @key (and @detail if not NULL), or NULL. */
static const struct rtlab_bpf_hist *find(const struct rtlab_bpf_hist *h, size_t n,
					 const char *key, const char *detail)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(h[i].key, key) && (!detail || !strcmp(h[i].detail, detail)))
			return &h[i];
	return NULL;
}

/* check_sums - slot counts add up to the count, the mean lies within the slots. */
static void check_sums(const struct rtlab_bpf_hist *h)
{
	uint64_t total = 0, lo, hi, lo_sum = 0;

	for (size_t i = 0; i < RTLAB_BPF_SLOTS; i++) {
		uint64_t c = rtlab_bpf_hist_bucket(h, i, &lo, &hi);

		total += c;
		lo_sum += c * lo;
	}
	cr_assert_eq(total, h->count, "%s: slots %llu, count %llu", h->key,
		     (unsigned long long)total, (unsigned long long)h->count);
	cr_assert_geq(h->sum_ns, lo_sum, "%s: the sum is below the slots' floors", h->key);
}

struct pipes {
	int ab[2], ba[2];
};

/* pong - answer every byte of @arg's ab pipe on its ba pipe. */
static void *pong(void *arg)
{
	struct pipes *p = arg;
	char c;

	for (int i = 0; i < PINGS; i++)
		if (read(p->ab[0], &c, 1) != 1 || write(p->ba[1], &c, 1) != 1)
			break;
	return NULL;
}

/* pin_cpu0 - both ping-pong threads on one CPU: every wake-up leads to a switch-in. */
static void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	cr_assert_eq(sched_setaffinity(0, sizeof(set), &set), 0);
}

/* runqlat, filtered to this process: one latency per wake-up of a pipe ping-pong. */
Test(bpf_live, runqlat_counts_wakeups)
{
	struct rtlab_bpf_opts o = { .tools = 1u << RTLAB_BPF_RUNQLAT, .pid = getpid(),
				    .runqlat_key = RTLAB_BPF_KEY_PID };
	struct rtlab_bpf_hist *h;
	struct rtlab_bpf *b;
	struct pipes p;
	pthread_t t;
	size_t n;
	char c = 'x', key[64];

	pin_cpu0();
	cr_assert_eq(pipe(p.ab), 0);
	cr_assert_eq(pipe(p.ba), 0);
	b = open_tool(&o);
	cr_assert_eq(pthread_create(&t, NULL, pong, &p), 0);
	for (int i = 0; i < PINGS; i++)
		cr_assert(write(p.ab[1], &c, 1) == 1 && read(p.ba[0], &c, 1) == 1);
	pthread_join(t, NULL);
	cr_assert_eq(rtlab_bpf_stop(b), 0);
	cr_assert_eq(rtlab_bpf_read(b, RTLAB_BPF_RUNQLAT, &h, &n), 0);
	snprintf(key, sizeof(key), "pid %d (", getpid());
	cr_assert_eq(n, 2, "one process key and the total, got %zu", n);
	cr_assert(!strncmp(h[0].key, key, strlen(key)), "key '%s'", h[0].key);
	/* 2 wake-ups per round trip; a few more from thread start and join. */
	cr_assert(h[0].count >= 2 * PINGS - 2 && h[0].count <= 2 * PINGS + 20,
		  "runqlat counted %llu switch-ins for %d wake-ups",
		  (unsigned long long)h[0].count, 2 * PINGS);
	check_sums(&h[0]);
	cr_assert_eq(h[1].count, h[0].count);
	free(h);
	rtlab_bpf_close(b);
}

/* Full maps: what does not fit is counted as lost, and the keys stay within the limit. */
Test(bpf_live, full_maps_count_lost)
{
	struct rtlab_bpf_opts o = { .tools = 1u << RTLAB_BPF_RUNQLAT,
				    .runqlat_key = RTLAB_BPF_KEY_PID, .max_keys = 2 };
	struct rtlab_bpf_hist *h;
	struct rtlab_bpf *b;
	size_t n;

	b = open_tool(&o);
	for (int i = 0; i < 20; i++)
		if (fork() == 0)
			_exit(0);
	while (wait(NULL) > 0)
		;
	usleep(100 * 1000);
	cr_assert_eq(rtlab_bpf_stop(b), 0);
	cr_assert_gt(rtlab_bpf_lost(b, RTLAB_BPF_RUNQLAT), 0, "20 new processes fit in 2 keys");
	cr_assert_eq(rtlab_bpf_read(b, RTLAB_BPF_RUNQLAT, &h, &n), 0);
	cr_assert_leq(n, 3, "%zu histograms for at most 2 keys and the total", n);
	free(h);
	rtlab_bpf_close(b);
}

/* read_ctxt - the "ctxt" line of /proc/stat: context switches since boot. */
static unsigned long long read_ctxt(void)
{
	unsigned long long v = 0;
	char line[256];
	FILE *f = fopen("/proc/stat", "re");

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "ctxt %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* runqlat system-wide, per CPU: no more switch-ins than context switches (ctxt). */
Test(bpf_live, runqlat_per_cpu_vs_ctxt)
{
	struct rtlab_bpf_opts o = { .tools = 1u << RTLAB_BPF_RUNQLAT,
				    .runqlat_key = RTLAB_BPF_KEY_CPU };
	unsigned long long c0, c1;
	struct rtlab_bpf_hist *h;
	struct rtlab_bpf *b;
	size_t n;

	b = open_tool(&o);
	c0 = read_ctxt();
	for (int i = 0; i < 200; i++)
		sched_yield(), usleep(500);
	c1 = read_ctxt();
	cr_assert_eq(rtlab_bpf_stop(b), 0);
	cr_assert_eq(rtlab_bpf_read(b, RTLAB_BPF_RUNQLAT, &h, &n), 0);
	cr_assert_geq(n, 2);
	cr_assert_str_eq(h[n - 1].key, "all");
	cr_assert(!strncmp(h[0].key, "cpu", 3), "key '%s'", h[0].key);
	/* The 200 sleeps of this thread each end with a wake-up; ctxt also counts switches
	 * to idle, which runqlat does not; the tools were attached slightly longer. */
	cr_assert_geq(h[n - 1].count, 200);
	cr_assert_leq(h[n - 1].count, (c1 - c0) + (c1 - c0) / 10 + 100,
		      "runqlat %llu switch-ins, ctxt delta %llu",
		      (unsigned long long)h[n - 1].count, c1 - c0);
	free(h);
	rtlab_bpf_close(b);
}

/* caller - GETPPIDS getppid() calls on a thread of this process. */
static void *caller(void *arg)
{
	(void)arg;
	for (int i = 0; i < GETPPIDS; i++)
		(void)syscall(SYS_getppid);
	return NULL;
}

/* syscalls: exactly the getppid() calls the test thread made. */
Test(bpf_live, syscalls_counts_getppid)
{
	struct rtlab_bpf_opts o = { .tools = 1u << RTLAB_BPF_SYSCALLS, .pid = getpid() };
	const struct rtlab_bpf_hist *g;
	struct rtlab_bpf_hist *h;
	struct rtlab_bpf *b;
	pthread_t t;
	size_t n;

	b = open_tool(&o);
	cr_assert_eq(pthread_create(&t, NULL, caller, NULL), 0);
	pthread_join(t, NULL);
	cr_assert_eq(rtlab_bpf_stop(b), 0);
	cr_assert_eq(rtlab_bpf_read(b, RTLAB_BPF_SYSCALLS, &h, &n), 0);
	g = find(h, n, "getppid", NULL);
	cr_assert_not_null(g, "no getppid histogram among %zu", n);
	cr_assert_eq(g->count, GETPPIDS, "counted %llu getppid calls",
		     (unsigned long long)g->count);
	check_sums(g);
	cr_assert_lt(g->sum_ns / g->count, 100 * 1000, "getppid takes < 100 us on average");
	cr_assert_eq(find(h, n, "all", NULL)->count, h[n - 1].count);
	free(h);
	rtlab_bpf_close(b);
}

/* napper - NAPS sleeps of NAP_NS under a known name; its thread id into @arg. */
static void *napper(void *arg)
{
	struct timespec ts = { .tv_nsec = NAP_NS };

	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	pthread_setname_np(pthread_self(), "rtlab-napper");
	for (int i = 0; i < NAPS; i++)
		nanosleep(&ts, NULL);
	return NULL;
}

/* offcpu: the sleeps of a thread, in state S, each at least NAP_NS long. */
Test(bpf_live, offcpu_sleeps)
{
	struct rtlab_bpf_opts o = { .tools = 1u << RTLAB_BPF_OFFCPU, .pid = getpid() };
	const struct rtlab_bpf_hist *s;
	struct rtlab_bpf_hist *h;
	struct rtlab_bpf *b;
	pid_t tid = 0;
	pthread_t t;
	char key[64];
	size_t n;

	b = open_tool(&o);
	cr_assert_eq(pthread_create(&t, NULL, napper, &tid), 0);
	pthread_join(t, NULL);
	cr_assert_eq(rtlab_bpf_stop(b), 0);
	cr_assert_eq(rtlab_bpf_read(b, RTLAB_BPF_OFFCPU, &h, &n), 0);
	snprintf(key, sizeof(key), "pid %d (rtlab-napper)", tid);
	s = find(h, n, key, "S");
	cr_assert_not_null(s, "no '%s' state S among %zu histograms", key, n);
	cr_assert(s->count >= NAPS && s->count <= NAPS + 2, "%llu sleeps",
		  (unsigned long long)s->count);
	cr_assert_geq(s->sum_ns, (uint64_t)NAPS * NAP_NS);
	cr_assert_geq(s->max_ns, (uint64_t)NAP_NS);
	check_sums(s);
	free(h);
	rtlab_bpf_close(b);
}

#define MAX_IRQS 1024

/* read_counts - per IRQ number (or softirq vector: @soft) the sum over CPUs, from /proc. */
static void read_counts(bool soft, unsigned long long *counts)
{
	static const char *const soft_names[] = { "HI", "TIMER", "NET_TX", "NET_RX", "BLOCK",
		"IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU" };
	FILE *f = fopen(soft ? "/proc/softirqs" : "/proc/interrupts", "re");
	char line[4096], name[32];
	int ncpu = 0, irq, off;

	cr_assert_not_null(f);
	memset(counts, 0, MAX_IRQS * sizeof(*counts));
	cr_assert_not_null(fgets(line, sizeof(line), f));
	for (char *p = line; (p = strstr(p, "CPU")); p += 3)
		ncpu++;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		irq = -1;
		if (soft && sscanf(line, " %31[^:]:%n", name, &off) == 1) {
			for (int v = 0; v < 10; v++)
				if (!strcmp(name, soft_names[v]))
					irq = v;
		} else if (!soft && sscanf(line, " %d:%n", &irq, &off) != 1) {
			irq = -1;
		}
		if (irq < 0 || irq >= MAX_IRQS)
			continue;
		p += off;
		for (int c = 0; c < ncpu; c++)
			counts[irq] += strtoull(p, &p, 10);
	}
	fclose(f);
}

/* make_io - fsync'ed writes: block device interrupts and softirqs. */
static void make_io(void)
{
	char path[] = "/var/tmp/rtlab-bpf-io-XXXXXX", buf[4096] = { 1 };
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	for (int i = 0; i < 40; i++)
		cr_assert(write(fd, buf, sizeof(buf)) == sizeof(buf) && fsync(fd) == 0);
	close(fd);
	unlink(path);
}

/* check_vectors - each busy vector: BPF counted (about) what /proc counted; returns how many. */
static int check_vectors(const struct rtlab_bpf_hist *h, size_t n, const char *prefix,
			 const unsigned long long *before, const unsigned long long *after)
{
	int checked = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned num = 0;
		unsigned long long d;
		const char *name;
		char key[64];

		if (strncmp(h[i].key, prefix, strlen(prefix)))
			continue;
		name = h[i].key + strlen(prefix);
		if (!strcmp(prefix, "hardirq ")) {
			if (sscanf(name, "%u", &num) != 1 || num >= MAX_IRQS)
				continue;
		} else {
			for (num = 0; num < 10; num++)
				if (!strcmp(rtlab_bpf_softirq_name(num), name))
					break;
		}
		d = after[num] - before[num];
		snprintf(key, sizeof(key), "%s", h[i].key);
		cr_assert_leq(h[i].count, d + 3, "%s: BPF %llu, /proc delta %llu", key,
			      (unsigned long long)h[i].count, d);
		if (d < 30)
			continue;
		cr_assert_geq(h[i].count + d / 10 + 3, d, "%s: BPF %llu, /proc delta %llu", key,
			      (unsigned long long)h[i].count, d);
		checked++;
	}
	return checked;
}

/* irqtime: per IRQ and per softirq vector, the counts of /proc/interrupts and /proc/softirqs. */
Test(bpf_live, irqtime_vs_proc)
{
	static unsigned long long hard0[MAX_IRQS], hard1[MAX_IRQS], soft0[MAX_IRQS],
		soft1[MAX_IRQS];
	struct rtlab_bpf_opts o = { .tools = 1u << RTLAB_BPF_IRQTIME };
	struct rtlab_bpf_hist *h;
	struct rtlab_bpf *b;
	size_t n;

	b = open_tool(&o);
	read_counts(false, hard0);
	read_counts(true, soft0);
	make_io();
	usleep(200 * 1000);
	read_counts(false, hard1);
	read_counts(true, soft1);
	cr_assert_eq(rtlab_bpf_stop(b), 0);
	cr_assert_eq(rtlab_bpf_read(b, RTLAB_BPF_IRQTIME, &h, &n), 0);
	cr_assert_gt(check_vectors(h, n, "hardirq ", hard0, hard1), 0,
		     "no IRQ busy enough to compare");
	cr_assert_gt(check_vectors(h, n, "softirq ", soft0, soft1), 0,
		     "no softirq busy enough to compare");
	free(h);
	rtlab_bpf_close(b);
}
