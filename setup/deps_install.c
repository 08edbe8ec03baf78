// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/msg.h"
#include "setup/pkg_resolve.h"
#include "setup/series.h"
#include "setup/setup.h"
#include "lib/spawn.h"

const char *const setup_packages[] = {
	"qemu-system-x86",
	"busybox-static",
	"btrfs-progs",
	"dmsetup",
	"xfsprogs", /* xfs_io, for exported fstests tests in the guest */
	"attr", /* setfattr, the same */
	"libdevmapper-dev",
	"libblkid-dev",
	"libbtrfsutil-dev",
	"afl++",
	"cpio",
	"kmod",
	"libcmocka-dev",
	"xz-utils",
	"binutils",
	"patch",
	"make",
	"gcc",
	"valgrind",
	"gnuplot-nox", /* afl-plot */
	"gzip",
	"cppcheck", /* make lint */
	"clang-tidy",
	NULL,
};

static int apt_update(void)
{
	char *argv[] = { "apt-get", "update", "-q", NULL };

	lw_info("apt-get update");
	if (spawn_run(argv, NULL, "/dev/null") == 0)
		return 0;
	lw_err("'apt-get update' failed; check the Debian mirror in /etc/apt/sources.list");
	return -1;
}

static int resolve_release(struct kstate *ks)
{
	char *argv[] = { "apt-cache", "depends",
			 (char *)ks->series->image_meta, NULL };
	char *out;
	int st = spawn_capture(argv, &out);
	int ret = -1;

	if (st == 0 && out)
		ret = pkg_parse_kernel_release(out, ks->release,
					       sizeof(ks->release));
	free(out);
	return ret;
}

static int candidate(const char *pkg, char *ver, size_t len)
{
	char *argv[] = { "apt-cache", "policy", (char *)pkg, NULL };
	char *out;
	int ret = -1;

	if (spawn_capture(argv, &out) == 0 && out)
		ret = pkg_parse_candidate(out, ver, len);
	free(out);
	return ret;
}

static int installed_version(const char *pkg, char *ver, size_t len)
{
	char *argv[] = { "dpkg-query", "-W",	    "-f",
			 "${Version}", (char *)pkg, NULL };
	char *out;
	int ret = -1;

	if (spawn_capture(argv, &out) == 0 && out && *out) {
		snprintf(ver, len, "%s", out);
		ret = 0;
	}
	free(out);
	return ret;
}

static int missing_packages(const char *const *pkgs, size_t n, char *missing,
			    size_t len)
{
	char **argv = calloc(n + 5, sizeof(char *));
	char *out;
	int count;

	argv[0] = "dpkg-query";
	argv[1] = "-W";
	argv[2] = "-f";
	argv[3] = "${db:Status-Abbrev} ${Package}\n";
	for (size_t i = 0; i < n; i++)
		argv[4 + i] = (char *)pkgs[i];
	/* Exit status 1 only means "some package unknown". */
	spawn_capture(argv, &out);
	missing[0] = '\0';
	count = pkg_find_missing(out ? out : "", pkgs, n, missing, len);
	free(out);
	free(argv);
	return count;
}

static int apt_install(const char *missing)
{
	char *list = strdup(missing), *save = NULL;
	char *argv[64] = { "apt-get", "install", "-y", "-q",
			   "--no-install-recommends" };
	int n = 5, st;

	for (char *t = strtok_r(list, " ", &save); t && n < 63;
	     t = strtok_r(NULL, " ", &save))
		argv[n++] = t;
	argv[n] = NULL;
	lw_info("apt-get install %s", missing);
	setenv("DEBIAN_FRONTEND", "noninteractive", 1);
	st = spawn_run(argv, NULL, "/dev/null");
	free(list);
	if (st == 0)
		return 0;
	lw_err("'apt-get install %s' failed (exit %d); run it by hand to see why",
	       missing, st);
	return -1;
}

int deps_ensure(struct kstate *ks, int install, int update)
{
	const struct kseries *s = ks->series;
	const char *pkgs[64];
	char headers[128], missing[2048];
	size_t n = 0;
	int updated = 0;

	if (update && install && geteuid() == 0) {
		if (apt_update())
			return -1;
		updated = 1;
	}
	if (resolve_release(ks)) {
		if (updated || !install || geteuid() != 0 || apt_update() ||
		    resolve_release(ks)) {
			lw_err("cannot resolve %s to a kernel release; run 'apt-get update' (as root) and retry",
			       s->image_meta);
			return -1;
		}
		updated = 1;
	}
	snprintf(headers, sizeof(headers), "linux-headers-%s", ks->release);
	for (; setup_packages[n]; n++)
		pkgs[n] = setup_packages[n];
	pkgs[n++] = s->source_pkg;
	pkgs[n++] = headers;
	if (missing_packages(pkgs, n, missing, sizeof(missing))) {
		if (!install || geteuid() != 0) {
			lw_err("missing packages: %s; run 'lwfuzz setup' as root or 'apt-get install %s'",
			       missing, missing);
			return -1;
		}
		if ((!updated && apt_update()) || apt_install(missing))
			return -1;
		if (missing_packages(pkgs, n, missing, sizeof(missing))) {
			lw_err("still missing after apt-get install: %s",
			       missing);
			return -1;
		}
	}
	char img[128];

	snprintf(img, sizeof(img), "linux-image-%s", ks->release);
	if (candidate(img, ks->image_version, sizeof(ks->image_version)) ||
	    installed_version(s->source_pkg, ks->source_version,
			      sizeof(ks->source_version))) {
		lw_err("apt-cache knows no version of %s or %s; run 'apt-get update'",
		       img, s->source_pkg);
		return -1;
	}
	/* The patches are written against the source; the headers and the
	 * image come from the same Debian upload when the two agree. */
	if (strcmp(ks->image_version, ks->source_version))
		lw_info("note: %s is %s but %s is %s", img,
			ks->image_version, s->source_pkg, ks->source_version);
	return 0;
}
