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

/* What setup resolved; saved as cache/kernel.state. */
struct kstate {
	char release[64]; /* 6.1.0-56-cloud-amd64 */
	char image_version[64]; /* Debian version of the image package */
	char source_version[64]; /* Debian version of linux-source-6.1 */
};

int layout_init(struct layout *l);
void layout_free(struct layout *l);

/* cache/kernel/RELEASE: boot/vmlinuz-RELEASE and lib/modules/RELEASE. */
char *layout_kernel_dir(const struct layout *l, const char *release);
/* cache/variants/NAME: btrfs.ko, base.cpio, key, build.log. */
char *layout_variant_dir(const struct layout *l, const char *variant);
/* source tree path, e.g. layout_src(l, "kmod-patch/series"). */
char *layout_src(const struct layout *l, const char *rel);

int kstate_load(const struct layout *l, struct kstate *ks);
int kstate_save(const struct layout *l, const struct kstate *ks);

/* Load kmod-patch/series and kmod-patch/variants; prints the error. */
struct patch_set;
int layout_load_patches(const struct layout *l, struct patch_set *ps);

/*
 * Replace directory @dst by @tmp (complete) in one step: @dst moves aside,
 * @tmp takes its name, the old one is removed.
 */
int layout_commit_dir(const char *tmp, const char *dst);

#endif
