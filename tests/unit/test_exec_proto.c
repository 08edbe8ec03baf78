// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the host side of the execution protocol, against a peer in
 * this process (a socketpair), not a guest: a reply is parsed whole, and a
 * wait for a reply that never comes ends as soon as the caller gives up
 * (a full disk, Ctrl-C) rather than at the timeout; a peer that is gone
 * is an error, not a SIGPIPE that kills the campaign.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/exec_proto.h"
#include "lib/msg.h"

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void reply_is_parsed(void **state)
{
	static const char report[] = "{\"verdict\": \"findings\"}";
	unsigned char wl[3] = { 1, 2, 3 }, got[8 + 3];
	unsigned char msg[8 + EXEC_FEATURES + 4 + sizeof(report) - 1];
	struct exec_reply rep;
	int sv[2];

	(void)state;
	memcpy(msg, "LWRS", 4);
	put_le32(msg + 4, 1);
	for (int i = 0; i < EXEC_FEATURES; i++)
		msg[8 + i] = i;
	put_le32(msg + 8 + EXEC_FEATURES, sizeof(report) - 1);
	memcpy(msg + 12 + EXEC_FEATURES, report, sizeof(report) - 1);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* The whole reply is queued before the request: the socket holds it. */
	assert_int_equal(write(sv[1], msg, sizeof(msg)), (ssize_t)sizeof(msg));
	assert_int_equal(exec_request(sv[0], wl, sizeof(wl), &rep, 5), 0);
	assert_int_equal(read(sv[1], got, sizeof(got)), (ssize_t)sizeof(got));
	assert_memory_equal(got, "LWRQ\3\0\0\0\1\2\3", sizeof(got));
	assert_int_equal(rep.status, 1);
	assert_int_equal(rep.features[EXEC_FEATURES - 1], EXEC_FEATURES - 1);
	assert_string_equal(rep.report, report);
	free(rep.report);
	close(sv[0]);
	close(sv[1]);
}

static int give_up_on_second_ask(void *arg)
{
	int *asked = arg;

	return ++*asked >= 2;
}

static void waiting_ends_when_the_caller_gives_up(void **state)
{
	unsigned char wl[1] = { 0 };
	struct exec_reply rep;
	int sv[2], asked = 0;
	double t0 = lw_now();

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* Nobody answers: without give_up this would wait 600 s. */
	assert_int_equal(exec_request_until(sv[0], wl, sizeof(wl), &rep, 600,
					    give_up_on_second_ask, &asked),
			 -1);
	assert_int_equal(asked, 2);
	assert_true(lw_now() - t0 < 10);
	assert_null(rep.report);
	close(sv[0]);
	close(sv[1]);
}

static void a_short_reply_is_an_error(void **state)
{
	unsigned char wl[1] = { 0 };
	struct exec_reply rep;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], "LWRS\1\0", 6), 6);
	/* Still reading requests, but the reply ends after 6 bytes. */
	assert_int_equal(shutdown(sv[1], SHUT_WR), 0);
	assert_int_equal(exec_request(sv[0], wl, sizeof(wl), &rep, 5), -1);
	assert_null(rep.report);
	close(sv[0]);
	close(sv[1]);
}

static void a_gone_peer_is_an_error_not_sigpipe(void **state)
{
	unsigned char wl[1] = { 0 };
	struct exec_reply rep;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	assert_int_equal(exec_request(sv[0], wl, sizeof(wl), &rep, 5), -1);
	assert_int_equal(exec_quit(sv[0]), -1);
	close(sv[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reply_is_parsed),
		cmocka_unit_test(waiting_ends_when_the_caller_gives_up),
		cmocka_unit_test(a_short_reply_is_an_error),
		cmocka_unit_test(a_gone_peer_is_an_error_not_sigpipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
