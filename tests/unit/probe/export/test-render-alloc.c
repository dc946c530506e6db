/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-render-alloc.c - warm renderings allocate nothing: the Prometheus
 * text of every family into a buffer kept between calls, and a whole server
 * scrape (collect, render, self metrics).  JSON is built as a jansson tree
 * and allocates: it is rendered between the counted ones, not counted.  The allocator is
 * interposed (this executable links the static library); under
 * AddressSanitizer, which owns the allocator, its hook counts instead.
 */

#include "../test-probe.h"
#include "../../alloc-count.h"

#include "export/export-internal.h"

/* render_prom - the Prometheus text of everything collected, into the same buffer. */
static int render_prom(const struct rtlab_probe_data *d, struct rtlab_buf *prom)
{
	rtlab_buf_reset(prom);
	return rtlab_probe_prom(d, RTLAB_PROBE_ALL, prom);
}

/* render_json - the JSON of everything collected (a jansson tree: it allocates). */
static int render_json(const struct rtlab_probe_data *d, struct rtlab_buf *json)
{
	rtlab_buf_reset(json);
	return rtlab_probe_json(d, RTLAB_PROBE_ALL, json);
}

/* The counter sees allocations (so that zero below means something). */
Test(render_alloc, counter_works)
{
	struct rtlab_buf b = { 0 };

	hook_allocator();
	atomic_store(&allocations, 0);
	counting = true;
	rtlab_buf_puts(&b, "x");
	counting = false;
	rtlab_buf_free(&b);
	cr_assert_geq(atomic_load(&allocations), 1);
}

/* Prometheus renderings of the live machine, warm, with JSON ones in between. */
Test(render_alloc, warm_renderings_allocate_nothing)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf prom = { 0 }, json = { 0 };

	hook_allocator();
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PROBE_DEFAULT, d), 0);
	for (int i = 0; i < 2; i++)
		cr_assert_eq(render_prom(d, &prom) | render_json(d, &json), 0);
	atomic_store(&allocations, 0);
	for (int i = 0; i < 10; i++) {
		counting = true;
		render_prom(d, &prom);
		counting = false;
		cr_assert_eq(render_json(d, &json), 0);
	}
	cr_assert_eq(atomic_load(&allocations), 0);
	cr_assert_gt(prom.len, 0);
	cr_assert_gt(json.len, 0);
	rtlab_buf_free(&prom);
	rtlab_buf_free(&json);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/*
 * A server scrape, collection included (every family re-read: TTLs of 1 ns),
 * on the vm fixture tree: the live machine could grow a family's arrays
 * (a new process, socket or mount) and that is no steady state.
 */
Test(render_alloc, warm_scrape_allocates_nothing)
{
	char root[PATH_MAX];
	struct rtlab_probe_opts po = { .root = fixture_root("vm", root, sizeof(root)),
				       .ttl_fast_ns = 1, .ttl_slow_ns = 1 };
	struct rtlab_buf text = { 0 };
	struct ex_scrape sc;

	hook_allocator();
	cr_assert_eq(ex_scrape_init(&sc, NULL, &po, RTLAB_PROBE_DEFAULT), 0);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(ex_scrape_render(&sc, &text), 0);
	atomic_store(&allocations, 0);
	counting = true;
	for (int i = 0; i < 10; i++)
		ex_scrape_render(&sc, &text);
	counting = false;
	cr_assert_eq(atomic_load(&allocations), 0);
	cr_assert(strstr(text.data, "rtlab_probe_scrape_duration_seconds ") != NULL);
	ex_scrape_fini(&sc);
	rtlab_buf_free(&text);
}
