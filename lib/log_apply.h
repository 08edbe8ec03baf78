/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Applying log entries to a device or image: the replay half of the
 * replayer, shared by the guest agent (onto a virtio disk) and the host
 * (`--keep`, rebuilding a crash state's image).
 */
#ifndef LWFUZZ_LOG_APPLY_H
#define LWFUZZ_LOG_APPLY_H

#include "lib/log_reader.h"

/*
 * Write @e's data at its sector of @fd; a discard zeroes its range (one of
 * the contents a discarded range may read back as). Flushes and marks
 * write nothing. Returns 0 or -errno.
 */
int log_apply(struct log_reader *r, const struct log_entry *e, int fd);

#endif
