/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * disk-emit.c - the disk family's metrics.
 *
 * The counters carry node_exporter's diskstats names, units and {device}
 * label (the kernel name, as node_exporter's), for every device of
 * /proc/diskstats.  node_exporter leaves out by default the devices matching
 * ^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$ (RAM disks, loops and
 * partitions): rtlab emits them too, with their kind in rtlab_disk_info.
 */
#include <inttypes.h>
#include <stdio.h>

#include "disk/disk-internal.h"

#define C RTLAB_METRIC_COUNTER
#define G RTLAB_METRIC_GAUGE

/* How a counter becomes a sample. */
enum conv {
	AS_IS,
	SECTORS_TO_BYTES,	/* x 512 */
	MS_TO_SECONDS,		/* x 0.001 */
};

static const struct {
	struct rtlab_metric m;
	uint8_t stat;
	uint8_t conv;
} stat_metrics[] = {
	{ { "node_disk_reads_completed_total", "The total number of reads completed successfully.",
	    C },
	  RTLAB_DISK_READS,
	  AS_IS },
	{ { "node_disk_reads_merged_total", "The total number of reads merged.", C },
	  RTLAB_DISK_READS_MERGED,
	  AS_IS },
	{ { "node_disk_read_bytes_total", "The total number of bytes read successfully.", C },
	  RTLAB_DISK_READ_SECTORS,
	  SECTORS_TO_BYTES },
	{ { "node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.",
	    C },
	  RTLAB_DISK_READ_MS,
	  MS_TO_SECONDS },
	{ { "node_disk_writes_completed_total",
	    "The total number of writes completed successfully.", C },
	  RTLAB_DISK_WRITES,
	  AS_IS },
	{ { "node_disk_writes_merged_total", "The number of writes merged.", C },
	  RTLAB_DISK_WRITES_MERGED,
	  AS_IS },
	{ { "node_disk_written_bytes_total", "The total number of bytes written successfully.", C },
	  RTLAB_DISK_WRITE_SECTORS,
	  SECTORS_TO_BYTES },
	{ { "node_disk_write_time_seconds_total",
	    "This is the total number of seconds spent by all writes.", C },
	  RTLAB_DISK_WRITE_MS,
	  MS_TO_SECONDS },
	{ { "node_disk_io_now", "The number of I/Os currently in progress.", G },
	  RTLAB_DISK_IN_FLIGHT,
	  AS_IS },
	{ { "node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", C },
	  RTLAB_DISK_IO_MS,
	  MS_TO_SECONDS },
	{ { "node_disk_io_time_weighted_seconds_total",
	    "The weighted # of seconds spent doing I/Os.", C },
	  RTLAB_DISK_WEIGHTED_IO_MS,
	  MS_TO_SECONDS },
	{ { "node_disk_discards_completed_total",
	    "The total number of discards completed successfully.", C },
	  RTLAB_DISK_DISCARDS,
	  AS_IS },
	{ { "node_disk_discards_merged_total", "The total number of discards merged.", C },
	  RTLAB_DISK_DISCARDS_MERGED,
	  AS_IS },
	{ { "node_disk_discarded_sectors_total",
	    "The total number of sectors discarded successfully.", C },
	  RTLAB_DISK_DISCARD_SECTORS,
	  AS_IS },
	{ { "node_disk_discard_time_seconds_total",
	    "This is the total number of seconds spent by all discards.", C },
	  RTLAB_DISK_DISCARD_MS,
	  MS_TO_SECONDS },
	{ { "node_disk_flush_requests_total",
	    "The total number of flush requests completed successfully", C },
	  RTLAB_DISK_FLUSHES,
	  AS_IS },
	{ { "node_disk_flush_requests_time_seconds_total",
	    "This is the total number of seconds spent by all flush requests.", C },
	  RTLAB_DISK_FLUSH_MS,
	  MS_TO_SECONDS },
};

static const struct {
	struct rtlab_metric m;
	uint8_t rate;
} rate_metrics[] = {
	{ { "rtlab_disk_reads_per_second", "Reads completed per second since the last collection.",
	    G },
	  RTLAB_DISK_READS_PER_S },
	{ { "rtlab_disk_writes_per_second",
	    "Writes completed per second since the last collection.", G },
	  RTLAB_DISK_WRITES_PER_S },
	{ { "rtlab_disk_read_bytes_per_second", "Bytes read per second since the last collection.",
	    G },
	  RTLAB_DISK_READ_BYTES_PER_S },
	{ { "rtlab_disk_written_bytes_per_second",
	    "Bytes written per second since the last collection.", G },
	  RTLAB_DISK_WRITE_BYTES_PER_S },
	{ { "rtlab_disk_discards_per_second", "Discards completed per second.", G },
	  RTLAB_DISK_DISCARDS_PER_S },
	{ { "rtlab_disk_discarded_bytes_per_second", "Bytes discarded per second.", G },
	  RTLAB_DISK_DISCARD_BYTES_PER_S },
	{ { "rtlab_disk_flushes_per_second", "Flush requests completed per second.", G },
	  RTLAB_DISK_FLUSHES_PER_S },
	{ { "rtlab_disk_utilization_ratio",
	    "Share of the interval with I/O in progress, 0 to 1 (iostat %util / 100).", G },
	  RTLAB_DISK_UTILIZATION },
	{ { "rtlab_disk_queue_length", "Mean number of I/Os in progress (iostat aqu-sz).", G },
	  RTLAB_DISK_QUEUE_LENGTH },
	{ { "rtlab_disk_read_await_seconds",
	    "Mean time per read completed in the interval, queueing included (iostat r_await).",
	    G },
	  RTLAB_DISK_READ_AWAIT_S },
	{ { "rtlab_disk_write_await_seconds",
	    "Mean time per write completed in the interval, queueing included (iostat w_await).",
	    G },
	  RTLAB_DISK_WRITE_AWAIT_S },
};

static const struct {
	struct rtlab_metric m;
	uint8_t q;
	uint32_t scale;
} queue_metrics[] = {
	{ { "rtlab_disk_queue_nr_requests", "Requests the block queue may hold (nr_requests).", G },
	  RTLAB_DISK_Q_NR_REQUESTS, 1 },
	{ { "rtlab_disk_rotational", "1 for a rotational disk, 0 for solid state.", G },
	  RTLAB_DISK_Q_ROTATIONAL, 1 },
	{ { "rtlab_disk_logical_block_size_bytes", "Logical block size.", G },
	  RTLAB_DISK_Q_LOGICAL_BLOCK, 1 },
	{ { "rtlab_disk_physical_block_size_bytes", "Physical block size.", G },
	  RTLAB_DISK_Q_PHYSICAL_BLOCK, 1 },
	{ { "rtlab_disk_read_ahead_bytes", "Read-ahead size.", G },
	  RTLAB_DISK_Q_READ_AHEAD_KB, 1024 },
	{ { "rtlab_disk_max_request_bytes", "Largest request the queue issues (max_sectors_kb).",
	    G },
	  RTLAB_DISK_Q_MAX_SECTORS_KB, 1024 },
	{ { "rtlab_disk_discard_max_bytes", "Largest discard; 0 when discard is not supported.",
	    G },
	  RTLAB_DISK_Q_DISCARD_MAX, 1 },
	{ { "rtlab_disk_discard_granularity_bytes", "Discard granularity.", G },
	  RTLAB_DISK_Q_DISCARD_GRANULARITY, 1 },
	{ { "rtlab_disk_queue_depth", "Device queue depth (device/queue_depth, SCSI and SATA).",
	    G },
	  RTLAB_DISK_Q_DEPTH, 1 },
};

static const struct rtlab_metric m_info = {
	"rtlab_disk_info", "A block device of /proc/diskstats: its kind and parent disk.", G
};
static const struct rtlab_metric m_queue_info = {
	"rtlab_disk_queue_info", "The I/O scheduler in use and those available.", G
};
static const struct rtlab_metric m_size = { "rtlab_disk_size_bytes", "Device size.", G };
static const struct rtlab_metric m_parts = { "rtlab_disk_partitions",
					     "Partitions of a whole disk.", G };

static const char *const kind_names[RTLAB_DISK_KIND__COUNT] = {
	[RTLAB_DISK_KIND_DISK] = "disk", [RTLAB_DISK_KIND_PARTITION] = "partition",
	[RTLAB_DISK_KIND_LOOP] = "loop", [RTLAB_DISK_KIND_DM] = "dm",
	[RTLAB_DISK_KIND_MD] = "md",	 [RTLAB_DISK_KIND_RAM] = "ram",
	[RTLAB_DISK_KIND_ZRAM] = "zram",
};

/* times - @v x @k, still an exact integer. */
static struct rtlab_mval times(struct rtlab_pu64 v, uint64_t k)
{
	v.v *= k;
	return mv_u64(v);
}

/* stat_value - a counter in the metric's unit. */
static struct rtlab_mval stat_value(struct rtlab_pu64 v, uint8_t conv)
{
	if (conv == MS_TO_SECONDS)
		return mv_scaled(v, 1e-3);
	return times(v, conv == SECTORS_TO_BYTES ? 512 : 1);
}

/* emit_info - rtlab_disk_info and rtlab_disk_queue_info of every device. */
static void emit_info(struct probe_emit *e, const struct rtlab_probe_disk *dk)
{
	for (size_t i = 0; i < dk->ndevs; i++) {
		const struct rtlab_disk_dev *dev = &dk->devs[i];
		char major[16], minor[16];

		snprintf(major, sizeof(major), "%" PRIu32, dev->major);
		snprintf(minor, sizeof(minor), "%" PRIu32, dev->minor);
		pe_emitl(
			e, &m_info, mv_one(RTLAB_PV_OK), { "device", dev->name },
			{ "kind", dev->kind < RTLAB_DISK_KIND__COUNT ? kind_names[dev->kind] : "" },
			{ "major", major }, { "minor", minor }, { "parent", dev->parent });
	}
	for (size_t i = 0; i < dk->ndevs; i++) {
		const struct rtlab_disk_dev *dev = &dk->devs[i];
		const struct rtlab_pu64 *rot = &dev->queue[RTLAB_DISK_Q_ROTATIONAL];

		pe_emitl(e, &m_queue_info, mv_one(dev->scheduler_st), { "device", dev->name },
			 { "rotational", rot->st != RTLAB_PV_OK ? "" : rot->v ? "1" : "0" },
			 { "scheduler", dev->scheduler }, { "schedulers", dev->schedulers });
	}
}

/* EMIT_PER_DEV - one sample of metric @m per device (named dev in @expr). */
#define EMIT_PER_DEV(e, dk, m, expr)                                                      \
	for (size_t i_ = 0; i_ < (dk)->ndevs; i_++) {                                     \
		const struct rtlab_disk_dev *dev = &(dk)->devs[i_];                       \
		pe_emitl((e), (m), (expr), { "device", dev->name });                      \
	}

/* disk_emit - counters, rates, sysfs attributes, info. */
void disk_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_disk *dk = &d->disk;

	for (size_t k = 0; k < sizeof(stat_metrics) / sizeof(stat_metrics[0]); k++)
		EMIT_PER_DEV(e, dk, &stat_metrics[k].m,
			     stat_value(dev->stat[stat_metrics[k].stat], stat_metrics[k].conv));
	for (size_t k = 0; k < sizeof(rate_metrics) / sizeof(rate_metrics[0]); k++)
		EMIT_PER_DEV(e, dk, &rate_metrics[k].m, mv_f64(dev->rate[rate_metrics[k].rate]));
	EMIT_PER_DEV(e, dk, &m_size, mv_u64(dev->size_bytes));
	EMIT_PER_DEV(e, dk, &m_parts, mv_u64(dev->partitions));
	for (size_t k = 0; k < sizeof(queue_metrics) / sizeof(queue_metrics[0]); k++)
		EMIT_PER_DEV(e, dk, &queue_metrics[k].m,
			     times(dev->queue[queue_metrics[k].q], queue_metrics[k].scale));
	emit_info(e, dk);
}
