// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the workload language. Parser errors name their line; text,
 * binary and back are lossless; every byte string with the header decodes
 * to a valid workload (a property test over random inputs); the data
 * pattern is reproducible and position-dependent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lib/workload.h"

static const char seed_race[] = "# the seed race\n"
				"thread\n"
				"\topen f0 creat\n"
				"\tfallocate f0 0 1M\n"
				"\tfsync f0\n"
				"\tpwrite f0 0 4K direct seed=1\n"
				"\tfsync f0\n"
				"\ttouch f0\n"
				"\tbarrier 1\n"
				"\tpwrite f0 512K 64K direct seed=2\n"
				"thread\n"
				"\tbarrier 1\n"
				"\tsleep 100ms\n"
				"\tfsync f0\n";

static void parses_the_seed(void **state)
{
	struct workload w;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(seed_race, &w, why, sizeof(why)), 0);
	assert_int_equal(w.nthreads, 2);
	assert_int_equal(w.threads[0].nops, 8);
	assert_int_equal(w.threads[1].nops, 3);
	struct wl_op *op = &w.threads[0].ops[7];

	assert_int_equal(op->code, WL_PWRITE);
	assert_int_equal(op->off, 512 * 1024);
	assert_int_equal(op->len, 64 * 1024);
	assert_int_equal(op->flags, IO_DIRECT);
	assert_int_equal(op->arg, 2);
	assert_int_equal(w.threads[0].line[7], 10);
	assert_int_equal(w.threads[1].ops[1].arg, 100);
}

static void expect_error(const char *text, const char *needle)
{
	struct workload w;
	char why[256];

	assert_int_equal(wl_parse_text(text, &w, why, sizeof(why)), -1);
	if (!strstr(why, needle))
		fail_msg("error '%s' lacks '%s'", why, needle);
}

static void errors_name_the_line(void **state)
{
	(void)state;
	expect_error("open f0 creat\nfrobnicate f0\n",
		     "line 2: unknown operation 'frobnicate'");
	expect_error(
		"\n\npwrite f0 1 4K direct\n",
		"line 3: pwrite: direct IO needs offset and length multiples of 4096");
	expect_error("pwrite f0 1G 4K\n", "line 1: pwrite: offset beyond");
	expect_error("pwrite f0 0 8M\n", "line 1: pwrite: length beyond");
	expect_error("pwrite x0 0 4K\n", "line 1: pwrite: expected a slot");
	expect_error("pwrite f0 0 4Q\n", "line 1: pwrite: expected a length");
	expect_error("pwrite f9 0 4K\n", "line 1: pwrite: no such file slot");
	expect_error("fsync f0 extra\n", "line 1: unexpected 'extra'");
	expect_error("sleep 5000\n", "line 1: sleep: sleep beyond");
	expect_error("pwrite f0 0 0\n", "line 1: pwrite: length 0");
	expect_error("thread\nthread\nthread\nthread\nthread\n",
		     "line 5: more than 4 threads");
}

static void text_binary_text(void **state)
{
	struct workload a, b, c;
	unsigned char bin[WL_BIN_MAX];
	char why[256], *text;
	size_t n;

	(void)state;
	assert_int_equal(wl_parse_text(seed_race, &a, why, sizeof(why)), 0);
	n = wl_encode(&a, bin, sizeof(bin));
	assert_true(n > 4);
	assert_int_equal(wl_decode(bin, n, &b), 0);
	assert_true(wl_equal(&a, &b));
	text = wl_format_text(&b);
	assert_int_equal(wl_parse_text(text, &c, why, sizeof(why)), 0);
	assert_true(wl_equal(&a, &c));
	free(text);
}

static void random_bytes_decode_to_valid_workloads(void **state)
{
	unsigned char buf[WL_BIN_MAX], again[WL_BIN_MAX];
	struct workload w, v, u;
	char why[256], *text;

	(void)state;
	srand(12345);
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = 4 + rand() % (WL_BIN_MAX - 4);

		for (size_t i = 0; i < len; i++)
			buf[i] = rand();
		buf[0] = 'L';
		buf[1] = 'W';
		buf[2] = 1;
		assert_int_equal(wl_decode(buf, len, &w), 0);
		if (wl_validate(&w, why, sizeof(why)))
			fail_msg("iteration %d decodes invalid: %s", iter, why);
		/* Canonical: re-encoding gives the same program... */
		size_t n = wl_encode(&w, again, sizeof(again));

		assert_int_equal(wl_decode(again, n, &v), 0);
		assert_true(wl_equal(&w, &v));
		/* ...and so does its text form. */
		text = wl_format_text(&w);
		if (wl_parse_text(text, &u, why, sizeof(why)))
			fail_msg("iteration %d: text does not parse: %s\n%s",
				 iter, why, text);
		assert_true(wl_equal(&w, &u));
		free(text);
	}
}

static void rejects_cheaply(void **state)
{
	struct workload w;

	(void)state;
	assert_int_equal(wl_decode((const unsigned char *)"", 0, &w), -1);
	assert_int_equal(wl_decode((const unsigned char *)"XW\1\0\0", 5, &w),
			 -1);
	assert_int_equal(wl_decode((const unsigned char *)"LW\2\0\0", 5, &w),
			 -1);
}

static void pattern_is_reproducible(void **state)
{
	unsigned char a[8192], b[4096], c[8192];

	(void)state;
	wl_pattern(7, 4096, a, sizeof(a));
	wl_pattern(7, 8192, b, sizeof(b));
	/* A slice of a longer write is the shorter write at its offset. */
	assert_memory_equal(a + 4096, b, sizeof(b));
	wl_pattern(8, 4096, c, sizeof(c));
	assert_memory_not_equal(a, c, sizeof(a));
	/* Different blocks of one write differ. */
	assert_memory_not_equal(a, a + 4096, 4096);
}

static int deadlocks(const char *text)
{
	struct workload w;
	char why[256];

	assert_int_equal(wl_parse_text(text, &w, why, sizeof(why)), 0);
	return wl_barrier_deadlock(&w);
}

static void barrier_deadlocks_are_found(void **state)
{
	(void)state;
	assert_false(deadlocks("fsync f0\n"));
	assert_false(deadlocks("barrier 1\nbarrier 2\nthread\nbarrier 1\n"
			       "barrier 2\n"));
	/* A barrier only one thread has passes at once. */
	assert_false(deadlocks("barrier 3\nthread\nfsync f0\n"));
	assert_true(deadlocks("barrier 1\nbarrier 2\nthread\nbarrier 2\n"
			      "barrier 1\n"));
	assert_true(deadlocks("barrier 1\nbarrier 1\nthread\nbarrier 1\n"));
	assert_false(deadlocks("barrier 1\nbarrier 1\nthread\nbarrier 1\n"
			       "barrier 1\n"));
	assert_true(deadlocks("barrier 1\nbarrier 2\nthread\nbarrier 2\n"
			      "barrier 3\nthread\nbarrier 3\nbarrier 1\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_the_seed),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(text_binary_text),
		cmocka_unit_test(random_bytes_decode_to_valid_workloads),
		cmocka_unit_test(rejects_cheaply),
		cmocka_unit_test(pattern_is_reproducible),
		cmocka_unit_test(barrier_deadlocks_are_found),
	};

	return cmocka_run_group_tests_name("workload", tests, NULL, NULL);
}
