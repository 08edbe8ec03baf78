// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the structure-aware mutator and its AFL++ entry points.
 * Every mutant decodes to a valid workload, stays within AFL++'s size
 * limit, and mutation actually changes workloads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"
#include "workload.h"

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size,
		       unsigned char **out_buf, unsigned char *add_buf,
		       size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);

static const char seed_text[] = "open f0 creat\n"
				"pwrite f0 0 64K seed=1\n"
				"fsync f0\n"
				"thread\n"
				"fallocate f1 0 1M\n"
				"fdatasync f1\n";

static void mutants_are_valid_and_bounded(void **state)
{
	unsigned char in[WL_BIN_MAX], *out;
	struct workload w, seed;
	char why[256];
	void *m = afl_custom_init(NULL, 42);
	size_t n, changed = 0;

	(void)state;
	assert_int_equal(wl_parse_text(seed_text, &seed, why, sizeof(why)), 0);
	n = wl_encode(&seed, in, sizeof(in));
	for (int i = 0; i < 5000; i++) {
		size_t max = i % 10 ? WL_BIN_MAX : 200;
		size_t len = afl_custom_fuzz(m, in, n, &out, in, n, max);

		assert_true(len <= max || out == in);
		assert_int_equal(wl_decode(out, len, &w), 0);
		if (wl_validate(&w, why, sizeof(why)))
			fail_msg("mutant %d invalid: %s", i, why);
		changed += len != n || memcmp(out, in, n);
		/* Walk: mutate the mutant next time (when it fits). */
		if (len <= sizeof(in) && i % 7) {
			memcpy(in, out, len);
			n = len;
		}
	}
	assert_true(changed > 4000);
	afl_custom_deinit(m);
}

static void garbage_input_still_gives_a_workload(void **state)
{
	unsigned char junk[64], *out;
	struct workload w;
	void *m = afl_custom_init(NULL, 7);
	size_t len;

	(void)state;
	memset(junk, 0xa5, sizeof(junk));
	len = afl_custom_fuzz(m, junk, sizeof(junk), &out, NULL, 0, WL_BIN_MAX);
	assert_int_equal(wl_decode(out, len, &w), 0);
	afl_custom_deinit(m);
}

static void splice_takes_a_thread(void **state)
{
	struct workload a = { .nthreads = 1 }, b;
	uint64_t rng = 1;
	char why[256];
	int spliced = 0;

	(void)state;
	assert_int_equal(wl_parse_text(seed_text, &b, why, sizeof(why)), 0);
	for (int i = 0; i < 200 && !spliced; i++) {
		struct workload t = a;

		wl_mutate(&t, &rng, &b);
		for (unsigned int k = 0; k < t.nthreads; k++)
			spliced |= t.threads[k].nops == b.threads[1].nops &&
				   !memcmp(t.threads[k].ops, b.threads[1].ops,
					   sizeof(b.threads[1].ops[0]) *
						   b.threads[1].nops);
	}
	assert_true(spliced);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mutants_are_valid_and_bounded),
		cmocka_unit_test(garbage_input_still_gives_a_workload),
		cmocka_unit_test(splice_takes_a_thread),
	};

	return cmocka_run_group_tests_name("mutate", tests, NULL, NULL);
}
