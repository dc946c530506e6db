/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* interrupts.c - the interrupts family: /proc/interrupts and /proc/softirqs per CPU. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu-parse.h"
#include "probe-internal.h"

struct irq_state {
	struct probe_src irq;		/* /proc/interrupts */
	struct probe_src soft;		/* /proc/softirqs */
};

/* irq_open - the sources, not opened yet. */
static int irq_open(struct rtlab_probe *p, void **state)
{
	struct irq_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->irq, "/proc/interrupts");
	probe_src_init(&s->soft, "/proc/softirqs");
	*state = s;
	return 0;
}

/* irq_close - close the fds. */
static void irq_close(void *state)
{
	struct irq_state *s = state;

	probe_src_close(&s->irq);
	probe_src_close(&s->soft);
	free(s);
}

/*
 * irq_read - read @src and parse it into @t with @parse (one of the table
 * parsers, @arg its output).  An unreadable file empties the table.
 */
static int irq_read(struct probe_cx *cx, struct probe_src *src, struct rtlab_irq_table *t,
		    int (*parse)(const char *, size_t, void *), void *arg)
{
	ssize_t n = probe_src_read(cx->p, src);
	int r;

	if (n < 0) {
		t->st = probe_st_from_errno((int)n);
		t->ncols = 0;
		t->nlines = 0;
		probe_why(cx, "%s: %s", src->path, strerror((int)-n));
		return (int)n;
	}
	r = parse(src->buf, (size_t)n, arg);
	if (r == -ENOMEM)
		probe_why(cx, "%s: %s", src->path, strerror(ENOMEM));
	else if (r < 0)
		probe_why(cx, "%s:%u: malformed", src->path, t->bad_line);
	return r == -ENOMEM ? r : 0;
}

/* parse_irq - interrupts_parse() with the signature irq_read() takes. */
static int parse_irq(const char *buf, size_t len, void *arg)
{
	return interrupts_parse(buf, len, arg);
}

/* parse_soft - softirqs_parse() with the signature irq_read() takes. */
static int parse_soft(const char *buf, size_t len, void *arg)
{
	return softirqs_parse(buf, len, arg);
}

/* irq_collect - both files. */
static int irq_collect(struct probe_cx *cx, void *state)
{
	struct irq_state *s = state;
	struct rtlab_probe_interrupts *x = &cx->d->interrupts;
	int r1 = irq_read(cx, &s->irq, &x->irq, parse_irq, x);
	int r2 = irq_read(cx, &s->soft, &x->soft, parse_soft, &x->soft);

	if (r1 < 0 && r1 != -ENOMEM) {
		PV_NA(x->err, x->irq.st);
		PV_NA(x->mis, x->irq.st);
	}
	if (r1 == -ENOMEM || r2 == -ENOMEM)
		return -ENOMEM;
	return r1 < 0 && r2 < 0 ? r1 : 0;
}

static const struct rtlab_metric m_irq = {
	"node_interrupts_total", "Interrupt details.", RTLAB_METRIC_COUNTER
};
static const struct rtlab_metric m_err = {
	"rtlab_interrupts_errors_total", "Erroneous interrupts (ERR of /proc/interrupts).",
	RTLAB_METRIC_COUNTER
};
static const struct rtlab_metric m_mis = {
	"rtlab_interrupts_mismatched_total",
	"IO-APIC interrupts seen mis-routed (MIS of /proc/interrupts).", RTLAB_METRIC_COUNTER
};
static const struct rtlab_metric m_info = {
	"rtlab_irq_info", "A numbered IRQ: its chip, number in the chip, handler and actions.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_soft = {
	"node_softirqs_functions_total", "Softirq counts per CPU.", RTLAB_METRIC_COUNTER
};

/* emit_table - @m for each row and column of @t; with @full the info and devices labels too. */
static void emit_table(struct probe_emit *e, const struct rtlab_irq_table *t,
		       const struct rtlab_metric *m, bool full)
{
	char cpu[24];

	for (size_t i = 0; i < t->nlines; i++) {
		const struct rtlab_irq_line *ln = &t->lines[i];

		for (size_t c = 0; c < t->ncols; c++) {
			struct rtlab_mval v = mv_u64(t->counts[i * t->ncols + c]);

			snprintf(cpu, sizeof(cpu), "%u", t->col_cpu[c]);
			if (full)
				pe_emitl(e, m, v, { "cpu", cpu }, { "type", ln->name },
					 { "info", ln->info }, { "devices", ln->devices });
			else
				pe_emitl(e, m, v, { "cpu", cpu }, { "type", ln->name });
		}
	}
}

/* emit_info - rtlab_irq_info of each numbered row. */
static void emit_info(struct probe_emit *e, const struct rtlab_irq_table *t)
{
	char hwirq[24];

	for (size_t i = 0; i < t->nlines; i++) {
		const struct rtlab_irq_line *ln = &t->lines[i];

		if (!ln->numbered)
			continue;
		hwirq[0] = '\0';
		if (ln->hwirq.st == RTLAB_PV_OK)
			snprintf(hwirq, sizeof(hwirq), "%" PRIu64, ln->hwirq.v);
		pe_emitl(e, &m_info, mv_one(RTLAB_PV_OK), { "irq", ln->name }, { "chip", ln->info },
			 { "hwirq", hwirq }, { "handler", ln->handler }, { "actions", ln->actions });
	}
}

/* irq_emit - per row and CPU, labelled as node_exporter's interrupts and softirqs collectors. */
static void irq_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_interrupts *x = &d->interrupts;

	emit_table(e, &x->irq, &m_irq, true);
	emit_info(e, &x->irq);
	pe_emit(e, &m_err, mv_u64(x->err));
	pe_emit(e, &m_mis, mv_u64(x->mis));
	emit_table(e, &x->soft, &m_soft, false);
}

/* irq_release - the tables' arrays. */
static void irq_release(struct rtlab_probe_data *d)
{
	irq_table_release(&d->interrupts.irq);
	irq_table_release(&d->interrupts.soft);
}

const struct probe_family probe_fam_interrupts = {
	.name = "interrupts",
	.id = RTLAB_PF_INTERRUPTS,
	.slow = true,
	.open = irq_open,
	.close = irq_close,
	.collect = irq_collect,
	.emit = irq_emit,
	.release = irq_release,
};
