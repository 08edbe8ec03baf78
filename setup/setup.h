/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The steps of `lwfuzz setup`. Each is idempotent: it checks what the cache
 * holds against what it would build and does nothing when they match.
 */
#ifndef LWFUZZ_SETUP_H
#define LWFUZZ_SETUP_H

#include "setup/layout.h"

struct patch_set;
struct variant;

/* The Debian packages the project needs, besides the release's headers. */
extern const char *const setup_packages[];

/*
 * Make sure the packages are installed (apt-get, when @install and root),
 * resolve the cloud kernel release and versions into @ks. @update forces
 * `apt-get update` first.
 */
int deps_ensure(struct kstate *ks, int install, int update);

/* Cache room check before large downloads; prints the error. */
int cache_check_space(const struct layout *l, unsigned long long need_mb);

/* Download and unpack the kernel image into the cache (depmod'ed). */
int kernel_fetch(const struct layout *l, const struct kstate *ks);

/* Extract linux-source's fs/btrfs into cache/src/VERSION. */
int source_extract(const struct layout *l, const struct kstate *ks);

/*
 * Build @v's btrfs.ko (patched source, out of tree, stripped) into its
 * variant directory unless the cached one has the same key. *@built says
 * whether it did work.
 */
int kmod_build(const struct layout *l, const struct kstate *ks,
	       const struct patch_set *ps, const struct variant *v, int *built);

/*
 * The variant's base initramfs (busybox, modules in load order, btrfs-progs,
 * dmsetup and their libraries). Rebuilt when the module or the host tools
 * changed.
 */
int initramfs_build_base(const struct layout *l, const struct kstate *ks,
			 const struct variant *v, int *built);

#endif
