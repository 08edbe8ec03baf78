/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's side of lwfuzz.ko's ABI (lib/lwfuzz_kmod.h): the delay
 * requests it writes and the statuses it reads back. Only the guest's
 * driver talks to the module; this keeps the structs' rules in one place
 * for it and for the unit tests.
 */
#ifndef LWFUZZ_KMOD_REQ_H
#define LWFUZZ_KMOD_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "lib/lwfuzz_kmod.h"

/* Fill a request; -1 when lwfuzz.ko would refuse it (EINVAL). */
int kmod_delay_req(struct lwfuzz_delay_req *req, const char *site,
		   uint32_t hit, uint32_t ms);
/* How many statuses @len bytes read from the delay file hold; -1 if torn. */
int kmod_delay_statuses(size_t len);

#endif
