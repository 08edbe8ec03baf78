// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "setup/variants.h"

static char *default_cache(void)
{
	const char *env = getenv("LWFUZZ_CACHE");

	if (env && *env)
		return xasprintf("%s", env);
	env = getenv("XDG_CACHE_HOME");
	if (env && *env)
		return xasprintf("%s/lwfuzz", env);
	env = getenv("HOME");
	return xasprintf("%s/.cache/lwfuzz", env && *env ? env : "/root");
}

int layout_init(struct layout *l)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0) {
		lw_err("cannot find our own binary (/proc/self/exe): %s",
		       strerror(errno));
		return -1;
	}
	exe[n] = '\0';
	/* ROOT/bin/lwfuzz -> ROOT */
	for (int i = 0; i < 2; i++) {
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
	}
	l->root = xasprintf("%s", getenv("LWFUZZ_ROOT") ? getenv("LWFUZZ_ROOT")
							: exe);
	l->cache = default_cache();
	return 0;
}

void layout_free(struct layout *l)
{
	free(l->root);
	free(l->cache);
}

char *layout_kernel_dir(const struct layout *l, const char *release)
{
	return xasprintf("%s/kernel/%s", l->cache, release);
}

char *layout_variant_dir(const struct layout *l, const char *variant)
{
	return xasprintf("%s/variants/%s", l->cache, variant);
}

char *layout_src(const struct layout *l, const char *rel)
{
	return path_join(l->root, rel);
}

static void get_field(const char *text, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);

	out[0] = '\0';
	for (const char *p = text; p && *p;) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(out, len, "%.*s", (int)(n - klen - 1),
				 p + klen + 1);
			return;
		}
		p = end ? end + 1 : NULL;
	}
}

int kstate_load(const struct layout *l, struct kstate *ks)
{
	char *path = path_join(l->cache, "kernel.state");
	char *text = read_file(path, NULL);

	free(path);
	if (!text)
		return -1;
	get_field(text, "release", ks->release, sizeof(ks->release));
	get_field(text, "image_version", ks->image_version,
		  sizeof(ks->image_version));
	get_field(text, "source_version", ks->source_version,
		  sizeof(ks->source_version));
	free(text);
	return ks->release[0] ? 0 : -1;
}

int kstate_save(const struct layout *l, const struct kstate *ks)
{
	char *path = path_join(l->cache, "kernel.state");
	char *text =
		xasprintf("release=%s\nimage_version=%s\nsource_version=%s\n",
			  ks->release, ks->image_version, ks->source_version);
	int ret = write_file_atomic(path, text, strlen(text));

	free(text);
	free(path);
	return ret;
}

int layout_load_patches(const struct layout *l, struct patch_set *ps)
{
	char *sp = layout_src(l, "kmod-patch/series");
	char *vp = layout_src(l, "kmod-patch/variants");
	char *series = read_file(sp, NULL), *variants = read_file(vp, NULL);
	char *fixes = NULL, why[512];
	int ret = -1;

	if (!series || !variants) {
		lw_err("cannot read %s: %s (is LWFUZZ_ROOT right?)",
		       series ? vp : sp, strerror(errno));
		goto out;
	}
	ret = variants_parse(ps, series, variants, why, sizeof(why));
	if (!ret) {
		char *fp = layout_src(l, "kmod-patch/fixes");

		fixes = read_file(fp, NULL);
		/* No kmod-patch/fixes: nothing is known to explain a finding. */
		if (fixes && fixes_parse(ps, fixes, why, sizeof(why))) {
			variants_free(ps);
			ret = -1;
		}
		free(fp);
	}
	if (ret)
		lw_err("%s", why);
out:
	free(fixes);
	free(series);
	free(variants);
	free(sp);
	free(vp);
	return ret;
}

int layout_commit_dir(const char *tmp, const char *dst)
{
	char *old = xasprintf("%s.old", dst);
	int ret = -1;

	rm_rf(old);
	if (path_exists(dst) && rename(dst, old) < 0)
		goto out;
	if (rename(tmp, dst) < 0)
		goto out;
	rm_rf(old);
	ret = 0;
out:
	free(old);
	return ret;
}
