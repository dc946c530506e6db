/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runtime.c - the runtime family: the container runtime, orchestrator and
 * hypervisor around the process, each with the evidence that named it.
 *
 * Every collection (slow TTL) looks again: the environ and cgroup files are
 * kept open, the small marker files are read into buffers of the state.  pid
 * 1's environ is often not ours to read (another user, or a pid namespace
 * whose init is not dumpable): the field says RTLAB_PV_DENIED and why[] names it.
 *
 * Not detected: Docker Swarm (a task container looks like any Docker
 * container: swarm sets no variable or file, its labels are not visible
 * inside), and a hypervisor that hides itself (no DMI, ACPI, device-tree,
 * command-line or CPU-flag sign).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/env-parse.h"
#include "env/env-src.h"
#include "probe-internal.h"

/* The service-account directory, under both names containers mount it at. */
static const char *const sa_dirs[] = {
	"/var/run/secrets/kubernetes.io/serviceaccount",
	"/run/secrets/kubernetes.io/serviceaccount",
};

/* The DMI files the hypervisor detection reads. */
static const enum rtlab_dmi_field rt_dmi[] = {
	RTLAB_DMI_PRODUCT_NAME, RTLAB_DMI_SYS_VENDOR, RTLAB_DMI_BOARD_VENDOR,
	RTLAB_DMI_BIOS_VENDOR, RTLAB_DMI_PRODUCT_VERSION,
};

#define RT_NDMI (sizeof(rt_dmi) / sizeof(rt_dmi[0]))

struct rt_state {
	struct probe_src self_cgroup, pid1_cgroup, mountinfo, pid1_environ, self_environ;
	char containerenv[4096];
	char systemd_container[128];
	char osrelease[256];
	char version[512];
	char cmdline[4096];
	char cpuinfo[16384];	/* the first CPU's block holds the flags */
	char hyp_type[64];
	char dt_hyp[128];
	char acpi[64];
	char k8s_ns[256];
	struct probe_src hostname_src;	/* /proc/sys/kernel/hostname */
	char dmi[RT_NDMI][256];
	struct rt_in in;
	bool fixed_done;		/* the fixed sources were read */
	uint64_t fixed_key;		/* hash of the cgroup and mounts they were read with */
};

/* rt_open - name the kept sources. */
static int rt_open(struct rtlab_probe *p, void **state)
{
	struct rt_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->self_cgroup, "/proc/self/cgroup");
	probe_src_init(&s->pid1_cgroup, "/proc/1/cgroup");
	probe_src_init(&s->mountinfo, "/proc/self/mountinfo");
	probe_src_init(&s->pid1_environ, "/proc/1/environ");
	probe_src_init(&s->self_environ, "/proc/self/environ");
	probe_src_init(&s->hostname_src, "/proc/sys/kernel/hostname");
	*state = s;
	return 0;
}

/* rt_close - close the sources. */
static void rt_close(void *state)
{
	struct rt_state *s = state;

	probe_src_close(&s->self_cgroup);
	probe_src_close(&s->pid1_cgroup);
	probe_src_close(&s->mountinfo);
	probe_src_close(&s->pid1_environ);
	probe_src_close(&s->self_environ);
	probe_src_close(&s->hostname_src);
	free(s);
}

/* rt_k8s - the service-account directory (namespace file, OpenShift's CA). */
static void rt_k8s(struct rtlab_probe *p, struct rt_state *s)
{
	char path[128];

	s->in.k8s_ns = (struct env_text){ .st = RTLAB_PV_ABSENT };
	for (size_t i = 0; i < sizeof(sa_dirs) / sizeof(sa_dirs[0]); i++) {
		if (!env_exists(p, sa_dirs[i]))
			continue;
		s->in.k8s_sa = true;
		snprintf(path, sizeof(path), "%s/namespace", sa_dirs[i]);
		env_read(p, path, s->k8s_ns, sizeof(s->k8s_ns), &s->in.k8s_ns);
		snprintf(path, sizeof(path), "%s/service-ca.crt", sa_dirs[i]);
		s->in.openshift_ca = env_exists(p, path);
		return;
	}
}

/*
 * rt_gather_fixed - what cannot change while the process stays where it is:
 * kernel, command line, CPU flags, firmware tables, DMI, PID 1's view, the
 * runtimes' marker files.
 */
static void rt_gather_fixed(struct rtlab_probe *p, struct rt_state *s)
{
	struct rt_in *in = &s->in;

	memset(in, 0, sizeof(*in));
	for (size_t i = 0; i < RTLAB_DMI__COUNT; i++)
		in->dmi[i].st = RTLAB_PV_ABSENT;
	env_src_text(p, &s->pid1_cgroup, &in->pid1_cgroup);
	env_src_text(p, &s->pid1_environ, &in->pid1_environ);
	env_src_text(p, &s->self_environ, &in->self_environ);
	env_read(p, "/run/.containerenv", s->containerenv, sizeof(s->containerenv),
		 &in->containerenv);
	env_read(p, "/run/systemd/container", s->systemd_container, sizeof(s->systemd_container),
		 &in->systemd_container);
	env_read(p, "/proc/sys/kernel/osrelease", s->osrelease, sizeof(s->osrelease),
		 &in->osrelease);
	env_read(p, "/proc/version", s->version, sizeof(s->version), &in->version);
	env_read(p, "/proc/cmdline", s->cmdline, sizeof(s->cmdline), &in->cmdline);
	env_read(p, "/proc/cpuinfo", s->cpuinfo, sizeof(s->cpuinfo), &in->cpuinfo);
	env_read(p, "/sys/hypervisor/type", s->hyp_type, sizeof(s->hyp_type), &in->hyp_type);
	env_read(p, "/proc/device-tree/hypervisor/compatible", s->dt_hyp, sizeof(s->dt_hyp),
		 &in->dt_hyp);
	env_read(p, ACPI_HEADER_PATH, s->acpi, sizeof(s->acpi), &in->acpi);
	for (size_t i = 0, dmi = env_exists(p, "/sys/class/dmi/id"); dmi && i < RT_NDMI; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", env_dmi_file(rt_dmi[i]));
		env_read(p, path, s->dmi[i], sizeof(s->dmi[i]), &in->dmi[rt_dmi[i]]);
	}
	rt_k8s(p, s);
	in->dockerenv = env_exists(p, "/.dockerenv");
	in->dev_lxd = env_exists(p, "/dev/lxd");
	in->wsl_interop = env_exists(p, "/proc/sys/fs/binfmt_misc/WSLInterop");
	in->proc_vz = env_exists(p, "/proc/vz");
	in->proc_bc = env_exists(p, "/proc/bc");
}

/* text_hash - FNV-1a of @t's bytes, mixed into @h (its state too). */
static uint64_t text_hash(uint64_t h, const struct env_text *t)
{
	h = (h ^ t->st) * UINT64_C(0x100000001b3);
	for (size_t i = 0; t->buf && i < t->len; i++)
		h = (h ^ (uint8_t)t->buf[i]) * UINT64_C(0x100000001b3);
	return h;
}

/*
 * rt_gather - this process's cgroup and mounts (and the hostname) on every
 * collection; the fixed sources again only when the first two changed (the
 * process was moved, or entered another namespace).
 */
static void rt_gather(struct rtlab_probe *p, struct rt_state *s)
{
	struct rt_in *in = &s->in;
	uint64_t key = UINT64_C(0xcbf29ce484222325);

	env_src_text(p, &s->self_cgroup, &in->self_cgroup);
	env_src_text(p, &s->mountinfo, &in->mountinfo);
	key = text_hash(text_hash(key, &in->self_cgroup), &in->mountinfo);
	if (!s->fixed_done || key != s->fixed_key) {
		rt_gather_fixed(p, s);
		env_src_text(p, &s->self_cgroup, &in->self_cgroup);
		env_src_text(p, &s->mountinfo, &in->mountinfo);
		s->fixed_done = true;
		s->fixed_key = key;
	}
	env_src_text(p, &s->hostname_src, &in->hostname);
}

/* rt_collect - gather and decide. */
static int rt_collect(struct probe_cx *cx, void *state)
{
	struct rt_state *s = state;
	struct rt_in *in = &s->in;

	rt_gather(cx->p, s);
	runtime_detect(in, &cx->d->runtime);
	env_text_why(cx, "/proc/1/environ", &in->pid1_environ);
	env_text_why(cx, "/proc/self/mountinfo", &in->mountinfo);
	env_text_why(cx, "/proc/self/cgroup", &in->self_cgroup);
	env_text_why(cx, ACPI_HEADER_PATH, &in->acpi);
	return 0;
}

static const struct rtlab_metric m_container = {
	"rtlab_container_info",
	"The container runtime and orchestrator around the process (\"none\": no sign, "
	"\"unknown\": a source could not be read), with the evidence.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_virt = {
	"rtlab_virtualization_info",
	"The hypervisor under the kernel (\"none\" if no sign), with the evidence.",
	RTLAB_METRIC_GAUGE
};

/* or_none - @s; if empty, "none" when every source was read, else "unknown". */
static const char *or_none(const char *s, uint8_t st)
{
	return s[0] ? s : st == RTLAB_PV_OK ? "none" : "unknown";
}

/* rt_emit - one info sample each for the container and the hypervisor. */
static void rt_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_runtime *r = &d->runtime;
	char ev[2 * RTLAB_PROBE_EVIDENCE_LEN + 4];

	snprintf(ev, sizeof(ev), "%s%s%s", r->container_evidence,
		 r->container_evidence[0] && r->orchestrator_evidence[0] ? "; " : "",
		 r->orchestrator_evidence);
	pe_emitl(e, &m_container, mv_one(r->container_st),
		 { "runtime", or_none(r->container, r->container_st) }, { "id", r->container_id },
		 { "name", r->container_name }, { "image", r->container_image },
		 { "orchestrator", or_none(r->orchestrator, r->orchestrator_st) },
		 { "namespace", r->ns }, { "pod", r->pod }, { "evidence", ev });
	pe_emitl(e, &m_virt, mv_one(r->virt_st), { "type", or_none(r->virt, r->virt_st) },
		 { "evidence", r->virt_evidence });
}

const struct probe_family probe_fam_runtime = {
	.name = "runtime",
	.id = RTLAB_PF_RUNTIME,
	.slow = true,
	.open = rt_open,
	.close = rt_close,
	.collect = rt_collect,
	.emit = rt_emit,
};
