/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-cgroup.c - /proc/self/cgroup, the cgroup mounts of mountinfo, and joining them. */
#include <stdint.h>
#include <stdlib.h>

#include "env/env-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input through every parser of this target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cg_self self;
	static struct cg_mounts mounts;
	char dir[CG_PATH_LEN];
	unsigned bad = 0;

	cg_self_parse((const char *)data, size, &self, &bad);
	cg_mounts_parse((const char *)data, size, &mounts, &bad);
	if (mounts.v2.found && self.v2)
		cg_join(&mounts.v2, self.v2_path, dir, sizeof(dir));
	for (unsigned c = 0; c < RTLAB_CGROUP__COUNT; c++)
		if (mounts.v1[c].found && self.v1[c])
			cg_join(&mounts.v1[c], self.v1_path[c], dir, sizeof(dir));
	return 0;
}
