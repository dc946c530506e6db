/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json-internal.h - the JSON writer of json.c (not installed): a jansson tree
 * that a sink fills, then dumped into a buffer.  rtlab_probe_json() uses it;
 * the tests and the fuzzer feed it samples by hand.
 *
 *	struct ex_json_tree t;
 *	struct rtlab_probe_sink sink;
 *
 *	ex_json_tree_init(&t);			// 0 or -ENOMEM
 *	sink = ex_json_tree_sink(&t);
 *	rtlab_probe_emit(d, families, &sink);	// family(), then its samples
 *	ex_json_tree_dump(&t, out);		// {"families":{...}} appended to out
 *	ex_json_tree_fini(&t);
 */
#ifndef RTLAB_JSON_INTERNAL_H
#define RTLAB_JSON_INTERNAL_H

#include <jansson.h>

#include "export/export-internal.h"

/* The object being built; every json_t below root is borrowed from it. */
struct ex_json_tree {
	json_t *root;		/* {"families":{...}} */
	json_t *families;	/* root's "families" */
	json_t *metrics;	/* the open family's "metrics"; NULL: none, samples are skipped */
	json_t *samples;	/* the open metric's "samples"; NULL: none */
	struct rtlab_buf key;	/* scratch: a key made valid UTF-8 */
	struct rtlab_buf text;	/* scratch: a string value made valid UTF-8 */
	char last[RTLAB_PROM_NAME_MAX];	/* the open metric's name */
};

/* ex_json_tree_init - an empty tree {"families":{}}.  Returns 0 or -ENOMEM. */
int ex_json_tree_init(struct ex_json_tree *t);

/*
 * ex_json_tree_sink - the sink filling @t: family() adds a family's object,
 * sample() a sample to its metric (made on the metric's first sample).  A
 * sample before any family, or with no metric name, a NULL label name or a
 * bad kind, is skipped.  Both return 0 or -ENOMEM (@t keeps what it had).
 */
struct rtlab_probe_sink ex_json_tree_sink(struct ex_json_tree *t);

/*
 * ex_json_tree_dump - append @t to @out as compact JSON, keys in the order
 * they were added.  Returns 0 or -ENOMEM (@out is then as it was).
 */
int ex_json_tree_dump(const struct ex_json_tree *t, struct rtlab_buf *out);

/* ex_json_tree_fini - free the tree and the scratch buffers; @t can be initialized again. */
void ex_json_tree_fini(struct ex_json_tree *t);

#endif /* RTLAB_JSON_INTERNAL_H */
