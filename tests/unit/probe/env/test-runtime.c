/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-runtime.c - container runtime, orchestrator and hypervisor detection on
 * one small tree per kind, with the evidence each must name; pid 1's environ
 * denied; hostile bytes in environments.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "env-test.h"

#include "env/env-parse.h"

#define R RTLAB_PF_RUNTIME
#define ID1 "3f4e8a9c2b1d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"
#define ID2 "9c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d"

/* One tree and what must be found there ("" for nothing). */
struct rt_case {
	char tree[16];
	char container[24], id[80], evidence[64];
	char orchestrator[16], ns[24], pod[32], orch_evidence[64];
	char virt[24], virt_evidence[64];
};

static struct rt_case rt_cases[] = {
	{ "container", "docker", ID1, "/.dockerenv exists", "kubernetes", "shop",
	  "web-7d4b9c6f8-x2kqz", "serviceaccount/namespace: shop", "amazon",
	  "sys_vendor: Amazon EC2" },
	{ "podman", "podman", ID2, "/run/.containerenv: engine=podman-4.3.1", "", "", "", "", "",
	  "" },
	{ "lxc", "lxc", "", "/proc/1/environ: container=lxc", "", "", "", "", "", "" },
	{ "lxd", "lxd", "", "/run/systemd/container: container=lxc", "", "", "", "", "", "" },
	{ "nspawn", "systemd-nspawn", "", "/run/systemd/container: container=systemd-nspawn", "",
	  "", "", "", "", "" },
	{ "openvz", "openvz", "", "/proc/vz exists", "", "", "", "", "", "" },
	{ "gvisor", "gvisor", "", "/proc/version: gVisor's fixed build date", "", "", "", "",
	  "google", "product_name: Google Compute Engine" },
	{ "kata", "kata", "", "kataShared", "", "", "", "", "qemu", "sys_vendor: QEMU" },
	{ "microvm", "", "", "", "", "", "", "", "microvm", "virtio_mmio.device=" },
	{ "containerd", "containerd", ID1, "/proc/self/cgroup: 0::/kubepods.slice", "kubernetes",
	  "default", "api-5c9d7b8f6d-q8xlm", "KUBERNETES_SERVICE_HOST", "", "" },
	{ "openshift", "cri-o", ID2, "crio-", "openshift", "myproject", "frontend-1-x7k2p",
	  "service-ca.crt exists", "", "" },
	{ "nomad", "docker", "", "/.dockerenv exists", "nomad", "default", "api.web[0]",
	  "NOMAD_ALLOC_ID", "", "" },
	{ "wsl2", "wsl2", "", "microsoft-standard-WSL2", "", "", "", "", "vm",
	  "/proc/cpuinfo: hypervisor flag" },
	{ "wsl1", "wsl1", "", "4.4.0-19041-Microsoft", "", "", "", "", "", "" },
	{ "cgroup2", "", "", "", "", "", "", "", "", "" },
	/*
	 * This VM, captured: a Docker image's root file system (/.dockerenv) in a
	 * Firecracker micro-VM, whose ACPI tables carry the OEM id FIRECK
	 * (systemd-detect-virt says "docker", and "kvm" with --vm).
	 */
	{ "vm", "docker", "", "/.dockerenv exists", "", "", "", "", "firecracker",
	  "FACP: OEM id FIRECK" },
};

ParameterizedTestParameters(runtime, trees)
{
	return cr_make_param_array(struct rt_case, rt_cases,
				   sizeof(rt_cases) / sizeof(rt_cases[0]));
}

/* has - @ev contains @want ("" always does). */
static bool has(const char *ev, const char *want)
{
	return strstr(ev, want) != NULL;
}

ParameterizedTest(struct rt_case *c, runtime, trees)
{
	struct rtlab_probe_data *d = collect_tree(c->tree, R);
	const struct rtlab_probe_runtime *r = &d->runtime;

	cr_assert_str_eq(r->container, c->container, "%s", c->tree);
	cr_assert_eq(r->container_st, RTLAB_PV_OK, "%s", c->tree);
	cr_assert_str_eq(r->container_id, c->id, "%s", c->tree);
	cr_assert(has(r->container_evidence, c->evidence), "%s: '%s'", c->tree,
		  r->container_evidence);
	cr_assert(c->container[0] || !r->container_evidence[0], "%s", c->tree);
	cr_assert_str_eq(r->orchestrator, c->orchestrator, "%s", c->tree);
	cr_assert_str_eq(r->ns, c->ns, "%s", c->tree);
	cr_assert_str_eq(r->pod, c->pod, "%s", c->tree);
	cr_assert(has(r->orchestrator_evidence, c->orch_evidence), "%s: '%s'", c->tree,
		  r->orchestrator_evidence);
	cr_assert_str_eq(r->virt, c->virt, "%s", c->tree);
	cr_assert(has(r->virt_evidence, c->virt_evidence), "%s: '%s'", c->tree, r->virt_evidence);
	rtlab_probe_data_free(d);
}

/* Signs that agree add up; podman's file gives the name and image too. */
Test(runtime, evidence_adds_up)
{
	struct rtlab_probe_data *d = collect_tree("container", R);

	cr_assert(has(d->runtime.container_evidence, "mountinfo: /var/lib/docker/ paths"), "%s",
		  d->runtime.container_evidence);
	cr_assert(has(d->runtime.container_evidence, "/proc/1/environ: container=docker"));
	cr_assert(has(d->runtime.orchestrator_evidence, "/var/lib/kubelet/pods/"));
	cr_assert(has(d->runtime.virt_evidence, "/proc/cpuinfo: hypervisor flag"));
	rtlab_probe_data_free(d);
	d = collect_tree("podman", R);
	cr_assert_str_eq(d->runtime.container_name, "web");
	cr_assert_str_eq(d->runtime.container_image, "docker.io/library/nginx:latest");
	cr_assert(has(d->runtime.container_evidence, "/proc/self/environ: container=podman"));
	rtlab_probe_data_free(d);
}

/* The info samples carry the names and the evidence as labels. */
Test(runtime, samples)
{
	struct rtlab_probe_data *d = collect_tree("nomad", R);
	struct rec *r = calloc(1, sizeof(*r));
	const struct rec_sample *s;

	rec_emit(d, R, r);
	cr_assert_eq(r->n, 2);
	s = rec_find(
		r, "rtlab_container_info",
		"runtime=docker,id=,name=,image=,orchestrator=nomad,namespace=default,"
		"pod=api.web[0],evidence=/.dockerenv exists; /proc/self/environ: NOMAD_ALLOC_ID; "
		"/proc/self/environ: NOMAD_JOB_NAME");
	cr_assert_not_null(s, "%s", r->s[0].labels);
	cr_assert_eq(s->v, 1);
	cr_assert_not_null(rec_find(r, "rtlab_virtualization_info", "type=none,evidence="),
			   "%s", r->s[1].labels);
	free(r);
	rtlab_probe_data_free(d);
}

/* What a collection as another user saw (sent back through a pipe). */
struct denied_seen {
	uint8_t pid1, orchestrator, container;
	char why[160];
};

/* collect_as_nobody - collect the runtime family below @root as user 65534, in a child. */
static struct denied_seen collect_as_nobody(const char *root)
{
	struct denied_seen seen = { 0 };
	int fds[2], status;
	pid_t pid;

	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct rtlab_probe_opts o = { .root = root };
		struct rtlab_probe_data *d = rtlab_probe_data_new();
		struct rtlab_probe *p = NULL;

		if (!d || (geteuid() == 0 && setresuid(65534, 65534, 65534) < 0) ||
		    rtlab_probe_new(NULL, &o, &p) < 0 ||
		    rtlab_probe_collect(p, RTLAB_PF_BIT(R), d) < 0)
			_exit(1);
		seen = (struct denied_seen){ d->runtime.pid1_environ_st, d->runtime.orchestrator_st,
					     d->runtime.container_st, "" };
		snprintf(seen.why, sizeof(seen.why), "%s", d->why[R]);
		_exit(write(fds[1], &seen, sizeof(seen)) == (ssize_t)sizeof(seen) ? 0 : 1);
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &seen, sizeof(seen)), (ssize_t)sizeof(seen));
	close(fds[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return seen;
}

/* pid 1's environ not ours to read: said so, and "nothing seen" is not "nothing there". */
Test(runtime, pid1_environ_denied)
{
	char root[PATH_MAX];
	struct denied_seen seen;
	int dfd;

	static const char env[] = "KUBERNETES_SERVICE_HOST=10.0.0.1";
	int fd;

	tree_new(root, sizeof(root));
	dfd = open(root, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(dfd, 0);
	cr_assert_eq(mkdirat(dfd, "proc", 0755), 0);
	cr_assert_eq(mkdirat(dfd, "proc/1", 0755), 0);
	/* Root reads any file: the child drops to nobody; another user cannot read mode 0. */
	fd = openat(dfd, "proc/1/environ", O_WRONLY | O_CREAT, geteuid() == 0 ? 0400 : 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, env, sizeof(env) - 1), (ssize_t)sizeof(env) - 1);
	close(fd);
	cr_assert_eq(fchmod(dfd, 0755), 0);
	close(dfd);
	seen = collect_as_nobody(root);
	tree_free(root);
	cr_assert_eq(seen.pid1, RTLAB_PV_DENIED);
	cr_assert_eq(seen.orchestrator, RTLAB_PV_DENIED);
	cr_assert_eq(seen.container, RTLAB_PV_DENIED);
	cr_assert(strstr(seen.why, "/proc/1/environ: permission denied"), "%s", seen.why);
}

/* detect_env - runtime_detect() on a hand-made environ of pid 1 (length @len). */
static void detect_env(const char *env, size_t len, struct rtlab_probe_runtime *out)
{
	struct rt_in in;

	memset(&in, 0, sizeof(in));
	for (size_t i = 0; i < RTLAB_DMI__COUNT; i++)
		in.dmi[i].st = RTLAB_PV_ABSENT;
	in.pid1_environ = (struct env_text){ env, len, RTLAB_PV_OK };
	runtime_detect(&in, out);
}

/* Hostile bytes: no NUL at the end, newlines, quotes, a key that only starts the same. */
Test(runtime, hostile_environ)
{
	static const char env[] = "KUBERNETES_SERVICE_HOSTX=1\0=oops\0HOSTNAME=a\"b\nc\\d\0"
				  "KUBERNETES_SERVICE_HOST=10.0.0.1\0container=x\ny";
	struct rtlab_probe_runtime r;
	char big[600];
	const char *v;
	size_t vl;

	detect_env(env, sizeof(env) - 1, &r);
	cr_assert_str_eq(r.orchestrator, "kubernetes");
	cr_assert_str_eq(r.pod, "a\"b\nc\\d", "bytes kept as they are, exporters escape them");
	cr_assert_str_eq(r.container, "container", "an unknown container= value");
	cr_assert(has(r.container_evidence, "container=x\ny"));
	cr_assert(env_get(env, sizeof(env) - 1, "container", &v, &vl));
	cr_assert_eq(vl, 3, "the last entry ends at the buffer's end");
	cr_assert(!env_get(env, sizeof(env) - 1, "", &v, &vl) || vl == 4);
	cr_assert(!env_get(env, 5, "KUBERNETES_SERVICE_HOST", &v, &vl));
	/* A very long value is cut to the field, never past it. */
	memset(big, 'A', sizeof(big));
	memcpy(big, "HOSTNAME=", 9);
	memcpy(big + 300, "\0KUBERNETES_SERVICE_HOST=1", 26);
	detect_env(big, sizeof(big), &r);
	cr_assert_eq(strlen(r.pod), sizeof(r.pod) - 1);
}

/* /run/.containerenv, quoted or not; other keys and broken lines ignored. */
Test(runtime, containerenv_values)
{
	static const char ce[] = "engine=\"podman-5.0.2\"\nname=bare\nid=\"\"\nimage=\"x";
	const char *v;
	size_t vl;

	cr_assert(env_kv_quoted(ce, sizeof(ce) - 1, "engine", &v, &vl));
	cr_assert_eq(vl, 12);
	cr_assert(env_kv_quoted(ce, sizeof(ce) - 1, "name", &v, &vl) && vl == 4);
	cr_assert(env_kv_quoted(ce, sizeof(ce) - 1, "id", &v, &vl) && vl == 0);
	cr_assert(env_kv_quoted(ce, sizeof(ce) - 1, "image", &v, &vl) && vl == 2);
	cr_assert(!env_kv_quoted(ce, sizeof(ce) - 1, "imageid", &v, &vl));
}

/* A container id is exactly 64 hex digits. */
Test(runtime, container_ids)
{
	char id[80];

	cr_assert(env_hex_id("/docker/" ID1 "/x", strlen("/docker/" ID1 "/x"), id, sizeof(id)));
	cr_assert_str_eq(id, ID1);
	cr_assert(!env_hex_id(ID1 "0", 65, id, sizeof(id)));
	cr_assert(!env_hex_id("/process_api/3a4cd0378f42f584fba5739553c9c133", 45, id, sizeof(id)));
}

/*
 * The fixed sources are read once: a marker appearing later changes nothing
 * until the process's cgroup (or its mounts) change, then all is read again.
 */
Test(runtime, fixed_sources_read_again_after_a_move)
{
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/self/cgroup", "0::/user.slice\n");
	tree_put(root, "/proc/self/mountinfo",
		 "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n");
	tree_put(root, "/proc/sys/kernel/hostname", "host-a\n");
	p = probe_at(root, &o);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(R), d), 0);
	cr_assert_str_eq(d->runtime.container, "", "no sign: none");

	tree_put(root, "/.dockerenv", "");
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(R), d), 0);
	cr_assert_str_eq(d->runtime.container, "", "the fixed sources were read again");

	tree_put(root, "/proc/self/cgroup", "0::/system.slice/docker-0123abcd.scope\n");
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(R), d), 0);
	cr_assert_str_eq(d->runtime.container, "docker");
	cr_assert(has(d->runtime.container_evidence, "/.dockerenv exists"), "%s",
		  d->runtime.container_evidence);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}
