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
#include "setup/series.h"
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

/* "6.12:stock" -> cache/WHAT/6.12/stock (kbuild refuses ':' in M=). */
static char *entry_dir(const struct layout *l, const char *what,
		       const char *variant)
{
	char *dir = xasprintf("%s/%s/%s", l->cache, what, variant);
	char *colon = strrchr(dir, ':');

	if (colon)
		*colon = '/';
	return dir;
}

char *layout_kernel_dir(const struct layout *l, const struct kstate *ks)
{
	/* "own:NAME" -> kernel/own/NAME: apart from Debian's releases, even
	 * when the user's kernel has the same release. */
	if (ks->series->own)
		return entry_dir(l, "kernel", ks->name);
	return xasprintf("%s/kernel/%s", l->cache, ks->release);
}

char *layout_kernel_image(const struct layout *l, const struct kstate *ks)
{
	char *dir = layout_kernel_dir(l, ks);
	char *img = xasprintf("%s/boot/vmlinuz-%s", dir, ks->release);

	free(dir);
	return img;
}

char *layout_variant_dir(const struct layout *l, const char *variant)
{
	return entry_dir(l, "variants", variant);
}

char *layout_build_dir(const struct layout *l, const char *variant)
{
	return entry_dir(l, "build", variant);
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

/* cache/STATE-FILE of a series; a user's kernel keeps its own. */
static char *state_path(const struct layout *l, const struct kstate *ks)
{
	char *dir, *path;

	if (!ks->series->own)
		return path_join(l->cache, ks->series->state_file);
	dir = layout_kernel_dir(l, ks);
	path = path_join(dir, "kernel.state");
	free(dir);
	return path;
}

static int load(const struct layout *l, struct kstate *ks)
{
	char *path = state_path(l, ks);
	char *text = read_file(path, NULL);

	free(path);
	if (!text)
		return -1;
	get_field(text, "release", ks->release, sizeof(ks->release));
	get_field(text, "image_version", ks->image_version,
		  sizeof(ks->image_version));
	get_field(text, "source_version", ks->source_version,
		  sizeof(ks->source_version));
	get_field(text, "origin", ks->origin, sizeof(ks->origin));
	free(text);
	return ks->release[0] ? 0 : -1;
}

int kstate_load(const struct layout *l, const struct kseries *s,
		struct kstate *ks)
{
	memset(ks, 0, sizeof(*ks));
	ks->series = s;
	return s->own ? -1 : load(l, ks);
}

int kstate_load_for(const struct layout *l, const char *kernel,
		    struct kstate *ks)
{
	const struct kseries *s = kseries_of(kernel);

	memset(ks, 0, sizeof(*ks));
	if (!s || strlen(kernel) >= sizeof(ks->name))
		return -1;
	ks->series = s;
	if (s->own)
		snprintf(ks->name, sizeof(ks->name), "%s", kernel);
	return load(l, ks);
}

int kstate_save(const struct layout *l, const struct kstate *ks)
{
	char *path = state_path(l, ks);
	char *text = xasprintf(
		"release=%s\nimage_version=%s\nsource_version=%s\norigin=%s\n",
		ks->release, ks->image_version, ks->source_version, ks->origin);
	int ret = write_file_atomic(path, text, strlen(text));

	free(text);
	free(path);
	return ret;
}

int layout_load_patches(const struct layout *l, const struct kseries *s,
			struct patch_set *ps)
{
	char *dir = layout_src(l, s->patch_dir);
	char *sp = path_join(dir, "series");
	char *vp = path_join(dir, "variants");
	char *series = read_file(sp, NULL), *variants = read_file(vp, NULL);
	char *fixes = NULL, why[512];
	int ret = -1;

	memset(ps, 0, sizeof(*ps));
	if (!series || !variants) {
		lw_err("cannot read %s: %s (is LWFUZZ_ROOT right?)",
		       series ? vp : sp, strerror(errno));
		goto out;
	}
	ret = variants_parse(ps, series, variants, why, sizeof(why));
	if (!ret) {
		char *fp = path_join(dir, "fixes");

		fixes = read_file(fp, NULL);
		/* No kmod-patch/fixes: nothing is known to explain a finding. */
		if ((fixes && fixes_parse(ps, fixes, why, sizeof(why))) ||
		    variants_qualify(ps, s->prefix, why, sizeof(why))) {
			variants_free(ps);
			ret = -1;
		}
		free(fp);
	}
	/* The parser names kmod-patch/FILE; say which series' it was. */
	if (ret && *s->prefix)
		lw_err("%s (series %s, %s/)", why, s->name, s->patch_dir);
	else if (ret)
		lw_err("%s", why);
out:
	free(dir);
	free(fixes);
	free(series);
	free(variants);
	free(sp);
	free(vp);
	return ret;
}

/* A user's kernel is one variant of its own: no patches, no fixes. */
static int own_patches(const struct layout *l, const char *kernel,
		       struct patch_set *ps)
{
	struct kstate ks;

	if (kstate_load_for(l, kernel, &ks)) {
		lw_err("no kernel %s is set up; add it with 'lwfuzz setup --own %s --image VMLINUZ --modules DIR'",
		       kernel, kernel + strlen("own:"));
		return -1;
	}
	snprintf(ps->prefix, sizeof(ps->prefix), "own:");
	snprintf(ps->variants[0].name, sizeof(ps->variants[0].name), "%s",
		 kernel);
	ps->nvariants = 1;
	return 0;
}

int layout_load_patches_for(const struct layout *l, const char *kernel,
			    struct patch_set *ps)
{
	const struct kseries *s = kseries_of(kernel);

	memset(ps, 0, sizeof(*ps));
	if (!s) {
		lw_err("kernel '%s' names no kernel series; the series are %s (e.g. 6.12:stock), or own:NAME",
		       kernel, kseries_names());
		return -1;
	}
	if (s->own)
		return own_patches(l, kernel, ps);
	return layout_load_patches(l, s, ps);
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
