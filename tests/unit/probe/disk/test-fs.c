/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-fs.c - the fs family: statvfs inline for local file systems, on the
 * workers for network ones, a hung mount that never blocks a collection
 * (with a fake statvfs that hangs), metrics, damaged input, no allocation.
 */
#include <pthread.h>
#include <sys/statvfs.h>

#include "../test-probe.h"

#include "alloc-count.h"
#include "disk/disk-internal.h"

#define MS 1000000ull

/* A statvfs that hangs for paths containing "/mnt/hang" until released. */
struct fake {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t collector;
	bool release;
	int hung_calls;
	int returned;
	int inline_calls;
	int thread_calls;
	int over_calls;		/* for /mnt/over, a point with a hidden mount under the top one */
};

/* Criterion runs each test in its own process: a file-scope fake outlives the workers' calls. */
static struct fake fake = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER };

/* fake_statvfs - numbers for every path; hangs for /mnt/hang* until released (10 s at most). */
static int fake_statvfs(void *arg, const char *path, struct statvfs *st)
{
	struct fake *f = arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&f->lock);
	if (pthread_equal(pthread_self(), f->collector))
		f->inline_calls++;
	else
		f->thread_calls++;
	f->over_calls += strstr(path, "/mnt/over") != NULL;
	if (strstr(path, "/mnt/hang")) {
		f->hung_calls++;
		while (!f->release && pthread_cond_timedwait(&f->cond, &f->lock, &until) == 0)
			;
		f->returned++;
	}
	pthread_mutex_unlock(&f->lock);
	memset(st, 0, sizeof(*st));
	st->f_bsize = 4096;
	st->f_frsize = 4096;
	st->f_blocks = 1000;
	st->f_bfree = 400;
	st->f_bavail = 300;
	st->f_files = 100;
	st->f_ffree = 60;
	st->f_namemax = 255;
	return 0;
}

/* fake_release - let the hung calls return, and wait until @n of them did. */
static void fake_release(int n)
{
	pthread_mutex_lock(&fake.lock);
	fake.release = true;
	pthread_cond_broadcast(&fake.cond);
	pthread_mutex_unlock(&fake.lock);
	for (int i = 0; i < 2000; i++) {
		pthread_mutex_lock(&fake.lock);
		bool all = fake.returned >= n;
		pthread_mutex_unlock(&fake.lock);
		if (all)
			return;
		usleep(1000);
	}
	cr_assert_fail("hung calls did not return");
}

/* The fs family driven by hand, so the test can replace statvfs in its state. */
struct fam_run {
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	void *state;
};

/* run_open - the fs family below @root, statvfs replaced by the fake. */
static void run_open(struct fam_run *fr, const char *root, uint64_t timeout_ns)
{
	struct rtlab_probe_opts o = { .statvfs_timeout_ns = timeout_ns };

	fr->p = probe_at(root, &o);
	fr->d = rtlab_probe_data_new();
	cr_assert_eq(probe_fam_fs.open(fr->p, &fr->state), 0);
	fake.collector = pthread_self();
	fs_set_statvfs(fr->state, fake_statvfs, &fake);
}

/* run - one collection; returns how long it took, in ns. */
static uint64_t run(struct fam_run *fr)
{
	uint64_t t0 = rtlab_now_ns();
	struct probe_cx cx = { .p = fr->p, .d = fr->d, .fam = RTLAB_PF_FS, .now_ns = t0 };

	fr->d->why[RTLAB_PF_FS][0] = '\0';
	cr_assert_eq(probe_fam_fs.collect(&cx, fr->state), 0);
	return rtlab_now_ns() - t0;
}

/* run_close - close (hung workers let go later) and free. */
static void run_close(struct fam_run *fr)
{
	probe_fam_fs.close(fr->state);
	rtlab_probe_free(fr->p);
	rtlab_probe_data_free(fr->d);
}

/* mount_at - the visible mount at mount point @mp. */
static const struct rtlab_fs_mount *mount_at(const struct rtlab_probe_data *d, const char *mp)
{
	for (size_t i = 0; i < d->fs.nmounts; i++)
		if (!d->fs.mounts[i].hidden && strcmp(d->fs.mounts[i].mount_point, mp) == 0)
			return &d->fs.mounts[i];
	cr_assert_fail("no mount at %s", mp);
	return NULL;
}

static const char hang_tree[] = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
				"2 1 0:40 / /mnt/hang rw - nfs srv:/a rw,vers=3\n"
				"3 1 0:41 / /mnt/nfs2 rw - nfs4 srv:/b rw\n"
				"4 1 0:42 / /mnt/cifs rw - cifs //nas/c rw\n"
				"5 1 0:43 / /home/u/sshfs rw - fuse.sshfs u@h:/ rw\n";

/*
 * A hung nfs mount: the collection returns within the timeout plus a margin
 * (300 ms: thread wake-ups on a loaded CI machine, ASan), the mount is
 * TIMEOUT, the others answer; the next collection does not ask it again and
 * does not wait; once it answers it is asked again.
 */
Test(fs, hung_network_mount_never_blocks)
{
	const uint64_t timeout = 200 * MS;
	struct fam_run fr;
	char root[PATH_MAX];
	const struct rtlab_fs_mount *m;
	uint64_t took;

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/self/mountinfo", hang_tree);
	run_open(&fr, root, timeout);

	took = run(&fr);
	cr_assert_lt(took, timeout + 300 * MS, "took %llu ms", (unsigned long long)(took / MS));
	cr_assert_geq(took, timeout - 50 * MS, "the answers were waited for");
	m = mount_at(fr.d, "/mnt/hang");
	cr_assert_eq(m->size_bytes.st, RTLAB_PV_TIMEOUT);
	cr_assert_eq(m->error, -ETIMEDOUT);
	cr_assert(strstr(fr.d->why[RTLAB_PF_FS], "/mnt/hang"), "%s", fr.d->why[RTLAB_PF_FS]);
	for (int i = 0; i < 3; i++) {
		static const char *const ok[] = { "/mnt/nfs2", "/mnt/cifs", "/home/u/sshfs" };

		m = mount_at(fr.d, ok[i]);
		cr_assert_eq(m->size_bytes.st, RTLAB_PV_OK, "%s", ok[i]);
		cr_assert_eq(m->size_bytes.v, 4096000, "%s", ok[i]);
	}
	cr_assert_eq(mount_at(fr.d, "/")->avail_bytes.v, 300 * 4096);
	cr_assert_eq(mount_at(fr.d, "/")->used_bytes.v, 600 * 4096);
	cr_assert_eq(fake.inline_calls, 1, "only the local mount on the collecting thread");
	cr_assert_eq(fake.thread_calls, 4);

	took = run(&fr);
	cr_assert_lt(took, timeout, "a stuck mount is not waited for again");
	cr_assert_eq(fake.hung_calls, 1, "not asked again while stuck");
	cr_assert_eq(mount_at(fr.d, "/mnt/hang")->size_bytes.st, RTLAB_PV_TIMEOUT);
	cr_assert(strstr(fr.d->why[RTLAB_PF_FS], "still hung"), "%s", fr.d->why[RTLAB_PF_FS]);
	cr_assert_eq(mount_at(fr.d, "/mnt/cifs")->size_bytes.st, RTLAB_PV_OK);

	fake_release(1);
	run(&fr);
	cr_assert_eq(fake.hung_calls, 2, "asked again once it answered");
	cr_assert_eq(mount_at(fr.d, "/mnt/hang")->size_bytes.st, RTLAB_PV_OK);
	run_close(&fr);
	tree_free(root);
}

/* Every worker hung (and one mount more): still bounded, and then not waited for at all. */
Test(fs, all_workers_hung)
{
	const uint64_t timeout = 100 * MS;
	struct fam_run fr;
	char root[PATH_MAX], text[1024] = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n";
	uint64_t took;

	for (int i = 0; i < 6; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "%d 1 0:%d / /mnt/hang%d rw - nfs4 srv:/%d rw\n", i + 2, 40 + i, i, i);
	tree_new(root, sizeof(root));
	tree_put(root, "/proc/self/mountinfo", text);
	run_open(&fr, root, timeout);
	took = run(&fr);
	cr_assert_lt(took, timeout + 300 * MS, "took %llu ms", (unsigned long long)(took / MS));
	for (int i = 0; i < 6; i++) {
		char mp[32];

		snprintf(mp, sizeof(mp), "/mnt/hang%d", i);
		cr_assert_eq(mount_at(fr.d, mp)->size_bytes.st, RTLAB_PV_TIMEOUT, "%s", mp);
	}
	cr_assert_eq(mount_at(fr.d, "/")->size_bytes.st, RTLAB_PV_OK);
	took = run(&fr);
	cr_assert_lt(took, timeout, "no worker can start: no wait");
	fake_release(fake.hung_calls);
	run_close(&fr);
	tree_free(root);
}

/* The raid tree: who is asked, and how: hidden and autofs mounts are not. */
Test(fs, fixture_mounts)
{
	struct fam_run fr;
	char root[PATH_MAX];
	const struct rtlab_fs_mount *m;
	size_t hidden = 0;

	run_open(&fr, fixture_root("raid", root, sizeof(root)), 200 * MS);
	run(&fr);
	cr_assert_eq(fr.d->fs.nmounts, 20);
	cr_assert_eq(fake.over_calls, 1, "one statvfs for /mnt/over: the top mount's");
	for (size_t i = 0; i < fr.d->fs.nmounts; i++) {
		m = &fr.d->fs.mounts[i];
		if (m->hidden) {
			hidden++;
			cr_assert_eq(m->size_bytes.st, RTLAB_PV_ABSENT);
		}
	}
	cr_assert_eq(hidden, 1);
	m = mount_at(fr.d, "/proc/sys/fs/binfmt_misc");
	cr_assert_eq(m->size_bytes.st, RTLAB_PV_UNSUPPORTED, "autofs is never statvfs'ed");
	cr_assert_eq(mount_at(fr.d, "/data/new\nline\ttab")->files.v, 100);
	cr_assert_eq(mount_at(fr.d, "/mnt/nfs")->files_free.v, 60);
	cr_assert_eq(fake.inline_calls + fake.thread_calls, 18);
	cr_assert_eq(fake.thread_calls, 3, "nfs4, cifs, fuse.sshfs");
	run_close(&fr);
}

struct fs_seen {
	unsigned size, error_on, info, proc_in_node;
	bool decoded, hang_timeout;
};

/* fs_sample - what the metrics test checks. */
static int fs_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
		     size_t nl, const struct rtlab_mval *v)
{
	struct fs_seen *s = arg;
	bool node = strncmp(m->name, "node_filesystem_", 16) == 0;

	if (node) {
		cr_assert_eq(nl, 3);
		cr_assert_str_eq(l[0].name, "device");
		cr_assert_str_eq(l[1].name, "fstype");
		cr_assert_str_eq(l[2].name, "mountpoint");
		s->proc_in_node += strcmp(l[1].value, "proc") == 0;
	}
	if (strcmp(m->name, "node_filesystem_size_bytes") == 0) {
		s->size++;
		s->decoded |= strcmp(l[2].value, "/data/with space") == 0;
		if (strcmp(l[2].value, "/mnt/hang") == 0)
			s->hang_timeout = v->st == RTLAB_PV_TIMEOUT;
	}
	if (strcmp(m->name, "node_filesystem_device_error") == 0 && v->u == 1)
		s->error_on++;
	if (strcmp(m->name, "rtlab_filesystem_mount_info") == 0)
		s->info++;
	return 0;
}

/* Metrics: node_exporter's labels, exclusions, unavailable values and device_error. */
Test(fs, metrics)
{
	struct fam_run fr;
	char root[PATH_MAX], text[4096];
	size_t len;
	char *mi = fixture_load("raid", "/proc/self/mountinfo", &len);
	struct fs_seen seen = { 0 };
	struct rtlab_probe_sink sink = { .arg = &seen, .sample = fs_sample };

	snprintf(text, sizeof(text), "%s90 26 0:90 / /mnt/hang rw - nfs srv:/h rw\n", mi);
	free(mi);
	tree_new(root, sizeof(root));
	tree_put(root, "/proc/self/mountinfo", text);
	run_open(&fr, root, 50 * MS);
	run(&fr);
	fr.d->t_ns[RTLAB_PF_FS] = 1;
	cr_assert_eq(rtlab_probe_emit(fr.d, RTLAB_PF_BIT(RTLAB_PF_FS), &sink), 0);
	/* 21 mounts: 6 of excluded types (proc sysfs devtmpfs cgroup2 autofs squashfs), 1 hidden */
	cr_assert_eq(seen.size, 14);
	cr_assert_eq(seen.proc_in_node, 0);
	cr_assert(seen.decoded);
	cr_assert(seen.hang_timeout, "the hung mount's size travels as TIMEOUT");
	cr_assert_eq(seen.error_on, 1);
	cr_assert_eq(seen.info, 21, "every mount is in the info metric");
	fake_release(1);
	run_close(&fr);
	tree_free(root);
}

/* Damaged input: no mountinfo, a malformed line, a mount point that is not absolute. */
Test(fs, damaged_input)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_FS), d), 0);
	cr_assert_eq(d->err[RTLAB_PF_FS], -ENOENT);
	cr_assert(strstr(d->why[RTLAB_PF_FS], "/proc/self/mountinfo"), "%s", d->why[RTLAB_PF_FS]);
	rtlab_probe_free(p);

	tree_put(root, "/proc/self/mountinfo", "1 0 8:1 / / rw - ext4 /dev/sda1 rw\nbad line\n"
					       "3 1 8:3 / ../../etc rw - ext4 /dev/sda3 rw\n");
	rtlab_probe_data_free(d);	/* a slow family: new data, not a TTL cache hit */
	d = rtlab_probe_data_new();
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_FS), d), 0);
	cr_assert(strstr(d->why[RTLAB_PF_FS], "/proc/self/mountinfo:2"), "%s", d->why[RTLAB_PF_FS]);
	cr_assert_eq(d->fs.nmounts, 2);
	cr_assert_eq(d->fs.mounts[1].size_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->fs.mounts[0].size_bytes.st, RTLAB_PV_OK, "%s: the tree's own statvfs",
		     root);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Once warm, a collection allocates nothing, network mounts on the workers included. */
Test(fs, no_allocation_when_warm)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d;
	char root[PATH_MAX];
	unsigned long n;

	if (!ALLOC_COUNTING)
		cr_skip_test("malloc is AddressSanitizer's: counted in the plain build");
	d = rtlab_probe_data_new();
	p = probe_at(fixture_root("raid", root, sizeof(root)), &(struct rtlab_probe_opts){
			     .ttl_slow_ns = 1 });
	n = alloc_in_collections(p, RTLAB_PF_BIT(RTLAB_PF_FS), d);
	cr_assert_eq(n, 0, "%lu allocations", n);
	cr_assert_eq(d->fs.nmounts, 20);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}
