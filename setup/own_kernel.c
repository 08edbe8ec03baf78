// SPDX-License-Identifier: GPL-2.0
/*
 * A kernel of the user's own (`lwfuzz setup --own NAME --image VMLINUZ
 * --modules DIR`, or `--tree DIR` for a built kernel tree): copied into
 * the cache as it is, never patched or rebuilt. Its btrfs, dm-log-writes and dm-snapshot must be modules of
 * that directory or built in; lwfuzz.ko is built against Debian's headers
 * only, so it runs without btrfs coverage and delay plans.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/msg.h"
#include "lib/spawn.h"
#include "setup/series.h"
#include "setup/setup.h"
#include "setup/variants.h"

/*
 * DIR is lib/modules/RELEASE itself (it has modules.order or
 * modules.dep), or a root holding exactly one lib/modules/RELEASE (what
 * `make modules_install INSTALL_MOD_PATH=DIR` leaves).
 */
static char *modules_dir(const char *dir, char *release, size_t len)
{
	char *root = path_join(dir, "lib/modules"), *found = NULL;
	char *order = path_join(dir, "modules.order");
	char *dep = path_join(dir, "modules.dep");
	struct dirent *e;
	DIR *d;

	if (path_exists(order) || path_exists(dep)) {
		char *copy = xasprintf("%s", dir), *slash;

		while ((slash = strrchr(copy, '/')) && !slash[1])
			*slash = '\0';
		slash = strrchr(copy, '/');
		snprintf(release, len, "%s", slash ? slash + 1 : copy);
		free(copy);
		found = xasprintf("%s", dir);
		goto out;
	}
	d = opendir(root);
	while (d && (e = readdir(d))) {
		char *sub;

		if (e->d_name[0] == '.')
			continue;
		sub = path_join(root, e->d_name);
		if (!is_dir(sub) || found) {
			int twice = found != NULL && is_dir(sub);

			free(sub);
			if (twice) {
				free(found);
				found = NULL;
				break;
			}
			continue;
		}
		found = sub;
		if (strlen(e->d_name) >= len) {
			free(found);
			found = NULL;
			break;
		}
		memcpy(release, e->d_name, strlen(e->d_name) + 1);
	}
	if (d)
		closedir(d);
out:
	free(dep);
	free(order);
	free(root);
	return found;
}

static int copy_kernel(const char *image, const char *mods,
		       const char *release, const char *tmp)
{
	char *boot = path_join(tmp, "boot");
	char *img = xasprintf("%s/vmlinuz-%s", boot, release);
	char *mdst = path_join(tmp, "lib/modules");
	/* -a: the build and source links stay links, not the whole tree. */
	char *cp[] = { "cp", "-a", (char *)mods, NULL, NULL };
	char *depmod[] = { "depmod", "-b", (char *)tmp, (char *)release,
			   NULL };
	char *target = xasprintf("%s/%s", mdst, release);
	int ret = -1;

	cp[3] = target;
	if (mkdir_p(boot, 0755) || mkdir_p(mdst, 0755) ||
	    copy_file(image, img, 0644)) {
		lw_err("cannot copy %s into %s: %s", image, tmp,
		       strerror(errno));
		goto out;
	}
	if (spawn_run(cp, NULL, "/dev/null")) {
		lw_err("cannot copy the modules of %s into %s", mods, tmp);
		goto out;
	}
	/* The user's modules.dep may be missing or from another layout. */
	if (spawn_run(depmod, NULL, "/dev/null")) {
		lw_err("depmod failed on the modules of %s (%s); are they modules of release %s?",
		       mods, spawn_describe(depmod), release);
		goto out;
	}
	ret = 0;
out:
	free(target);
	free(mdst);
	free(img);
	free(boot);
	return ret;
}

/* Is "own:@name" a kernel name? Says why not. */
static int own_name_ok(const char *name)
{
	char *kernel = xasprintf("own:%s", name);
	int ok = kseries_of(kernel) == &kseries_own;

	if (!ok)
		lw_err("bad kernel name '%s' for --own: use letters, digits, '.', '_' or '-' (up to 23)",
		       name);
	free(kernel);
	return ok;
}

/* @origin: where it came from, kept with the kernel ("image X, ..."). */
static int own_kernel_install(const struct layout *l, const char *name,
			      const char *image, const char *modules,
			      const char *origin)
{
	char *kernel = xasprintf("own:%s", name);
	struct kstate ks = { .series = &kseries_own };
	char release[128] = "", why[512], *mods = NULL, *dir = NULL;
	char *tmp = NULL, *mdir = NULL, *vdir = NULL;
	struct variant v = { 0 };
	char real_img[PATH_MAX], real_mods[PATH_MAX];
	int built, ret = -1;

	if (!own_name_ok(name))
		goto out;
	snprintf(ks.name, sizeof(ks.name), "%s", kernel);
	if (!path_exists(image) || is_dir(image) || !realpath(image, real_img)) {
		lw_err("--image %s: not a kernel image file; give the bzImage (arch/x86/boot/bzImage or /boot/vmlinuz-RELEASE)",
		       image);
		goto out;
	}
	mods = is_dir(modules) ? modules_dir(modules, release, sizeof(release))
			       : NULL;
	if (!mods || !realpath(mods, real_mods) ||
	    strlen(release) >= sizeof(ks.release)) {
		lw_err("--modules %s: not a modules directory; give lib/modules/RELEASE or the INSTALL_MOD_PATH of 'make modules_install'",
		       modules);
		goto out;
	}
	snprintf(ks.release, sizeof(ks.release), "%s", release);
	if ((origin ? snprintf(ks.origin, sizeof(ks.origin), "%s", origin) :
		      snprintf(ks.origin, sizeof(ks.origin),
			       "image %s, modules %s", real_img, real_mods)) >=
	    (int)sizeof(ks.origin)) {
		lw_err("--image and --modules: paths longer than %zu bytes together; use shorter ones",
		       sizeof(ks.origin) - 20);
		goto out;
	}
	if (cache_check_space(l, 1024))
		goto out;
	dir = layout_kernel_dir(l, &ks);
	tmp = xasprintf("%s.tmp", dir);
	rm_rf(tmp);
	lw_info("copying kernel %s (release %s) into %s", kernel, release,
		dir);
	if (copy_kernel(real_img, real_mods, release, tmp))
		goto out;
	mdir = xasprintf("%s/lib/modules/%s", tmp, release);
	if (guest_modules_check(mdir, 0, why, sizeof(why))) {
		lw_err("kernel %s cannot run lwfuzz: %s", kernel, why);
		goto out;
	}
	if (layout_commit_dir(tmp, dir) || kstate_save(l, &ks)) {
		lw_err("cannot write the kernel into %s: %s", dir,
		       strerror(errno));
		goto out;
	}
	snprintf(v.name, sizeof(v.name), "%s", kernel);
	vdir = layout_variant_dir(l, kernel);
	if (mkdir_p(vdir, 0755)) {
		lw_err("cannot create %s: %s", vdir, strerror(errno));
		goto out;
	}
	if (initramfs_build_base(l, &ks, &v, &built))
		goto out;
	lw_info("%s: release %s, %s", kernel, release, ks.origin);
	ret = 0;
out:
	if (ret && tmp)
		rm_rf(tmp);
	free(vdir);
	free(mdir);
	free(tmp);
	free(dir);
	if (mods != modules)
		free(mods);
	free(kernel);
	return ret;
}

int own_kernel_setup(const struct layout *l, const char *name,
		     const char *image, const char *modules)
{
	return own_kernel_install(l, name, image, modules, NULL);
}

/*
 * A built tree: its bzImage, and its modules installed by its own kbuild
 * (`make modules_install`, which strips, signs or compresses them as the
 * tree's configuration says) into a scratch root in the cache.
 */
int own_kernel_setup_tree(const struct layout *l, const char *name,
			  const char *tree)
{
	char real[PATH_MAX], origin[sizeof(((struct kstate *)0)->origin)];
	char *image = NULL, *order = NULL, *root = NULL, *log = NULL;
	char *logs = path_join(l->cache, "logs"), *arg_root = NULL;
	char *make[] = { "make", "-C", NULL, "-s", NULL, "modules_install",
			 NULL };
	int ret = -1;

	if (!own_name_ok(name))
		goto out;
	if (!is_dir(tree) || !realpath(tree, real)) {
		lw_err("--tree %s: not a directory; give the top of a built kernel tree",
		       tree);
		goto out;
	}
	image = path_join(real, "arch/x86/boot/bzImage");
	order = path_join(real, "modules.order");
	if (!path_exists(image)) {
		lw_err("--tree %s: no arch/x86/boot/bzImage; build the kernel there first ('make bzImage modules')",
		       tree);
		goto out;
	}
	if (!path_exists(order)) {
		lw_err("--tree %s: no modules built (no modules.order); run 'make modules' there, or give --image and --modules",
		       tree);
		goto out;
	}
	if (strlen(real) + 8 > sizeof(origin)) {
		lw_err("--tree %s: a path longer than %zu bytes; use a shorter one",
		       tree, sizeof(origin) - 8);
		goto out;
	}
	snprintf(origin, sizeof(origin), "tree %s", real);
	root = xasprintf("%s/own-tree.tmp", l->cache);
	log = xasprintf("%s/modules-install-own:%s.log", logs, name);
	rm_rf(root);
	unlink(log);
	if (mkdir_p(root, 0755) || mkdir_p(logs, 0755)) {
		lw_err("cannot create %s: %s", root, strerror(errno));
		goto out;
	}
	make[2] = real;
	make[4] = arg_root = xasprintf("INSTALL_MOD_PATH=%s", root);
	lw_info("installing the modules of %s into %s", real, root);
	if (spawn_run(make, NULL, log)) {
		lw_err("'make modules_install' failed in %s; see %s", real,
		       log);
		goto out;
	}
	ret = own_kernel_install(l, name, image, root, origin);
out:
	if (root)
		rm_rf(root);
	free(arg_root);
	free(log);
	free(root);
	free(order);
	free(image);
	free(logs);
	return ret;
}
