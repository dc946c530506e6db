/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cloud.c - the cloud vendor from DMI (one case per vendor), from the
 * environment of managed services, on the captured and hand-made trees, and
 * node_dmi_info's labels.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "env-test.h"

#include "env/env-parse.h"

#define CL RTLAB_PF_CLOUD

/* Up to three DMI files and the vendor they must name. */
struct dmi_case {
	char file[3][24], value[3][48];
	char vendor[16], service[16], evidence[64];
};

static struct dmi_case dmi_cases[] = {
	{ { "sys_vendor", "product_name", "chassis_asset_tag" },
	  { "Microsoft Corporation", "Virtual Machine", "7783-7084-3265-9085-8269-3286-77" },
	  "azure", "vm", "chassis_asset_tag: 7783-7084-3265-9085-8269-3286-77" },
	{ { "chassis_asset_tag" }, { "OracleCloud.com" }, "oci", "compute", "OracleCloud.com" },
	{ { "sys_vendor", "product_name" }, { "Amazon EC2", "c6g.xlarge" }, "aws", "ec2",
	  "sys_vendor: Amazon EC2" },
	{ { "sys_vendor", "bios_version" }, { "Xen", "4.11.amazon" }, "aws", "ec2",
	  "bios_version: 4.11.amazon" },
	{ { "product_uuid" }, { "EC2E1916-9099-7CAF-FD21-012345ABCDEF" }, "aws", "ec2",
	  "product_uuid: EC2E1916" },
	{ { "sys_vendor", "product_name" }, { "Google", "Google Compute Engine" }, "gcp",
	  "compute-engine", "product_name: Google Compute Engine" },
	{ { "product_name" }, { "Alibaba Cloud ECS" }, "alibaba", "ecs", "Alibaba Cloud ECS" },
	{ { "sys_vendor", "product_name" }, { "DigitalOcean", "Droplet" }, "digitalocean",
	  "droplet", "sys_vendor: DigitalOcean" },
	{ { "sys_vendor", "product_name" }, { "Hetzner", "vServer" }, "hetzner", "cloud",
	  "sys_vendor: Hetzner" },
	{ { "sys_vendor", "product_name" }, { "OpenStack Foundation", "OpenStack Nova" },
	  "openstack", "nova", "product_name: OpenStack Nova" },
	{ { "sys_vendor" }, { "Scaleway" }, "scaleway", "instance", "Scaleway" },
	{ { "sys_vendor" }, { "Linode" }, "linode", "compute", "Linode" },
	{ { "sys_vendor" }, { "Akamai" }, "linode", "compute", "Akamai" },
	{ { "sys_vendor" }, { "Vultr" }, "vultr", "compute", "Vultr" },
	{ { "sys_vendor", "product_name" }, { "Tencent Cloud", "CVM" }, "tencent", "cvm",
	  "Tencent Cloud" },
	{ { "product_name" }, { "Exoscale Compute Platform" }, "exoscale", "compute", "Exoscale" },
	{ { "sys_vendor" }, { "UpCloud" }, "upcloud", "server", "UpCloud" },
	{ { "chassis_asset_tag" }, { "HUAWEICLOUD" }, "huawei", "ecs", "HUAWEICLOUD" },
	{ { "sys_vendor", "product_name" }, { "3DS Outscale", "3DS Outscale VM" }, "outscale", "vm",
	  "3DS Outscale" },
	{ { "chassis_asset_tag" }, { "ibmcloud" }, "ibm", "vpc", "ibmcloud" },
	/* Not clouds: a laptop, and QEMU without a cloud's marks. */
	{ { "sys_vendor", "product_name" }, { "LENOVO", "20XW0055GE" }, "", "", "" },
	{ { "sys_vendor", "product_name" }, { "QEMU", "Standard PC (i440FX + PIIX, 1996)" }, "", "",
	  "" },
};

ParameterizedTestParameters(cloud, dmi_vendors)
{
	return cr_make_param_array(struct dmi_case, dmi_cases,
				   sizeof(dmi_cases) / sizeof(dmi_cases[0]));
}

ParameterizedTest(struct dmi_case *c, cloud, dmi_vendors)
{
	char root[PATH_MAX], path[64], line[64];
	struct rtlab_probe_data *d;

	tree_new(root, sizeof(root));
	for (size_t i = 0; i < 3 && c->file[i][0]; i++) {
		snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", c->file[i]);
		snprintf(line, sizeof(line), "%s\n", c->value[i]);
		tree_put(root, path, line);
	}
	d = collect_at(root, CL);
	cr_assert_eq(d->cloud.st, RTLAB_PV_OK);
	cr_assert_str_eq(d->cloud.vendor, c->vendor, "%s", c->value[0]);
	cr_assert_str_eq(d->cloud.service, c->service, "%s", c->value[0]);
	cr_assert(strstr(d->cloud.evidence, c->evidence), "%s: '%s'", c->value[0],
		  d->cloud.evidence);
	cr_assert(c->vendor[0] || !d->cloud.evidence[0]);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Environment variables that managed services set, and the region where they give it. */
struct env_case {
	char env[160];
	char vendor[16], service[24], region[16], evidence[48];
};

static struct env_case env_cases[] = {
	{ "AWS_LAMBDA_FUNCTION_NAME=f|AWS_EXECUTION_ENV=AWS_Lambda_python3.12|AWS_REGION=us-east-1",
	  "aws", "lambda", "us-east-1", "AWS_LAMBDA_FUNCTION_NAME" },
	{ "AWS_EXECUTION_ENV=AWS_ECS_FARGATE|AWS_DEFAULT_REGION=eu-west-1", "aws", "fargate",
	  "eu-west-1", "AWS_EXECUTION_ENV" },
	{ "ECS_CONTAINER_METADATA_URI_V4=http://169.254.170.2/v4/x", "aws", "ecs", "",
	  "ECS_CONTAINER_METADATA_URI_V4" },
	{ "K_SERVICE=api|K_REVISION=api-1|PORT=8080", "gcp", "cloud-run", "", "K_SERVICE" },
	{ "CLOUD_RUN_JOB=nightly|CLOUD_RUN_EXECUTION=nightly-x", "gcp", "cloud-run", "",
	  "CLOUD_RUN_JOB" },
	{ "FUNCTION_TARGET=hello|K_SERVICE=hello", "gcp", "cloud-functions", "",
	  "FUNCTION_TARGET" },
	{ "GAE_APPLICATION=s~app|GAE_SERVICE=default", "gcp", "app-engine", "", "GAE_APPLICATION" },
	{ "WEBSITE_SITE_NAME=shop|REGION_NAME=West Europe", "azure", "app-service", "West Europe",
	  "WEBSITE_SITE_NAME" },
	{ "FUNCTIONS_WORKER_RUNTIME=node|WEBSITE_SITE_NAME=fn", "azure", "functions", "",
	  "FUNCTIONS_WORKER_RUNTIME" },
	{ "CONTAINER_APP_NAME=api", "azure", "container-apps", "", "CONTAINER_APP_NAME" },
	{ "FLY_APP_NAME=web|FLY_REGION=cdg", "fly", "machines", "cdg", "FLY_APP_NAME" },
	{ "DYNO=web.1", "heroku", "dyno", "", "DYNO" },
	/* Tools that only talk to clouds are not clouds. */
	{ "AWS_CA_BUNDLE=/etc/ssl/ca.pem|AWS_REGION=us-east-1|CLOUDSDK_CORE_PROJECT=p", "", "", "",
	  "" },
	{ "AWS_EXECUTION_ENV=CloudShell", "", "", "", "" },
};

ParameterizedTestParameters(cloud, environment)
{
	return cr_make_param_array(struct env_case, env_cases,
				   sizeof(env_cases) / sizeof(env_cases[0]));
}

ParameterizedTest(struct env_case *c, cloud, environment)
{
	char root[PATH_MAX], env[sizeof(c->env)];
	struct rtlab_probe_data *d;
	size_t n = strlen(c->env);
	FILE *f;
	char path[PATH_MAX + 32];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/self/environ", "");
	memcpy(env, c->env, n);
	for (size_t i = 0; i < n; i++)
		if (env[i] == '|')
			env[i] = '\0';
	snprintf(path, sizeof(path), "%s/proc/self/environ", root);
	f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(env, 1, n + 1, f), n + 1);
	cr_assert_eq(fclose(f), 0);
	d = collect_at(root, CL);
	cr_assert_str_eq(d->cloud.vendor, c->vendor, "%s", c->env);
	cr_assert_str_eq(d->cloud.service, c->service, "%s", c->env);
	cr_assert_str_eq(d->cloud.region, c->region, "%s", c->env);
	cr_assert(strstr(d->cloud.evidence, c->evidence), "%s", d->cloud.evidence);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* The container tree: Nitro puts the instance type and id in DMI; the region is in the env. */
Test(cloud, aws_nitro_container)
{
	struct rtlab_probe_data *d = collect_tree("container", CL);
	const struct rtlab_probe_cloud *c = &d->cloud;

	cr_assert_eq(d->err[CL], 0, "%s", d->why[CL]);
	cr_assert_str_eq(c->vendor, "aws");
	cr_assert_str_eq(c->service, "ec2");
	cr_assert_str_eq(c->instance_type, "m5.large");
	cr_assert_str_eq(c->instance_id, "i-0abc123def4567890");
	cr_assert_str_eq(c->region, "eu-west-3");
	cr_assert(strstr(c->evidence, "/sys/class/dmi/id/sys_vendor: Amazon EC2"), "%s",
		  c->evidence);
	cr_assert(strstr(c->evidence, "product_uuid: ec2e1916"), "%s", c->evidence);
	cr_assert_str_eq(c->dmi[RTLAB_DMI_BOARD_ASSET_TAG].v, "i-0abc123def4567890");
	rtlab_probe_data_free(d);
}

/* gVisor on Cloud Run: DMI says Google, the environment says which service. */
Test(cloud, cloud_run_service_wins)
{
	struct rtlab_probe_data *d = collect_tree("gvisor", CL);

	cr_assert_str_eq(d->cloud.vendor, "gcp");
	cr_assert_str_eq(d->cloud.service, "cloud-run");
	cr_assert(strstr(d->cloud.evidence, "/proc/self/environ: K_SERVICE"), "%s",
		  d->cloud.evidence);
	rtlab_probe_data_free(d);
}

/*
 * This VM, captured: a Firecracker micro-VM has no DMI at all, and its
 * environment names no managed service (AWS_CA_BUNDLE is a tool's setting).
 */
Test(cloud, vm_captured)
{
	struct rtlab_probe_data *d = collect_tree("vm", CL);

	cr_assert_eq(d->err[CL], 0, "%s", d->why[CL]);
	cr_assert_str_eq(d->cloud.vendor, "");
	cr_assert_eq(d->cloud.st, RTLAB_PV_OK);
	cr_assert_eq(d->cloud.dmi[RTLAB_DMI_SYS_VENDOR].st, RTLAB_PV_ABSENT);
	rtlab_probe_data_free(d);
}

/* node_dmi_info: node_exporter's labels, only for the files that could be read. */
Test(cloud, samples)
{
	struct rtlab_probe_data *d = collect_tree("gvisor", CL);
	struct rec *r = calloc(1, sizeof(*r));
	const struct rec_sample *s;

	rec_emit(d, CL, r);
	cr_assert_eq(r->n, 2);
	s = rec_find(r, "node_dmi_info",
		     "bios_vendor=Google,board_vendor=Google,chassis_vendor=Google,"
		     "product_name=Google Compute Engine,"
		     "product_serial=GoogleCloud-3B9F6C1E2D4A5B6C7D8E9F0A1B2C3D4E,"
		     "system_vendor=Google");
	cr_assert_not_null(s, "%s", r->s[0].labels);
	cr_assert_eq(s->st, RTLAB_PV_OK);
	s = rec_find(r, "rtlab_cloud_info",
		     "vendor=gcp,service=cloud-run,instance_type=,instance_id=,region=,"
		     "evidence=/sys/class/dmi/id/product_name: Google Compute Engine; "
		     "/sys/class/dmi/id/sys_vendor: Google; /sys/class/dmi/id/product_serial: "
		     "GoogleCloud-3B9F6C1E2D4A5B6C7D8E9F0A1B2C3D4E; /proc/self/environ: K_SERVICE");
	cr_assert_not_null(s, "%s", r->s[1].labels);
	free(r);
	rtlab_probe_data_free(d);

	d = collect_tree("vm", CL);
	r = calloc(1, sizeof(*r));
	rec_emit(d, CL, r);
	s = rec_find(r, "node_dmi_info", "");
	cr_assert_not_null(s);
	cr_assert_eq(s->st, RTLAB_PV_ABSENT, "no DMI: the sample says why, Prometheus skips it");
	cr_assert_str_eq(rtlab_probe_dmi_name(RTLAB_DMI_SYS_VENDOR), "system_vendor");
	free(r);
	rtlab_probe_data_free(d);
}

/* Fixed for the life of the process: read at the first collection, handed out after. */
Test(cloud, read_once_then_kept)
{
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };
	struct rtlab_probe_data *d = rtlab_probe_data_new(), *d2 = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/self/environ", "");
	tree_put(root, "/sys/class/dmi/id/sys_vendor", "Amazon EC2\n");
	tree_put(root, "/sys/class/dmi/id/product_name", "m5.large\n");
	p = probe_at(root, &o);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(CL), d), 0);
	cr_assert_str_eq(d->cloud.vendor, "aws");
	tree_put(root, "/sys/class/dmi/id/sys_vendor", "Google\n");
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(CL), d), 0);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(CL), d2), 0);
	cr_assert_str_eq(d->cloud.vendor, "aws");
	cr_assert_str_eq(d2->cloud.vendor, "aws");
	cr_assert_str_eq(d2->cloud.dmi[RTLAB_DMI_SYS_VENDOR].v, "Amazon EC2");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	rtlab_probe_data_free(d2);
	tree_free(root);
}
