// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/delay_site.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "setup/initramfs.h"
#include "setup/modules_dep.h"
#include "lib/msg.h"
#include "setup/series.h"
#include "setup/setup.h"
#include "setup/variants.h"

/*
 * What every guest loads; their dependencies come from the image's. A
 * Debian kernel has them all; a kernel of the user's own may lack the
 * ones lwfuzz can do without.
 */
const struct guest_module guest_modules[] = {
	{ "virtio_pci", "CONFIG_VIRTIO_PCI", 1 },
	{ "virtio_blk", "CONFIG_VIRTIO_BLK", 1 },
	{ "dm-mod", "CONFIG_BLK_DEV_DM", 1 },
	{ "dm-log-writes", "CONFIG_DM_LOG_WRITES", 1 },
	{ "dm-snapshot", "CONFIG_DM_SNAPSHOT", 1 },
	{ "dm-thin-pool", "CONFIG_DM_THIN_PROVISIONING", 0 },
	{ "dm-flakey", "CONFIG_DM_FLAKEY", 0 },
	/* Exported fstests tests of workloads with delay plans. */
	{ "dm-delay", "CONFIG_DM_DELAY", 0 },
	{ "crc32c-intel", "CONFIG_CRYPTO_CRC32C_INTEL", 0 },
	{ "btrfs", "CONFIG_BTRFS_FS", 1 },
	{ NULL, NULL, 0 },
};

int guest_modules_check(const char *mdir, int all, char *why, size_t len)
{
	for (size_t i = 0; guest_modules[i].name; i++) {
		const struct guest_module *m = &guest_modules[i];
		int r;

		if (!all && !m->needed)
			continue;
		r = moddep_present(mdir, m->name);
		if (r < 0) {
			snprintf(why, len,
				 "cannot read the module indexes of %s; run depmod on it",
				 mdir);
			return -1;
		}
		if (!r) {
			snprintf(why, len,
				 "no %s: enable %s (as a module or built in)",
				 m->name, m->config);
			return -1;
		}
	}
	return 0;
}

/* Host tools the guest runs, at their host paths. */
static const char *const guest_tools[] = {
	"/usr/sbin/mkfs.btrfs",
	"/usr/bin/btrfs",
	"/usr/sbin/dmsetup",
	/* What exported fstests tests run (tests/fstests-harness). */
	"/usr/bin/bash",
	"/usr/sbin/xfs_io",
	"/usr/bin/setfattr",
};

/*
 * lwfuzz.ko after btrfs.ko (it reads btrfs's coverage area), and the
 * variant's delay sites where the agent looks (lib/delay_site.h).
 */
static int add_helper(struct ifs_list *ifs, const char *vdir,
		      const char *release, char **order)
{
	char *ko = path_join(vdir, "lwfuzz.ko");
	char *sites = path_join(vdir, "sites");
	char *name = xasprintf("lib/modules/%s/extra/lwfuzz.ko", release);
	char *o = xasprintf("%s/%s\n", *order, name);
	int ret = -1;

	if (!path_exists(ko) || !path_exists(sites)) {
		lw_err("%s has no lwfuzz.ko or sites; run 'lwfuzz setup' again",
		       vdir);
		goto out;
	}
	ifs_add_file(ifs, name, ko, 0644);
	ifs_add_file(ifs, SITE_TABLE_GUEST, sites, 0644);
	free(*order);
	*order = o;
	o = NULL;
	ret = 0;
out:
	free(o);
	free(name);
	free(sites);
	free(ko);
	return ret;
}

/* The guest modules @mdir has: all of them, or only what is there (@own). */
static size_t module_names(const char *mdir, int own, const char **names)
{
	size_t n = 0;

	for (size_t i = 0; guest_modules[i].name; i++)
		if (!own || moddep_present(mdir, guest_modules[i].name) == 1)
			names[n++] = guest_modules[i].name;
	return n;
}

/*
 * The load order of a guest that only replays logs: the variant's btrfs
 * built without coverage (REPLAY_KO, setup/kmod_build.c) in btrfs.ko's
 * place and no lwfuzz.ko (nothing to collect or delay). None when the
 * variant has no such build (a user's kernel, a bisect step's).
 */
static void add_replay_order(struct ifs_list *ifs, const char *vdir,
			     const char *release, struct mod_load *mods, int n)
{
	char *ko = path_join(vdir, "btrfs-replay.ko");
	char *name = xasprintf("lib/modules/%s/extra/btrfs-replay.ko", release);
	char *order = xasprintf("%s", "");

	if (!path_exists(ko))
		goto out;
	for (int i = 0; i < n; i++) {
		char *path = strcmp(mods[i].name, "btrfs") ?
				     xasprintf("lib/modules/%s/%s", release,
					       mods[i].path) :
				     xasprintf("%s", name);
		char *o = xasprintf("%s/%s\n", order, path);

		free(path);
		free(order);
		order = o;
	}
	ifs_add_file(ifs, name, ko, 0644);
	ifs_add_data(ifs, "lib/modules/load-order-replay", order,
		     strlen(order), 0644);
out:
	free(order);
	free(name);
	free(ko);
}

static int add_modules(struct ifs_list *ifs, const char *kdir, const char *vdir,
		       const char *release, int own)
{
	char *mdir = xasprintf("%s/lib/modules/%s", kdir, release);
	char why[512], *order = xasprintf("%s", "");
	const char *names[sizeof(guest_modules) / sizeof(*guest_modules)];
	struct mod_load *mods;
	int n = moddep_load_order(mdir, names, module_names(mdir, own, names),
				  &mods, why, sizeof(why));

	if (n < 0)
		lw_err("%s", why);
	for (int i = 0; i < n; i++) {
		char *name =
			xasprintf("lib/modules/%s/%s", release, mods[i].path);
		/*
		 * The variant's own btrfs.ko, built out of tree, in the stock
		 * one's place: the same name, so the same dependencies. A
		 * user's kernel brings its btrfs as it is.
		 */
		char *host = own || strcmp(mods[i].name, "btrfs")
				     ? path_join(mdir, mods[i].path)
				     : path_join(vdir, "btrfs.ko");
		char *o = xasprintf("%s/%s\n", order, name);

		ifs_add_file(ifs, name, host, 0644);
		free(order);
		order = o;
		free(name);
		free(host);
	}
	/* lwfuzz.ko is built against Debian's headers only: a user's kernel
	 * runs without coverage and delay plans. */
	if (n >= 0 && !own && add_helper(ifs, vdir, release, &order)) {
		moddep_free_order(mods, n);
		n = -1;
	}
	if (n >= 0) {
		ifs_add_data(ifs, "lib/modules/load-order", order,
			     strlen(order), 0644);
		if (!own)
			add_replay_order(ifs, vdir, release, mods, n);
		moddep_free_order(mods, n);
	}
	free(order);
	free(mdir);
	return n < 0 ? -1 : 0;
}

static struct ifs_list *base_list(const struct kstate *ks, const char *kdir,
				  const char *vdir)
{
	struct ifs_list *ifs = ifs_new();
	static const char *const dirs[] = {
		"dev", "proc", "sys", "tmp",  "run",	 "mnt",
		"in",  "out",  "etc", "sbin", "usr/bin", "usr/sbin"
	};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		ifs_add_dir(ifs, dirs[i]);
	ifs_add_file(ifs, "bin/busybox", "/bin/busybox", 0755);
	ifs_add_symlink(ifs, "bin/sh", "busybox");
	/* Scripts say #!/bin/bash; Debian's bash is /usr/bin/bash. */
	ifs_add_symlink(ifs, "bin/bash", "/usr/bin/bash");
	for (size_t i = 0; i < sizeof(guest_tools) / sizeof(*guest_tools);
	     i++) {
		if (ifs_add_binary(ifs, guest_tools[i])) {
			lw_err("cannot collect %s and its libraries (ldd failed); reinstall it or run 'lwfuzz setup'",
			       guest_tools[i]);
			goto err;
		}
	}
	if (add_modules(ifs, kdir, vdir, ks->release, ks->series->own))
		goto err;
	return ifs;
err:
	ifs_free(ifs);
	return NULL;
}

static int write_base(const struct ifs_list *ifs, const char *path)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int ret = -1;

	if (fd < 0)
		goto out;
	ret = ifs_write(ifs, fd);
	if (close(fd) < 0)
		ret = -1;
	if (!ret)
		ret = rename(tmp, path);
out:
	if (ret) {
		lw_err("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ret;
}

int initramfs_build_base(const struct layout *l, const struct kstate *ks,
			 const struct variant *v, int *built)
{
	char *kdir = layout_kernel_dir(l, ks);
	char *vdir = layout_variant_dir(l, v->name);
	char *cpio = path_join(vdir, "base.cpio");
	char *keyf = path_join(vdir, "base.key");
	char *old = read_file(keyf, NULL);
	struct ifs_list *ifs;
	char key[32];
	int ret = -1;

	*built = 0;
	ifs = base_list(ks, kdir, vdir);
	if (!ifs)
		goto out;
	snprintf(key, sizeof(key), "%016" PRIx64,
		 ifs_key(ifs, hash_str(HASH_INIT, ks->release)));
	if (old && !strcmp(old, key) && path_exists(cpio)) {
		ret = 0;
		goto out;
	}
	lw_info("writing the %s initramfs", v->name);
	/* The key goes last: a crash in between leaves a stale key, which
	 * only costs a rebuild. */
	unlink(keyf);
	ret = write_base(ifs, cpio);
	if (!ret)
		ret = write_file_atomic(keyf, key, strlen(key));
	*built = !ret;
out:
	ifs_free(ifs);
	free(old);
	free(keyf);
	free(cpio);
	free(vdir);
	free(kdir);
	return ret;
}
