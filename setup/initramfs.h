/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building the guest's initramfs as a list of entries written out in the
 * newc format. A variant's base archive (busybox, modules, btrfs-progs,
 * dmsetup) is cached; each VM run appends a small archive (init, our guest
 * binaries, the user's /in files, the command), which the kernel unpacks
 * over the base.
 */
#ifndef LWFUZZ_INITRAMFS_H
#define LWFUZZ_INITRAMFS_H

#include <stddef.h>
#include <stdint.h>

struct ifs_list;

struct ifs_list *ifs_new(void);
void ifs_free(struct ifs_list *l);

/* A host file at @name in the archive (mode 0: the host's). */
void ifs_add_file(struct ifs_list *l, const char *name, const char *host,
		  unsigned int mode);
/* In-memory content (copied). */
void ifs_add_data(struct ifs_list *l, const char *name, const void *buf,
		  size_t len, unsigned int mode);
void ifs_add_symlink(struct ifs_list *l, const char *name, const char *target);
void ifs_add_dir(struct ifs_list *l, const char *name);
/*
 * An executable and the shared libraries `ldd` says it needs, each at its
 * host path. Returns 0, or -1 when ldd fails.
 */
int ifs_add_binary(struct ifs_list *l, const char *host);

/*
 * Library paths in `ldd` output, one per call: returns the next path after
 * *pos (advanced), or NULL. The path is copied into @buf.
 */
const char *ldd_next_path(const char **pos, char *buf, size_t len);

/* Key over names, host paths and their size and mtime. */
uint64_t ifs_key(const struct ifs_list *l, uint64_t h);

/* Write the archive (parent directories added as needed); 0 or -1. */
int ifs_write(const struct ifs_list *l, int fd);

#endif
