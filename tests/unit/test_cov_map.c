// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: btrfs coverage on the host side. The collector's counts
 * become an edge bitmap; bitmaps merge and compare; folding puts each edge
 * on its own entry of a 64 KiB AFL++ map (no two edges share one) and
 * touches nothing else; the campaign's per-VM file accumulates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cov_map.h"

static void counts_to_bits(void **state)
{
	static uint8_t counts[COV_EDGES], bits[COV_BYTES];

	(void)state;
	counts[0] = 1;
	counts[9] = 255;
	counts[COV_EDGES - 1] = 3;
	assert_int_equal(cov_from_counts(counts, bits), 3);
	assert_int_equal(bits[0], 1);
	assert_int_equal(bits[1], 2);
	assert_int_equal(bits[COV_BYTES - 1], 0x80);
	assert_int_equal(cov_count(bits), 3);
}

static void merge_and_common(void **state)
{
	static uint8_t a[COV_BYTES], b[COV_BYTES], total[COV_BYTES];

	(void)state;
	a[0] = 0x0f;
	b[0] = 0x3c;
	b[100] = 1;
	assert_int_equal(cov_common(a, b), 2);
	assert_int_equal(cov_merge(total, a), 4);
	assert_int_equal(cov_merge(total, b), 3);
	assert_int_equal(cov_merge(total, b), 0);
	assert_int_equal(cov_count(total), 7);
}

static void fold_spreads_every_edge(void **state)
{
	static uint8_t all[COV_BYTES], map[65536], one[COV_BYTES];

	(void)state;
	memset(all, 0xff, sizeof(all));
	cov_fold(all, map, sizeof(map));
	for (unsigned int i = 0; i < sizeof(map); i++)
		assert_int_equal(map[i], 1);
	/* One edge: one entry, the documented one. */
	memset(map, 0, sizeof(map));
	one[1000 / 8] = 1u << (1000 % 8);
	cov_fold(one, map, sizeof(map));
	for (unsigned int i = 0; i < sizeof(map); i++)
		assert_int_equal(map[i],
				 i == (uint32_t)(1000u * 0x9e3779b1u) % 65536);
}

static void file_accumulates(void **state)
{
	static uint8_t a[COV_BYTES], b[COV_BYTES];
	char path[] = "/tmp/lwfuzz-test-cov-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	a[1] = 0xff;
	b[2] = 0x01;
	assert_int_equal(cov_merge_file(path, a), 8);
	assert_int_equal(cov_merge_file(path, b), 9);
	assert_int_equal(cov_merge_file(path, a), 9);
	assert_int_equal(cov_count_file(path), 9);
	unlink(path);
	assert_int_equal(cov_count_file(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_to_bits),
		cmocka_unit_test(merge_and_common),
		cmocka_unit_test(fold_spreads_every_edge),
		cmocka_unit_test(file_accumulates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
