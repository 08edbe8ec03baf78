/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a workload from a file or a buffer, whichever of its two forms
 * it is in (docs/workloads.md): the binary form starts "LW\1", anything
 * else is read as text. The one loader every part uses.
 */
#ifndef LWFUZZ_WORKLOAD_FILE_H
#define LWFUZZ_WORKLOAD_FILE_H

#include <stddef.h>

#include "lib/workload.h"

/* @buf (NUL-terminated after @len bytes) into @w; 0, or -1 and @why. */
int wl_load_buf(const char *buf, size_t len, struct workload *w, char *why,
		size_t whylen);
/* The file @path into @w; 0, or -1 with "PATH: why" printed. */
int wl_load_file(const char *path, struct workload *w);

#endif
