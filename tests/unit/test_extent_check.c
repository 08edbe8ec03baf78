// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the missing-csum oracle on constructed tree-search results,
 * every case the replayer must get right without false positives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "replay/extent_check.h"

#define K 4096ULL
#define D (1ULL << 30) /* a disk bytenr */

static struct file_extent reg(uint64_t bytenr, uint64_t disk_len,
			      uint64_t offset, uint64_t len)
{
	return (struct file_extent){ .root = 5,
				     .ino = 257,
				     .type = FE_REG,
				     .disk_bytenr = bytenr,
				     .disk_num_bytes = disk_len,
				     .offset = offset,
				     .num_bytes = len };
}

static size_t gaps_of(const struct file_extent *fe, const struct csum_range *c,
		      size_t n, struct byte_range *g)
{
	struct byte_range need;

	if (!extent_needs_csum(fe, &need))
		return 0;
	return csum_gaps(c, n, need, g, 8);
}

static void covered_regular_extent(void **state)
{
	struct file_extent fe = reg(D, 64 * K, 0, 64 * K);
	struct csum_range c[] = { { D, 64 * K } };
	struct byte_range g[8] = { 0 };

	(void)state;
	assert_int_equal(gaps_of(&fe, c, 1, g), 0);
}

static void the_seed_bug(void **state)
{
	/* PREALLOC [F0, F) / REG [F, F+L) without csums / PREALLOC rest. */
	struct file_extent pre = reg(D, 1024 * K, 0, 512 * K);
	struct file_extent bad = reg(D, 1024 * K, 512 * K, 64 * K);
	struct byte_range g[8] = { 0 };

	(void)state;
	pre.type = FE_PREALLOC;
	assert_int_equal(gaps_of(&pre, NULL, 0, g), 0);
	assert_int_equal(gaps_of(&bad, NULL, 0, g), 1);
	assert_int_equal(g[0].start, D + 512 * K);
	assert_int_equal(g[0].end, D + 576 * K);
}

static void partial_coverage(void **state)
{
	struct file_extent fe = reg(D, 64 * K, 0, 64 * K);
	struct csum_range c[] = { { D, 8 * K },
				  { D + 16 * K, 8 * K },
				  { D + 60 * K, 4 * K } };
	struct byte_range g[8] = { 0 };

	(void)state;
	assert_int_equal(gaps_of(&fe, c, 3, g), 2);
	assert_int_equal(g[0].start, D + 8 * K);
	assert_int_equal(g[0].end, D + 16 * K);
	assert_int_equal(g[1].start, D + 24 * K);
	assert_int_equal(g[1].end, D + 60 * K);
}

static void csum_item_starting_before(void **state)
{
	/* A reflinked/partially referenced extent: the item covering it
	 * starts at the disk extent's start, before the needed range. */
	struct file_extent fe = reg(D, 128 * K, 32 * K, 16 * K);
	struct csum_range c[] = { { D - 64 * K, 32 * K }, { D, 128 * K } };
	struct byte_range g[8] = { 0 };

	(void)state;
	assert_int_equal(gaps_of(&fe, c, 2, g), 0);
	/* ... and the same with the item ending inside the range. */
	struct csum_range c2[] = { { D, 40 * K } };

	assert_int_equal(gaps_of(&fe, c2, 1, g), 1);
	assert_int_equal(g[0].start, D + 40 * K);
	assert_int_equal(g[0].end, D + 48 * K);
}

static void csums_in_many_adjacent_items(void **state)
{
	struct file_extent fe = reg(D, 64 * K, 0, 64 * K);
	struct csum_range c[16];
	struct byte_range g[8] = { 0 };

	(void)state;
	for (int i = 0; i < 16; i++)
		c[i] = (struct csum_range){ D + i * 4 * K, 4 * K };
	assert_int_equal(gaps_of(&fe, c, 16, g), 0);
}

static void compressed_needs_the_disk_extent(void **state)
{
	/* 128K of data compressed into 8K on disk; the item references
	 * 4K at offset 64K of the decompressed data. */
	struct file_extent fe = reg(D, 8 * K, 64 * K, 4 * K);
	struct csum_range ok[] = { { D, 8 * K } };
	struct csum_range half[] = { { D, 4 * K } };
	struct byte_range g[8] = { 0 };

	(void)state;
	fe.compression = 1;
	assert_int_equal(gaps_of(&fe, ok, 1, g), 0);
	assert_int_equal(gaps_of(&fe, half, 1, g), 1);
	assert_int_equal(g[0].start, D + 4 * K);
	assert_int_equal(g[0].end, D + 8 * K);
}

static void no_csums_needed(void **state)
{
	struct file_extent inl = reg(0, 0, 0, 100);
	struct file_extent hole = reg(0, 0, 0, 64 * K);
	struct file_extent nodatasum = reg(D, 64 * K, 0, 64 * K);
	struct byte_range need;

	(void)state;
	inl.type = FE_INLINE;
	nodatasum.nodatasum = 1;
	assert_int_equal(extent_needs_csum(&inl, &need), 0);
	assert_int_equal(extent_needs_csum(&hole, &need), 0);
	assert_int_equal(extent_needs_csum(&nodatasum, &need), 0);
}

static void csums_of_other_extents_do_not_count(void **state)
{
	struct file_extent fe = reg(D, 16 * K, 0, 16 * K);
	struct csum_range c[] = { { D - 16 * K, 16 * K },
				  { D + 16 * K, 16 * K } };
	struct byte_range g[8] = { 0 };

	(void)state;
	assert_int_equal(gaps_of(&fe, c, 2, g), 1);
	assert_int_equal(g[0].start, D);
	assert_int_equal(g[0].end, D + 16 * K);
}

static void gap_count_beyond_max(void **state)
{
	struct csum_range c[20];
	struct byte_range g[2];
	struct byte_range need = { D, D + 40 * K };

	(void)state;
	for (int i = 0; i < 20; i++)
		c[i] = (struct csum_range){ D + i * 2 * K, K };
	assert_int_equal(csum_gaps(c, 20, need, g, 2), 20);
	assert_int_equal(g[1].start, D + 3 * K);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(covered_regular_extent),
		cmocka_unit_test(the_seed_bug),
		cmocka_unit_test(partial_coverage),
		cmocka_unit_test(csum_item_starting_before),
		cmocka_unit_test(csums_in_many_adjacent_items),
		cmocka_unit_test(compressed_needs_the_disk_extent),
		cmocka_unit_test(no_csums_needed),
		cmocka_unit_test(csums_of_other_extents_do_not_count),
		cmocka_unit_test(gap_count_beyond_max),
	};

	return cmocka_run_group_tests_name("extent_check", tests, NULL, NULL);
}
