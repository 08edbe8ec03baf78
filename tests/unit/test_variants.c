// SPDX-License-Identifier: GPL-2.0
/* Unit tests: kmod-patch/series and kmod-patch/variants parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "setup/variants.h"

static const char series[] = "# the series\n"
			     "0001-a.patch\n"
			     "\n"
			     "0002-b.patch   # trailing comment\n"
			     "0003-fix.patch\n";

static void prefixes(void **state)
{
	struct patch_set ps;
	char why[256];

	(void)state;
	assert_int_equal(variants_parse(&ps, series,
					"stock -\nbuggy 0002-b.patch\n"
					"fixed\t0003-fix.patch\n",
					why, sizeof(why)),
			 0);
	assert_int_equal(ps.nseries, 3);
	assert_int_equal(ps.nvariants, 3);
	assert_int_equal(variant_find(&ps, "stock")->npatches, 0);
	assert_int_equal(variant_find(&ps, "buggy")->npatches, 2);
	assert_int_equal(variant_find(&ps, "fixed")->npatches, 3);
	assert_null(variant_find(&ps, "other"));
	assert_string_equal(variant_names(&ps), "stock, buggy, fixed");
	variants_free(&ps);
}

static void errors_name_the_line(void **state)
{
	struct patch_set ps;
	char why[256];

	(void)state;
	assert_int_equal(variants_parse(&ps, series,
					"stock -\nbuggy 0009.patch\n", why,
					sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "variants line 2"));
	assert_non_null(strstr(why, "0009.patch"));
	assert_int_equal(
		variants_parse(&ps, series, "stock\n", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "line 1"));
	assert_int_equal(
		variants_parse(&ps, series, "a -\na -\n", why, sizeof(why)),
		-1);
	assert_non_null(strstr(why, "twice"));
	assert_int_equal(variants_parse(&ps, "x.patch y.patch\n", "a -\n", why,
					sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "series line 1"));
	assert_int_equal(
		variants_parse(&ps, series, "# none\n", why, sizeof(why)), -1);
	assert_int_equal(variants_parse(&ps, "../evil.patch\n", "a -\n", why,
					sizeof(why)),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prefixes),
		cmocka_unit_test(errors_name_the_line),
	};

	return cmocka_run_group_tests_name("variants", tests, NULL, NULL);
}
