/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-escape.c - hostile names (quotes, <script>, control bytes, invalid
 * UTF-8) in a task name, a comm and an IRQ name come out escaped in the
 * summary text, the HTML section and the JSON form of the explained spikes.
 */
#include <jansson.h>

#include "render/render-internal.h"

#include "corr-fixture.h"

/* The task name: a quote, markup, an escape sequence and two bytes that are not UTF-8. */
static const char task_name[] = "t\"<b>\x1b[2J\xff\xfe";

/* hostile_run - a higher-priority "disturber" with a hostile comm preempts the thread. */
static struct rtlab_corr *hostile_run(struct fx *fx, struct render_run *run)
{
	struct rtlab_corr *c;

	fx_new(fx, task_name, "fifo", 80, 315, true);
	fx_switch(fx, -900, "rtlab-fast", TID, 19, "swapper/0", 0, 120);
	fx_ev(fx, -100, CPU0, 0, "swapper/0", "sched:sched_switch",
	      "{\"prev_comm\":\"swapper/0\",\"prev_pid\":0,\"prev_prio\":120,\"prev_state\":0,"
	      "\"next_comm\":\"</script><script>alert('x')\\u001b]0;\",\"next_pid\":812,"
	      "\"next_prio\":9}");
	fx_ev(fx, -20, CPU0, 812, "x", "irq:irq_handler_entry",
	      "{\"irq\":24,\"name\":\"<img src=x onerror=\\\"1\\\">\"}");
	fx_ev(fx, -10, CPU0, 812, "x", "irq:irq_handler_exit", "{\"irq\":24,\"ret\":1}");
	fx_wake(fx, 1, CPU0, 812, "x", 19);
	fx_switch(fx, 312, "x", 812, 9, "rtlab-fast", TID, 19);
	c = fx_read(fx, 1);
	cr_assert_eq(c->spikes[0].cause, RTLAB_CAUSE_TASK, "%s", c->spikes[0].verdict);
	cr_assert(strstr(c->spikes[0].verdict, "<script>"), "the library keeps names raw");
	cr_assert_eq(rtlab_store_open(fx->dir, false, &run->st), 0);
	cr_assert_eq(render_run_read(run), 0);
	run->corr = c;
	return c;
}

/* render - @fn's output for @run, in memory (malloc'ed). */
static char *render(void (*fn)(FILE *, const struct render_run *), const struct render_run *run)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	fn(f, run);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

/* no_raw - @s holds no ESC, no 0xff, no 0xfe byte. */
static void no_raw(const char *s, const char *what)
{
	cr_assert_null(strchr(s, 0x1b), "%s: a raw ESC", what);
	cr_assert_null(strchr(s, 0xff), "%s: a raw 0xff", what);
	cr_assert_null(strchr(s, 0xfe), "%s: a raw 0xfe", what);
}

/* finish - free what hostile_run() made. */
static void finish(struct fx *fx, struct render_run *run, struct rtlab_corr *c)
{
	render_run_free(run);
	rtlab_store_close(run->st);
	rtlab_corr_free(c);
	rm_tree(fx->dir);
}

/* summary.txt's section: escaped for a terminal. */
Test(corr_escape, text)
{
	struct render_run run = { 0 };
	struct fx fx;
	struct rtlab_corr *c = hostile_run(&fx, &run);
	char *s = render(render_corr_text, &run);

	no_raw(s, "text");
	cr_assert(strstr(s, "\\x1b[2J\\xff\\xfe"), "%s", s);
	cr_assert(strstr(s, "preempted by </script><script>alert('x')\\x1b]0; (812, RT 90)"),
		  "%s", s);
	free(s);
	finish(&fx, &run, c);
}

/* report.html's section: well formed, no markup from the run. */
Test(corr_escape, html)
{
	struct render_run run = { 0 };
	struct fx fx;
	struct rtlab_corr *c = hostile_run(&fx, &run);
	char *s = render(render_corr_html, &run), why[256];
	const char *bad;

	no_raw(s, "html");
	bad = html_check(s, why, sizeof(why));
	cr_assert_null(bad, "%s", bad ? bad : "");
	cr_assert_null(strstr(s, "<script"), "%s", s);
	cr_assert_null(strstr(s, "<img"), "%s", s);
	cr_assert_null(strstr(s, "<b>"), "%s", s);
	cr_assert(strstr(s, "&lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)\\x1b]0;"), "%s", s);
	cr_assert(strstr(s, "IRQ 24 &lt;img src=x onerror=&quot;1&quot;&gt;"), "%s", s);
	cr_assert(strstr(s, "t&quot;&lt;b&gt;\\x1b[2J\\xff\\xfe"), "%s", s);
	free(s);
	finish(&fx, &run, c);
}

/* The JSON form: valid JSON whose strings give the names back, bad bytes as \xHH text. */
Test(corr_escape, json)
{
	struct render_run run = { 0 };
	struct fx fx;
	struct rtlab_corr *c = hostile_run(&fx, &run);
	char *text = NULL;
	json_t *root, *sp;
	json_error_t e;

	cr_assert_eq(rtlab_corr_json(c, &text), 0);
	no_raw(text, "json");
	cr_assert_null(strstr(text, "</script"), "'/' is escaped: the text can sit in a page");
	root = json_loads(text, 0, &e);
	cr_assert_not_null(root, "line %d: %s", e.line, e.text);
	sp = json_array_get(json_object_get(root, "spikes"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(sp, "task_name")),
			 "t\"<b>\x1b[2J\\xff\\xfe");
	cr_assert_str_eq(json_string_value(json_object_get(sp, "cause")), "task");
	cr_assert(strstr(json_string_value(json_object_get(sp, "verdict")),
			 "preempted by </script><script>alert('x')\x1b]0; (812, RT 90)"));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(sp, "parts_ns"), "wait")),
		     311000);
	json_decref(root);
	free(text);
	finish(&fx, &run, c);
}
