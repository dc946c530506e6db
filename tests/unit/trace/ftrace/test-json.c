/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-json.c - an event's fields as JSON, from a format parsed by libtraceevent. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <traceevent/event-parse.h>

#include "ftrace/ftrace-internal.h"
#include "test-format.h"

static const char format[] =
	TEST_FORMAT_HEAD
	"\tfield:unsigned long big;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long args[2];\toffset:40;\tsize:16;\tsigned:0;\n"
	"\tfield:__data_loc char[] name;\toffset:56;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: \"comm=%s val=%d\", REC->comm, REC->val\n";

/* make_record - a record of test_ev with @comm and the other fields fixed. */
static void make_record(unsigned char *data, const char *comm, size_t comm_len,
			struct tep_record *rec)
{
	uint16_t type = 42;
	int32_t pid = 77, val = -5;
	uint64_t big = UINT64_MAX, args[2] = { 1, 2 };
	uint32_t loc = (5u << 16) | 60u;

	memset(data, 0, 72);
	memcpy(data, &type, 2);
	memcpy(data + 4, &pid, 4);
	memcpy(data + 8, comm, comm_len);
	memcpy(data + 24, &val, 4);
	memcpy(data + 32, &big, 8);
	memcpy(data + 40, args, 16);
	memcpy(data + 56, &loc, 4);
	memcpy(data + 60, "eth0", 5);
	*rec = (struct tep_record){ .data = data, .size = 72, .cpu = 1, .ts = 1000 };
}

/* parse_format - a tep handle knowing test_ev. */
static struct tep_handle *parse_format(struct tep_event **ret)
{
	struct tep_handle *tep = tep_alloc();

	cr_assert_not_null(tep);
	tep_set_long_size(tep, 8);
	cr_assert_eq(tep_parse_event(tep, format, sizeof(format) - 1, "test"), TEP_ERRNO__SUCCESS);
	*ret = tep_find_event_by_name(tep, "test", "test_ev");
	cr_assert_not_null(*ret);
	return tep;
}

Test(ftrace_json, fields_by_name)
{
	unsigned char data[72];
	struct tep_record rec;
	struct tep_event *ev;
	struct tep_handle *tep = parse_format(&ev);
	struct ftrace_buf b = { 0 };

	make_record(data, "kworker/0:1", 11, &rec);
	cr_assert_eq(ftrace_fields_json(&b, ev, &rec), 0);
	cr_assert_str_eq(b.p, "{\"comm\":\"kworker/0:1\",\"val\":-5,"
			 "\"big\":\"18446744073709551615\",\"args\":[1,2],\"name\":\"eth0\"}");
	cr_assert_eq(b.len, strlen(b.p));
	/* The buffer is reused: a second event replaces the first. */
	make_record(data, "x", 1, &rec);
	cr_assert_eq(ftrace_fields_json(&b, ev, &rec), 0);
	cr_assert(!strncmp(b.p, "{\"comm\":\"x\",", 12), "%s", b.p);
	ftrace_buf_free(&b);
	cr_assert_eq(tep_data_pid(tep, &rec), 77);
	tep_free(tep);
}

Test(ftrace_json, bytes_that_are_not_utf8)
{
	unsigned char data[72];
	struct tep_record rec;
	struct tep_event *ev;
	struct tep_handle *tep = parse_format(&ev);
	struct ftrace_buf b = { 0 };

	make_record(data, "a\xff\x1b[2J", 6, &rec);
	cr_assert_eq(ftrace_fields_json(&b, ev, &rec), 0);
	cr_assert(strstr(b.p, "\"comm\":\"a\\\\xff\\\\x1b[2J\""), "%s", b.p);
	ftrace_buf_free(&b);
	tep_free(tep);
}

Test(ftrace_json, dynamic_field_out_of_record)
{
	unsigned char data[72];
	struct tep_record rec;
	struct tep_event *ev;
	struct tep_handle *tep = parse_format(&ev);
	uint32_t loc = (200u << 16) | 60u;
	struct ftrace_buf b = { 0 };

	make_record(data, "x", 1, &rec);
	memcpy(data + 56, &loc, 4);
	cr_assert_eq(ftrace_fields_json(&b, ev, &rec), 0);
	cr_assert(strstr(b.p, "\"name\":null"), "%s", b.p);
	ftrace_buf_free(&b);
	tep_free(tep);
}

/* next_byte - a byte of a fixed pseudo-random sequence, biased to what needs escaping. */
static unsigned char next_byte(uint32_t *state)
{
	static const unsigned char pick[] = { 'a', '"', '\\', '/', 0x01, 0x08, 0x09, 0x0a, 0x0c,
					      0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0xbf, 0xc2, 0xc0,
					      0xe0, 0xed, 0xa0, 0xf0, 0xf4, 0x90, 0xf5, 0xff };

	*state = *state * 1103515245u + 12345u;
	return pick[(*state >> 16) % sizeof(pick)];
}

Test(ftrace_json, strings_escaped_as_jansson_escapes_them)
{
	unsigned char data[72];
	struct ftrace_buf b = { 0 };
	struct tep_record rec;
	struct tep_event *ev;
	struct tep_handle *tep = parse_format(&ev);
	uint32_t state = 1;
	int utf8 = 0;

	for (int i = 0; i < 20000; i++) {
		char comm[16] = "";
		size_t n = 1 + (size_t)i % 15;
		json_t *j;

		for (size_t k = 0; k < n; k++)
			comm[k] = (char)next_byte(&state);
		make_record(data, comm, n, &rec);
		cr_assert_eq(ftrace_fields_json(&b, ev, &rec), 0);
		j = json_stringn(comm, strnlen(comm, n));
		if (j) {
			char *want = json_dumps(j, JSON_ENCODE_ANY);

			cr_assert(!strncmp(b.p + 8, want, strlen(want)) &&
				  b.p[8 + strlen(want)] == ',', "%s vs %s", b.p, want);
			free(want);
			json_decref(j);
			utf8++;
		} else {
			cr_assert(strstr(b.p, "\\\\x"), "not UTF-8, not escaped: %s", b.p);
		}
		j = json_loads(b.p, 0, NULL);
		cr_assert_not_null(j, "not JSON: %s", b.p);
		json_decref(j);
	}
	cr_assert_gt(utf8, 1000);
	ftrace_buf_free(&b);
	tep_free(tep);
}
