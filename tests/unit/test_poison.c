// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the replay target's poison and its recognition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/poison.h"
#include "lib/workload.h"

static void names_its_block(void **state)
{
	unsigned char b[POISON_BLOCK];

	(void)state;
	poison_fill(123456789, b);
	assert_int_equal(poison_block_of(b), 123456789);
	b[POISON_BLOCK - 1] ^= 1; /* a block only almost poison is data */
	assert_int_equal(poison_block_of(b), -1);
}

static void workload_data_is_never_poison(void **state)
{
	unsigned char b[POISON_BLOCK];

	(void)state;
	for (uint32_t seed = 0; seed < 64; seed++) {
		wl_pattern(seed, seed * POISON_BLOCK, b, sizeof(b));
		assert_int_equal(poison_block_of(b), -1);
	}
	memset(b, 0, sizeof(b));
	assert_int_equal(poison_block_of(b), -1);
}

static void poisons_whole_blocks_of_a_range(void **state)
{
	char path[] = "/tmp/lwfuzz-test-poison.XXXXXX";
	unsigned char b[POISON_BLOCK];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 64 * POISON_BLOCK), 0);
	/* [5000, 9000) rounds out to blocks 1 and 2. */
	assert_int_equal(poison_range(fd, 5000, 4000), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pread(fd, b, sizeof(b), i * POISON_BLOCK),
				 POISON_BLOCK);
		assert_int_equal(poison_block_of(b), i == 1 || i == 2 ? i : -1);
	}
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_its_block),
		cmocka_unit_test(workload_data_is_never_poison),
		cmocka_unit_test(poisons_whole_blocks_of_a_range),
	};

	return cmocka_run_group_tests_name("poison", tests, NULL, NULL);
}
