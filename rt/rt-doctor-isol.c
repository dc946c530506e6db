/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-doctor-isol.c - doctor checks of CPU isolation: isolcpus, nohz_full, rcu_nocbs, IRQs. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt-doctor-internal.h"

/* IRQs whose affinity meets the isolated CPUs. */
struct irq_scan {
	int *bad;
	size_t nbad, cap;
	int total, unreadable;
};

/* first_cpu - the lowest CPU of @set, -1 if empty. */
static int first_cpu(const cpu_set_t *set)
{
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set))
			return c;
	return -1;
}

/* suggest_isolated - the online CPUs but the first, which stays for housekeeping. */
static void suggest_isolated(const struct rtlab_sysinfo *si, cpu_set_t *ret)
{
	int c = first_cpu(&si->online);

	*ret = si->online;
	if (c >= 0)
		CPU_CLR(c, ret);
}

/* no_isolation - the warning shared by the isolation checks when nothing is isolated. */
static void no_isolation(struct doctor *d, struct rtlab_finding *f, const char *seen)
{
	char want[96], hk[16];
	cpu_set_t set;

	suggest_isolated(&d->si, &set);
	doctor_cpus(&set, want, sizeof(want));
	snprintf(hk, sizeof(hk), "%d", first_cpu(&d->si.online));
	doctor_verdict(f, RTLAB_VERDICT_WARN, "%s", seen);
	doctor_fix(f, "boot with isolcpus=managed_irq,domain,%s nohz_full=%s rcu_nocbs=%s "
		   "irqaffinity=%s (CPU %s keeps the housekeeping) and pin RT tasks to %s", want,
		   want, want, hk, hk, want);
}

/* doctor_check_isolcpus - are CPUs set apart for RT tasks? */
void doctor_check_isolcpus(struct doctor *d, struct rtlab_finding *f, int arg)
{
	const struct rtlab_sysinfo *si = &d->si;
	char iso[96], on[96], hk[96], seen[256], param[96];
	cpu_set_t house;

	(void)arg;
	doctor_why(f, "on a shared CPU an RT task competes with load balancing, kernel threads, "
		   "timers and workqueues; an isolated CPU runs only what is pinned to it");
	if (si->nr_online == 1) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "1 CPU online: nothing to isolate");
		return;
	}
	if (!d->iso_known || si->nr_online == 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "cannot read /sys/devices/system/cpu/%s",
			       d->iso_known ? "online" : "isolated");
		return;
	}
	doctor_cpus(&d->iso, iso, sizeof(iso));
	doctor_cpus(&si->online, on, sizeof(on));
	if (CPU_COUNT(&d->iso) == 0) {
		snprintf(seen, sizeof(seen), "no CPU isolated (%d online: %s)", si->nr_online, on);
		no_isolation(d, f, seen);
		return;
	}
	doctor_cpus_minus(&si->online, &d->iso, &house);
	if (CPU_COUNT(&house) == 0) {
		doctor_verdict(f, RTLAB_VERDICT_WARN, "every online CPU is isolated (%s): none is "
			       "left for housekeeping", iso);
		doctor_fix(f, "leave at least one CPU (usually CPU 0) out of isolcpus= for kernel "
			   "threads, IRQs and rtlab's writer thread");
		return;
	}
	if (rtlab_cmdline_param(si->cmdline, "isolcpus", param, sizeof(param)) <= 0)
		rtlab_strlcpy(param, "none", sizeof(param));
	doctor_verdict(f, RTLAB_VERDICT_OK, "isolated %s of %s, housekeeping on %s (isolcpus=%s)",
		       iso, on, doctor_cpus(&house, hk, sizeof(hk)), param);
}

/* nohz_unknown - skip: the nohz_full file is absent (no NO_HZ_FULL) or unreadable. */
static void nohz_unknown(struct doctor *d, struct rtlab_finding *f)
{
	char buf[64];
	ssize_t n;

	n = rtlab_read_line(d->ctx, "/sys/devices/system/cpu/nohz_full", buf, sizeof(buf));
	if (n == -ENOENT) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "no /sys/devices/system/cpu/nohz_full: "
			       "kernel built without CONFIG_NO_HZ_FULL");
		doctor_fix(f, "nohz_full= needs a kernel built with CONFIG_NO_HZ_FULL=y");
		return;
	}
	doctor_verdict(f, RTLAB_VERDICT_SKIP, "/sys/devices/system/cpu/nohz_full: %s",
		       n < 0 ? doctor_read_error((int)n) : "malformed CPU list");
}

/* doctor_check_nohz_full - does the scheduler tick stop on the isolated CPUs? */
void doctor_check_nohz_full(struct doctor *d, struct rtlab_finding *f, int arg)
{
	const struct rtlab_sysinfo *si = &d->si;
	char nohz[96], iso[96], miss[96], hz[48] = "";
	cpu_set_t missing;

	(void)arg;
	if (si->hz > 0)
		snprintf(hz, sizeof(hz), " (HZ=%d: every %d us)", si->hz, 1000000 / si->hz);
	doctor_why(f, "the scheduler tick interrupts a CPU every 1/HZ%s even when it runs a single "
		   "RT task; nohz_full stops it while one task runs (at some cost on each system "
		   "call)", hz);
	if (!si->nohz_full_known) {
		nohz_unknown(d, f);
		return;
	}
	if (!d->iso_known) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "isolated CPUs unknown");
		return;
	}
	doctor_cpus(&si->nohz_full, nohz, sizeof(nohz));
	if (CPU_COUNT(&d->iso) == 0) {
		if (CPU_COUNT(&si->nohz_full) > 0)
			doctor_verdict(f, RTLAB_VERDICT_OK, "nohz_full %s (no CPU isolated)", nohz);
		else if (si->nr_online > 1)
			no_isolation(d, f, "no tick-less CPU (and no isolated CPU)");
		else
			doctor_verdict(f, RTLAB_VERDICT_SKIP, "%s CPU online: nothing to isolate",
				       si->nr_online ? "1" : "no");
		return;
	}
	doctor_cpus(&d->iso, iso, sizeof(iso));
	doctor_cpus_minus(&d->iso, &si->nohz_full, &missing);
	if (CPU_COUNT(&missing) == 0) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "nohz_full %s covers the isolated CPUs %s",
			       nohz, iso);
		return;
	}
	doctor_verdict(f, RTLAB_VERDICT_WARN, "isolated %s but nohz_full %s: %s still take the "
		       "tick", iso, nohz, doctor_cpus(&missing, miss, sizeof(miss)));
	doctor_fix(f, "add nohz_full=%s to the kernel command line (it implies rcu_nocbs= for "
		   "them)", iso);
}

/* doctor_check_rcu_nocbs - are RCU callbacks of the isolated CPUs run elsewhere? */
void doctor_check_rcu_nocbs(struct doctor *d, struct rtlab_finding *f, int arg)
{
	const struct rtlab_sysinfo *si = &d->si;
	char cov[96], iso[96], miss[96];
	cpu_set_t covered, missing;

	(void)arg;
	doctor_why(f, "RCU callbacks of a CPU otherwise run on it in softirq after grace periods, "
		   "in bursts of tens to hundreds of us; rcu_nocbs= (or nohz_full=) moves them to "
		   "kthreads on housekeeping CPUs");
	if (!si->rcu_nocbs_known) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "cannot read or parse /proc/cmdline");
		return;
	}
	covered = si->rcu_nocbs;
	if (si->nohz_full_known)
		CPU_OR(&covered, &covered, &si->nohz_full);
	if (!d->iso_known) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "isolated CPUs unknown");
		return;
	}
	doctor_cpus(&covered, cov, sizeof(cov));
	if (CPU_COUNT(&d->iso) == 0) {
		if (CPU_COUNT(&covered) > 0)
			doctor_verdict(f, RTLAB_VERDICT_OK, "offloaded %s (no CPU isolated)", cov);
		else if (si->nr_online > 1)
			no_isolation(d, f, "no CPU offloads its RCU callbacks (no rcu_nocbs=, no "
				     "nohz_full=)");
		else
			doctor_verdict(f, RTLAB_VERDICT_SKIP, "%s CPU online: nothing to isolate",
				       si->nr_online ? "1" : "no");
		return;
	}
	doctor_cpus(&d->iso, iso, sizeof(iso));
	doctor_cpus_minus(&d->iso, &covered, &missing);
	if (CPU_COUNT(&missing) == 0) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "offloaded %s (rcu_nocbs= and nohz_full=) "
			       "covers the isolated CPUs %s", cov, iso);
		return;
	}
	doctor_verdict(f, RTLAB_VERDICT_WARN, "isolated %s, offloaded %s: %s still run their RCU "
		       "callbacks", iso, cov, doctor_cpus(&missing, miss, sizeof(miss)));
	doctor_fix(f, "boot with rcu_nocbs=%s (needs CONFIG_RCU_NOCB_CPU=y)", iso);
}

/* parse_mask - a hex CPU mask ("ff,ffffffff", as in default_smp_affinity) into @set. */
static int parse_mask(const char *s, cpu_set_t *set)
{
	size_t len = strlen(s);
	int bit = 0;

	CPU_ZERO(set);
	if (len == 0)
		return -EINVAL;
	for (size_t i = len; i-- > 0;) {
		int v;

		if (s[i] == ',')
			continue;
		if (!isxdigit((unsigned char)s[i]))
			return -EINVAL;
		if (isdigit((unsigned char)s[i]))
			v = s[i] - '0';
		else
			v = tolower((unsigned char)s[i]) - 'a' + 10;
		for (int b = 0; b < 4; b++, bit++) {
			if (!(v & (1 << b)))
				continue;
			if (bit >= CPU_SETSIZE)
				return -ERANGE;
			CPU_SET(bit, set);
		}
	}
	return 0;
}

/* irq_note - remember IRQ @irq; a failed allocation only shortens the list. */
static void irq_note(struct irq_scan *s, int irq)
{
	if (s->nbad == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		int *p = realloc(s->bad, cap * sizeof(*p));

		if (!p)
			return;
		s->bad = p;
		s->cap = cap;
	}
	s->bad[s->nbad++] = irq;
}

/* irq_one - read the affinity of the IRQ called @name. */
static void irq_one(struct doctor *d, struct irq_scan *s, const char *name)
{
	char path[320], buf[1024];
	cpu_set_t aff;

	snprintf(path, sizeof(path), "/proc/irq/%s/smp_affinity_list", name);
	if (rtlab_read_line(d->ctx, path, buf, sizeof(buf)) <= 0 ||
	    rtlab_cpulist_parse(buf, &aff, NULL) < 0 || CPU_COUNT(&aff) == 0) {
		s->unreadable++;
		return;
	}
	s->total++;
	if (doctor_cpus_meet(&aff, &d->iso))
		irq_note(s, atoi(name));
}

/* cmp_int - qsort order of ints. */
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* scan_irqs - every <root>/proc/irq/N. */
static int scan_irqs(struct doctor *d, struct irq_scan *s)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *dp;
	int r;

	r = rtlab_path(d->ctx, "/proc/irq", dir, sizeof(dir));
	if (r < 0)
		return r;
	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((de = readdir(dp)))
		if (de->d_name[0] && strspn(de->d_name, "0123456789") == strlen(de->d_name))
			irq_one(d, s, de->d_name);
	closedir(dp);
	if (s->nbad)
		qsort(s->bad, s->nbad, sizeof(*s->bad), cmp_int);
	return 0;
}

/* irq_list - "24,25,30 and 5 more" into @buf. */
static void irq_list(const struct irq_scan *s, char *buf, size_t size)
{
	size_t len = 0, i;

	buf[0] = '\0';
	for (i = 0; i < s->nbad && len + 16 < size - 16; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%d", i ? "," : "", s->bad[i]);
	if (i < s->nbad)
		snprintf(buf + len, size - len, " and %zu more", s->nbad - i);
}

/* irq_verdict - bad when an IRQ (or the default affinity) reaches an isolated CPU. */
static void irq_verdict(struct doctor *d, struct rtlab_finding *f, const struct irq_scan *s,
			const char *def, bool def_bad)
{
	char iso[96], hk[96], irqs[128], seen[256];
	cpu_set_t house;

	doctor_cpus(&d->iso, iso, sizeof(iso));
	doctor_cpus_minus(&d->si.online, &d->iso, &house);
	doctor_cpus(&house, hk, sizeof(hk));
	if (!s->nbad && !def_bad) {
		doctor_verdict(f, RTLAB_VERDICT_OK, "%d IRQs and default_smp_affinity (%s) keep "
			       "off the isolated CPUs %s%s", s->total, def, iso,
			       s->unreadable ? " (some IRQs unreadable)" : "");
		return;
	}
	irq_list(s, irqs, sizeof(irqs));
	if (s->nbad)
		snprintf(seen, sizeof(seen), "IRQ %s may run on the isolated CPUs %s%s", irqs, iso,
			 def_bad ? "; so may new IRQs (default_smp_affinity " : "");
	else
		snprintf(seen, sizeof(seen), "new IRQs may run on the isolated CPUs %s "
			 "(default_smp_affinity ", iso);
	doctor_verdict(f, RTLAB_VERDICT_BAD, "%s%s%s", seen, def_bad ? def : "",
		       def_bad ? ")" : "");
	doctor_fix(f, "as root: echo %s > /proc/irq/N/smp_affinity_list for each; boot with "
		   "irqaffinity=%s; stop irqbalance or set IRQBALANCE_BANNED_CPULIST=%s; managed "
		   "IRQs need isolcpus=managed_irq,...", hk, hk, iso);
}

/* doctor_check_irq_affinity - may device interrupts land on an isolated CPU? */
void doctor_check_irq_affinity(struct doctor *d, struct rtlab_finding *f, int arg)
{
	struct irq_scan s = { 0 };
	char def[128];
	bool def_bad = false;
	cpu_set_t set;
	int r;

	(void)arg;
	doctor_why(f, "an interrupt delivered to an isolated CPU stops its RT task for the entry, "
		   "the handler (or the wake-up of its IRQ thread) and softirq work, which "
		   "isolation is meant to avoid");
	if (!d->iso_known || CPU_COUNT(&d->iso) == 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "%s", d->iso_known ?
			       "no CPU isolated: no IRQ to keep away" : "isolated CPUs unknown");
		return;
	}
	r = scan_irqs(d, &s);
	if (r < 0) {
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "cannot list /proc/irq: %s", strerror(-r));
		return;
	}
	if (rtlab_read_line(d->ctx, "/proc/irq/default_smp_affinity", def, sizeof(def)) < 0 ||
	    parse_mask(def, &set) < 0)
		rtlab_strlcpy(def, "unreadable", sizeof(def));
	else
		def_bad = doctor_cpus_meet(&set, &d->iso);
	if (s.total == 0)
		doctor_verdict(f, RTLAB_VERDICT_SKIP, "no readable /proc/irq/*/smp_affinity_list "
			       "(%d malformed)", s.unreadable);
	else
		irq_verdict(d, f, &s, def, def_bad);
	free(s.bad);
}
