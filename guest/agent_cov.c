// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "guest/agent_cov.h"
#include "lib/lwfuzz_kmod.h"

_Static_assert(LWFUZZ_COV_MAP == COV_EDGES,
	       "the host's edge bitmap covers the collector's map");

static int cov_fd = -1;

int agent_cov_begin(void)
{
	if (cov_fd < 0)
		cov_fd = open(LWFUZZ_PROC_COV, O_RDWR | O_CLOEXEC);
	if (cov_fd < 0)
		return -1;
	if (write(cov_fd, "1", 1) != 1) {
		close(cov_fd);
		cov_fd = -1;
		return -1;
	}
	return 0;
}

int agent_cov_end(uint8_t bits[COV_BYTES])
{
	static uint8_t counts[LWFUZZ_COV_MAP];
	size_t got = 0;

	if (cov_fd < 0)
		return -1;
	if (write(cov_fd, "0", 1) != 1)
		return -1;
	while (got < sizeof(counts)) {
		ssize_t n = pread(cov_fd, counts + got, sizeof(counts) - got,
				  got);

		if (n <= 0)
			return -1;
		got += n;
	}
	return cov_from_counts(counts, bits);
}
