// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/msg.h"
#include "setup/setup.h"
#include "lib/spawn.h"
#include "setup/series.h"

int cache_check_space(const struct layout *l, unsigned long long need_mb)
{
	struct statvfs sv;
	unsigned long long free_mb;

	if (mkdir_p(l->cache, 0755) < 0) {
		lw_err("cannot create the cache %s: %s; set LWFUZZ_CACHE to a writable directory",
		       l->cache, strerror(errno));
		return -1;
	}
	if (statvfs(l->cache, &sv) < 0)
		return 0;
	free_mb = (unsigned long long)sv.f_bavail * sv.f_frsize >> 20;
	if (free_mb >= need_mb)
		return 0;
	lw_err("not enough space for the cache %s: %llu MiB free, %llu MiB needed; free some or set LWFUZZ_CACHE elsewhere",
	       l->cache, free_mb, need_mb);
	return -1;
}

/* The version file says which package a complete cache entry came from. */
static int entry_matches(const char *dir, const char *version)
{
	char *path = path_join(dir, "version");
	char *text = read_file(path, NULL);
	int ok = text && !strcmp(text, version);

	free(text);
	free(path);
	return ok;
}

static int run_step(char *const argv[], const char *cwd, const char *what)
{
	int st = spawn_run(argv, cwd, "/dev/null");

	if (st == 0)
		return 0;
	lw_err("%s failed (exit %d): %s", what, st, spawn_describe(argv));
	return -1;
}

static char *find_deb(const char *debs, const char *pkg)
{
	char *pattern = xasprintf("%s/%s_*_amd64.deb", debs, pkg);
	char *found = NULL;
	glob_t g;

	if (glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc)
		found = xasprintf("%s", g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	free(pattern);
	return found;
}

static int download(const char *debs, const char *pkg, const char *version,
		    char **deb)
{
	char *spec = xasprintf("%s=%s", pkg, version);
	char *argv[] = { "apt-get", "download", "-q", spec, NULL };
	int ret;

	*deb = NULL;
	lw_info("downloading %s", spec);
	ret = run_step(argv, debs, "apt-get download");
	free(spec);
	if (ret)
		return -1;
	*deb = find_deb(debs, pkg);
	if (!*deb) {
		lw_err("apt-get download left no %s .deb in %s", pkg, debs);
		return -1;
	}
	return 0;
}

static int unpack_image(const char *deb, const char *tmp, const char *release)
{
	char *x[] = { "dpkg-deb", "-x", (char *)deb, (char *)tmp, NULL };
	char *d[] = { "depmod", "-b", (char *)tmp, (char *)release, NULL };

	if (run_step(x, NULL, "unpacking the kernel image"))
		return -1;
	return run_step(d, NULL, "depmod");
}

int kernel_fetch(const struct layout *l, const struct kstate *ks)
{
	char *dir = layout_kernel_dir(l, ks);
	char *tmp = xasprintf("%s.tmp", dir);
	char *debs = path_join(l->cache, "debs");
	char *pkg = xasprintf("linux-image-%s", ks->release);
	char *deb = NULL;
	int ret = -1;

	if (entry_matches(dir, ks->image_version)) {
		ret = 0;
		goto out;
	}
	if (cache_check_space(l, 1024))
		goto out;
	rm_rf(tmp);
	if (mkdir_p(tmp, 0755) || mkdir_p(debs, 0755)) {
		lw_err("cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (download(debs, pkg, ks->image_version, &deb) ||
	    unpack_image(deb, tmp, ks->release))
		goto out;
	char *ver = path_join(tmp, "version");

	ret = write_file_atomic(ver, ks->image_version,
				strlen(ks->image_version));
	free(ver);
	if (!ret)
		ret = layout_commit_dir(tmp, dir);
	if (ret)
		lw_err("cannot write the kernel into %s: %s", dir,
		       strerror(errno));
	/* The unpacked tree is what we use; the .deb is only a download. */
	unlink(deb);
out:
	if (ret)
		rm_rf(tmp);
	free(deb);
	free(pkg);
	free(debs);
	free(tmp);
	free(dir);
	return ret;
}

int source_extract(const struct layout *l, const struct kstate *ks)
{
	const char *pkg = ks->series->source_pkg;
	char *dir = xasprintf("%s/src/%s", l->cache, ks->source_version);
	char *tmp = xasprintf("%s.tmp", dir);
	char *tarball = xasprintf("/usr/src/%s.tar.xz", pkg);
	char *btrfs = xasprintf("%s/fs/btrfs", pkg);
	char *argv[] = { "tar", "-xf", tarball, "-C", tmp, btrfs, NULL };
	int ret = -1;

	if (entry_matches(dir, ks->source_version)) {
		ret = 0;
		goto out;
	}
	lw_info("extracting fs/btrfs from %s", tarball);
	rm_rf(tmp);
	if (mkdir_p(tmp, 0755)) {
		lw_err("cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (run_step(argv, NULL, "extracting linux-source"))
		goto out;
	char *ver = path_join(tmp, "version");

	ret = write_file_atomic(ver, ks->source_version,
				strlen(ks->source_version));
	free(ver);
	if (!ret)
		ret = layout_commit_dir(tmp, dir);
	if (ret)
		lw_err("cannot write %s: %s", dir, strerror(errno));
out:
	if (ret)
		rm_rf(tmp);
	free(btrfs);
	free(tarball);
	free(tmp);
	free(dir);
	return ret;
}
