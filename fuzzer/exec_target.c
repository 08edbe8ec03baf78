// SPDX-License-Identifier: GPL-2.0
/*
 * One execution for AFL++ (`lwfuzz exec`, run with AFL_NO_FORKSRV: one
 * process per execution, which costs nothing next to an execution's
 * seconds in the VM): the workload goes to the serving guest, the reply's
 * features into AFL++'s coverage map, and a failed check ends the process
 * with SIGABRT, the one way AFL++ files an input as a crash.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

#include "fuzzer/exec_target.h"
#include "fuzzer/thread_sites.h"
#include "lib/cov_map.h"
#include "lib/exec_proto.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/msg.h"
#include "lib/report.h"
#include "lib/workload.h"
#include "lib/workload_file.h"

/*
 * One execution takes seconds; a workload's threads get 60 s in the guest
 * before they count as stuck. No answer by then: the guest is lost.
 */
#define EXEC_TIMEOUT_S 240

static void set_feature(unsigned char *map, size_t size, unsigned int id,
			unsigned int value)
{
	uint64_t h = hash_bytes(HASH_INIT, &id, sizeof(id));

	h = hash_bytes(h, &value, sizeof(value));
	map[h % size]++;
}

/* Everything the execution reached becomes an edge AFL++ can see. */
static void map_features(const struct exec_reply *rep)
{
	const char *id = getenv("__AFL_SHM_ID");
	const char *sz = getenv("AFL_MAP_SIZE");
	size_t size = sz ? strtoul(sz, NULL, 10) : 65536;
	const struct exec_features *f = &rep->features;
	const uint32_t words[3] = { f->ok_codes, f->err_codes, f->checks };
	const uint8_t counts[4] = { f->points, f->promises, f->points_failed,
				    f->regular_extents };
	unsigned char *map;

	if (!id || !size)
		return;
	map = shmat(atoi(id), NULL, 0);
	if (map == (void *)-1)
		return;
	set_feature(map, size, 200, rep->status);
	for (unsigned int word = 0; word < 3; word++)
		for (unsigned int b = 0; b < 32; b++)
			if (words[word] & (1u << b))
				set_feature(map, size, word * 32 + b, 1);
	/* The feature ids of the counts stay what they were (108..111). */
	for (unsigned int i = 0; i < 4; i++)
		set_feature(map, size, 108 + i, counts[i]);
	/* Delays armed and fired: a plan that reaches its site is new. */
	set_feature(map, size, 112, f->delays);
	set_feature(map, size, 113, f->delays_fired);
	/* btrfs's own edges (lib/cov_map.h). */
	if (f->cov_on)
		cov_fold(f->cov, map, size);
	/* Which operations ran concurrently with which, on the same file or not. */
	for (unsigned int i = 0; i < EXEC_OVERLAP_BYTES; i++)
		for (unsigned int b = 0; b < 8; b++)
			if (f->overlap[i] & (1u << b))
				set_feature(map, size, 1000 + (16 + i) * 8 + b,
					    1);
	shmdt(map);
}

/* Keep the report of a failing execution for the campaign's corpus. */
static void keep_report(const unsigned char *wl, size_t len,
			const struct exec_reply *rep)
{
	const char *dir = getenv("LWFUZZ_REPORTS");
	char *path;

	if (!dir || !rep->report)
		return;
	path = xasprintf("%s/%016llx.json", dir,
			 (unsigned long long)hash_bytes(HASH_INIT, wl, len));
	write_file_atomic(path, rep->report, rep->report_len);
	free(path);
}

/*
 * The campaign's VM directory (fuzz_vm.h): wait while the VM restarts,
 * say what is being executed, flag an execution that got no answer.
 */
static char *vm_path(const char *name)
{
	const char *dir = getenv("LWFUZZ_VM_DIR");

	return dir ? path_join(dir, name) : NULL;
}

/*
 * Connect while the campaign says the guest serves: never to a guest
 * that is still booting (it would miss the request) or one being replaced.
 */
static int connect_when_ready(const char *sock)
{
	char *ready = vm_path("ready");
	double end = lw_now() + 600;
	int fd = -1;

	if (!ready)
		return exec_connect(sock, 60);
	while (fd < 0 && lw_now() < end) {
		if (path_exists(ready))
			fd = exec_connect(sock, 0);
		if (fd < 0)
			usleep(200 * 1000);
	}
	free(ready);
	return fd;
}

static void vm_note(const char *name, const void *buf, size_t len)
{
	char *p = vm_path(name);

	if (p)
		write_file_atomic(p, buf, len);
	free(p);
}

/* One line per execution: "STATUS POINTS"; the campaign counts them. */
static void count_execution(const struct exec_reply *rep)
{
	char *p = vm_path("executions"), line[64];
	struct report r;
	unsigned long points = 0;
	int fd = p ? open(p, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;
	int n;

	/* Without a report that reads, no crash point counts as checked. */
	if (rep->report &&
	    !report_parse(rep->report, rep->report_len, &r, NULL, 0)) {
		points = r.points_checked;
		report_free(&r);
	}
	n = snprintf(line, sizeof(line), "%d %lu\n", rep->status, points);
	if (fd >= 0) {
		if (write(fd, line, n) != n)
			lw_err("cannot count the execution in %s", p);
		close(fd);
	}
	free(p);
}

/*
 * The thread sites of the last execution, for the mutator (afl_mutator.c
 * reads them when AFL++ keeps that input; fuzzer/thread_sites.h). Only
 * the latest execution's.
 */
static void note_thread_sites(uint64_t hash, const struct exec_reply *rep)
{
	static struct thread_sites ts;

	thread_sites_fill(&ts, hash, &rep->features);
	vm_note(THREAD_SITES_FILE, &ts, sizeof(ts));
}

/* The VM's btrfs edges so far, for the campaign's status line. */
static void merge_coverage(const struct exec_reply *rep)
{
	char *p = vm_path("coverage");

	if (p && rep->features.cov_on && cov_merge_file(p, rep->features.cov) < 0)
		lw_err("cannot merge the coverage into %s", p);
	free(p);
}

/*
 * The last execution's outcome, by workload hash. AFL++ calibrates every
 * new queue entry by running it 3 to 8 more times in a row; at seconds per
 * execution that is most of a campaign. The repeat is answered with what
 * the execution showed instead of running it again.
 */
struct last_exec {
	uint64_t hash;
	double when;
	int status;
	struct exec_features features;
};

#define REPEAT_WINDOW_S 120

static int repeated(uint64_t hash, struct exec_reply *rep)
{
	char *p = vm_path("last");
	size_t len = 0;
	struct last_exec *l = p ? (struct last_exec *)read_file(p, &len) : NULL;
	int hit = l && len == sizeof(*l) && l->hash == hash &&
		  lw_now() - l->when < REPEAT_WINDOW_S;

	if (hit) {
		memset(rep, 0, sizeof(*rep));
		rep->status = l->status;
		rep->features = l->features;
	}
	free(l);
	free(p);
	return hit;
}

static void remember(uint64_t hash, const struct exec_reply *rep)
{
	struct last_exec l = { .hash = hash,
			       .when = lw_now(),
			       .status = rep->status };

	l.features = rep->features;
	vm_note("last", &l, sizeof(l));
}

int exec_target(const char *socket_path, const char *workload_path)
{
	unsigned char bin[WL_BIN_MAX];
	struct exec_reply rep;
	struct workload w;
	size_t len = 0, n;
	char *buf, why[256];
	uint64_t hash;
	int fd;

	buf = read_file(workload_path, &len);
	if (!buf)
		return EXIT_ERROR;
	if (wl_load_buf(buf, len, &w, why, sizeof(why))) {
		/* Not a workload: nothing to run, nothing reached. */
		free(buf);
		return EXIT_CLEAN;
	}
	free(buf);
	n = wl_encode(&w, bin, sizeof(bin));
	hash = hash_bytes(HASH_INIT, bin, n);
	if (repeated(hash, &rep)) {
		map_features(&rep);
		if (rep.status == 1)
			abort();
		return EXIT_CLEAN;
	}
	fd = connect_when_ready(socket_path);
	if (fd >= 0)
		vm_note("current.bin", bin, n);
	if (fd < 0 || exec_request(fd, bin, n, &rep, EXEC_TIMEOUT_S)) {
		/* The guest died or hung on this input: the campaign files
		 * it with the console and restarts the VM. */
		lw_err("no answer from the guest on %s", socket_path);
		vm_note("lost", bin, n);
		abort();
	}
	close(fd);
	count_execution(&rep);
	merge_coverage(&rep);
	note_thread_sites(hash, &rep);
	remember(hash, &rep);
	map_features(&rep);
	if (rep.status == EXEC_STUCK) {
		vm_note("lost", bin, n);
		abort();
	}
	if (rep.status == 1) {
		keep_report(bin, n, &rep);
		free(rep.report);
		abort();
	}
	free(rep.report);
	return EXIT_CLEAN;
}
