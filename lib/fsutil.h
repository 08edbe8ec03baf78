/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small file-system helpers for the cache and the VM's scratch directory.
 */
#ifndef LWFUZZ_FSUTIL_H
#define LWFUZZ_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

/* mkdir -p; 0 or -1 with errno. */
int mkdir_p(const char *path, unsigned int mode);
/* rm -rf without following symlinks; 0 or -1. */
int rm_rf(const char *path);
/* malloc'ed "a/b"; never NULL (aborts on OOM). */
char *path_join(const char *a, const char *b);
/* malloc'ed printf; never NULL (aborts on OOM). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* realloc and calloc that never return NULL (they abort on OOM). */
void *xrealloc(void *p, size_t len);
void *xcalloc(size_t n, size_t size);
/* Whole file into a NUL-terminated malloc'ed buffer; NULL with errno. */
char *read_file(const char *path, size_t *len);
/*
 * Write @len bytes to @path via a temporary name and rename; never over
 * anything but a regular file (EEXIST: a device node, a directory, ...).
 */
int write_file_atomic(const char *path, const void *buf, size_t len);
/* Copy a regular file's bytes (mode 0644 unless @mode). */
int copy_file(const char *src, const char *dst, unsigned int mode);
/* 1 if @path exists (any type), else 0. */
int path_exists(const char *path);
/*
 * All @len bytes at @off of @fd, retrying short transfers and EINTR: 0,
 * or -errno (-EIO for an early end).
 */
int pread_full(int fd, void *buf, size_t len, uint64_t off);
int pwrite_full(int fd, const void *buf, size_t len, uint64_t off);
/* 1 if @path is a directory. */
int is_dir(const char *path);
/* 1 if @path does not exist or is a regular file: what may be replaced. */
int file_replaceable(const char *path);
/* 1 if @path does not exist or is an empty directory. */
int dir_is_new_or_empty(const char *path);

#endif
