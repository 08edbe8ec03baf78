// SPDX-License-Identifier: GPL-2.0
/*
 * `lwfuzz exec`: the target AFL++ runs for each test case (with
 * AFL_NO_FORKSRV: one process per execution, which costs nothing next to
 * an execution's seconds in the VM). It hands the workload to the serving
 * guest, maps the reply's features into AFL++'s coverage map, and aborts
 * when a check failed, so that AFL++ files the input as a crash.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

#include "cmds.h"
#include "exec_proto.h"
#include "fsutil.h"
#include "hash.h"
#include "msg.h"
#include "workload.h"

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
	const unsigned char *f = rep->features;
	unsigned char *map;

	if (!id || !size)
		return;
	map = shmat(atoi(id), NULL, 0);
	if (map == (void *)-1)
		return;
	set_feature(map, size, 200, rep->status);
	for (unsigned int word = 0; word < 3; word++) {
		uint32_t v = f[word * 4] | f[word * 4 + 1] << 8 |
			     f[word * 4 + 2] << 16 |
			     (uint32_t)f[word * 4 + 3] << 24;

		for (unsigned int b = 0; b < 32; b++)
			if (v & (1u << b))
				set_feature(map, size, word * 32 + b, 1);
	}
	for (unsigned int i = 12; i < EXEC_FEATURES; i++)
		set_feature(map, size, 96 + i, f[i]);
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

int cmd_exec(int argc, char **argv)
{
	unsigned char bin[WL_BIN_MAX];
	struct exec_reply rep;
	struct workload w;
	size_t len = 0, n;
	char *buf, why[256];
	int fd;

	if (argc != 4 || strcmp(argv[1], "--socket")) {
		lw_err("usage: lwfuzz exec --socket PATH WORKLOAD (the AFL++ target of 'lwfuzz fuzz')");
		return 2;
	}
	buf = read_file(argv[3], &len);
	if (!buf)
		return 2;
	if (wl_decode((unsigned char *)buf, len, &w) &&
	    wl_parse_text(buf, &w, why, sizeof(why))) {
		/* Not a workload: nothing to run, nothing reached. */
		free(buf);
		return 0;
	}
	free(buf);
	n = wl_encode(&w, bin, sizeof(bin));
	fd = exec_connect(argv[2], 30);
	if (fd < 0 || exec_request(fd, bin, n, &rep, 600)) {
		lw_err("no answer from the guest on %s", argv[2]);
		return 2;
	}
	close(fd);
	map_features(&rep);
	if (rep.status == 1) {
		keep_report(bin, n, &rep);
		free(rep.report);
		abort();
	}
	free(rep.report);
	return 0;
}
