/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-format.h - the start of the event format the ftrace tests parse (id 42, common fields, comm). */
#ifndef RTLAB_TEST_FTRACE_FORMAT_H
#define RTLAB_TEST_FTRACE_FORMAT_H

/* The header and fields every test event has; each test adds its own fields after. */
#define TEST_FORMAT_HEAD                                                                   \
	"name: test_ev\n"                                                                  \
	"ID: 42\n"                                                                         \
	"format:\n"                                                                        \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"             \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"             \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"     \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"                         \
	"\n"                                                                               \
	"\tfield:char comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"                         \
	"\tfield:int val;\toffset:24;\tsize:4;\tsigned:1;\n"

#endif /* RTLAB_TEST_FTRACE_FORMAT_H */
