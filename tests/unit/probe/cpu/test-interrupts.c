/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-interrupts.c - /proc/interrupts and /proc/softirqs: parsers, collection, samples. */
#include "cpu-test.h"

#include "cpu/cpu-parse.h"

#define IRQ_BIT RTLAB_PF_BIT(RTLAB_PF_INTERRUPTS)

/* line - the row named @name of @t, or NULL. */
static const struct rtlab_irq_line *line(const struct rtlab_irq_table *t, const char *name,
					 size_t *row)
{
	for (size_t i = 0; i < t->nlines; i++) {
		if (strcmp(t->lines[i].name, name) == 0) {
			if (row)
				*row = i;
			return &t->lines[i];
		}
	}
	return NULL;
}

/* The vm fixture: numbered lines split as node_exporter does, architecture rows, ERR/MIS. */
Test(interrupts, parses_vm_fixture)
{
	struct rtlab_probe_interrupts x = { 0 };
	const struct rtlab_irq_line *ln;
	size_t len, row;
	char *buf = fixture_load("vm", "/proc/interrupts", &len);

	cr_assert_eq(interrupts_parse(buf, len, &x), 0);
	cr_assert_eq(x.irq.st, RTLAB_PV_OK);
	cr_assert_eq(x.irq.ncols, 2);
	cr_assert_eq(x.irq.col_cpu[1], 1);
	ln = line(&x.irq, "26", &row);
	cr_assert_not_null(ln);
	cr_assert(ln->numbered);
	cr_assert_str_eq(ln->info, "IO-APIC");
	cr_assert_str_eq(ln->devices, "4-edge ttyS0");
	cr_assert_eq(ln->hwirq.v, 4);
	cr_assert_eq(ln->hwirq.st, RTLAB_PV_OK);
	cr_assert_str_eq(ln->handler, "edge");
	cr_assert_str_eq(ln->actions, "ttyS0");
	ln = line(&x.irq, "31", NULL);
	cr_assert_str_eq(ln->info, "PCI-MSIX-0000:00:01.0");
	cr_assert_str_eq(ln->devices, "3-edge virtio0-stats");
	ln = line(&x.irq, "LOC", &row);
	cr_assert_not_null(ln);
	cr_assert_not(ln->numbered);
	cr_assert_str_eq(ln->info, "Local timer interrupts");
	cr_assert_str_eq(ln->devices, "");
	cr_assert_eq(ln->hwirq.st, RTLAB_PV_ABSENT);
	cr_assert_str_eq(ln->actions, "");
	cr_assert_eq(ln->total.st, RTLAB_PV_OK);
	cr_assert_eq(ln->total.v, x.irq.counts[row * 2].v + x.irq.counts[row * 2 + 1].v);
	cr_assert_gt(ln->total.v, 0);
	cr_assert_eq(x.err.st, RTLAB_PV_OK);
	cr_assert_eq(x.mis.st, RTLAB_PV_OK);
	cr_assert_null(line(&x.irq, "ERR", NULL));
	cr_assert_not_null(line(&x.irq, "PIW", NULL));
	irq_table_release(&x.irq);
	free(buf);
}

/* Offline CPUs: /proc/interrupts has the online columns, /proc/softirqs the possible ones. */
Test(interrupts, manycore_columns)
{
	struct rtlab_probe_interrupts x = { 0 };
	const struct rtlab_irq_line *ln;
	size_t len, row;
	char *buf = fixture_load("manycore", "/proc/interrupts", &len);

	cr_assert_eq(interrupts_parse(buf, len, &x), 0);
	cr_assert_eq(x.irq.ncols, 62);
	cr_assert_eq(x.irq.col_cpu[61], 61);
	ln = line(&x.irq, "26", NULL);
	cr_assert_str_eq(ln->info, "IR-PCI-MSI-0000:00:1f.2");
	cr_assert_str_eq(ln->devices, "0-edge ahci[0000:00:1f.2]");
	cr_assert_str_eq(ln->actions, "ahci[0000:00:1f.2]");
	free(buf);
	buf = fixture_load("manycore", "/proc/softirqs", &len);
	cr_assert_eq(softirqs_parse(buf, len, &x.soft), 0);
	cr_assert_eq(x.soft.ncols, 64);
	cr_assert_eq(x.soft.nlines, 10);
	ln = line(&x.soft, "NET_RX", &row);
	cr_assert_not_null(ln);
	cr_assert_eq(ln->total.st, RTLAB_PV_OK);
	cr_assert_eq(x.soft.counts[row * 64 + 63].st, RTLAB_PV_OK);
	cr_assert_eq(line(&x.soft, "HI", NULL)->total.v, 0);
	irq_table_release(&x.irq);
	irq_table_release(&x.soft);
	free(buf);
}

/* An arm64 layout: Level triggers, IPIn rows, "Err:". */
Test(interrupts, arm64_layout)
{
	const char *s = "           CPU0       CPU1       CPU4       \n"
			" 11:      10536      11224      12001     GICv3  27 Level     arch_timer\n"
			" 14:          0          0          0     GICv3  34 Level     ttyAMA0, "
			"serial\n"
			" 16:          0          0          0     dummy      -edge      x, y\n"
			"IPI0:       2050       1960       1000       Rescheduling interrupts\n"
			"Err:          0\n";
	struct rtlab_probe_interrupts x = { 0 };
	const struct rtlab_irq_line *ln;

	cr_assert_eq(interrupts_parse(s, strlen(s), &x), 0);
	cr_assert_eq(x.irq.col_cpu[2], 4);
	ln = line(&x.irq, "11", NULL);
	cr_assert_str_eq(ln->info, "GICv3");
	cr_assert_str_eq(ln->devices, "27 Level arch_timer");
	cr_assert_eq(ln->hwirq.v, 27);
	cr_assert_str_eq(ln->handler, "Level");
	cr_assert_str_eq(ln->actions, "arch_timer");
	cr_assert_eq(ln->total.v, 10536 + 11224 + 12001);
	cr_assert_str_eq(line(&x.irq, "14", NULL)->devices, "34 Level ttyAMA0, serial");
	cr_assert_str_eq(line(&x.irq, "14", NULL)->actions, "ttyAMA0, serial");
	ln = line(&x.irq, "16", NULL);
	cr_assert_eq(ln->hwirq.st, RTLAB_PV_ABSENT);
	cr_assert_str_eq(ln->handler, "edge");
	cr_assert_str_eq(ln->actions, "x, y");
	ln = line(&x.irq, "IPI0", NULL);
	cr_assert_str_eq(ln->info, "Rescheduling interrupts");
	cr_assert_eq(x.err.v, 0);
	cr_assert_eq(x.err.st, RTLAB_PV_OK);
	cr_assert_eq(x.mis.st, RTLAB_PV_ABSENT);
	irq_table_release(&x.irq);
}

/* Every cut of the file: never a crash; a cut row is malformed, never a short count. */
Test(interrupts, every_truncation)
{
	struct rtlab_probe_interrupts x = { 0 };
	size_t len;
	char *buf = fixture_load("vm", "/proc/interrupts", &len);

	for (size_t cut = 0; cut < len; cut++) {
		int r = interrupts_parse(buf, cut, &x);
		const char *ls = buf + cut, *colon;

		if (!cut || buf[cut - 1] == '\n')
			continue;
		cr_assert_eq(r, -EBADMSG, "cut %zu", cut);
		cr_assert_neq(x.irq.bad_line, 0);
		/* The cut row, if it got as far as its name, is in the table but not usable. */
		while (ls > buf && ls[-1] != '\n')
			ls--;
		colon = memchr(ls, ':', (size_t)(buf + cut - ls));
		while (*ls == ' ')
			ls++;
		if (!colon || x.irq.ncols == 0 || !strncmp(ls, "ERR:", 4) || !strncmp(ls, "MIS:", 4))
			continue;
		cr_assert_neq(x.irq.lines[x.irq.nlines - 1].total.st, RTLAB_PV_OK, "cut %zu", cut);
	}
	irq_table_release(&x.irq);
	free(buf);
}

/* Damaged headers and rows. */
Test(interrupts, damaged)
{
	struct rtlab_probe_interrupts x = { 0 };
	const char *nohead = "  0:   1   2  IO-APIC   2-edge  timer\n";
	const char *badrow = "   CPU0 CPU1\n  0:   1  x  IO-APIC 2-edge timer\n"
			     "LOC:  5  6  Local\nnocolon\n";

	cr_assert_eq(interrupts_parse(nohead, strlen(nohead), &x), -EBADMSG);
	cr_assert_eq(x.irq.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(x.irq.ncols, 0);
	cr_assert_eq(interrupts_parse("", 0, &x), -EBADMSG);
	cr_assert_eq(interrupts_parse(badrow, strlen(badrow), &x), -EBADMSG);
	cr_assert_eq(x.irq.bad_line, 2);
	cr_assert_eq(x.irq.st, RTLAB_PV_OK);
	cr_assert_eq(x.irq.counts[0].st, RTLAB_PV_OK);
	cr_assert_eq(x.irq.counts[1].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(x.irq.lines[0].total.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(line(&x.irq, "LOC", NULL)->total.v, 11);
	cr_assert_eq(x.irq.nlines, 2);
	cr_assert_eq(softirqs_parse("CPUx\n", 5, &x.soft), -EBADMSG);
	irq_table_release(&x.irq);
	irq_table_release(&x.soft);
}

/* The family on fixtures, its samples with node_exporter's labels, then a tree without files. */
Test(interrupts, collects_and_emits)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rec r = { 0 };
	const struct rec_sample *s;
	char root[PATH_MAX];

	cr_assert_eq(rtlab_probe_collect(p, IRQ_BIT, d), 0);
	cr_assert_eq(d->err[RTLAB_PF_INTERRUPTS], 0, "%s", d->why[RTLAB_PF_INTERRUPTS]);
	cr_assert_str_eq(d->why[RTLAB_PF_INTERRUPTS], "");
	cr_assert(rtlab_probe_family_is_slow(RTLAB_PF_INTERRUPTS));
	rec_emit(&r, d, RTLAB_PF_INTERRUPTS);
	cr_assert_not(r.split);
	cr_assert_eq(rec_count(&r, "node_interrupts_total"), d->interrupts.irq.nlines * 2);
	s = rec_find(&r, "node_interrupts_total{cpu=\"1\",devices=\"4-edge ttyS0\",info=\"IO-APIC\","
			 "type=\"26\"}");
	cr_assert_not_null(s);
	cr_assert_eq(s->v.st, RTLAB_PV_OK);
	s = rec_find(&r, "node_interrupts_total{cpu=\"0\",devices=\"\",info=\"TLB shootdowns\","
			 "type=\"TLB\"}");
	cr_assert_not_null(s);
	cr_assert_gt(s->v.u, 0);
	cr_assert_not_null(rec_find(&r, "rtlab_interrupts_errors_total{}"));
	cr_assert_not_null(rec_find(&r, "rtlab_irq_info{actions=\"virtio3-rx\",chip=\"PCI-MSIX-"
					"0000:00:04.0\",handler=\"edge\",hwirq=\"1\",irq=\"41\"}"));
	s = rec_find(&r, "node_softirqs_functions_total{cpu=\"1\",type=\"SCHED\"}");
	cr_assert_not_null(s);
	cr_assert_gt(s->v.u, 0);
	rtlab_probe_free(p);

	/* A new data: the family is slow, its TTL has not run out for @d. */
	rtlab_probe_data_free(d);
	d = rtlab_probe_data_new();
	p = probe_fixture("manycore");
	cr_assert_eq(rtlab_probe_collect(p, IRQ_BIT, d), 0);
	rec_emit(&r, d, RTLAB_PF_INTERRUPTS);
	cr_assert_eq(rec_count(&r, "node_softirqs_functions_total"), 10 * 64);
	cr_assert_not_null(rec_find(&r, "node_interrupts_total{cpu=\"61\",devices=\"0-edge dmar0\","
					"info=\"DMAR-MSI\",type=\"24\"}"));
	rtlab_probe_free(p);

	rtlab_probe_data_free(d);
	d = rtlab_probe_data_new();
	tree_new(root, sizeof(root));
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, IRQ_BIT, d), 0);
	cr_assert_eq(d->err[RTLAB_PF_INTERRUPTS], -ENOENT);
	cr_assert_eq(d->interrupts.irq.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->interrupts.soft.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->interrupts.err.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_INTERRUPTS], "/proc/interrupts") != NULL);
	rec_emit(&r, d, RTLAB_PF_INTERRUPTS);
	cr_assert_eq(rec_count(&r, "node_interrupts_total"), 0);
	cr_assert_eq(rec_find(&r, "rtlab_interrupts_errors_total{}")->v.st, RTLAB_PV_ABSENT);
	rec_free(&r);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}
