/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cloud.c - the cloud family: DMI strings (node_dmi_info) and the cloud
 * vendor they and the process's environment name.  Never the network: no
 * metadata service is asked, so the region is known only where a managed
 * service puts it in the environment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env/env-parse.h"
#include "env/env-src.h"
#include "probe-internal.h"

/*
 * DMI, the process's own initial environment (what /proc/self/environ shows
 * never changes) and the Xen uuid are fixed while the process runs: read at
 * the first collection, the outcome is kept and handed out after that.
 */
struct cloud_state {
	struct probe_src environ;	/* /proc/self/environ */
	char hyp_uuid[64];
	char line[256];
	bool done;			/* @cloud holds the outcome */
	struct env_text environ_text;	/* as read then (its failure is said each time) */
	struct rtlab_probe_cloud cloud;
};

/* cloud_open - name the environ source. */
static int cloud_open(struct rtlab_probe *p, void **state)
{
	struct cloud_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->environ, "/proc/self/environ");
	*state = s;
	return 0;
}

/* cloud_close - close it. */
static void cloud_close(void *state)
{
	struct cloud_state *s = state;

	probe_src_close(&s->environ);
	free(s);
}

/* dmi_collect - each /sys/class/dmi/id file's first line (serials and uuid: root only). */
static void dmi_collect(struct probe_cx *cx, struct cloud_state *s)
{
	/* Without the directory (no SMBIOS, or not x86/arm64), no file is tried. */
	bool dir = env_exists(cx->p, "/sys/class/dmi/id");

	for (unsigned f = 0; f < RTLAB_DMI__COUNT; f++) {
		struct rtlab_probe_dmi_str *d = &cx->d->cloud.dmi[f];
		struct env_text t;
		char path[64];

		snprintf(path, sizeof(path), "/sys/class/dmi/id/%s", env_dmi_file(f));
		if (dir)
			env_read(cx->p, path, s->line, sizeof(s->line), &t);
		else
			t = (struct env_text){ .st = RTLAB_PV_ABSENT };
		env_text_line(&t, d->v, sizeof(d->v));
		d->st = t.st;
	}
}

/* cloud_collect - DMI, then the detection, at the first collection; then what they gave. */
static int cloud_collect(struct probe_cx *cx, void *state)
{
	struct cloud_state *s = state;
	struct cloud_in in = { .dmi = cx->d->cloud.dmi };

	if (!s->done) {
		dmi_collect(cx, s);
		env_src_text(cx->p, &s->environ, &in.environ);
		env_read(cx->p, "/sys/hypervisor/uuid", s->hyp_uuid, sizeof(s->hyp_uuid),
			 &in.hyp_uuid);
		cloud_detect(&in, &cx->d->cloud);
		s->environ_text = in.environ;
		s->cloud = cx->d->cloud;
		s->done = true;
	} else {
		cx->d->cloud = s->cloud;
	}
	env_text_why(cx, "/proc/self/environ", &s->environ_text);
	return 0;
}

static const struct rtlab_metric m_dmi = {
	"node_dmi_info",
	"A metric with a constant '1' value labeled by the DMI strings the system provides.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_cloud = {
	"rtlab_cloud_info",
	"The cloud vendor and service (\"none\" if no sign), from DMI and the environment, "
	"with the evidence.",
	RTLAB_METRIC_GAUGE
};

/* cloud_emit - node_dmi_info with the readable fields as labels, then rtlab_cloud_info. */
static void cloud_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_cloud *c = &d->cloud;
	struct rtlab_label l[RTLAB_DMI__COUNT];
	uint8_t st = RTLAB_PV_ABSENT;
	size_t n = 0;

	for (unsigned f = 0; f < RTLAB_DMI__COUNT; f++) {
		if (c->dmi[f].st != RTLAB_PV_OK)
			continue;
		l[n++] = (struct rtlab_label){ rtlab_probe_dmi_name(f), c->dmi[f].v };
		st = RTLAB_PV_OK;
	}
	pe_sample(e, &m_dmi, l, n, mv_one(st));
	pe_emitl(e, &m_cloud, mv_one(c->st), { "vendor", c->vendor[0] ? c->vendor : "none" },
		 { "service", c->service }, { "instance_type", c->instance_type },
		 { "instance_id", c->instance_id }, { "region", c->region },
		 { "evidence", c->evidence });
}

const struct probe_family probe_fam_cloud = {
	.name = "cloud",
	.id = RTLAB_PF_CLOUD,
	.slow = true,
	.open = cloud_open,
	.close = cloud_close,
	.collect = cloud_collect,
	.emit = cloud_emit,
};
