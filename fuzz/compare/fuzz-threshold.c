/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-threshold.c - threshold specs (--threshold): any input is refused with
 * a message or parsed, and what is parsed formats to a text that parses back
 * to the same text.
 */
#include <stdlib.h>
#include <string.h>

#include <rtlab/compare.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* canonical - parse @s and format it into @buf; 0 or the parser's -errno. */
static int canonical(const char *s, char *buf, size_t bufsize)
{
	struct rtlab_thresholds *th = NULL;
	char err[512];
	int r = rtlab_thresholds_parse(s, &th, err, sizeof(err));

	if (r == 0 && rtlab_thresholds_format(th, buf, bufsize) < 0)
		abort();
	if (r < 0 && (th || !err[0]))
		abort();
	rtlab_thresholds_free(th);
	return r;
}

/* LLVMFuzzerTestOneInput - one input as a spec: refused cleanly, or stable once formatted. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *once = malloc(4 * size + 256), *twice = malloc(4 * size + 256);

	if (s && once && twice) {
		memcpy(s, data, size);
		s[size] = '\0';
		if (canonical(s, once, 4 * size + 256) == 0 &&
		    (canonical(once, twice, 4 * size + 256) != 0 || strcmp(once, twice) != 0))
			abort();
	}
	free(s);
	free(once);
	free(twice);
	return 0;
}
