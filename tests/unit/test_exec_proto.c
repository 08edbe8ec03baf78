// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: both ends of the execution protocol, one socketpair apart
 * in this process, not a guest: the feature bytes have the documented
 * layout; a reply is parsed whole, and a
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

static struct exec_features some_features(void)
{
	struct exec_features f = { .ok_codes = 0x80000001,
				   .err_codes = 0x12345678,
				   .checks = 5,
				   .points = 1,
				   .promises = 2,
				   .points_failed = 3,
				   .regular_extents = 15 };

	for (int i = 0; i < EXEC_OVERLAP_BYTES; i++)
		f.overlap[i] = i * 7;
	f.delays = 2;
	f.delays_fired = 1;
	f.cov_on = 1;
	for (unsigned int i = 0; i < COV_BYTES; i += 100)
		f.cov[i] = i;
	f.nsites[0] = 3;
	f.nshared[0] = 1;
	f.nsites[3] = EXEC_THREAD_SITES;
	f.sites[0][0] = 0xdeadbeef;
	f.sites[3][EXEC_THREAD_SITES - 1] = 42;
	return f;
}

/* The bytes on the wire are the documented layout, little-endian. */
static void features_pack_to_the_documented_bytes(void **state)
{
	struct exec_features f = some_features(), back;
	unsigned char b[EXEC_FEATURES];

	(void)state;
	exec_features_pack(&f, b);
	assert_memory_equal(b, "\x01\0\0\x80\x78\x56\x34\x12\5\0\0\0\1\2\3\x0f", 16);
	assert_int_equal(b[16 + 10], 70);
	/* Delays, coverage flag, then the edge bitmap. */
	assert_memory_equal(b + 16 + EXEC_OVERLAP_BYTES, "\2\1\1\0", 4);
	assert_int_equal(b[16 + EXEC_OVERLAP_BYTES + 4 + 300], 300 % 256);
	/* Per thread le16 sites, le16 race sites; then the ids by thread. */
	const unsigned char *ts = b + 16 + EXEC_OVERLAP_BYTES + 4 + COV_BYTES;

	assert_memory_equal(ts, "\3\0\1\0\0\0\0\0\0\0\0\0\0\1\0\0", 16);
	assert_memory_equal(ts + 16, "\xef\xbe\xad\xde", 4);
	assert_int_equal(ts[16 + 4 * (4 * EXEC_THREAD_SITES - 1)], 42);
	assert_int_equal(EXEC_FEATURES, sizeof(f));
	exec_features_unpack(b, &back);
	assert_memory_equal(&back, &f, sizeof(f));
	assert_int_equal(exec_bucket(0), 0);
	assert_int_equal(exec_bucket(1), 1);
	assert_int_equal(exec_bucket(5), 3);
	assert_int_equal(exec_bucket(~0ul), 15);
}

/* The guest's end and the host's end, one socket apart. */
static void reply_is_parsed(void **state)
{
	static const char report[] = "{\"verdict\": \"corrupt\"}";
	unsigned char wl[3] = { 1, 2, 3 }, got[16];
	struct exec_features f = some_features();
	struct exec_reply rep;
	size_t len = 0;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* The whole reply is queued before the request: the socket holds it. */
	assert_int_equal(exec_serve_reply(sv[1], 1, &f, report,
					  sizeof(report) - 1),
			 0);
	assert_int_equal(exec_request(sv[0], wl, sizeof(wl), &rep, 5), 0);
	assert_int_equal(exec_serve_next(sv[1], got, sizeof(got), &len), 1);
	assert_int_equal(len, 3);
	assert_memory_equal(got, wl, 3);
	assert_int_equal(rep.status, 1);
	assert_memory_equal(&rep.features, &f, sizeof(f));
	assert_string_equal(rep.report, report);
	free(rep.report);
	/* Stop serving: a zero-length request. */
	assert_int_equal(exec_quit(sv[0]), 0);
	assert_int_equal(exec_serve_next(sv[1], got, sizeof(got), &len), 0);
	close(sv[0]);
	close(sv[1]);
}

/* A request larger than the guest takes, or a wrong header, is refused. */
static void the_guest_refuses_a_broken_request(void **state)
{
	unsigned char wl[32] = { 0 }, got[16];
	size_t len;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(exec_serve_ready(sv[1]), 0);
	assert_int_equal(exec_wait_ready(sv[0], 5), 0);
	assert_int_equal(write(sv[0], "LWRQ\x20\0\0\0", 8), 8);
	assert_int_equal(write(sv[0], wl, sizeof(wl)), (ssize_t)sizeof(wl));
	assert_int_equal(exec_serve_next(sv[1], got, sizeof(got), &len), -1);
	assert_int_equal(write(sv[0], "XXXX\1\0\0\0", 8), 8);
	assert_int_equal(exec_serve_next(sv[1], got, sizeof(got), &len), -1);
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
		cmocka_unit_test(features_pack_to_the_documented_bytes),
		cmocka_unit_test(reply_is_parsed),
		cmocka_unit_test(the_guest_refuses_a_broken_request),
		cmocka_unit_test(waiting_ends_when_the_caller_gives_up),
		cmocka_unit_test(a_short_reply_is_an_error),
		cmocka_unit_test(a_gone_peer_is_an_error_not_sigpipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
