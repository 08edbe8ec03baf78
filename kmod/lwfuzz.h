/* SPDX-License-Identifier: GPL-2.0 */
/* lwfuzz.ko's parts: the /proc/lwfuzz directory, delays, coverage. */
#ifndef LWFUZZ_MOD_H
#define LWFUZZ_MOD_H

#include <linux/proc_fs.h>

extern const struct proc_ops lwfuzz_delay_ops;
extern const struct proc_ops lwfuzz_cov_ops;

#endif
