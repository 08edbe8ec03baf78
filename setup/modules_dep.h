/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which kernel modules the guest loads, and in what order, from the
 * image's modules.dep (written by `depmod -b`) rather than a hard-coded
 * list: the set moves between Debian kernels.
 */
#ifndef LWFUZZ_MODULES_DEP_H
#define LWFUZZ_MODULES_DEP_H

#include <stddef.h>

struct moddep;

/*
 * Parse modules.dep (and modules.builtin, may be NULL). NULL with a message
 * in @why on malformed input.
 */
struct moddep *moddep_parse(const char *dep_text, const char *builtin_text,
			    char *why, size_t whylen);
void moddep_free(struct moddep *m);

/*
 * Resolve module names ("dm-log-writes" and "dm_log_writes" are the same)
 * into a load order: every module after its dependencies, each once,
 * built-in modules left out. *out is a malloc'ed array of the paths from
 * modules.dep (relative to lib/modules/RELEASE), owned by @m. Returns the
 * number of paths, or -1 with a message in @why (unknown module, cycle).
 */
int moddep_resolve(struct moddep *m, const char *const names[], size_t n,
		   const char ***out, char *why, size_t whylen);

/* "kernel/fs/btrfs/btrfs.ko" -> "btrfs" in @name (dashes folded). */
void moddep_name_of(const char *path, char *name, size_t len);

#endif
