/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where things live: the source tree (patches, guest files, our binaries)
 * and the cache (downloads, unpacked kernel, built variants). A cache entry
 * is a directory that appears by rename only once it is complete, so an
 * interrupted setup never leaves something that looks finished.
 */
#ifndef LWFUZZ_LAYOUT_H
#define LWFUZZ_LAYOUT_H

struct layout {
	char *root; /* source tree: parent of the directory holding lwfuzz */
	char *cache; /* $LWFUZZ_CACHE, else $XDG_CACHE_HOME/lwfuzz, else
			~/.cache/lwfuzz */
};

struct kseries;

/* What setup resolved for a series; saved as cache/SERIES'S STATE FILE. */
struct kstate {
	const struct kseries *series;
	char name[32]; /* a kernel of the user's own: its name ("own:NAME") */
	char origin[512]; /* ... and where it came from (image, modules) */
	char release[64]; /* 6.1.0-56-cloud-amd64 */
	char image_version[64]; /* Debian version of the image package */
	char source_version[64]; /* Debian version of linux-source-X */
};

int layout_init(struct layout *l);
void layout_free(struct layout *l);

/*
 * cache/kernel/RELEASE (a user's own kernel: cache/kernel/own/NAME):
 * boot/vmlinuz-RELEASE and lib/modules/RELEASE.
 */
char *layout_kernel_dir(const struct layout *l, const struct kstate *ks);
/* Its boot/vmlinuz-RELEASE. */
char *layout_kernel_image(const struct layout *l, const struct kstate *ks);
/*
 * cache/variants/NAME: btrfs.ko, base.cpio, key, build.log. A series'
 * variant "6.12:stock" lives in cache/variants/6.12/stock.
 */
char *layout_variant_dir(const struct layout *l, const char *variant);
/* cache/build/NAME (6.12/stock): where setup compiles it, removed after. */
char *layout_build_dir(const struct layout *l, const char *variant);
/* source tree path, e.g. layout_src(l, "kmod-patch/series"). */
char *layout_src(const struct layout *l, const char *rel);

/* @s's state (release, versions); -1 when setup never resolved it. */
int kstate_load(const struct layout *l, const struct kseries *s,
		struct kstate *ks);
/* The same, for the series kernel name @kernel belongs to. */
int kstate_load_for(const struct layout *l, const char *kernel,
		    struct kstate *ks);
int kstate_save(const struct layout *l, const struct kstate *ks);

/*
 * Load series @s's patches: its series, variants and fixes files, names
 * qualified with its prefix; prints the error.
 */
struct patch_set;
int layout_load_patches(const struct layout *l, const struct kseries *s,
			struct patch_set *ps);
/*
 * The same for the series of kernel name @kernel; prints an error naming
 * the series when it is unknown.
 */
int layout_load_patches_for(const struct layout *l, const char *kernel,
			    struct patch_set *ps);

/*
 * Replace directory @dst by @tmp (complete) in one step: @dst moves aside,
 * @tmp takes its name, the old one is removed.
 */
int layout_commit_dir(const char *tmp, const char *dst);

#endif
