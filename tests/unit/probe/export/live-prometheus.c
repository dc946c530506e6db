/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-prometheus.c - a real Prometheus (Debian's /usr/bin/prometheus)
 * scrapes "rtlab probe serve" every second: the target must come up (up == 1
 * within 60 s) with no scrape error, and rtlab's metrics must be queryable
 * with sane values.  Everything runs on loopback ports and a temporary
 * directory, removed at the end whatever happens.
 */
#include <ftw.h>
#include <limits.h>
#include <jansson.h>

#include "http-util.h"
#include "spawn-util.h"

#define PROMETHEUS "/usr/bin/prometheus"
#define UP_DEADLINE_MS 60000

static char tmpdir[] = "/tmp/rtlab-prometheus-XXXXXX";

/* rm_one - nftw callback. */
static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* cleanup - children killed, temporary directory removed. */
static void cleanup(void)
{
	children_kill();
	if (strcmp(tmpdir + strlen(tmpdir) - 6, "XXXXXX") != 0)
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(prometheus_live, .fini = cleanup, .timeout = 180);

/* query - the API's answer to PromQL @q (already URL-encoded) as JSON, or NULL. */
static json_t *query(int port, const char *api, const char *q)
{
	struct rtlab_buf r = { 0 };
	char path[512];
	json_t *j = NULL;

	snprintf(path, sizeof(path), "/api/v1/%s%s", api, q);
	if (http_get10(port, path, &r) == 200)
		j = json_loads(http_body(&r), 0, NULL);
	rtlab_buf_free(&r);
	return j;
}

/* first_value - the value string of the first sample of a vector query, or NULL. */
static const char *first_value(json_t *j)
{
	json_t *res = json_object_get(json_object_get(j, "data"), "result");

	return json_string_value(json_array_get(json_object_get(json_array_get(res, 0), "value"),
						1));
}

/* write_config - prometheus.yml scraping 127.0.0.1:@target every second. */
static void write_config(const char *path, int target)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fprintf(f, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
		   "scrape_configs:\n  - job_name: rtlab\n    static_configs:\n"
		   "      - targets: ['127.0.0.1:%d']\n", target);
	cr_assert_eq(fclose(f), 0);
}

/* wait_up - poll up{job="rtlab"} until it is "1"; false after the deadline. */
static bool wait_up(int port)
{
	long long end = ms_now() + UP_DEADLINE_MS;

	while (ms_now() < end) {
		json_t *j = query(port, "query?query=", "up%7Bjob%3D%22rtlab%22%7D");
		const char *v = first_value(j);
		bool up = v && strcmp(v, "1") == 0;

		json_decref(j);
		if (up)
			return true;
		usleep(500000);
	}
	return false;
}

/* target_error - the lastError Prometheus reports for the rtlab target (malloc'd, "" if none). */
static char *target_error(int port)
{
	json_t *j = query(port, "targets", "");
	json_t *act = json_object_get(json_object_get(j, "data"), "activeTargets");
	const char *e = json_string_value(json_object_get(json_array_get(act, 0), "lastError"));
	char *s = strdup(e ? e : "(no target listed)");

	json_decref(j);
	return s;
}

/* Prometheus scrapes rtlab: up, no error, metrics with sane values. */
Test(prometheus_live, scrapes_rtlab)
{
	char cfg[PATH_MAX], data[PATH_MAX], log[PATH_MAX], flag_cfg[PATH_MAX + 32];
	char flag_data[PATH_MAX + 32], flag_listen[64], *err;
	int rport, pport, errfd;
	pid_t srv, prom;
	json_t *j;
	const char *v;

	if (access(PROMETHEUS, X_OK) != 0)
		cr_skip_test("%s is not installed (apt-get install prometheus)", PROMETHEUS);
	cr_assert_not_null(mkdtemp(tmpdir));
	srv = serve_start(NULL, &rport, &errfd);
	snprintf(cfg, sizeof(cfg), "%s/prometheus.yml", tmpdir);
	snprintf(data, sizeof(data), "%s/data", tmpdir);
	snprintf(log, sizeof(log), "%s/prometheus.log", tmpdir);
	write_config(cfg, rport);
	pport = free_port();
	snprintf(flag_cfg, sizeof(flag_cfg), "--config.file=%s", cfg);
	snprintf(flag_data, sizeof(flag_data), "--storage.tsdb.path=%s", data);
	snprintf(flag_listen, sizeof(flag_listen), "--web.listen-address=127.0.0.1:%d", pport);
	{
		char *argv[] = { PROMETHEUS, flag_cfg, flag_data, flag_listen, NULL };

		prom = spawn(argv, NULL, NULL, log);
	}
	cr_assert(wait_up(pport), "up{job=\"rtlab\"} not 1 within %d s; see %s",
		  UP_DEADLINE_MS / 1000, log);
	err = target_error(pport);
	cr_expect_str_empty(err, "Prometheus reports a scrape error: %s", err);
	free(err);

	j = query(pport, "query?query=", "node_load1%7Bjob%3D%22rtlab%22%7D");
	v = first_value(j);
	cr_assert_not_null(v, "node_load1 not in Prometheus");
	cr_assert(atof(v) >= 0 && atof(v) < 10000, "node_load1 = %s", v);
	cr_log_info("Prometheus has node_load1 = %s from rtlab", v);
	json_decref(j);

	j = query(pport, "query?query=", "rtlab_probe_scrape_duration_seconds");
	v = first_value(j);
	cr_assert_not_null(v, "rtlab_probe_scrape_duration_seconds not in Prometheus");
	cr_assert(atof(v) >= 0 && atof(v) < 10, "scrape duration %s s", v);
	json_decref(j);

	j = query(pport, "query?query=", "scrape_samples_scraped%7Bjob%3D%22rtlab%22%7D");
	v = first_value(j);
	cr_assert(v && atoi(v) >= 10, "samples scraped: %s", v ? v : "none");
	cr_log_info("Prometheus took %s samples per scrape from rtlab", v);
	json_decref(j);

	cr_assert_geq(stop(prom, 10000), 0);
	cr_assert_eq(stop(srv, 2000), 0);
	close(errfd);
}
