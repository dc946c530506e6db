/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* facts.c - the machine facts of a run: kernel, preemption, CPU model, governor, cmdline. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rtlab/sysinfo.h>

#include "store/store-internal.h"

/* governor - cpu0's cpufreq governor, or "none" without cpufreq. */
static void governor(char *buf, size_t size)
{
	int fd = open("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor",
		      O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		snprintf(buf, size, "none");
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/* store_facts_bind - hostname, kernel, version, preempt, CPU model, ncpus, governor, cmdline. */
int store_facts_bind(sqlite3_stmt *stmt, int first)
{
	struct rtlab_sysinfo *si = calloc(1, sizeof(*si));
	struct rtlab_ctx *ctx = rtlab_ctx_new();
	char gov[64];
	int r = si && ctx ? rtlab_sysinfo_read(ctx, si) : -ENOMEM;

	rtlab_ctx_free(ctx);
	if (r < 0) {
		free(si);
		return r;
	}
	governor(gov, sizeof(gov));
	si->cmdline[strcspn(si->cmdline, "\n")] = '\0';
	sqlite3_bind_text(stmt, first, si->nodename, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, first + 1, si->release, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, first + 2, si->version, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, first + 3, rtlab_preempt_model_name(si->preempt), -1,
			  SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, first + 4, si->cpu_model, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, first + 5, si->nr_online);
	sqlite3_bind_text(stmt, first + 6, gov, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, first + 7, si->cmdline, -1, SQLITE_TRANSIENT);
	free(si);
	return 0;
}
