// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the guest's module load order, through libkmod. The modules
 * directory is made here as the kernel's is: tiny objects that export and
 * use symbols, indexed by the real depmod (libkmod reads only its binary
 * indexes). With an unpacked kernel in the cache, its modules too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "setup/modules_dep.h"

/* A slice of Debian 6.1 cloud's modules, reduced to who needs whom. */
static const struct fake_mod {
	const char *path, *exports, *uses[3];
} fake[] = {
	{ "kernel/fs/btrfs/btrfs.ko",
	  NULL,
	  { "xor_blocks", "raid6_call", "crc32c_lib" } },
	{ "kernel/crypto/xor.ko", "xor_blocks", { NULL } },
	{ "kernel/lib/raid6/raid6_pq.ko", "raid6_call", { NULL } },
	{ "kernel/lib/libcrc32c.ko", "crc32c_lib", { "zstd_compress_fn" } },
	{ "kernel/lib/zstd/zstd_compress.ko", "zstd_compress_fn", { NULL } },
	{ "kernel/drivers/md/dm-mod.ko", "dm_register_target", { NULL } },
	{ "kernel/drivers/md/dm-log-writes.ko",
	  NULL,
	  { "dm_register_target" } },
	{ "kernel/drivers/md/dm-snapshot.ko",
	  NULL,
	  { "dm_bufio_client_create", "dm_register_target" } },
	{ "kernel/drivers/md/dm-bufio.ko", "dm_bufio_client_create", { NULL } },
};

static char root[64], mdir[128];
static int have_fixture;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* One fake module: an object with the kernel's export section. */
static int make_module(const struct fake_mod *m)
{
	char src[256];
	FILE *f;

	snprintf(src, sizeof(src), "%s/mod.c", root);
	f = fopen(src, "w");
	if (!f)
		return -1;
	if (m->exports)
		fprintf(f,
			"static const char ks[] __attribute__((section(\"__ksymtab_strings\"), used)) = \"%s\";\n"
			"void %s(void) {}\n",
			m->exports, m->exports);
	fprintf(f, "void mod_init(void) {\n");
	for (int i = 0; i < 3 && m->uses[i]; i++)
		fprintf(f, "\textern void %s(void); %s();\n", m->uses[i],
			m->uses[i]);
	fprintf(f, "}\n");
	fclose(f);
	return sh("mkdir -p \"$(dirname %s/%s)\" && cc -c -o %s/%s %s", mdir,
		  m->path, mdir, m->path, src);
}

/* A file of the modules directory that depmod reads, as the kernel's. */
static int put(const char *name, const char *data, size_t len)
{
	char path[256];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", mdir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ret = fwrite(data, 1, len, f) == len ? 0 : -1;
	return fclose(f) || ret ? -1 : 0;
}

static int setup_fixture(void **state)
{
	static const char builtin[] = "kernel/crypto/crc32c_generic.ko\n"
				      "kernel/crypto/crc32c.ko\n";
	/*
	 * Every kernel has its built-in modules' aliases; libkmod 30 reads
	 * uninitialised memory looking a name up in an empty index of them.
	 */
	static const char modinfo[] = "crc32c_generic.alias=crypto-crc32c";

	(void)state;
	snprintf(root, sizeof(root), "%s/lwfuzz-kmod.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		return -1;
	snprintf(mdir, sizeof(mdir), "%s/lib/modules/1.0-test", root);
	for (size_t i = 0; i < sizeof(fake) / sizeof(*fake); i++)
		if (make_module(&fake[i]))
			return 0;
	if (put("modules.builtin", builtin, strlen(builtin)) ||
	    put("modules.builtin.modinfo", modinfo, sizeof(modinfo)))
		return 0;
	/* (depmod warns of the modules.order a real kernel has.) */
	have_fixture = !sh(
		"PATH=$PATH:/usr/sbin:/sbin depmod -b %s 1.0-test 2>/dev/null",
		root);
	return 0;
}

static int teardown_fixture(void **state)
{
	(void)state;
	return sh("rm -rf %s", root) ? -1 : 0;
}

static int pos(const struct mod_load *order, int n, const char *path)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(order[i].path, path))
			return i;
	return -1;
}

static void deps_come_first(void **state)
{
	const char *names[] = { "btrfs", "dm-log-writes", "dm_snapshot" };
	struct mod_load *order;
	char why[512];
	int n;

	(void)state;
	if (!have_fixture)
		skip();
	n = moddep_load_order(mdir, names, 3, &order, why, sizeof(why));
	assert_int_equal(n, 9);
	assert_true(pos(order, n, "kernel/crypto/xor.ko") <
		    pos(order, n, "kernel/fs/btrfs/btrfs.ko"));
	/* A dependency's own dependency first, too. */
	assert_true(pos(order, n, "kernel/lib/zstd/zstd_compress.ko") <
		    pos(order, n, "kernel/lib/libcrc32c.ko"));
	assert_true(pos(order, n, "kernel/lib/libcrc32c.ko") <
		    pos(order, n, "kernel/fs/btrfs/btrfs.ko"));
	/* dm-mod once, before both of its users. */
	assert_true(pos(order, n, "kernel/drivers/md/dm-mod.ko") <
		    pos(order, n, "kernel/drivers/md/dm-log-writes.ko"));
	assert_true(pos(order, n, "kernel/drivers/md/dm-bufio.ko") <
		    pos(order, n, "kernel/drivers/md/dm-snapshot.ko"));
	assert_string_equal(order[n - 1].path,
			    "kernel/drivers/md/dm-snapshot.ko");
	moddep_free_order(order, n);
}

static void builtin_is_skipped_unknown_fails(void **state)
{
	const char *ok[] = { "crc32c", "dm-mod" };
	const char *bad[] = { "dm-mod", "nosuchmod" };
	struct mod_load *order;
	char why[512];
	int n;

	(void)state;
	if (!have_fixture)
		skip();
	n = moddep_load_order(mdir, ok, 2, &order, why, sizeof(why));
	assert_int_equal(n, 1);
	assert_string_equal(order[0].path, "kernel/drivers/md/dm-mod.ko");
	moddep_free_order(order, n);
	assert_int_equal(
		moddep_load_order(mdir, bad, 2, &order, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "module nosuchmod is neither"));
}

static void names_fold_dashes(void **state)
{
	const char *names[] = { "dm_log_writes", "dm-log-writes" };
	struct mod_load *order;
	char why[512];
	int n;

	(void)state;
	if (!have_fixture)
		skip();
	n = moddep_load_order(mdir, names, 2, &order, why, sizeof(why));
	assert_int_equal(n, 2);
	assert_string_equal(order[0].name, "dm_mod");
	assert_string_equal(order[1].name, "dm_log_writes");
	moddep_free_order(order, n);
}

static void no_index_says_so(void **state)
{
	const char *names[] = { "dm-mod" };
	struct mod_load *order;
	char why[512];

	(void)state;
	assert_int_equal(
		moddep_load_order(root, names, 1, &order, why, sizeof(why)),
		-1);
	assert_non_null(strstr(why, "modules.dep.bin"));
	assert_non_null(strstr(why, "lwfuzz setup"));
}

/* What the guests load, from the kernel setup unpacked (when it did). */
static void real_kernel(void **state)
{
	const char *names[] = { "virtio_pci",	 "virtio_blk",	 "dm-mod",
				"dm-log-writes", "dm-snapshot",	 "dm-thin-pool",
				"dm-flakey",	 "crc32c-intel", "btrfs" };
	const char *cache = getenv("LWFUZZ_CACHE");
	char pattern[512], why[512];
	struct mod_load *order;
	glob_t g;
	int n;

	(void)state;
	if (cache && *cache)
		snprintf(pattern, sizeof(pattern),
			 "%s/kernel/*/lib/modules/*/modules.dep.bin", cache);
	else
		snprintf(
			pattern, sizeof(pattern),
			"%s/.cache/lwfuzz/kernel/*/lib/modules/*/modules.dep.bin",
			getenv("HOME") ? getenv("HOME") : "/root");
	if (glob(pattern, 0, NULL, &g))
		skip();
	*strrchr(g.gl_pathv[0], '/') = '\0';
	n = moddep_load_order(g.gl_pathv[0], names, 9, &order, why,
			      sizeof(why));
	globfree(&g);
	if (n < 0)
		fail_msg("%s", why);
	assert_true(n >= 9);
	assert_string_equal(order[n - 1].name, "btrfs");
	assert_true(pos(order, n, "kernel/drivers/md/dm-mod.ko") <
		    pos(order, n, "kernel/drivers/md/dm-log-writes.ko"));
	assert_true(pos(order, n, "kernel/lib/libcrc32c.ko") <
		    pos(order, n, "kernel/fs/btrfs/btrfs.ko"));
	moddep_free_order(order, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deps_come_first),
		cmocka_unit_test(builtin_is_skipped_unknown_fails),
		cmocka_unit_test(names_fold_dashes),
		cmocka_unit_test(no_index_says_so),
		cmocka_unit_test(real_kernel),
	};

	return cmocka_run_group_tests_name("modules_dep", tests, setup_fixture,
					   teardown_fixture);
}
