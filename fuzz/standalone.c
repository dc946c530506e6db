/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * standalone.c - run a libFuzzer target without libFuzzer, for the test suite.
 *
 *	fuzz-NAME [--iterations N] [--seed S] [--tap FILE] CORPUS_FILE...
 *
 * Each corpus file is fed as it is, then N mutations of the corpus (bit flips,
 * byte overwrites with digits, separators and extremes, truncations, cut and
 * duplicated ranges, inserted NULs) from a fixed seed, so a failure is
 * reproducible.  Crashes are caught by the sanitizers; a clean run writes one
 * TAP "ok" line.  With clang, the same target links with -fsanitize=fuzzer.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	uint8_t *data;
	size_t size;
};

/* next - xorshift64* step. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* load - a whole file, or exit 2 naming it. */
static struct input load(const char *path)
{
	struct input in = { 0 };
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	rewind(f);
	in.size = (size_t)n;
	in.data = malloc(in.size + 1);
	if (!in.data || fread(in.data, 1, in.size, f) != in.size) {
		fprintf(stderr, "fuzz: %s: cannot read\n", path);
		exit(2);
	}
	fclose(f);
	return in;
}

/* mutate - one mutated copy of @src into @dst (capacity @cap); returns its size. */
static size_t mutate(const struct input *src, uint8_t *dst, size_t cap, uint64_t *seed)
{
	static const uint8_t specials[] = { '0', '9', ' ', '\n', '\t', ':', '/', '-', '.', '=',
					    0x00, 0xff, 0x7f, '#', '(' };
	size_t size = src->size < cap ? src->size : cap;
	unsigned rounds = 1 + (unsigned)(next(seed) % 8);

	memcpy(dst, src->data, size);
	for (unsigned i = 0; i < rounds && size > 0; i++) {
		size_t at = (size_t)(next(seed) % size);
		size_t len = 1 + (size_t)(next(seed) % 32);

		switch (next(seed) % 6) {
		case 0:
			dst[at] ^= (uint8_t)(1u << (next(seed) % 8));
			break;
		case 1:
			dst[at] = specials[next(seed) % sizeof(specials)];
			break;
		case 2:
			size = at;
			break;
		case 3:
			if (at + len > size)
				len = size - at;
			memmove(dst + at, dst + at + len, size - at - len);
			size -= len;
			break;
		case 4:
			if (at + len > size)
				len = size - at;
			if (size + len <= cap) {
				memmove(dst + at + len, dst + at, size - at);
				size += len;
			}
			break;
		default:
			for (size_t k = 0; k < len && at + k < size; k++)
				dst[at + k] = (uint8_t)('0' + next(seed) % 10);
			break;
		}
	}
	return size;
}

int main(int argc, char **argv)
{
	unsigned long iterations = 20000;
	uint64_t seed = 0x9e3779b97f4a7c15;
	const char *tap = NULL, *name = argv[0];
	struct input *corpus;
	size_t ncorpus = 0, maxsize = 0;
	uint8_t *buf;
	FILE *f;
	int i;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (i + 1 >= argc) {
			fprintf(stderr, "fuzz: %s needs a value\n", argv[i]);
			return 2;
		}
		if (strcmp(argv[i], "--iterations") == 0)
			iterations = strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--seed") == 0)
			seed = strtoull(argv[i + 1], NULL, 0) | 1;
		else if (strcmp(argv[i], "--tap") == 0)
			tap = argv[i + 1];
		else {
			fprintf(stderr, "fuzz: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s [--iterations N] [--seed S] [--tap FILE] CORPUS...\n",
			name);
		return 2;
	}
	corpus = calloc((size_t)(argc - i), sizeof(*corpus));
	if (!corpus)
		return 1;
	for (; i < argc; i++) {
		corpus[ncorpus] = load(argv[i]);
		LLVMFuzzerTestOneInput(corpus[ncorpus].data, corpus[ncorpus].size);
		if (corpus[ncorpus].size > maxsize)
			maxsize = corpus[ncorpus].size;
		ncorpus++;
	}
	buf = malloc(maxsize * 2 + 64);
	if (!buf)
		return 1;
	for (unsigned long it = 0; it < iterations; it++) {
		const struct input *src = &corpus[next(&seed) % ncorpus];
		size_t n = mutate(src, buf, maxsize * 2 + 64, &seed);
		/* An exact-size copy, so that reading one byte too far is caught. */
		uint8_t *exact = malloc(n ? n : 1);

		if (!exact)
			return 1;
		memcpy(exact, buf, n);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	if (tap) {
		f = fopen(tap, "w");
		if (!f) {
			fprintf(stderr, "fuzz: %s: %s\n", tap, strerror(errno));
			return 1;
		}
		fprintf(f, "TAP version 13\n1..1\nok 1 - fuzz::%s: %zu corpus files, %lu mutations\n",
			strrchr(name, '/') ? strrchr(name, '/') + 1 : name, ncorpus, iterations);
		fclose(f);
	}
	for (size_t k = 0; k < ncorpus; k++)
		free(corpus[k].data);
	free(corpus);
	free(buf);
	return 0;
}
