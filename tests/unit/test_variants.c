// SPDX-License-Identifier: GPL-2.0
/* Unit tests: kmod-patch/series and kmod-patch/variants parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "setup/layout.h"
#include "setup/series.h"
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

static const char fix_variants[] = "stock -\nbuggy 0002-b.patch\n"
				   "fixed 0003-fix.patch\n"
				   "stock-fix stock + 0003-fix.patch\n";

/* kmod-patch/fixes: labels keep their words, variants must exist. */
static void known_fixes(void **state)
{
	struct patch_set ps;
	char why[256];

	(void)state;
	assert_int_equal(variants_parse(&ps, series, fix_variants, why,
					sizeof(why)),
			 0);
	assert_int_equal(fixes_parse(&ps,
				     "# bug fix label\n"
				     "buggy fixed the seed race  (patch 3)\n"
				     "\n"
				     "stock\tstock-fix log commit # comment\n",
				     why, sizeof(why)),
			 0);
	assert_int_equal(ps.nfixes, 2);
	assert_string_equal(ps.fixes[0].bug, "buggy");
	assert_string_equal(ps.fixes[0].fix, "fixed");
	assert_string_equal(ps.fixes[0].label, "the seed race (patch 3)");
	assert_string_equal(ps.fixes[1].fix, "stock-fix");
	assert_string_equal(ps.fixes[1].label, "log commit");
	/* A variant made of a series patch on top of another: stock + 3. */
	assert_int_equal(variant_find(&ps, "stock-fix")->npatches, 1);
	assert_string_equal(variant_patch(&ps, variant_find(&ps, "stock-fix"),
					  0),
			    "0003-fix.patch");
	variants_free(&ps);
	assert_int_equal(ps.nfixes, 0);
}

static void known_fixes_errors(void **state)
{
	static const char *const bad[] = {
		"buggy fixed\n", /* no label */
		"buggy nosuch the fix\n", /* no such variant */
		"nosuch fixed the fix\n",
		"buggy buggy itself\n",
	};
	struct patch_set ps;
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(variants_parse(&ps, series, fix_variants, why,
						sizeof(why)),
				 0);
		assert_int_equal(fixes_parse(&ps, bad[i], why, sizeof(why)),
				 -1);
		assert_non_null(strstr(why, "kmod-patch/fixes line 1"));
		variants_free(&ps);
	}
}

/* A series' names: "6.12:stock", its fixes and bisect prefixes alike. */
static void series_names(void **state)
{
	struct patch_set ps;
	struct variant v;
	char why[256];

	(void)state;
	assert_int_equal(variants_parse(&ps, series,
					"stock -\nbuggy 0002-b.patch\n", why,
					sizeof(why)),
			 0);
	assert_int_equal(fixes_parse(&ps, "buggy stock the fix\n", why,
				     sizeof(why)),
			 0);
	assert_int_equal(variants_qualify(&ps, "6.12:", why, sizeof(why)), 0);
	assert_string_equal(variant_names(&ps), "6.12:stock, 6.12:buggy");
	assert_null(variant_find(&ps, "stock"));
	assert_string_equal(ps.fixes[0].bug, "6.12:buggy");
	assert_string_equal(ps.fixes[0].fix, "6.12:stock");
	variant_of_prefix(&ps, 1, &v);
	assert_string_equal(v.name, "6.12:series-1");
	assert_int_equal(variant_lookup(&ps, "6.12:series-1", &v), 0);
	assert_int_equal(v.npatches, 1);
	assert_int_equal(variant_lookup(&ps, "series-1", &v), -1);
	assert_int_equal(variant_lookup(&ps, "6.12:series-2", &v), -1);
	assert_int_equal(variant_lookup(&ps, "6.12:buggy", &v), 0);
	variants_free(&ps);

	/* A name that no longer fits is refused, not cut. */
	assert_int_equal(variants_parse(&ps, series,
					"a-name-of-twenty-eight-chars -\n", why,
					sizeof(why)),
			 0);
	assert_int_equal(variants_qualify(&ps, "6.12:", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "6.12:a-name-of-twenty-eight-chars"));
	variants_free(&ps);
}

/* Which series a kernel name belongs to, and where its cache entry is. */
static void series_of_names(void **state)
{
	struct layout l = { .root = "/src", .cache = "/c" };
	char *dir;

	(void)state;
	assert_ptr_equal(kseries_of("stock"), kseries_default());
	assert_string_equal(kseries_of("buggy")->name, "6.1");
	assert_string_equal(kseries_of("6.12:stock")->name, "6.12");
	assert_string_equal(kseries_of("6.12:series-1")->patch_dir,
			    "kmod-patch/6.12");
	assert_null(kseries_of("5.10:stock"));
	assert_null(kseries_of("a-very-long-series-name:stock"));
	assert_string_equal(kseries_names(), "6.1, 6.12");
	dir = layout_variant_dir(&l, "6.12:stock");
	assert_string_equal(dir, "/c/variants/6.12/stock");
	free(dir);
	dir = layout_variant_dir(&l, "stock");
	assert_string_equal(dir, "/c/variants/stock");
	free(dir);
	dir = layout_build_dir(&l, "6.12:stock-logfix");
	assert_string_equal(dir, "/c/build/6.12/stock-logfix");
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prefixes),
		cmocka_unit_test(prefix_names),
		cmocka_unit_test(patch_lists),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(known_fixes),
		cmocka_unit_test(known_fixes_errors),
		cmocka_unit_test(series_names),
		cmocka_unit_test(series_of_names),
	};

	return cmocka_run_group_tests_name("variants", tests, NULL, NULL);
}
