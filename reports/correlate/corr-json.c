/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* corr-json.c - explained spikes as JSON (jansson), names made valid UTF-8 first. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include <rtlab/bpf.h>

#include "correlate/correlate-internal.h"

/* jstr - @s as a JSON string: each byte that is not valid UTF-8 becomes the text \xHH. */
static json_t *jstr(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	char buf[4 * 256 + 1];
	size_t k = 0;

	while (p < end && k + 5 < sizeof(buf)) {
		size_t n = rtlab_utf8_len(p, (size_t)(end - p));

		if (n == 0) {
			k += (size_t)snprintf(buf + k, sizeof(buf) - k, "\\x%02x", *p);
			n = 1;
		} else if (k + n < sizeof(buf)) {
			memcpy(buf + k, p, n);
			k += n;
		} else {
			break;
		}
		p += n;
	}
	return json_stringn(buf, k);
}

/* jns - a time or length in ns as a JSON integer. */
static json_t *jns(uint64_t ns)
{
	return json_integer((json_int_t)ns);
}

/* parts - {"delay": ns, "wait": ns, "entry": ns}. */
static json_t *parts(const uint64_t *part_ns)
{
	json_t *o = json_object();

	for (int p = 0; o && p < _RTLAB_CORR_PART_MAX; p++)
		json_object_set_new(o, rtlab_corr_part_name((enum rtlab_corr_part)p),
				    jns(part_ns[p]));
	return o;
}

/* occupants - the largest occupants of the gap. */
static json_t *occupants(const struct rtlab_corr_spike *s)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < s->noccupants; i++) {
		const struct rtlab_corr_occupant *o = &s->occupants[i];

		json_array_append_new(a, json_pack("{s:s, s:i, s:i, s:o, s:o, s:o}", "kind",
						   rtlab_corr_kind_name(o->kind), "id", o->id,
						   "prio", o->prio, "name", jstr(o->name),
						   "total_ns", jns(o->total_ns), "parts_ns",
						   parts(o->part_ns)));
	}
	return a;
}

/* counters - each counter's rise across the gap, null when not recorded. */
static json_t *counters(const struct rtlab_corr_spike *s)
{
	json_t *o = json_object();

	for (int c = 0; o && c < _RTLAB_CORR_COUNTER_MAX; c++) {
		const struct rtlab_corr_delta *d = &s->counters[c];

		json_object_set_new(o, rtlab_corr_counter_name((enum rtlab_corr_counter)c),
				    d->known ? json_pack("{s:I, s:o, s:o}", "delta_ns",
							 (json_int_t)d->delta_ns, "before_ns",
							 jns(d->before_ns), "after_ns",
							 jns(d->after_ns)) :
					       json_null());
	}
	return o;
}

/* timeline - the time line's entries. */
static json_t *timeline(const struct rtlab_corr_spike *s)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < s->nitems; i++) {
		const struct rtlab_corr_item *it = &s->items[i];

		json_t *o = json_pack("{s:s, s:o, s:o, s:b, s:b, s:i, s:i, s:i, s:i, s:o}",
				      "kind", rtlab_corr_kind_name(it->kind), "start_ns",
				      jns(it->start_ns), "end_ns", jns(it->end_ns), "open_start",
				      it->open_start, "open_end", it->open_end, "cpu", it->cpu,
				      "pid", it->pid, "prio", it->prio, "num", it->num, "name",
				      jstr(it->name));
		const char *sc = it->kind == RTLAB_CORR_SYSCALL ? rtlab_bpf_syscall_name(it->num) :
				 NULL;

		if (o && sc)
			json_object_set_new(o, "syscall", json_string(sc));
		if (o && it->inferred)
			json_object_set_new(o, "inferred", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

/* opt_ns - @ns, or null when not @known. */
static json_t *opt_ns(bool known, uint64_t ns)
{
	return known ? jns(ns) : json_null();
}

/* spike - one spike. */
static json_t *spike(const struct rtlab_corr_spike *s)
{
	json_t *o = json_pack("{s:I, s:o, s:i, s:i, s:o, s:o, s:o, s:o, s:b, s:o}",
			      "task", (json_int_t)s->task, "task_name", jstr(s->task_name),
			      "tid", (int)s->tid, "cpu", s->cpu, "t_ns", jns(s->t_ns),
			      "programmed_ns", jns(s->programmed_ns), "latency_ns",
			      jns(s->latency_ns), "window_ns", jns(s->window_ns), "traced",
			      s->traced, "lost_events", jns(s->lost_events));

	if (!o)
		return NULL;
	json_object_set_new(o, "wakeup_ns", opt_ns(s->has_wakeup, s->wakeup_ns));
	json_object_set_new(o, "switch_in_ns", opt_ns(s->has_switch_in, s->switch_in_ns));
	json_object_set_new(o, "parts_ns", parts(s->part_ns));
	json_object_set_new(o, "cause", json_string(rtlab_corr_cause_name(s->cause)));
	json_object_set_new(o, "cause_part", json_string(rtlab_corr_part_name(s->cause_part)));
	json_object_set_new(o, "verdict", jstr(s->verdict));
	json_object_set_new(o, "occupants", occupants(s));
	json_object_set_new(o, "counters", counters(s));
	json_object_set_new(o, "timeline", timeline(s));
	return o;
}

/* rtlab_corr_json - build, dump, free. */
int rtlab_corr_json(const struct rtlab_corr *c, char **ret)
{
	json_t *spikes = json_array(), *root;
	char *text;

	for (size_t i = 0; spikes && i < c->n; i++) {
		if (json_array_append_new(spikes, spike(&c->spikes[i])) < 0) {
			json_decref(spikes);
			return -ENOMEM;
		}
	}
	root = json_pack("{s:b, s:o}", "traced", c->traced, "spikes", spikes);
	if (!root)
		return -ENOMEM;
	text = json_dumps(root, JSON_INDENT(2) | JSON_ESCAPE_SLASH | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return -ENOMEM;
	*ret = text;
	return 0;
}
