// SPDX-License-Identifier: GPL-2.0
/* Unit tests: parsing Debian's package tools' output (no apt involved). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "setup/pkg_resolve.h"

static void release_from_depends(void **state)
{
	const char *out = "linux-image-cloud-amd64\n"
			  "  Depends: linux-image-6.1.0-56-cloud-amd64\n";
	char rel[64];

	(void)state;
	assert_int_equal(pkg_parse_kernel_release(out, rel, sizeof(rel)), 0);
	assert_string_equal(rel, "6.1.0-56-cloud-amd64");
}

static void release_skips_malformed(void **state)
{
	/* A first Depends that is not a release must not be taken. */
	const char *out = "linux-image-cloud-amd64\n"
			  "  Depends: linux-image-foo\n"
			  "  Depends: linux-image-6.1.0-7-cloud-amd64\n";
	char rel[64];

	(void)state;
	assert_int_equal(pkg_parse_kernel_release(out, rel, sizeof(rel)), 0);
	assert_string_equal(rel, "6.1.0-7-cloud-amd64");
}

static void release_missing_or_too_long(void **state)
{
	char rel[8];

	(void)state;
	assert_int_equal(pkg_parse_kernel_release("", rel, sizeof(rel)), -1);
	assert_int_equal(
		pkg_parse_kernel_release(
			"  Depends: linux-image-6.1.0-56-cloud-amd64\n", rel,
			sizeof(rel)),
		-1);
}

static void release_validation(void **state)
{
	(void)state;
	assert_true(pkg_release_valid("6.1.0-56-cloud-amd64"));
	assert_false(pkg_release_valid("6.1.0-56-amd64"));
	assert_false(pkg_release_valid("6.1-56-cloud-amd64"));
	assert_false(pkg_release_valid("6.1.0-x-cloud-amd64"));
	assert_false(pkg_release_valid("6.1.0-56-cloud-amd64-extra"));
	/* 6.12 in bookworm: the Debian upload instead of an ABI number. */
	assert_true(pkg_release_valid("6.12.118+deb12-cloud-amd64"));
	assert_false(pkg_release_valid("6.12.118+deb-cloud-amd64"));
	assert_false(pkg_release_valid("6.12.118+dfsg12-cloud-amd64"));
	assert_false(pkg_release_valid("6.12.118+deb12-amd64"));
}

static void release_of_6_12(void **state)
{
	const char *out = "linux-image-6.12-cloud-amd64\n"
			  "  Depends: linux-image-6.12.118+deb12-cloud-amd64\n";
	char rel[64];

	(void)state;
	assert_int_equal(pkg_parse_kernel_release(out, rel, sizeof(rel)), 0);
	assert_string_equal(rel, "6.12.118+deb12-cloud-amd64");
}

static void candidate_version(void **state)
{
	const char *out = "linux-source-6.1:\n  Installed: (none)\n"
			  "  Candidate: 6.1.192-2\n  Version table:\n";
	char ver[32];

	(void)state;
	assert_int_equal(pkg_parse_candidate(out, ver, sizeof(ver)), 0);
	assert_string_equal(ver, "6.1.192-2");
	assert_int_equal(pkg_parse_candidate("x:\n  Candidate: (none)\n", ver,
					     sizeof(ver)),
			 -1);
	assert_int_equal(pkg_parse_candidate("N: Unable to locate package\n",
					     ver, sizeof(ver)),
			 -1);
}

static void missing_packages(void **state)
{
	const char *out = "ii  cpio\n"
			  "un  kmod\n"
			  "ii  libblkid-dev:amd64\n"
			  "rc  afl++\n"
			  "ii  qemu-system-x86-extra\n";
	const char *pkgs[] = {
		"cpio", "kmod", "libblkid-dev", "afl++", "qemu-system-x86",
		"gcc"
	};
	char missing[256] = "";

	(void)state;
	assert_int_equal(
		pkg_find_missing(out, pkgs, 6, missing, sizeof(missing)), 4);
	assert_string_equal(missing, "kmod afl++ qemu-system-x86 gcc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(release_from_depends),
		cmocka_unit_test(release_skips_malformed),
		cmocka_unit_test(release_missing_or_too_long),
		cmocka_unit_test(release_validation),
		cmocka_unit_test(release_of_6_12),
		cmocka_unit_test(candidate_version),
		cmocka_unit_test(missing_packages),
	};

	return cmocka_run_group_tests_name("pkg_resolve", tests, NULL, NULL);
}
