/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The read check: every regular file of a mounted crash state reads back
 * without an I/O error (a csum failure surfaces as EIO).
 */
#ifndef LWFUZZ_READ_CHECK_H
#define LWFUZZ_READ_CHECK_H

#include "lib/check_failure.h"

/* Read every regular file under @mnt; returns the number of files read. */
long read_check(const char *mnt, struct failure_sink *sink);

#endif
