/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scrape.c - one scrape of the /metrics server: collect each family (timed),
 * render the text, append the server's own metrics.  No allocation once the
 * buffers are warm: the text buffer gets the room of the last rendering (and
 * an eighth more) in one go before a rendering starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "export/export-internal.h"

/*
 * The room of a first rendering (256 KiB with the NUL): big enough that the
 * text of the default families does not grow through a series of doubling
 * reallocations, each leaving a free block behind; untouched pages cost no
 * memory.
 */
#define FIRST_ROOM (256 * 1024 - 1)

static const struct rtlab_metric m_duration = {
	"rtlab_probe_scrape_duration_seconds",
	"Time this scrape took to collect and render, before these self metrics.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_renderings = {
	"rtlab_probe_renderings_total",
	"Collections rendered by this server (concurrent scrapes share one).",
	RTLAB_METRIC_COUNTER
};
static const struct rtlab_metric m_up = {
	"rtlab_probe_family_up",
	"1 if the family was collected without error, 0 if it failed or is not available.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_collect = {
	"rtlab_probe_family_collect_seconds",
	"Time spent collecting the family in this scrape (0 when its TTL had not run out).",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_skipped = {
	"rtlab_probe_invalid_samples",
	"Samples left out of this scrape because a metric or label name was invalid.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_rss = {
	"rtlab_process_resident_memory_bytes", "Resident memory of the serving process.",
	RTLAB_METRIC_GAUGE
};

/* ex_scrape_init - the probe and the data of a server. */
int ex_scrape_init(struct ex_scrape *sc, struct rtlab_ctx *ctx, const struct rtlab_probe_opts *po,
		   uint64_t families)
{
	int r;

	memset(sc, 0, sizeof(*sc));
	sc->statm_fd = -1;
	sc->families = families;
	r = rtlab_probe_new(ctx, po, &sc->probe);
	if (r < 0)
		return r;
	sc->d = rtlab_probe_data_new();
	if (!sc->d) {
		ex_scrape_fini(sc);
		return -ENOMEM;
	}
	/* The server's own process, not a file below the probe's root. */
	sc->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	return 0;
}

/* ex_scrape_fini - close and free. */
void ex_scrape_fini(struct ex_scrape *sc)
{
	rtlab_probe_data_free(sc->d);
	rtlab_probe_free(sc->probe);
	if (sc->statm_fd >= 0)
		close(sc->statm_fd);
	sc->d = NULL;
	sc->probe = NULL;
	sc->statm_fd = -1;
}

/* rss_bytes - the second field of /proc/self/statm (pages) in bytes. */
static struct rtlab_mval rss_bytes(int fd)
{
	struct rtlab_mval v = { .kind = RTLAB_MV_U64, .st = RTLAB_PV_ERROR };
	char buf[128];
	ssize_t n = fd >= 0 ? pread(fd, buf, sizeof(buf), 0) : -1;
	ssize_t i = 0;
	uint64_t pages = 0;
	long page = sysconf(_SC_PAGESIZE);

	while (i < n && buf[i] != ' ')
		i++;
	if (++i >= n || buf[i] < '0' || buf[i] > '9' || page <= 0)
		return v;
	for (; i < n && buf[i] >= '0' && buf[i] <= '9' && pages < UINT64_MAX / 10 / 65536; i++)
		pages = pages * 10 + (uint64_t)(buf[i] - '0');
	v.u = pages * (uint64_t)page;
	v.st = RTLAB_PV_OK;
	return v;
}

/* u64v / f64v - an available value. */
static struct rtlab_mval u64v(uint64_t x)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_U64, .u = x };
}

static struct rtlab_mval f64v(double x)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_F64, .f = x };
}

/* per_family - one self metric per requested family: up, or collect time. */
static int per_family(struct ex_scrape *sc, const struct rtlab_metric *m)
{
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++) {
		struct rtlab_label l = { "family", rtlab_probe_family_name(f) };
		struct rtlab_mval v;

		if (!(sc->families & RTLAB_PF_BIT(f)) || (m == &m_collect && !sc->d->t_ns[f]))
			continue;
		if (m == &m_up)
			v = u64v(sc->d->t_ns[f] && !sc->d->err[f]);
		else
			v = f64v((double)sc->collect_ns[f] / 1e9);
		if (rtlab_prom_sample(&sc->w, m, &l, 1, &v))
			return -ENOMEM;
	}
	return 0;
}

/* self_metrics - the server's own samples, after the families'. */
static int self_metrics(struct ex_scrape *sc, uint64_t start_ns)
{
	struct rtlab_mval dur = f64v((double)(rtlab_now_ns() - start_ns) / 1e9);
	struct rtlab_mval rend = u64v(sc->renderings);
	struct rtlab_mval skipped = u64v(sc->w.invalid);
	struct rtlab_mval rss = rss_bytes(sc->statm_fd);

	if (rtlab_prom_sample(&sc->w, &m_duration, NULL, 0, &dur) ||
	    rtlab_prom_sample(&sc->w, &m_renderings, NULL, 0, &rend) ||
	    per_family(sc, &m_up) || per_family(sc, &m_collect) ||
	    rtlab_prom_sample(&sc->w, &m_skipped, NULL, 0, &skipped) ||
	    rtlab_prom_sample(&sc->w, &m_rss, NULL, 0, &rss))
		return -ENOMEM;
	return 0;
}

/* ex_scrape_render - a fresh collection as text. */
int ex_scrape_render(struct ex_scrape *sc, struct rtlab_buf *out)
{
	uint64_t start = rtlab_now_ns();
	struct rtlab_probe_sink sink;
	int r;

	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++) {
		uint64_t t;

		if (!(sc->families & RTLAB_PF_BIT(f)))
			continue;
		t = rtlab_now_ns();
		r = rtlab_probe_collect(sc->probe, RTLAB_PF_BIT(f), sc->d);
		sc->collect_ns[f] = rtlab_now_ns() - t;
		if (r < 0)
			return r;
	}
	rtlab_buf_reset(out);
	if (ex_buf_room(out, sc->last_len ? sc->last_len + sc->last_len / 8 : FIRST_ROOM) < 0)
		return -ENOMEM;
	rtlab_prom_init(&sc->w, out);
	sink = rtlab_prom_sink(&sc->w);
	r = rtlab_probe_emit(sc->d, sc->families, &sink);
	sc->renderings++;
	r = r ? r : self_metrics(sc, start);
	if (!r)
		sc->last_len = out->len;
	return r;
}
