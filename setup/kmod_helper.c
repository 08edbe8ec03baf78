// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/delay_site.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/msg.h"
#include "lib/spawn.h"
#include "setup/kmod_helper.h"

/* lwfuzz.ko's sources (kmod/ and the ABI header it shares with the agent). */
static const char *const helper_src[] = {
	"kmod/lwfuzz_main.c", "kmod/lwfuzz_delay.c", "kmod/lwfuzz_cov_read.c",
	"kmod/lwfuzz.h",      "kmod/lwfuzz_cov.h",   "lib/lwfuzz_kmod.h",
};
/* What goes into btrfs.ko. */
static const char *const cov_src[] = {
	"kmod/lwfuzz_cov.c",
	"kmod/lwfuzz_cov.h",
	"lib/lwfuzz_kmod.h",
};

#define N(a) (sizeof(a) / sizeof(*(a)))

int kmod_helper_key(const struct layout *l, uint64_t *h)
{
	for (size_t i = 0; i < N(helper_src) + 1; i++) {
		const char *rel = i < N(helper_src) ? helper_src[i] : cov_src[0];
		char *path = layout_src(l, rel);
		int ret = hash_file(h, path);

		if (ret)
			lw_err("cannot read %s: %s", path, strerror(errno));
		free(path);
		if (ret)
			return -1;
		*h = hash_str(*h, rel);
	}
	return 0;
}

static int copy_sources(const struct layout *l, const char *const *rel,
			size_t n, const char *dir)
{
	for (size_t i = 0; i < n; i++) {
		char *src = layout_src(l, rel[i]);
		const char *base = strrchr(rel[i], '/') + 1;
		char *dst = path_join(dir, base);
		int ret = copy_file(src, dst, 0644);

		if (ret)
			lw_err("cannot copy %s to %s: %s", src, dst,
			       strerror(errno));
		free(src);
		free(dst);
		if (ret)
			return -1;
	}
	return 0;
}

static int append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) ? -1 : 0;
}

int kmod_add_coverage(const struct layout *l, const char *btrfs)
{
	char *mk = path_join(btrfs, "Makefile");
	int ret;

	if (copy_sources(l, cov_src, N(cov_src), btrfs)) {
		free(mk);
		return -1;
	}
	/* The collector itself must not call itself. */
	ret = append(mk, "\nbtrfs-y += lwfuzz_cov.o\n"
			 "ccflags-y += -fsanitize-coverage=trace-pc\n"
			 "CFLAGS_REMOVE_lwfuzz_cov.o += -fsanitize-coverage=trace-pc\n");
	if (ret)
		lw_err("cannot extend %s: %s", mk, strerror(errno));
	free(mk);
	return ret;
}

int kmod_helper_build(const struct layout *l, const struct kstate *ks,
		      const char *work, const char *out, const char *log)
{
	char *dir = path_join(work, "lwfuzz-kmod");
	char *kbuild = path_join(dir, "Kbuild");
	char *hdr = xasprintf("/usr/src/linux-headers-%s", ks->release);
	char *m = xasprintf("M=%s", dir);
	char *ko = path_join(dir, "lwfuzz.ko");
	char *dst = path_join(out, "lwfuzz.ko");
	char *make[] = { "make", "-C", hdr, m, "modules", NULL };
	char *strip[] = { "strip", "--strip-debug", "-o", dst, ko, NULL };
	static const char kbuild_text[] =
		"obj-m := lwfuzz.o\n"
		"lwfuzz-y := lwfuzz_main.o lwfuzz_delay.o lwfuzz_cov_read.o\n"
		"ccflags-y := -I$(src)\n";
	int ret = -1, st;

	if (mkdir_p(dir, 0755) ||
	    copy_sources(l, helper_src, N(helper_src), dir) ||
	    write_file_atomic(kbuild, kbuild_text, strlen(kbuild_text))) {
		lw_err("cannot prepare %s for lwfuzz.ko", dir);
		goto out;
	}
	st = spawn_run(make, NULL, log);
	if (st) {
		lw_err("building lwfuzz.ko failed (exit %d); see %s", st, log);
		goto out;
	}
	if (spawn_run(strip, NULL, log)) {
		lw_err("cannot store %s (see %s)", dst, log);
		goto out;
	}
	ret = 0;
out:
	free(dst);
	free(ko);
	free(m);
	free(hdr);
	free(kbuild);
	free(dir);
	return ret;
}

/*
 * nm's System V format: "name|value|class|type|size|line|section". A site
 * is a function in a section whose name starts with .text (not .init.text:
 * gone once the module is loaded).
 */
static char *site_of_line(char *line)
{
	char *f[7];
	int n = 0;

	for (char *p = line; n < 7; n++) {
		f[n] = p;
		p = strchr(p, '|');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n < 6)
		return NULL;
	for (int i = 0; i <= n; i++) {
		char *s = f[i], *e = s + strlen(s);

		while (*s == ' ')
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\n'))
			*--e = '\0';
		f[i] = s;
	}
	if (strcmp(f[3], "FUNC") || strncmp(f[6], ".text", 5))
		return NULL;
	return f[0];
}

int kmod_sites_write(const char *ko, const char *path, const char *log)
{
	char *argv[] = { "nm", "--defined-only", "-f", "sysv", (char *)ko,
			 NULL };
	char *out = NULL, *save = NULL, **names = NULL;
	size_t n = 0;
	int ret = -1;

	if (spawn_capture(argv, &out) || !out) {
		lw_err("nm cannot read %s (see %s)", ko, log);
		goto out;
	}
	for (char *line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *name = site_of_line(line);

		if (!name)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = name;
	}
	if (!n) {
		lw_err("%s has no functions for delay sites (nm found none)",
		       ko);
		goto out;
	}
	ret = site_table_write(path, names, n);
	if (ret)
		lw_err("cannot write %s: %s", path, strerror(errno));
out:
	free(names);
	free(out);
	return ret;
}

void kmod_sites_know(const struct layout *l, const char *variant)
{
	char *dir = layout_variant_dir(l, variant);
	char *path = path_join(dir, "sites");
	struct site_table t;
	char why[256];

	if (path_exists(path) && !site_table_load(path, &t, why, sizeof(why))) {
		site_know_table(&t);
		site_table_free(&t);
	}
	free(path);
	free(dir);
}
