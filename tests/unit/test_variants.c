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

/* Bisect's prefix names: a variant's where one applies that prefix. */
static void prefix_names(void **state)
{
	struct patch_set ps;
	struct variant v;
	char why[256];

	(void)state;
	assert_int_equal(variants_parse(&ps, series,
					"stock -\nbuggy 0002-b.patch\n"
					"fixed\t0003-fix.patch\n",
					why, sizeof(why)),
			 0);
	variant_of_prefix(&ps, 2, &v);
	assert_string_equal(v.name, "buggy");
	variant_of_prefix(&ps, 1, &v);
	assert_string_equal(v.name, "series-1");
	assert_int_equal(v.npatches, 1);
	assert_int_equal(variant_lookup(&ps, "fixed", &v), 0);
	assert_int_equal(v.npatches, 3);
	assert_int_equal(variant_lookup(&ps, "series-1", &v), 0);
	assert_int_equal(v.npatches, 1);
	/* No cache entry is called that: prefix 2 is buggy's. */
	assert_int_equal(variant_lookup(&ps, "series-2", &v), -1);
	assert_int_equal(variant_lookup(&ps, "series-4", &v), -1);
	assert_int_equal(variant_lookup(&ps, "series-01", &v), -1);
	assert_int_equal(variant_lookup(&ps, "series-", &v), -1);
	assert_int_equal(variant_lookup(&ps, "series-1x", &v), -1);
	assert_int_equal(variant_lookup(&ps, "series--1", &v), -1);
	assert_int_equal(variant_lookup(&ps, "other", &v), -1);
	variants_free(&ps);
}

/* A variant of any list of patches: another variant plus patches. */
static void patch_lists(void **state)
{
	struct patch_set ps;
	const struct variant *m, *n;
	struct variant v;
	char why[256];

	(void)state;
	assert_int_equal(
		variants_parse(&ps, series,
			       "stock -\nbuggy 0002-b.patch\n"
			       "museum-1 stock + museum/r1.patch\n"
			       "museum-2 buggy + museum/r1.patch 0003-fix.patch\n",
			       why, sizeof(why)),
		0);
	m = variant_find(&ps, "museum-1");
	assert_non_null(m);
	assert_int_equal(m->npatches, 1);
	assert_false(m->prefix);
	assert_string_equal(variant_patch(&ps, m, 0), "museum/r1.patch");
	n = variant_find(&ps, "museum-2");
	assert_int_equal(n->npatches, 4);
	assert_string_equal(variant_patch(&ps, n, 0), "0001-a.patch");
	assert_string_equal(variant_patch(&ps, n, 1), "0002-b.patch");
	assert_string_equal(variant_patch(&ps, n, 2), "museum/r1.patch");
	assert_string_equal(variant_patch(&ps, n, 3), "0003-fix.patch");
	assert_true(variant_find(&ps, "buggy")->prefix);
	/* One patch of 1 is museum-1's, not a prefix: bisect's name stays. */
	variant_of_prefix(&ps, 1, &v);
	assert_string_equal(v.name, "series-1");
	assert_string_equal(variant_patch(&ps, &v, 0), "0001-a.patch");
	variants_free(&ps);
	assert_int_equal(variants_parse(&ps, series,
					"stock -\nm nobase + x.patch\n", why,
					sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "line 2: no variant nobase above it"));
	assert_int_equal(variants_parse(&ps, series,
					"stock -\nm stock + ../x.patch\n", why,
					sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "line 2: bad patch name ../x.patch"));
	assert_int_equal(variants_parse(&ps, series, "stock - extra\n", why,
					sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "line 1: expected"));
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
		cmocka_unit_test(prefix_names),
		cmocka_unit_test(patch_lists),
		cmocka_unit_test(errors_name_the_line),
	};

	return cmocka_run_group_tests_name("variants", tests, NULL, NULL);
}
