/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cyclic-json.c - rtlab cyclic --json: cyclictest's layout with clean keys, plus percentiles. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli.h"
#include "cyclic.h"

static const double json_q[] = { 50, 90, 99, 99.9, 99.99 };
static const char *const json_q_names[] = { "p50", "p90", "p99", "p99.9", "p99.99" };

/* json_unit - ns to the file's unit (us, or ns with -N), as a real. */
static double json_unit(const struct cyclic_opts *o, uint64_t ns)
{
	return o->nsecs ? (double)ns : (double)ns / 1e3;
}

/* rfc2822 - "Sun, 22 Nov 2026 03:21:33 +0000", cyclictest's time format. */
static json_t *rfc2822(const struct timespec *ts)
{
	char buf[64];
	struct tm tm;

	gmtime_r(&ts->tv_sec, &tm);
	strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	return json_string(buf);
}

/* sysinfo_obj - uname + realtime, as cyclictest. */
static json_t *sysinfo_obj(void)
{
	struct utsname u;
	int rt = 0;
	FILE *f;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	f = fopen("/sys/kernel/realtime", "re");
	if (f) {
		if (fscanf(f, "%d", &rt) != 1)
			rt = 0;
		fclose(f);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "sysname", u.sysname, "nodename",
			 u.nodename, "release", u.release, "version", u.version, "machine",
			 u.machine, "realtime", rt);
}

/* histogram_obj - non-zero 1 us buckets keyed by their value as a string. */
static json_t *histogram_obj(struct rtlab_task *t, const struct cyclic_opts *o)
{
	json_t *h = json_object();
	unsigned int nb;
	const uint64_t *lin = rtlab_task_linear(t, &nb, NULL);

	if (!o->histogram || !lin)
		return h;
	for (unsigned int b = 0; b < nb; b++) {
		char key[16];

		if (!lin[b])
			continue;
		snprintf(key, sizeof(key), "%u", b);
		json_object_set_new(h, key, json_integer((json_int_t)lin[b]));
	}
	return h;
}

/* percentiles_obj - {"p50": v, ...} in the file's unit, of @h or (NULL) all threads. */
static json_t *percentiles_obj(const struct rtlab_hist *h, const struct rtlab_cyclic *c,
			       const struct cyclic_opts *o)
{
	json_t *p = json_object();

	for (size_t i = 0; i < sizeof(json_q) / sizeof(json_q[0]); i++) {
		uint64_t v = h ? rtlab_hist_percentile(h, json_q[i]) :
				 rtlab_cyclic_percentile(c, json_q[i]);

		json_object_set_new(p, json_q_names[i], json_real(json_unit(o, v)));
	}
	return p;
}

/* thread_obj - one thread's results. */
static json_t *thread_obj(struct rtlab_task *t, const struct cyclic_opts *o)
{
	const struct rtlab_task_config *tc = rtlab_task_config(t);
	struct rtlab_task_stats st;
	uint64_t ovf;
	json_t *obj;

	rtlab_task_stats(t, &st);
	rtlab_task_linear(t, NULL, &ovf);
	obj = json_pack("{s:o, s:I, s:f, s:f, s:f, s:i, s:i}",
			"histogram", histogram_obj(t, o),
			"cycles", (json_int_t)st.jobs,
			"min", json_unit(o, st.min_ns),
			"max", json_unit(o, st.max_ns),
			"avg", st.jobs ? json_unit(o, st.sum_ns / st.jobs) : 0.0,
			"cpu", st.cpu, "node", 0);
	if (!obj)
		return NULL;
	json_object_set_new(obj, "tid", json_integer(st.tid));
	json_object_set_new(obj, "policy", json_string(rtlab_policy_name(tc->sched.policy)));
	json_object_set_new(obj, "priority", json_integer(tc->sched.priority));
	json_object_set_new(obj, "interval_us", json_integer((json_int_t)(tc->period_ns / 1000)));
	json_object_set_new(obj, "percentiles", percentiles_obj(rtlab_task_hist(t), NULL, o));
	json_object_set_new(obj, "overflows", json_integer((json_int_t)ovf));
	json_object_set_new(obj, "overruns", json_integer((json_int_t)st.overruns));
	json_object_set_new(obj, "min_ns", json_integer((json_int_t)st.min_ns));
	json_object_set_new(obj, "max_ns", json_integer((json_int_t)st.max_ns));
	json_object_set_new(obj, "max_cycle", json_integer((json_int_t)st.max_job_index));
	return obj;
}

/* run_obj - rtlab's additions at the top level. */
static void add_rtlab_fields(json_t *root, struct rtlab_cyclic *c, const struct cyclic_opts *o,
			     const struct cyclic_result *res)
{
	char cpus[256];

	rtlab_cpulist_format(&res->cpus, cpus, sizeof(cpus));
	json_object_set_new(root, "unit", json_string(o->nsecs ? "ns" : "us"));
	json_object_set_new(root, "overflow_threshold_us", json_integer(o->cfg.hist_us));
	json_object_set_new(root, "duration_s", json_real((double)(res->end_ns - res->start_ns) / 1e9));
	json_object_set_new(root, "interrupted", json_boolean(res->interrupted));
	json_object_set_new(root, "steal", json_pack("{s:b, s:I, s:s}", "known", res->steal_known,
						     "ns", (json_int_t)res->steal_ns, "cpus", cpus));
	json_object_set_new(root, "cpu_dma_latency_us", res->dma_latency_us < 0 ? json_null() :
			    json_integer(res->dma_latency_us));
	json_object_set_new(root, "percentiles", percentiles_obj(NULL, c, o));
	if (res->brk.hit)
		json_object_set_new(root, "break", json_pack("{s:i, s:i, s:i, s:f, s:I}",
			"thread", res->brk.thread, "tid", res->brk.tid, "cpu", res->brk.cpu,
			"latency", json_unit(o, res->brk.latency_ns),
			"cycle", (json_int_t)res->brk.job_index));
}

/* build - the whole document. */
static json_t *build(struct rtlab_cyclic *c, const struct cyclic_opts *o,
		     const struct cyclic_result *res)
{
	unsigned int n = rtlab_cyclic_nthreads(c);
	json_t *root, *threads = json_object();

	root = json_pack("{s:i, s:s, s:s, s:o, s:o, s:i, s:o, s:i, s:i}",
			 "file_version", 1, "cmdline", res->cmdline ? res->cmdline : "",
			 "rtlab_version", rtlab_version(), "start_time", rfc2822(&res->start_wall),
			 "end_time", rfc2822(&res->end_wall), "return_code", 0,
			 "sysinfo", sysinfo_obj(), "num_threads", (int)n, "resolution_in_ns", 0);
	if (!root || !threads) {
		json_decref(root);
		json_decref(threads);
		return NULL;
	}
	for (unsigned int i = 0; i < n; i++) {
		char key[16];

		snprintf(key, sizeof(key), "%u", i);
		json_object_set_new(threads, key, thread_obj(rtlab_cyclic_task(c, i), o));
	}
	json_object_set_new(root, "thread", threads);
	add_rtlab_fields(root, c, o, res);
	return root;
}

/* cyclic_write_json - write atomically (temporary file, then rename). */
int cyclic_write_json(const char *path, struct rtlab_cyclic *c, const struct cyclic_opts *o,
		      const struct cyclic_result *res, char *err, size_t errsize)
{
	char tmp[4096];
	json_t *root = build(c, o, res);
	int r = 0;

	if (!root) {
		snprintf(err, errsize, "cannot build the JSON document (out of memory)");
		return -ENOMEM;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		json_decref(root);
		snprintf(err, errsize, "--json: the file name is too long");
		return -ENAMETOOLONG;
	}
	if (json_dump_file(root, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) < 0 ||
	    rename(tmp, path) < 0) {
		r = -errno ?: -EIO;
		snprintf(err, errsize, "cannot write %s: %s", path, strerror(-r));
		(void)unlink(tmp);
	}
	json_decref(root);
	return r;
}
