// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest/agent_cov.h"
#include "lib/delay_site.h"
#include "lib/fsutil.h"
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

void agent_cov_thread(unsigned int t)
{
	char req[2] = { 't', (char)('0' + t) };

	if (cov_fd >= 0 && t < LWFUZZ_COV_THREADS &&
	    write(cov_fd, req, 2) != 2)
		perror("lwfuzz-agent: " LWFUZZ_PROC_COV);
}

/* btrfs.ko's functions by address, from /proc/kallsyms, read once. */
struct func {
	unsigned long addr;
	char *name;
};

static struct func *funcs;
static size_t nfuncs;
static unsigned long anchor;

static int by_addr(const void *a, const void *b)
{
	const struct func *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void load_funcs(void)
{
	FILE *f;
	char line[512], name[256], type;
	unsigned long addr;

	if (funcs || !(f = fopen("/proc/kallsyms", "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "\t[btrfs]") ||
		    sscanf(line, "%lx %c %255s", &addr, &type, name) != 3 ||
		    (type != 't' && type != 'T') || !addr)
			continue;
		if (!strcmp(name, "__sanitizer_cov_trace_pc"))
			anchor = addr;
		funcs = xrealloc(funcs, (nfuncs + 1) * sizeof(*funcs));
		funcs[nfuncs].addr = addr;
		funcs[nfuncs++].name = xasprintf("%s", name);
	}
	fclose(f);
	if (funcs && nfuncs)
		qsort(funcs, nfuncs, sizeof(*funcs), by_addr);
}

static int ran(const uint8_t *map, unsigned long from, unsigned long to)
{
	unsigned long g0 = (from - anchor + LWFUZZ_COV_BIAS) >>
			   LWFUZZ_COV_GRANULE_SHIFT;
	unsigned long g1 = (to - anchor + LWFUZZ_COV_BIAS) >>
			   LWFUZZ_COV_GRANULE_SHIFT;

	for (unsigned long g = g0; g < g1 && g < LWFUZZ_COV_GRANULES; g++)
		if (map[g / 8] & (1u << (g % 8)))
			return 1;
	return 0;
}

/* The functions two or more threads ran, as site ids. */
static void race_sites(const uint8_t *threads, struct agent_cov *c)
{
	load_funcs();
	if (!anchor)
		return;
	for (size_t i = 0; i + 1 < nfuncs && c->nsites < AGENT_RACE_SITES;
	     i++) {
		unsigned int n = 0;

		if (!site_candidate(funcs[i].name))
			continue;
		for (unsigned int t = 0; t < LWFUZZ_COV_THREADS; t++)
			n += ran(threads + t * LWFUZZ_COV_THREAD_BYTES,
				 funcs[i].addr, funcs[i + 1].addr);
		if (n >= 2)
			c->sites[c->nsites++] = site_learn(funcs[i].name);
	}
}

void agent_cov_end(struct agent_cov *c)
{
	static uint8_t buf[LWFUZZ_COV_READ];
	size_t got = 0;

	c->edges = -1;
	c->nsites = 0;
	if (cov_fd < 0 || write(cov_fd, "0", 1) != 1)
		return;
	while (got < sizeof(buf)) {
		ssize_t n = pread(cov_fd, buf + got, sizeof(buf) - got, got);

		if (n <= 0)
			return;
		got += n;
	}
	c->edges = cov_from_counts(buf, c->bits);
	race_sites(buf + LWFUZZ_COV_MAP, c);
}
