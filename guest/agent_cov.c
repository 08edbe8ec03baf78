// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guest/agent_cov.h"
#include "lib/delay_site.h"
#include "lib/fsutil.h"
#include "lib/lwfuzz_kmod.h"

_Static_assert(LWFUZZ_COV_MAP == COV_EDGES,
	       "the host's edge bitmap covers the collector's map");

static int cov_fd = -1;
static unsigned int cov_threads; /* of the workload being collected */

/*
 * The collector marks a thread's code in the first map registered to it:
 * a thread that waits starts in map nthreads + t and takes map t when it
 * passes its barrier. Only maps 0 .. nthreads - 1 become sites.
 */
static int split(void)
{
	return 2 * cov_threads <= LWFUZZ_COV_THREADS;
}

int agent_cov_begin(unsigned int nthreads)
{
	cov_threads = nthreads < LWFUZZ_COV_THREADS ? nthreads :
						     LWFUZZ_COV_THREADS;
	if (cov_fd < 0) {
		cov_fd = open(LWFUZZ_PROC_COV, O_RDWR | O_CLOEXEC);
		/* Each boot samples thread sites differently. */
		srandom((unsigned int)time(NULL) ^ (unsigned int)getpid());
	}
	if (cov_fd < 0)
		return -1;
	if (write(cov_fd, "1", 1) != 1) {
		close(cov_fd);
		cov_fd = -1;
		return -1;
	}
	return 0;
}

static void cov_map_of(unsigned int map)
{
	char req[2] = { 't', (char)('0' + map) };

	if (cov_fd >= 0 && map < LWFUZZ_COV_THREADS &&
	    write(cov_fd, req, 2) != 2)
		perror("lwfuzz-agent: " LWFUZZ_PROC_COV);
}

void agent_cov_thread(unsigned int t, int waits)
{
	cov_map_of(waits && split() ? cov_threads + t : t);
}

void agent_cov_thread_racing(unsigned int t)
{
	if (split())
		cov_map_of(t);
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

/*
 * Keep @id as one of @n seen so far in a sample of at most @cap in
 * @ids[0..*kept) (reservoir sampling: each seen id stays with the same
 * chance).
 */
static void sample(uint32_t *ids, unsigned int *kept, unsigned int cap,
		   unsigned int n, uint32_t id)
{
	unsigned int at;

	if (*kept < cap) {
		ids[(*kept)++] = id;
		return;
	}
	at = (unsigned int)random() % n;
	if (at < cap)
		ids[at] = id;
}

/*
 * Each thread's sites: the race sites first (at most half the slots when
 * it has more of both), then the functions it alone ran.
 */
static void thread_sites(const uint8_t *threads, struct agent_cov *c)
{
	static uint32_t race[EXEC_THREADS][EXEC_THREAD_SITES];
	static uint32_t own[EXEC_THREADS][EXEC_THREAD_SITES];
	unsigned int nrace[EXEC_THREADS] = { 0 }, nown[EXEC_THREADS] = { 0 };
	unsigned int nown_seen[EXEC_THREADS] = { 0 };

	_Static_assert(EXEC_THREADS == LWFUZZ_COV_THREADS,
		       "a site list per collected thread");
	load_funcs();
	if (!anchor)
		return;
	for (size_t i = 0; i + 1 < nfuncs; i++) {
		unsigned int by = 0, n = 0;
		uint32_t id;

		if (!site_candidate(funcs[i].name))
			continue;
		for (unsigned int t = 0; t < cov_threads; t++)
			if (ran(threads + t * LWFUZZ_COV_THREAD_BYTES,
				funcs[i].addr, funcs[i + 1].addr)) {
				by |= 1u << t;
				n++;
			}
		if (!n)
			continue;
		id = site_learn(funcs[i].name);
		for (unsigned int t = 0; t < EXEC_THREADS; t++) {
			if (!(by & (1u << t)))
				continue;
			c->ran[t]++;
			if (n >= 2)
				sample(race[t], &nrace[t], EXEC_THREAD_SITES,
				       ++c->shared[t], id);
			else
				sample(own[t], &nown[t], EXEC_THREAD_SITES,
				       ++nown_seen[t], id);
		}
	}
	for (unsigned int t = 0; t < EXEC_THREADS; t++) {
		unsigned int half = EXEC_THREAD_SITES / 2;
		unsigned int r = nrace[t], o = nown[t];

		/* Both kinds get room: each half, or what the other leaves. */
		if (r + o > EXEC_THREAD_SITES) {
			if (r > half && o > half)
				r = o = half;
			else if (r > half)
				r = EXEC_THREAD_SITES - o;
			else
				o = EXEC_THREAD_SITES - r;
		}
		memcpy(c->sites[t], race[t], r * sizeof(**race));
		memcpy(c->sites[t] + r, own[t], o * sizeof(**own));
		c->nshared[t] = r;
		c->nsites[t] = r + o;
	}
}

void agent_cov_end(struct agent_cov *c)
{
	static uint8_t buf[LWFUZZ_COV_READ];
	size_t got = 0;

	c->edges = -1;
	memset(c->nsites, 0, sizeof(c->nsites));
	memset(c->nshared, 0, sizeof(c->nshared));
	memset(c->ran, 0, sizeof(c->ran));
	memset(c->shared, 0, sizeof(c->shared));
	if (cov_fd < 0 || write(cov_fd, "0", 1) != 1)
		return;
	while (got < sizeof(buf)) {
		ssize_t n = pread(cov_fd, buf + got, sizeof(buf) - got, got);

		if (n <= 0)
			return;
		got += n;
	}
	c->edges = cov_from_counts(buf, c->bits);
	thread_sites(buf + LWFUZZ_COV_MAP, c);
}
