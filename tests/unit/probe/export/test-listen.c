/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-listen.c - listen addresses: the accepted forms, the refused ones, formatting back. */
#include <netinet/in.h>

#include "../test-probe.h"

#include <criterion/parameterized.h>

struct good_case {
	char in[48];
	char out[48];	/* rtlab_sockaddr_format() of the result */
	bool any;
};

static struct good_case good_cases[] = {
	{ "127.0.0.1:9464", "127.0.0.1:9464", false },
	{ "localhost:1", "127.0.0.1:1", false },
	{ "0.0.0.0:0", "0.0.0.0:0", false },
	{ "10.1.2.3:65535", "10.1.2.3:65535", false },
	{ "127.0.0.1:009464", "127.0.0.1:9464", false },
	{ "[::1]:9464", "[::1]:9464", false },
	{ "[::]:80", "[::]:80", false },
	{ "[fe80::1:2]:8080", "[fe80::1:2]:8080", false },
	{ "[::ffff:127.0.0.1]:9", "[::ffff:127.0.0.1]:9", false },
	{ ":9464", "[::]:9464", true },
};

struct bad_case {
	char in[48];
};

static struct bad_case bad_cases[] = {
	{ "" }, { "9464" }, { "127.0.0.1" }, { "127.0.0.1:" }, { "127.0.0.1:65536" },
	{ "127.0.0.1:99999999999999999999" }, { "127.0.0.1:-1" }, { "127.0.0.1:+1" },
	{ "127.0.0.1:80 " }, { " 127.0.0.1:80" }, { "127.0.0.1:8a" }, { "::1:9464" },
	{ "[::1]9464" }, { "[::1]:" }, { "[]:1" }, { "[::1:1" }, { "[127.0.0.1]:80" },
	{ "1.2.3:80" }, { "256.0.0.1:1" }, { "host.example:80" }, { ":" }, { "::80" },
	{ "[::1]:80x" }, { "[::1]:80:" }, { "127.0.0.1:80:" }, { "[fe80::1%eth0]:80" },
};

ParameterizedTestParameters(listen_addr, good)
{
	return cr_make_param_array(struct good_case, good_cases,
				   sizeof(good_cases) / sizeof(good_cases[0]));
}

/* Accepted forms, formatted back in their canonical form. */
ParameterizedTest(struct good_case *c, listen_addr, good)
{
	struct rtlab_listen_addr a;
	char buf[64];

	cr_assert_eq(rtlab_listen_parse(c->in, &a), 0, "%s", c->in);
	cr_assert_eq(a.any, c->any);
	cr_assert_gt(rtlab_sockaddr_format((struct sockaddr *)&a.ss, a.len, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, c->out);
}

ParameterizedTestParameters(listen_addr, bad)
{
	return cr_make_param_array(struct bad_case, bad_cases,
				   sizeof(bad_cases) / sizeof(bad_cases[0]));
}

/* Refused forms. */
ParameterizedTest(struct bad_case *c, listen_addr, bad)
{
	struct rtlab_listen_addr a;

	cr_assert_eq(rtlab_listen_parse(c->in, &a), -EINVAL, "'%s' accepted", c->in);
}

/* NULL, and a host longer than any address. */
Test(listen_addr, null_and_long)
{
	struct rtlab_listen_addr a;
	char s[300];

	cr_assert_eq(rtlab_listen_parse(NULL, &a), -EINVAL);
	memset(s, '1', sizeof(s));
	strcpy(s + 250, ":80");
	cr_assert_eq(rtlab_listen_parse(s, &a), -EINVAL);
	s[0] = '[';
	strcpy(s + 250, "]:80");
	cr_assert_eq(rtlab_listen_parse(s, &a), -EINVAL);
}

/* Formatting: a buffer too small, a family it does not know. */
Test(listen_addr, format_limits)
{
	struct rtlab_listen_addr a;
	struct sockaddr sa = { .sa_family = AF_UNIX };
	char buf[8];

	cr_assert_eq(rtlab_listen_parse("127.0.0.1:9464", &a), 0);
	cr_assert_eq(rtlab_sockaddr_format((struct sockaddr *)&a.ss, a.len, buf, sizeof(buf)),
		     -ENOSPC);
	cr_assert_eq(rtlab_sockaddr_format(&sa, sizeof(sa), buf, sizeof(buf)), -EAFNOSUPPORT);
}
