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
 * variant directory unless the cached one has the same key; @with_replay:
 * also the same without coverage, for replay-only guests (bisect's
 * steps only run workloads). *@built says whether it did work.
 */
int kmod_build(const struct layout *l, const struct kstate *ks,
	       const struct patch_set *ps, const struct variant *v,
	       int with_replay, int *built);

/*
 * The variant's base initramfs (busybox, modules in load order, btrfs-progs,
 * dmsetup and their libraries). Rebuilt when the module or the host tools
 * changed.
 */
int initramfs_build_base(const struct layout *l, const struct kstate *ks,
			 const struct variant *v, int *built);

/*
 * Set up a kernel of the user's own as "own:@name": the image and the
 * modules directory (lib/modules/RELEASE, or a modules_install root)
 * copied into the cache, checked for the guest modules lwfuzz needs (one
 * line naming the missing option), and its initramfs. 0, or -1 (said).
 */
int own_kernel_setup(const struct layout *l, const char *name,
		     const char *image, const char *modules);
/*
 * The same from a built kernel tree @tree: its arch/x86/boot/bzImage and
 * the modules its `make modules_install` installs; the origin is "tree
 * DIR". 0, or -1 (said).
 */
int own_kernel_setup_tree(const struct layout *l, const char *name,
			  const char *tree);

/* A module the guest loads, and the kernel option that provides it. */
struct guest_module {
	const char *name; /* as modprobe names it: "dm-log-writes" */
	const char *config; /* CONFIG_DM_LOG_WRITES */
	int needed; /* lwfuzz cannot run without it */
};
/* Every guest module, NULL-terminated. */
extern const struct guest_module guest_modules[];

/*
 * Does the modules directory @mdir (lib/modules/RELEASE, indexed) have
 * every needed guest module (@all: every guest module) as a module or
 * built in? 0, or -1 with one line in @why: "no dm-log-writes: enable
 * CONFIG_DM_LOG_WRITES (as a module or built in)".
 */
int guest_modules_check(const char *mdir, int all, char *why, size_t len);

#endif
