/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * detect-cloud.c - the cloud vendor from the DMI strings the platform sets
 * and the variables its managed services put in the environment (pure: no
 * file access, never the network).
 */
#include <stdio.h>
#include <strings.h>

#include "env/detect.h"
#include "env/env-src.h"
#include "probe-internal.h"
#include "probe-parse.h"

enum match { EQ, PREFIX, PREFIX_NOCASE, HAS_NOCASE };

/* A DMI field value that names a cloud. */
struct dmi_rule {
	enum rtlab_dmi_field f;
	enum match how;
	const char *value;
	const char *vendor, *service;
};

static const struct dmi_rule dmi_rules[] = {
	{ RTLAB_DMI_CHASSIS_ASSET_TAG, EQ, "7783-7084-3265-9085-8269-3286-77", "azure", "vm" },
	{ RTLAB_DMI_CHASSIS_ASSET_TAG, EQ, "OracleCloud.com", "oci", "compute" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "Amazon EC2", "aws", "ec2" },
	{ RTLAB_DMI_BIOS_VENDOR, EQ, "Amazon EC2", "aws", "ec2" },
	{ RTLAB_DMI_BIOS_VERSION, HAS_NOCASE, "amazon", "aws", "ec2" },
	{ RTLAB_DMI_PRODUCT_UUID, PREFIX_NOCASE, "ec2", "aws", "ec2" },
	{ RTLAB_DMI_PRODUCT_SERIAL, PREFIX_NOCASE, "ec2", "aws", "ec2" },
	{ RTLAB_DMI_PRODUCT_NAME, EQ, "Google Compute Engine", "gcp", "compute-engine" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "Google", "gcp", "compute-engine" },
	{ RTLAB_DMI_PRODUCT_SERIAL, PREFIX, "GoogleCloud-", "gcp", "compute-engine" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "Alibaba Cloud", "alibaba", "ecs" },
	{ RTLAB_DMI_PRODUCT_NAME, EQ, "Alibaba Cloud ECS", "alibaba", "ecs" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "DigitalOcean", "digitalocean", "droplet" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "Hetzner", "hetzner", "cloud" },
	{ RTLAB_DMI_CHASSIS_ASSET_TAG, EQ, "HUAWEICLOUD", "huawei", "ecs" },
	{ RTLAB_DMI_PRODUCT_NAME, PREFIX, "OpenStack", "openstack", "nova" },
	{ RTLAB_DMI_SYS_VENDOR, PREFIX, "OpenStack", "openstack", "nova" },
	{ RTLAB_DMI_CHASSIS_ASSET_TAG, EQ, "OpenTelekomCloud", "openstack", "nova" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "Scaleway", "scaleway", "instance" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "Linode", "linode", "compute" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "Akamai", "linode", "compute" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "Vultr", "vultr", "compute" },
	{ RTLAB_DMI_SYS_VENDOR, PREFIX, "Tencent", "tencent", "cvm" },
	{ RTLAB_DMI_PRODUCT_NAME, PREFIX, "Exoscale", "exoscale", "compute" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "UpCloud", "upcloud", "server" },
	{ RTLAB_DMI_SYS_VENDOR, EQ, "3DS Outscale", "outscale", "vm" },
	{ RTLAB_DMI_CHASSIS_ASSET_TAG, EQ, "ibmcloud", "ibm", "vpc" },
};

/* An environment variable a managed service sets (value: a required prefix, or NULL). */
struct env_rule {
	const char *key, *value;
	const char *vendor, *service;
};

static const struct env_rule env_rules[] = {
	{ "AWS_LAMBDA_FUNCTION_NAME", NULL, "aws", "lambda" },
	{ "AWS_EXECUTION_ENV", "AWS_Lambda_", "aws", "lambda" },
	{ "AWS_EXECUTION_ENV", "AWS_ECS_FARGATE", "aws", "fargate" },
	{ "AWS_EXECUTION_ENV", "AWS_ECS_EC2", "aws", "ecs" },
	{ "ECS_CONTAINER_METADATA_URI_V4", NULL, "aws", "ecs" },
	{ "ECS_CONTAINER_METADATA_URI", NULL, "aws", "ecs" },
	{ "CLOUD_RUN_JOB", NULL, "gcp", "cloud-run" },
	{ "FUNCTION_TARGET", NULL, "gcp", "cloud-functions" },
	{ "K_SERVICE", NULL, "gcp", "cloud-run" },	/* Cloud Run, or any Knative */
	{ "GAE_APPLICATION", NULL, "gcp", "app-engine" },
	{ "FUNCTIONS_WORKER_RUNTIME", NULL, "azure", "functions" },
	{ "WEBSITE_SITE_NAME", NULL, "azure", "app-service" },
	{ "CONTAINER_APP_NAME", NULL, "azure", "container-apps" },
	{ "FLY_APP_NAME", NULL, "fly", "machines" },
	{ "DYNO", NULL, "heroku", "dyno" },
	{ "RENDER_SERVICE_ID", NULL, "render", "service" },
	{ "RAILWAY_PROJECT_ID", NULL, "railway", "service" },
};

/* Where each vendor's environment says the region, first found wins. */
static const struct {
	const char *vendor, *key;
} region_keys[] = {
	{ "aws", "AWS_REGION" },      { "aws", "AWS_DEFAULT_REGION" },
	{ "gcp", "FUNCTION_REGION" }, { "azure", "REGION_NAME" },
	{ "fly", "FLY_REGION" },      { "railway", "RAILWAY_REGION" },
};

/* matches - does @v match the rule? */
static bool matches(const char *v, enum match how, const char *want)
{
	size_t n = strlen(want);

	switch (how) {
	case EQ:
		return strcmp(v, want) == 0;
	case PREFIX:
		return strncmp(v, want, n) == 0;
	case PREFIX_NOCASE:
		return strncasecmp(v, want, n) == 0;
	case HAS_NOCASE:
		return strcasestr(v, want) != NULL;
	}
	return false;
}

/* dmi_detect - the DMI rules, then AWS's Xen uuid. */
static void dmi_detect(const struct cloud_in *in, struct pick *pk, struct rtlab_probe_cloud *out)
{
	char uuid[64];

	for (size_t i = 0; i < sizeof(dmi_rules) / sizeof(dmi_rules[0]); i++) {
		const struct dmi_rule *r = &dmi_rules[i];
		const struct rtlab_probe_dmi_str *d = &in->dmi[r->f];

		if (d->st != RTLAB_PV_OK || !d->v[0] || !matches(d->v, r->how, r->value))
			continue;
		if (env_pick_sign(pk, r->vendor, "/sys/class/dmi/id/%s: %s", env_dmi_file(r->f),
				  d->v) &&
		    !out->service[0])
			pp_copy(out->service, sizeof(out->service), r->service, strlen(r->service));
	}
	env_text_line(&in->hyp_uuid, uuid, sizeof(uuid));
	if (strncmp(uuid, "ec2", 3) == 0 &&
	    env_pick_sign(pk, "aws", "/sys/hypervisor/uuid: %s", uuid) && !out->service[0])
		pp_copy(out->service, sizeof(out->service), "ec2", 3);
}

/* aws_instance - the instance type and id that Nitro puts in DMI. */
static void aws_instance(const struct cloud_in *in, struct rtlab_probe_cloud *out)
{
	const struct rtlab_probe_dmi_str *name = &in->dmi[RTLAB_DMI_PRODUCT_NAME];
	const struct rtlab_probe_dmi_str *tag = &in->dmi[RTLAB_DMI_BOARD_ASSET_TAG];

	if (strcmp(out->vendor, "aws") != 0)
		return;
	if (name->st == RTLAB_PV_OK && strchr(name->v, '.') && !strchr(name->v, ' '))
		pp_copy(out->instance_type, sizeof(out->instance_type), name->v, strlen(name->v));
	if (tag->st == RTLAB_PV_OK && strncmp(tag->v, "i-", 2) == 0)
		pp_copy(out->instance_id, sizeof(out->instance_id), tag->v, strlen(tag->v));
}

/* env_detect - managed-service variables; a more precise service than DMI's wins. */
static void env_detect(const struct cloud_in *in, struct pick *pk, struct rtlab_probe_cloud *out)
{
	const struct env_text *t = &in->environ;
	bool env_service = false;
	const char *v;
	size_t vl;

	for (size_t i = 0; i < sizeof(env_rules) / sizeof(env_rules[0]); i++) {
		const struct env_rule *r = &env_rules[i];

		if (t->st != RTLAB_PV_OK || !env_get(t->buf, t->len, r->key, &v, &vl))
			continue;
		if (r->value && (vl < strlen(r->value) || memcmp(v, r->value, strlen(r->value))))
			continue;
		if (!env_pick_sign(pk, r->vendor, "/proc/self/environ: %s", r->key) || env_service)
			continue;
		pp_copy(out->service, sizeof(out->service), r->service, strlen(r->service));
		env_service = true;
	}
	for (size_t i = 0; i < sizeof(region_keys) / sizeof(region_keys[0]); i++) {
		if (out->region[0] || strcmp(out->vendor, region_keys[i].vendor) != 0 ||
		    t->st != RTLAB_PV_OK || !env_get(t->buf, t->len, region_keys[i].key, &v, &vl))
			continue;
		pp_copy(out->region, sizeof(out->region), v, vl);
	}
}

/* cloud_detect - vendor and what goes with it; "" when nothing says. */
void cloud_detect(const struct cloud_in *in, struct rtlab_probe_cloud *out)
{
	struct pick pk = { out->vendor, sizeof(out->vendor), out->evidence };

	out->vendor[0] = out->service[0] = out->instance_type[0] = '\0';
	out->instance_id[0] = out->region[0] = out->evidence[0] = '\0';
	dmi_detect(in, &pk, out);
	env_detect(in, &pk, out);
	aws_instance(in, out);
	if (out->vendor[0] || in->dmi[RTLAB_DMI_SYS_VENDOR].st != RTLAB_PV_DENIED)
		out->st = RTLAB_PV_OK;
	else
		out->st = RTLAB_PV_DENIED;
}
