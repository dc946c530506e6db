/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpuidle.c - the cpuidle family: the C-states of each online CPU, with kept fds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpu-family.h"

/* A file below cpuN/cpuidle/stateK/ and the field of struct rtlab_cpu_idle_state it fills. */
struct idle_file {
	const char *file;
	size_t off;
};

/* Read on every collection, kept open: slot k * NELEM(dyn) + j of the CPU. */
static const struct idle_file dyn[] = {
	{ "usage", S_OFF(usage) },	{ "time", S_OFF(time_us) },
	{ "above", S_OFF(above) },	{ "below", S_OFF(below) },
	{ "rejected", S_OFF(rejected) }, { "disable", S_OFF(disable) },
};

/* Read when the states are (re)discovered. */
static const struct idle_file fixed[] = {
	{ "latency", S_OFF(latency_us) },
	{ "residency", S_OFF(residency_us) },
};

struct idle_state {
	struct probe_src online;	/* /sys/devices/system/cpu/online */
	struct probe_src driver;	/* cpuidle/current_driver */
	struct probe_src governor;	/* cpuidle/current_governor, else current_governor_ro */
	struct probe_src governor_ro;
	struct cpu_kf kf;		/* NELEM(dyn) slots a C-state */
	uint64_t bits[CPU_WORDS];	/* the online set of the last collection */
	uint64_t scratch[CPU_WORDS];
	char driver_seen[sizeof(((struct rtlab_cpu_text *)0)->s)];
	uint64_t gen;			/* bumped when the online set, driver or a state change */
	uint64_t kf_gen;		/* the generation the kept fds were opened in */
};

/* idle_open - the sources (opened at the first read). */
static int idle_open(struct rtlab_probe *p, void **state)
{
	struct idle_state *s;

	(void)p;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->online, CPU_SYS "/online");
	probe_src_init(&s->driver, CPU_SYS "/cpuidle/current_driver");
	probe_src_init(&s->governor, CPU_SYS "/cpuidle/current_governor");
	probe_src_init(&s->governor_ro, CPU_SYS "/cpuidle/current_governor_ro");
	cpu_kf_init(&s->kf, RTLAB_CPU_IDLE_STATES * NELEM(dyn));
	s->gen = 1;
	*state = s;
	return 0;
}

/* idle_close - every fd closed. */
static void idle_close(void *state)
{
	struct idle_state *s = state;

	cpu_kf_fini(&s->kf);
	probe_src_close(&s->online);
	probe_src_close(&s->driver);
	probe_src_close(&s->governor);
	probe_src_close(&s->governor_ro);
	free(s);
}

/* idle_text - a one-line file into @t (absent without a why when the file is not there). */
static void idle_text(struct probe_cx *cx, struct probe_src *src, struct rtlab_cpu_text *t)
{
	struct cpu_where w = { -1, -1, src->path };
	ssize_t n = probe_src_read(cx->p, src);

	cpu_field_got(cx, t, K_TEXT, src->buf, n, &w);
}

/* idle_driver - driver and governor; a new driver means new states. */
static void idle_driver(struct probe_cx *cx, struct idle_state *s)
{
	struct rtlab_probe_cpuidle *c = &cx->d->cpuidle;

	idle_text(cx, &s->driver, &c->driver);
	idle_text(cx, &s->governor, &c->governor);
	/* Before Linux 5.x the governor was only in current_governor_ro. */
	if (c->governor.st == RTLAB_PV_ABSENT)
		idle_text(cx, &s->governor_ro, &c->governor);
	if (strcmp(s->driver_seen, c->driver.s) != 0) {
		memcpy(s->driver_seen, c->driver.s, sizeof(s->driver_seen));
		s->gen++;
	}
}

/* idle_online - the online set; the CPU array and the slots grown to hold it. */
static int idle_online(struct probe_cx *cx, struct idle_state *s)
{
	struct rtlab_probe_cpuidle *c = &cx->d->cpuidle;
	ssize_t n = probe_src_read(cx->p, &s->online);
	uint32_t count = 0, end = 0;
	void *arr = c->cpus;
	int r = n < 0 ? (int)n : cpu_list_parse(s->online.buf, (size_t)n, s->scratch, &count, &end);

	if (r == -ERANGE)
		r = 0;
	if (r < 0) {
		PV_NA(c->online, probe_st_from_errno(r));
		if (r == -EBADMSG)
			probe_why(cx, "%s:1: malformed", s->online.path);
		else
			probe_why(cx, "%s: %s", s->online.path, strerror(-r));
		return r;
	}
	PV_SET(c->online, count);
	if (probe_grow(&arr, &c->cap_cpus, end, sizeof(*c->cpus)) < 0 ||
	    cpu_kf_grow(&s->kf, end) < 0) {
		probe_why(cx, CPU_SYS ": %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	c->cpus = arr;
	c->ncpus = end;
	if (memcmp(s->scratch, s->bits, sizeof(s->bits)) != 0) {
		memcpy(s->bits, s->scratch, sizeof(s->bits));
		s->gen++;
	}
	for (size_t i = 0; i < c->ncpus; i++)
		c->cpus[i].online = cpu_list_has(s->bits, i);
	return 0;
}

/* idle_discover - names, descriptions, latencies and residencies of the states of CPU @i. */
static void idle_discover(struct probe_cx *cx, struct idle_state *s, size_t i)
{
	struct rtlab_cpuidle_cpu *u = &cx->d->cpuidle.cpus[i];
	struct rtlab_cpu_text t;
	char buf[64];
	ssize_t n;

	u->nstates = 0;
	if (!u->online) {
		u->st = RTLAB_PV_ABSENT;
		return;
	}
	n = cpu_at_read(&s->kf, buf, sizeof(buf), "cpu%zu/cpuidle/state0/name", i);
	u->st = n >= 0 ? RTLAB_PV_OK : probe_st_from_errno((int)n);
	for (unsigned k = 0; n >= 0 && k < RTLAB_CPU_IDLE_STATES; k++) {
		struct rtlab_cpu_idle_state *is = &u->state[k];
		struct cpu_where w = { (long)i, (int)k, "name" };

		if (k > 0)
			n = cpu_at_read(&s->kf, buf, sizeof(buf), "cpu%zu/cpuidle/state%u/name",
					i, k);
		if (n == -ENOENT)
			break;
		cpu_field_got(cx, &t, K_TEXT, buf, n, &w);
		pp_copy(is->name, sizeof(is->name), t.s, strlen(t.s));
		n = cpu_at_read(&s->kf, buf, sizeof(buf), "cpu%zu/cpuidle/state%u/desc", i, k);
		w.file = "desc";
		cpu_field_got(cx, &t, K_TEXT, buf, n, &w);
		pp_copy(is->desc, sizeof(is->desc), t.s, strlen(t.s));
		for (size_t f = 0; f < NELEM(fixed); f++) {
			w.file = fixed[f].file;
			n = cpu_at_read(&s->kf, buf, sizeof(buf), "cpu%zu/cpuidle/state%u/%s", i, k,
					w.file);
			cpu_field_got(cx, (char *)is + fixed[f].off, K_U64, buf, n, &w);
		}
		u->nstates = k + 1;
		n = 0;
	}
}

/*
 * idle_counters - the kept-fd files of each state of CPU @i.  A state whose
 * files went away (another driver) makes the next collection discover again.
 */
static void idle_counters(struct probe_cx *cx, struct idle_state *s, size_t i)
{
	struct rtlab_cpuidle_cpu *u = &cx->d->cpuidle.cpus[i];
	char buf[64];
	ssize_t n;

	for (unsigned k = 0; k < u->nstates; k++) {
		for (size_t j = 0; j < NELEM(dyn); j++) {
			struct cpu_where w = { (long)i, (int)k, dyn[j].file };

			n = cpu_kf_read(&s->kf, cx->p, i, k * NELEM(dyn) + j, buf, sizeof(buf),
					"cpu%zu/cpuidle/state%u/%s", i, k, w.file);
			if (n == -ENOENT && j == 0)
				s->gen++;
			cpu_field_got(cx, (char *)&u->state[k] + dyn[j].off, K_U64, buf, n, &w);
		}
	}
}

/* idle_collect - driver, online set, states discovered when something changed, counters. */
static int idle_collect(struct probe_cx *cx, void *state)
{
	struct idle_state *s = state;
	struct rtlab_probe_cpuidle *c = &cx->d->cpuidle;
	int r;

	idle_driver(cx, s);
	r = idle_online(cx, s);
	if (r < 0)
		return r;
	r = cpu_kf_dir(cx, &s->kf);
	if (r < 0)
		return r;
	if (s->kf_gen != s->gen) {
		cpu_kf_reset(&s->kf, true);
		s->kf_gen = s->gen;
	}
	if (c->static_gen != s->gen) {
		for (size_t i = 0; i < c->ncpus; i++)
			idle_discover(cx, s, i);
		c->static_gen = s->gen;
	}
	for (size_t i = 0; i < c->ncpus; i++)
		idle_counters(cx, s, i);
	for (size_t i = 0; i < c->ncpus; i++) {
		if (c->cpus[i].online && c->cpus[i].st != RTLAB_PV_OK) {
			probe_why(cx, CPU_SYS "/cpu%zu/cpuidle: %s (no cpuidle driver)", i,
				  rtlab_pv_state_name(c->cpus[i].st));
			break;
		}
	}
	return 0;
}

/* idle_release - the per-CPU array. */
static void idle_release(struct rtlab_probe_data *d)
{
	free(d->cpuidle.cpus);
	memset(&d->cpuidle, 0, sizeof(d->cpuidle));
}

const struct probe_family probe_fam_cpuidle = {
	.name = "cpuidle",
	.id = RTLAB_PF_CPUIDLE,
	.open = idle_open,
	.close = idle_close,
	.collect = idle_collect,
	.emit = cpuidle_emit,
	.release = idle_release,
	.slow = true,
};
