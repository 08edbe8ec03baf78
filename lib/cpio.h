/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "newc" cpio format (the kernel's initramfs format, see
 * Documentation/driver-api/early-userspace/buffer-format.rst). The host
 * writes the guest's initramfs with it and reads back what the guest
 * archived from /out onto its result disk.
 */
#ifndef LWFUZZ_CPIO_H
#define LWFUZZ_CPIO_H

#include <stddef.h>

struct cpio_writer {
	int fd;
	unsigned long long off;
	unsigned int ino;
	int err; /* first errno seen; later calls are no-ops */
};

void cpio_writer_init(struct cpio_writer *w, int fd);
int cpio_add_dir(struct cpio_writer *w, const char *name, unsigned int mode);
int cpio_add_data(struct cpio_writer *w, const char *name, unsigned int mode,
		  const void *buf, size_t len);
/* Regular file copied from @host_path; @mode 0 takes the host file's. */
int cpio_add_file(struct cpio_writer *w, const char *name,
		  const char *host_path, unsigned int mode);
int cpio_add_symlink(struct cpio_writer *w, const char *name,
		     const char *target);
int cpio_add_chardev(struct cpio_writer *w, const char *name, unsigned int mode,
		     unsigned int major, unsigned int minor);
/* Trailer, padded to 512 bytes. Returns 0 or -1 (w->err says why). */
int cpio_finish(struct cpio_writer *w);

struct cpio_entry {
	char name[4096];
	unsigned int mode;
	unsigned long long size;
	unsigned long long data_off; /* offset of the data in the stream */
};

/*
 * Parse the entry at *off (bounded by @limit bytes of @fd) and advance *off
 * past it. Returns 1 for an entry, 0 at the trailer, -1 when malformed.
 */
int cpio_next(int fd, unsigned long long *off, unsigned long long limit,
	      struct cpio_entry *e);

/*
 * Unpack an archive into @dest. Only directories and regular files are
 * created; names that are absolute or contain ".." are refused, other entry
 * types are skipped (*skipped counts them). An entry for which @hook returns
 * 1 is left to the hook. Returns 0, or -1 with a message in @why.
 */
int cpio_extract(int fd, unsigned long long limit, const char *dest,
		 int (*hook)(const struct cpio_entry *e, int fd, void *arg),
		 void *arg, int *skipped, char *why, size_t whylen);

#endif
