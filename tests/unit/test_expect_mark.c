// SPDX-License-Identifier: GPL-2.0
/* Unit tests: data expectation marks and the set of active expectations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lib/expect_mark.h"

static void round_trip(void **state)
{
	struct expectation x = { .path = "dir/file",
				 .off = 4096,
				 .len = 65536 },
			   y;
	char mark[512];

	(void)state;
	x.digest = expect_digest("abc", 3);
	assert_int_equal(expect_mark_format(mark, sizeof(mark), &x), 0);
	assert_non_null(strstr(mark, "lwfuzz-expect:4096:65536:"));
	assert_int_equal(expect_mark_parse(mark, &y), MARK_EXPECT);
	assert_string_equal(y.path, "dir/file");
	assert_int_equal(y.off, 4096);
	assert_int_equal(y.len, 65536);
	assert_true(y.digest == x.digest);
}

static void other_and_bad_marks(void **state)
{
	struct expectation x;

	(void)state;
	assert_int_equal(expect_mark_parse("mkfs", &x), MARK_OTHER);
	assert_int_equal(expect_mark_parse("lwfuzz-forget:a/b", &x),
			 MARK_FORGET);
	assert_string_equal(x.path, "a/b");
	assert_int_equal(expect_mark_parse("lwfuzz-expect:1:2:ff", &x),
			 MARK_BAD);
	assert_int_equal(expect_mark_parse("lwfuzz-expect:x:2:ff:f", &x),
			 MARK_BAD);
	assert_int_equal(expect_mark_parse("lwfuzz-expect:1:2:ff:/abs", &x),
			 MARK_BAD);
	assert_int_equal(expect_mark_parse("lwfuzz-expect:1:2:ff:../up", &x),
			 MARK_BAD);
	assert_int_equal(
		expect_mark_parse("lwfuzz-expect:18446744073709551615:2:ff:f",
				  &x),
		MARK_BAD);
	assert_int_equal(expect_mark_parse("lwfuzz-forget:", &x), MARK_BAD);
}

static void set_replaces_and_forgets(void **state)
{
	struct expect_set s = { 0 };
	struct expectation a = { .path = "f", .off = 0, .len = 4096 };
	struct expectation b = { .path = "f", .off = 8192, .len = 4096 };
	struct expectation c = { .path = "f", .off = 2048, .len = 4096 };
	struct expectation g = { .path = "g", .off = 0, .len = 1 };

	(void)state;
	assert_int_equal(expect_set_apply(&s, MARK_EXPECT, &a), 0);
	assert_int_equal(expect_set_apply(&s, MARK_EXPECT, &b), 0);
	assert_int_equal(expect_set_apply(&s, MARK_EXPECT, &g), 0);
	assert_int_equal(s.n, 3);
	/* c overlaps a, not b: a goes. */
	assert_int_equal(expect_set_apply(&s, MARK_EXPECT, &c), 0);
	assert_int_equal(s.n, 3);
	for (size_t i = 0; i < s.n; i++)
		assert_false(s.x[i].off == 0 && !strcmp(s.x[i].path, "f"));
	assert_int_equal(expect_set_apply(&s, MARK_FORGET, &a), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.x[0].path, "g");
	assert_int_equal(expect_set_apply(&s, MARK_OTHER, &a), 0);
	assert_int_equal(s.n, 1);
	expect_set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(other_and_bad_marks),
		cmocka_unit_test(set_replaces_and_forgets),
	};

	return cmocka_run_group_tests_name("expect_mark", tests, NULL, NULL);
}
