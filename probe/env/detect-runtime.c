/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * detect-runtime.c - the container runtime and the orchestrator from the
 * signs the runtime family gathered (pure: no file access).
 *
 * Signs are tried strongest first; the first names the runtime, the later
 * ones that agree with it add their evidence, the others are ignored.
 */
#include <limits.h>
#include <stdio.h>

#include "env/env-parse.h"
#include "env/detect.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* A cgroup path pattern and the runtime it means. */
struct cg_rule {
	const char *needle;
	const char *name;
};

static const struct cg_rule cgroup_rules[] = {
	{ "/docker/", "docker" },	   { "/docker-", "docker" },
	{ "/libpod-", "podman" },	   { "/libpod_parent/", "podman" },
	{ "/crio-", "cri-o" },		   { "/cri-containerd-", "containerd" },
	{ "/nerdctl-", "containerd" },	   { "containerd", "containerd" },
	{ "/lxc/", "lxc" },		   { "/lxc.payload", "lxc" },
};

/* The value of container= and the runtime it names (others: "container"). */
static const struct cg_rule container_env[] = {
	{ "docker", "docker" },
	{ "podman", "podman" },
	{ "lxc", "lxc" },
	{ "lxc-libvirt", "lxc" },
	{ "systemd-nspawn", "systemd-nspawn" },
	{ "wsl", "wsl" },
};

/* same_family - do two names describe the same thing (lxd is lxc, openshift is kubernetes)? */
static bool same_family(const char *a, const char *b)
{
	static const char *const pairs[][2] = { { "lxc", "lxd" }, { "kubernetes", "openshift" } };

	if (strcmp(a, b) == 0)
		return true;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if ((!strcmp(a, pairs[i][0]) && !strcmp(b, pairs[i][1])) ||
		    (!strcmp(a, pairs[i][1]) && !strcmp(b, pairs[i][0])))
			return true;
	return false;
}

/* env_pick_sign - name @what if nothing is named yet; if it agrees, add the evidence. */
bool env_pick_sign(struct pick *pk, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (!pk->name[0])
		pp_copy(pk->name, pk->size, what, strlen(what));
	else if (!same_family(pk->name, what) && strcmp(what, "vm") != 0)
		return false;
	va_start(ap, fmt);
	env_evidence_vadd(pk->ev, fmt, ap);
	va_end(ap);
	return true;
}

/* env_quote_len - how much of a quoted line goes into an evidence text. */
int env_quote_len(int ll)
{
	return ll > 120 ? 120 : ll;
}

/* env_line_with - the line of @t that contains @needle: its start and length. */
bool env_line_with(const struct env_text *t, const char *needle, const char **line, int *ll)
{
	const char *hit, *s, *e, *end;

	if (!t->buf || t->st != RTLAB_PV_OK)
		return false;
	end = t->buf + t->len;
	hit = memmem(t->buf, t->len, needle, strlen(needle));
	if (!hit)
		return false;
	for (s = hit; s > t->buf && s[-1] != '\n'; s--)
		;
	e = pp_eol(hit, end);
	*line = s;
	*ll = (int)(e - s > INT_MAX ? INT_MAX : e - s);
	return true;
}

/* env_lookup - @key in the process's environment, else pid 1's; the file it came from. */
const char *env_lookup(const struct rt_in *in, const char *key, const char **v, size_t *vl)
{
	if (in->self_environ.st == RTLAB_PV_OK &&
	    env_get(in->self_environ.buf, in->self_environ.len, key, v, vl))
		return "/proc/self/environ";
	if (in->pid1_environ.st == RTLAB_PV_OK &&
	    env_get(in->pid1_environ.buf, in->pid1_environ.len, key, v, vl))
		return "/proc/1/environ";
	return NULL;
}

/* k8s_hint - any sign of Kubernetes (tells CRI-O from podman on containers/storage). */
static bool k8s_hint(const struct rt_in *in)
{
	const char *v;
	size_t vl;

	return in->k8s_sa || env_lookup(in, "KUBERNETES_SERVICE_HOST", &v, &vl) ||
	       env_text_has(in->self_cgroup.buf, in->self_cgroup.len, "kubepods");
}

/* kernel_signs - gVisor and WSL show in the kernel's own name and version. */
static void kernel_signs(const struct rt_in *in, struct pick *pk, bool wsl)
{
	char rel[128];

	env_text_line(&in->osrelease, rel, sizeof(rel));
	if (!wsl) {
		if (strstr(rel, "gvisor"))
			env_pick_sign(pk, "gvisor", "/proc/sys/kernel/osrelease: %s", rel);
		if (env_text_has(in->version.buf, in->version.len,
				 "#1 SMP Sun Jan 10 15:06:54 PST 2016"))
			env_pick_sign(pk, "gvisor", "/proc/version: gVisor's fixed build date");
		if (env_text_has(in->cmdline.buf, in->cmdline.len, "-gvisor "))
			env_pick_sign(pk, "gvisor", "/proc/cmdline: a -gvisor boot image");
		return;
	}
	if (strstr(rel, "WSL2") || strstr(rel, "microsoft-standard"))
		env_pick_sign(pk, "wsl2", "/proc/sys/kernel/osrelease: %s", rel);
	else if (strstr(rel, "Microsoft"))
		env_pick_sign(pk, "wsl1", "/proc/sys/kernel/osrelease: %s", rel);
	if (in->wsl_interop && (!pk->name[0] || strncmp(pk->name, "wsl", 3) == 0))
		env_pick_sign(pk, pk->name[0] ? pk->name : "wsl",
			  "/proc/sys/fs/binfmt_misc/WSLInterop exists");
}

/* containerenv_signs - podman's /run/.containerenv (engine, name, image, id). */
static void containerenv_signs(const struct rt_in *in, struct pick *pk,
			       struct rtlab_probe_runtime *out)
{
	const struct env_text *t = &in->containerenv;
	const char *v;
	size_t vl;

	if (t->st != RTLAB_PV_OK || !env_kv_quoted(t->buf, t->len, "engine", &v, &vl))
		return;
	if (vl >= 6 && memcmp(v, "podman", 6) == 0)
		env_pick_sign(pk, "podman", "/run/.containerenv: engine=%.*s",
			      (int)(vl > 40 ? 40 : vl), v);
	else if (vl >= 7 && memcmp(v, "buildah", 7) == 0)
		env_pick_sign(pk, "buildah", "/run/.containerenv: engine=%.*s",
			      (int)(vl > 40 ? 40 : vl), v);
	else
		return;
	if (env_kv_quoted(t->buf, t->len, "name", &v, &vl))
		pp_copy(out->container_name, sizeof(out->container_name), v, vl);
	if (env_kv_quoted(t->buf, t->len, "image", &v, &vl))
		pp_copy(out->container_image, sizeof(out->container_image), v, vl);
	if (env_kv_quoted(t->buf, t->len, "id", &v, &vl))
		pp_copy(out->container_id, sizeof(out->container_id), v, vl);
}

/* container_var - container= (systemd's convention) in /run/systemd/container or an environ. */
static void container_var(const struct rt_in *in, struct pick *pk)
{
	char val[64];
	const char *src = NULL, *v;
	size_t vl;

	env_text_line(&in->systemd_container, val, sizeof(val));
	if (val[0]) {
		src = "/run/systemd/container";
	} else if ((src = env_lookup(in, "container", &v, &vl))) {
		pp_copy(val, sizeof(val), v, vl);
	}
	if (!src || !val[0])
		return;
	for (size_t i = 0; i < sizeof(container_env) / sizeof(container_env[0]); i++) {
		if (strcmp(val, container_env[i].needle) == 0) {
			env_pick_sign(pk, container_env[i].name, "%s: container=%s", src, val);
			return;
		}
	}
	env_pick_sign(pk, "container", "%s: container=%s", src, val);
}

/* cgroup_signs - runtime patterns in the cgroup paths of this process, then of pid 1. */
static void cgroup_signs(const struct rt_in *in, struct pick *pk, char *id, size_t idsize)
{
	const struct env_text *t[] = { &in->self_cgroup, &in->pid1_cgroup };
	const char *files[] = { "/proc/self/cgroup", "/proc/1/cgroup" };

	for (size_t f = 0; f < 2; f++) {
		for (size_t i = 0; i < sizeof(cgroup_rules) / sizeof(cgroup_rules[0]); i++) {
			const char *line;
			int ll;

			if (!env_line_with(t[f], cgroup_rules[i].needle, &line, &ll))
				continue;
			if (env_pick_sign(pk, cgroup_rules[i].name, "%s: %.*s", files[f],
					  env_quote_len(ll), line) &&
			    !id[0])
				env_hex_id(line, (size_t)ll, id, idsize);
			break;
		}
	}
}

/* mount_signs - runtime storage paths in the mount table (the root overlay, /etc/hosts...). */
static void mount_signs(const struct rt_in *in, struct pick *pk, char *id, size_t idsize)
{
	/* The storage paths, and where the container's own files (hostname...) live. */
	static const struct {
		const char *needle, *name, *id_dir;
	} rules[] = {
		{ "/var/lib/docker/", "docker", "/docker/containers/" },
		{ "/var/lib/containerd/", "containerd", NULL },
		{ "/io.containerd.", "containerd", NULL },
		/* podman, or CRI-O under Kubernetes */
		{ "/containers/storage/", NULL, "/overlay-containers/" },
	};
	const char *line;
	int ll;

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const char *name = rules[i].name;

		if (!name)
			name = k8s_hint(in) ? "cri-o" : "podman";

		if (!env_line_with(&in->mountinfo, rules[i].needle, &line, &ll))
			continue;
		if (env_pick_sign(pk, name, "/proc/self/mountinfo: %s paths", rules[i].needle) &&
		    !id[0] && rules[i].id_dir &&
		    env_line_with(&in->mountinfo, rules[i].id_dir, &line, &ll))
			env_hex_id(line, (size_t)ll, id, idsize);
		break;
	}
}

/* container_detect - the runtime, strongest signs first. */
static void container_detect(const struct rt_in *in, struct rtlab_probe_runtime *out)
{
	struct pick pk = { out->container, sizeof(out->container), out->container_evidence };
	char id[80] = "";

	kernel_signs(in, &pk, false);
	if (env_text_has(in->mountinfo.buf, in->mountinfo.len, "kataShared"))
		env_pick_sign(&pk, "kata", "/proc/self/mountinfo: the kataShared virtio-fs share");
	if (env_text_has(in->mountinfo.buf, in->mountinfo.len, "/run/kata-containers/"))
		env_pick_sign(&pk, "kata", "/proc/self/mountinfo: /run/kata-containers/ paths");
	containerenv_signs(in, &pk, out);
	if (in->dockerenv)
		env_pick_sign(&pk, "docker", "/.dockerenv exists");
	if (in->dev_lxd)
		env_pick_sign(&pk, "lxd", "/dev/lxd exists");
	container_var(in, &pk);
	cgroup_signs(in, &pk, id, sizeof(id));
	mount_signs(in, &pk, id, sizeof(id));
	if (in->containerenv.st == RTLAB_PV_OK)
		env_pick_sign(&pk, k8s_hint(in) ? "cri-o" : "podman", "/run/.containerenv exists");
	if (in->proc_vz && !in->proc_bc)
		env_pick_sign(&pk, "openvz", "/proc/vz exists, /proc/bc does not");
	kernel_signs(in, &pk, true);
	if (!out->container_id[0])
		pp_copy(out->container_id, sizeof(out->container_id), id, strlen(id));
	if (out->container[0])
		out->container_st = RTLAB_PV_OK;
	else if (in->pid1_environ.st == RTLAB_PV_DENIED || in->mountinfo.st == RTLAB_PV_DENIED)
		out->container_st = RTLAB_PV_DENIED;
	else
		out->container_st = RTLAB_PV_OK;
}

/* env_sign - @key in an environ is a sign of @what; its value kept in @dst if given. */
static void env_sign(const struct rt_in *in, struct pick *pk, const char *what, const char *key,
		     char *dst, size_t size)
{
	const char *src, *v;
	size_t vl;

	src = env_lookup(in, key, &v, &vl);
	if (!src || !env_pick_sign(pk, what, "%s: %s", src, key))
		return;
	if (dst && !dst[0])
		pp_copy(dst, size, v, vl);
}

/* env_copy - @key's value (self, then pid 1) into @dst if @dst is still empty. */
static void env_copy(const struct rt_in *in, const char *key, char *dst, size_t size)
{
	const char *v;
	size_t vl;

	if (!dst[0] && env_lookup(in, key, &v, &vl))
		pp_copy(dst, size, v, vl);
}

/* orchestrator_detect - OpenShift, Kubernetes, Nomad. */
static void orchestrator_detect(const struct rt_in *in, struct rtlab_probe_runtime *out)
{
	struct pick pk = { out->orchestrator, sizeof(out->orchestrator),
			   out->orchestrator_evidence };
	const char *line;
	int ll;

	if (in->openshift_ca)
		env_pick_sign(&pk, "openshift", "serviceaccount/service-ca.crt exists");
	env_sign(in, &pk, "openshift", "OPENSHIFT_BUILD_NAMESPACE", out->ns, sizeof(out->ns));
	env_sign(in, &pk, "kubernetes", "KUBERNETES_SERVICE_HOST", NULL, 0);
	if (in->k8s_ns.st == RTLAB_PV_OK) {
		env_text_line(&in->k8s_ns, out->ns, sizeof(out->ns));
		env_pick_sign(&pk, "kubernetes", "serviceaccount/namespace: %s", out->ns);
	}
	if (env_line_with(&in->self_cgroup, "kubepods", &line, &ll))
		env_pick_sign(&pk, "kubernetes", "/proc/self/cgroup: kubepods");
	if (env_line_with(&in->mountinfo, "/var/lib/kubelet/pods/", &line, &ll))
		env_pick_sign(&pk, "kubernetes",
			      "/proc/self/mountinfo: /var/lib/kubelet/pods/ paths");
	if (!strcmp(out->orchestrator, "kubernetes") || !strcmp(out->orchestrator, "openshift")) {
		env_copy(in, "POD_NAMESPACE", out->ns, sizeof(out->ns));
		env_copy(in, "HOSTNAME", out->pod, sizeof(out->pod));
		if (!out->pod[0])
			env_text_line(&in->hostname, out->pod, sizeof(out->pod));
	}
	env_sign(in, &pk, "nomad", "NOMAD_ALLOC_ID", NULL, 0);
	env_sign(in, &pk, "nomad", "NOMAD_JOB_NAME", out->job, sizeof(out->job));
	if (!strcmp(out->orchestrator, "nomad")) {
		env_copy(in, "NOMAD_NAMESPACE", out->ns, sizeof(out->ns));
		env_copy(in, "NOMAD_ALLOC_NAME", out->pod, sizeof(out->pod));
	}
	if (out->orchestrator[0] || in->pid1_environ.st != RTLAB_PV_DENIED)
		out->orchestrator_st = RTLAB_PV_OK;
	else
		out->orchestrator_st = RTLAB_PV_DENIED;
}

/* runtime_detect - container, orchestrator and hypervisor. */
void runtime_detect(const struct rt_in *in, struct rtlab_probe_runtime *out)
{
	memset(out, 0, sizeof(*out));
	out->pid1_environ_st = in->pid1_environ.st;
	container_detect(in, out);
	orchestrator_detect(in, out);
	virt_detect(in, out);
}
