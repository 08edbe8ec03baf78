// SPDX-License-Identifier: GPL-2.0
/* Unit tests: modules.dep resolution into a load order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "setup/modules_dep.h"

/* A slice of Debian 6.1 cloud's modules.dep (as depmod writes it). */
static const char dep[] =
	"kernel/arch/x86/crypto/crc32c-intel.ko:\n"
	"kernel/fs/btrfs/btrfs.ko: kernel/crypto/xor.ko kernel/lib/raid6/raid6_pq.ko kernel/lib/zstd/zstd_compress.ko kernel/lib/libcrc32c.ko\n"
	"kernel/crypto/xor.ko:\n"
	"kernel/lib/raid6/raid6_pq.ko:\n"
	"kernel/lib/zstd/zstd_compress.ko:\n"
	"kernel/lib/libcrc32c.ko:\n"
	"kernel/drivers/md/dm-mod.ko:\n"
	"kernel/drivers/md/dm-log-writes.ko: kernel/drivers/md/dm-mod.ko\n"
	"kernel/drivers/md/dm-snapshot.ko: kernel/drivers/md/dm-bufio.ko kernel/drivers/md/dm-mod.ko\n"
	"kernel/drivers/md/dm-bufio.ko:\n";

static int pos(const char **order, int n, const char *path)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(order[i], path))
			return i;
	return -1;
}

static void deps_come_first(void **state)
{
	const char *names[] = { "btrfs", "dm-log-writes", "dm_snapshot" };
	char why[256];
	struct moddep *m = moddep_parse(dep, NULL, why, sizeof(why));
	const char **order;
	int n;

	(void)state;
	assert_non_null(m);
	n = moddep_resolve(m, names, 3, &order, why, sizeof(why));
	assert_int_equal(n, 9);
	assert_true(pos(order, n, "kernel/crypto/xor.ko") <
		    pos(order, n, "kernel/fs/btrfs/btrfs.ko"));
	assert_true(pos(order, n, "kernel/lib/libcrc32c.ko") <
		    pos(order, n, "kernel/fs/btrfs/btrfs.ko"));
	/* dm-mod once, before both of its users. */
	assert_true(pos(order, n, "kernel/drivers/md/dm-mod.ko") <
		    pos(order, n, "kernel/drivers/md/dm-log-writes.ko"));
	assert_true(pos(order, n, "kernel/drivers/md/dm-bufio.ko") <
		    pos(order, n, "kernel/drivers/md/dm-snapshot.ko"));
	moddep_free(m);
}

static void builtin_is_skipped_unknown_fails(void **state)
{
	const char *ok[] = { "crc32c", "dm-mod" };
	const char *bad[] = { "nosuchmod" };
	char why[256];
	struct moddep *m = moddep_parse(dep,
					"kernel/crypto/crc32c_generic.ko\n"
					"kernel/crypto/crc32c.ko\n",
					why, sizeof(why));
	const char **order;

	(void)state;
	assert_non_null(m);
	assert_int_equal(moddep_resolve(m, ok, 2, &order, why, sizeof(why)), 1);
	assert_string_equal(order[0], "kernel/drivers/md/dm-mod.ko");
	assert_int_equal(moddep_resolve(m, bad, 1, &order, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "nosuchmod"));
	moddep_free(m);
}

static void cycle_and_dangling_dep_fail(void **state)
{
	const char *names[] = { "a" };
	char why[256];
	struct moddep *m = moddep_parse("a.ko: b.ko\nb.ko: a.ko\n", NULL, why,
					sizeof(why));
	const char **order;

	(void)state;
	assert_int_equal(moddep_resolve(m, names, 1, &order, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "cycle"));
	moddep_free(m);
	m = moddep_parse("a.ko: gone.ko\n", NULL, why, sizeof(why));
	assert_int_equal(moddep_resolve(m, names, 1, &order, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "gone.ko"));
	moddep_free(m);
}

static void malformed_line(void **state)
{
	char why[256];

	(void)state;
	assert_null(
		moddep_parse("a.ko:\nno colon here\n", NULL, why, sizeof(why)));
	assert_non_null(strstr(why, "line 2"));
}

static void names_fold_dashes(void **state)
{
	char name[64];

	(void)state;
	moddep_name_of("kernel/drivers/md/dm-log-writes.ko", name,
		       sizeof(name));
	assert_string_equal(name, "dm_log_writes");
	moddep_name_of("kernel/fs/btrfs/btrfs.ko.xz", name, sizeof(name));
	assert_string_equal(name, "btrfs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deps_come_first),
		cmocka_unit_test(builtin_is_skipped_unknown_fails),
		cmocka_unit_test(cycle_and_dangling_dep_fail),
		cmocka_unit_test(malformed_line),
		cmocka_unit_test(names_fold_dashes),
	};

	return cmocka_run_group_tests_name("modules_dep", tests, NULL, NULL);
}
