/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-disk.c - the disk family on fixture trees: sysfs attributes and
 * partitions, rates from two readings (NOT_READY first), damaged sources,
 * metrics, and no allocation once warm.
 */
#include "../test-probe.h"

#include "alloc-count.h"
#include "disk/disk-parse.h"
#include "probe-internal.h"

#define NS 1000000000ull

/* find - the device named @name in @d, or fail. */
static const struct rtlab_disk_dev *find(const struct rtlab_probe_data *d, const char *name)
{
	for (size_t i = 0; i < d->disk.ndevs; i++)
		if (strcmp(d->disk.devs[i].name, name) == 0)
			return &d->disk.devs[i];
	cr_assert_fail("no device %s", name);
	return NULL;
}

/* A family driven by hand, so the test chooses the clock. */
struct fam_run {
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	void *state;
	uint64_t prev_ns;
};

/* run_open - the disk family of a probe at @root, opened. */
static void run_open(struct fam_run *fr, const char *root, struct rtlab_probe_opts *opts)
{
	fr->p = probe_at(root, opts);
	fr->d = rtlab_probe_data_new();
	fr->prev_ns = 0;
	cr_assert_eq(probe_fam_disk.open(fr->p, &fr->state), 0);
}

/* run_at - one collection at @now_ns (ns of a made-up clock). */
static int run_at(struct fam_run *fr, uint64_t now_ns)
{
	struct probe_cx cx = { .p = fr->p, .d = fr->d, .fam = RTLAB_PF_DISK, .now_ns = now_ns,
			       .prev_ns = fr->prev_ns };
	int r;

	fr->d->why[RTLAB_PF_DISK][0] = '\0';
	r = probe_fam_disk.collect(&cx, fr->state);
	fr->prev_ns = now_ns;
	return r;
}

/* run_close - close and free. */
static void run_close(struct fam_run *fr)
{
	probe_fam_disk.close(fr->state);
	rtlab_probe_free(fr->p);
	rtlab_probe_data_free(fr->d);
}

/* The vm tree (captured): devices in file order, the queue of vda. */
Test(disk, vm_fixture)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_disk_dev *vda, *zram;

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_DISK), d), 0);
	cr_assert_eq(d->err[RTLAB_PF_DISK], 0, "%s", d->why[RTLAB_PF_DISK]);
	cr_assert_str_eq(d->disk.devs[0].name, "loop0");
	cr_assert_eq(d->disk.devs[0].kind, RTLAB_DISK_KIND_LOOP);
	vda = find(d, "vda");
	cr_assert_eq(vda->kind, RTLAB_DISK_KIND_DISK);
	cr_assert_eq(vda->major, 254);
	cr_assert_eq(vda->scheduler_st, RTLAB_PV_OK);
	cr_assert_str_eq(vda->scheduler, "mq-deadline");
	cr_assert_str_eq(vda->schedulers, "none mq-deadline kyber bfq");
	cr_assert_eq(vda->size_bytes.v, 536870912ull * 512);
	cr_assert_eq(vda->queue[RTLAB_DISK_Q_PHYSICAL_BLOCK].v, 4096);
	cr_assert_eq(vda->queue[RTLAB_DISK_Q_DISCARD_MAX].v, 1073741824);
	cr_assert_eq(vda->queue[RTLAB_DISK_Q_DEPTH].st, RTLAB_PV_ABSENT);
	cr_assert_eq(vda->partitions.v, 0);
	cr_assert_eq(vda->rate[RTLAB_DISK_READ_BYTES_PER_S].st, RTLAB_PV_NOT_READY);
	zram = find(d, "zram0");
	cr_assert_eq(zram->kind, RTLAB_DISK_KIND_ZRAM);
	cr_assert_eq(zram->scheduler_st, RTLAB_PV_ABSENT, "zram has no scheduler file");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* The raid tree: partitions found through their disk, kinds, queue depth. */
Test(disk, partitions_and_kinds)
{
	struct rtlab_probe *p = probe_fixture("raid");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_disk_dev *sda, *sda2, *p2;

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_DISK), d), 0);
	cr_assert_eq(d->why[RTLAB_PF_DISK][0], '\0', "%s", d->why[RTLAB_PF_DISK]);
	sda = find(d, "sda");
	cr_assert_eq(sda->partitions.v, 2);
	cr_assert_str_eq(sda->scheduler, "bfq");
	cr_assert_eq(sda->queue[RTLAB_DISK_Q_DEPTH].v, 32);
	cr_assert_eq(sda->queue[RTLAB_DISK_Q_ROTATIONAL].v, 1);
	sda2 = find(d, "sda2");
	cr_assert_eq(sda2->kind, RTLAB_DISK_KIND_PARTITION);
	cr_assert_str_eq(sda2->parent, "sda");
	cr_assert_eq(sda2->partition.v, 2);
	cr_assert_eq(sda2->size_bytes.v, 3904929791ull * 512);
	cr_assert_str_eq(sda2->scheduler, "bfq", "a partition has its disk's queue");
	p2 = find(d, "nvme0n1p2");
	cr_assert_eq(p2->kind, RTLAB_DISK_KIND_PARTITION);
	cr_assert_str_eq(p2->parent, "nvme0n1");
	cr_assert_eq(p2->queue[RTLAB_DISK_Q_ROTATIONAL].v, 0);
	cr_assert_eq(find(d, "nvme0n1")->queue[RTLAB_DISK_Q_DEPTH].st, RTLAB_PV_ABSENT);
	cr_assert_eq(find(d, "md0")->kind, RTLAB_DISK_KIND_MD);
	cr_assert_eq(find(d, "dm-3")->kind, RTLAB_DISK_KIND_DM);
	cr_assert_eq(find(d, "sdb")->partitions.v, 1);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

static const char line_a[] =
	"   8       0 sda 100 10 2000 50 200 20 4000 400 1 500 600 5 0 80 20 7 30\n";
static const char line_b[] =
	"   8       0 sda 300 10 6000 250 200 20 4000 400 3 1500 2600 5 0 80 20 9 70\n";

/* Rates: not ready on the first reading, then exact over a 2 s interval. */
Test(disk, rates_not_ready_then_computed)
{
	struct fam_run fr;
	char root[PATH_MAX];
	const struct rtlab_disk_dev *sda;

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/diskstats", line_a);
	run_open(&fr, root, NULL);
	cr_assert_eq(run_at(&fr, 10 * NS), 0);
	sda = &fr.d->disk.devs[0];
	for (unsigned k = 0; k < RTLAB_DISK_RATE__COUNT; k++)
		cr_assert_eq(sda->rate[k].st, RTLAB_PV_NOT_READY, "rate %u first", k);
	tree_put(root, "/proc/diskstats", line_b);
	cr_assert_eq(run_at(&fr, 12 * NS), 0);
	sda = &fr.d->disk.devs[0];
	cr_assert_float_eq(sda->rate[RTLAB_DISK_READS_PER_S].v, 100.0, 1e-9);
	cr_assert_float_eq(sda->rate[RTLAB_DISK_READ_BYTES_PER_S].v, 4000.0 * 512 / 2, 1e-6);
	cr_assert_float_eq(sda->rate[RTLAB_DISK_WRITES_PER_S].v, 0.0, 1e-9);
	cr_assert_float_eq(sda->rate[RTLAB_DISK_UTILIZATION].v, 0.5, 1e-9);
	cr_assert_float_eq(sda->rate[RTLAB_DISK_QUEUE_LENGTH].v, 1.0, 1e-9);
	cr_assert_float_eq(sda->rate[RTLAB_DISK_READ_AWAIT_S].v, 0.2 / 200, 1e-12);
	cr_assert_eq(sda->rate[RTLAB_DISK_WRITE_AWAIT_S].st, RTLAB_PV_OK);
	cr_assert_float_eq(sda->rate[RTLAB_DISK_WRITE_AWAIT_S].v, 0.0, 1e-12, "no write: 0");
	cr_assert_float_eq(sda->rate[RTLAB_DISK_FLUSHES_PER_S].v, 1.0, 1e-9);
	run_close(&fr);
	tree_free(root);
}

/* The 32-bit ms counters wrap; a 64-bit counter going back is a new device: not ready. */
Test(disk, wrap_and_reset)
{
	struct fam_run fr;
	char root[PATH_MAX];
	const struct rtlab_disk_dev *sda;

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/diskstats", "8 0 sda 100 0 0 4294967000 0 0 0 0 0 4294966296 0\n");
	run_open(&fr, root, NULL);
	run_at(&fr, 1 * NS);
	tree_put(root, "/proc/diskstats", "8 0 sda 101 0 0 200 0 0 0 0 0 704 0\n");
	run_at(&fr, 3 * NS);
	sda = &fr.d->disk.devs[0];
	cr_assert_float_eq(sda->rate[RTLAB_DISK_READ_AWAIT_S].v, 0.496, 1e-9);
	cr_assert_float_eq(sda->rate[RTLAB_DISK_UTILIZATION].v, 0.852, 1e-9);
	cr_assert_eq(sda->rate[RTLAB_DISK_DISCARDS_PER_S].st, RTLAB_PV_UNSUPPORTED);
	tree_put(root, "/proc/diskstats", "8 0 sda 5 0 0 200 0 0 0 0 0 704 0\n");
	run_at(&fr, 4 * NS);
	cr_assert_eq(fr.d->disk.devs[0].rate[RTLAB_DISK_READS_PER_S].st, RTLAB_PV_NOT_READY);
	run_close(&fr);
	tree_free(root);
}

/* Queue attributes are not re-read each time: only after the slow TTL or a device change. */
Test(disk, sysfs_on_slow_ttl_or_change)
{
	struct rtlab_probe_opts o = { .ttl_slow_ns = 5 * NS };
	struct fam_run fr;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/diskstats", line_a);
	tree_put(root, "/sys/block/sda/size", "100\n");
	tree_put(root, "/sys/block/sda/queue/scheduler", "[none] bfq\n");
	run_open(&fr, root, &o);
	run_at(&fr, 10 * NS);
	cr_assert_str_eq(fr.d->disk.devs[0].scheduler, "none");
	tree_put(root, "/sys/block/sda/queue/scheduler", "none [bfq]\n");
	run_at(&fr, 11 * NS);
	cr_assert_str_eq(fr.d->disk.devs[0].scheduler, "none", "cached before the TTL");
	run_at(&fr, 16 * NS);
	cr_assert_str_eq(fr.d->disk.devs[0].scheduler, "bfq", "re-read after the TTL");
	tree_put(root, "/sys/block/sdb/size", "200\n");
	tree_put(root, "/proc/diskstats",
		 "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n8 16 sdb 1 2 3 4 5 6 7 8 9 10 11\n");
	run_at(&fr, 17 * NS);
	cr_assert_eq(fr.d->disk.devs[1].size_bytes.v, 200 * 512, "new device: read at once");
	run_close(&fr);
	tree_free(root);
}

/* Damaged sources: a missing file and a truncated line are named, with file:line. */
Test(disk, damaged_sources)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_DISK), d), 0);
	cr_assert_eq(d->err[RTLAB_PF_DISK], -ENOENT);
	cr_assert(strstr(d->why[RTLAB_PF_DISK], "/proc/diskstats"), "%s", d->why[RTLAB_PF_DISK]);
	rtlab_probe_free(p);

	tree_put(root, "/proc/diskstats", "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n8 16 sdb 1 2 3 4");
	tree_put(root, "/sys/block/sda/size", "banana\n");
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_DISK), d), 0);
	cr_assert_eq(d->err[RTLAB_PF_DISK], 0);
	cr_assert(strstr(d->why[RTLAB_PF_DISK], "/proc/diskstats:2: sdb"), "%s",
		  d->why[RTLAB_PF_DISK]);
	cr_assert_eq(d->disk.devs[1].stat[RTLAB_DISK_WRITES].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->disk.devs[0].size_bytes.st, RTLAB_PV_MALFORMED);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

struct sink_seen {
	unsigned read_bytes, util, info, discard_unavailable;
	double sda_read_bytes;
	char last[128];
	bool grouped;
	char names[64][64];
	size_t nnames;
};

/* seen_sample - record what the test checks; every name must come in one run. */
static int seen_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
		       size_t nl, const struct rtlab_mval *v)
{
	struct sink_seen *s = arg;

	if (strcmp(s->last, m->name) != 0) {
		for (size_t i = 0; i < s->nnames; i++)
			if (strcmp(s->names[i], m->name) == 0)
				s->grouped = false;
		if (s->nnames < 64)
			snprintf(s->names[s->nnames++], sizeof(s->names[0]), "%s", m->name);
		snprintf(s->last, sizeof(s->last), "%s", m->name);
	}
	cr_assert_geq(nl, 1);
	cr_assert_str_eq(l[0].name, "device");
	if (strcmp(m->name, "node_disk_read_bytes_total") == 0) {
		s->read_bytes++;
		if (strcmp(l[0].value, "sda") == 0)
			s->sda_read_bytes = (double)v->u;
	}
	if (strcmp(m->name, "rtlab_disk_utilization_ratio") == 0)
		s->util += v->st == RTLAB_PV_NOT_READY;
	if (strcmp(m->name, "rtlab_disk_info") == 0)
		s->info++;
	if (strcmp(m->name, "node_disk_discards_completed_total") == 0)
		s->discard_unavailable += v->st == RTLAB_PV_UNSUPPORTED;
	return 0;
}

/* Metrics: node_exporter's names and units, one run per name, unavailable values included. */
Test(disk, metrics)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct sink_seen seen = { .grouped = true };
	struct rtlab_probe_sink sink = { .arg = &seen, .sample = seen_sample };
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/diskstats",
		 "8 0 sda 1 2 3000 4 5 6 7 8 9 10 11\n7 0 loop0 1 2 3 4 5 6 7 8 9 10 11\n");
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_DISK), d), 0);
	cr_assert_eq(rtlab_probe_emit(d, RTLAB_PF_BIT(RTLAB_PF_DISK), &sink), 0);
	cr_assert(seen.grouped, "samples of a name come together");
	cr_assert_eq(seen.read_bytes, 2, "loop devices are emitted too");
	cr_assert_float_eq(seen.sda_read_bytes, 3000.0 * 512, 1e-6);
	cr_assert_eq(seen.util, 2, "first reading: not ready, still emitted");
	cr_assert_eq(seen.info, 2);
	cr_assert_eq(seen.discard_unavailable, 2, "14-field lines have no discards");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Once warm, a collection (diskstats every time, sysfs on the slow TTL) allocates nothing. */
Test(disk, no_allocation_when_warm)
{
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };	/* sysfs re-read every time too */
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	char root[PATH_MAX];
	unsigned long n;

	if (!ALLOC_COUNTING)
		cr_skip_test("malloc is AddressSanitizer's: counted in the plain build");
	d = rtlab_probe_data_new();
	p = probe_at(fixture_root("raid", root, sizeof(root)), &o);
	n = alloc_in_collections(p, RTLAB_PF_BIT(RTLAB_PF_DISK), d);
	cr_assert_eq(n, 0, "%lu allocations", n);
	cr_assert_eq(d->disk.devs[0].rate[RTLAB_DISK_READS_PER_S].st, RTLAB_PV_OK);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}
