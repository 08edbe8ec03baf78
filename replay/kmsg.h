/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's messages since a point in time, from /dev/kmsg. */
#ifndef LWFUZZ_KMSG_H
#define LWFUZZ_KMSG_H

#include <stddef.h>

/* Open positioned at the end (-1 when unavailable; reads are then empty). */
int kmsg_open(void);
/* The messages logged since kmsg_open, "; "-joined, into @buf. */
void kmsg_read(int fd, char *buf, size_t len);
void kmsg_close(int fd);

#endif
