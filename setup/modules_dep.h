/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which kernel modules the guest loads, and in what order, asked of
 * libkmod over the unpacked image's module indexes (modules.dep.bin and
 * modules.builtin.bin, which `depmod -b` writes when setup unpacks the
 * kernel) rather than kept as a list here: the set moves between Debian
 * kernels, and kmod is what reads those indexes everywhere else.
 */
#ifndef LWFUZZ_MODULES_DEP_H
#define LWFUZZ_MODULES_DEP_H

#include <stddef.h>

struct mod_load {
	char name[64]; /* "dm_log_writes": kmod's name, dashes folded */
	char *path; /* relative to the modules directory */
};

/*
 * The load order of modules @names in @mdir (an image's
 * lib/modules/RELEASE, indexed by depmod): every module after the modules
 * it depends on (modules.dep's dependencies; soft dependencies are not
 * followed), each once, built-in modules left out. A name is looked up as
 * modprobe does ("dm-log-writes" and "dm_log_writes" are the same module;
 * an alias brings every module it names). *@out is malloc'ed, for
 * moddep_free_order(). Returns the number of modules, or -1 with a message
 * in @why (no index, a module neither in modules.dep nor built in).
 */
int moddep_load_order(const char *mdir, const char *const names[], size_t n,
		      struct mod_load **out, char *why, size_t whylen);
void moddep_free_order(struct mod_load *order, int n);

/*
 * 1 when module @name is in @mdir's modules.dep or built in (as
 * modprobe names it), 0 when neither, -1 when the indexes cannot be read.
 */
int moddep_present(const char *mdir, const char *name);

#endif
