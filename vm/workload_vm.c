// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/msg.h"
#include "lib/poison.h"
#include "vm/vm.h"
#include "vm/workload_vm.h"

/* Parse and validate on the host: errors cost no VM boot. */
int workload_load(const char *path, struct workload *w)
{
	size_t len;
	char *buf = read_file(path, &len), why[512];
	int ret;

	if (!buf) {
		lw_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (len >= 3 && !memcmp(buf, "LW\1", 3)) {
		ret = wl_decode((unsigned char *)buf, len, w);
		snprintf(why, sizeof(why), "not a binary workload");
	} else {
		ret = wl_parse_text(buf, w, why, sizeof(why));
	}
	if (ret)
		lw_err("%s: %s", path, why);
	free(buf);
	return ret;
}

int workload_disks(const char *work, char *paths[4])
{
	static const char *const names[] = { "data", "log", "target", "cow" };
	/* Sparse: the log gets room for the largest workload's writes. The
	 * target is poisoned whole: see poison.h. */
	static const unsigned long long sizes[] = { 256ULL << 20, 2048ULL << 20,
						    256ULL << 20,
						    256ULL << 20 };

	for (int i = 0; i < 4; i++) {
		int fd;

		paths[i] = xasprintf("%s/%s.img", work, names[i]);
		/* @work is lwfuzz's own (a scratch or VM directory): images a
		 * killed campaign left there are replaced. */
		unlink(paths[i]);
		fd = open(paths[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			  0600);
		if (fd < 0 || ftruncate(fd, sizes[i]) < 0 ||
		    (i == 2 && poison_range(fd, 0, sizes[i]))) {
			lw_err("cannot create %s: %s", paths[i],
			       strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

static int run_guest(const struct layout *l, const struct wl_run_params *o,
		     const char *work, const char *wl_path, const char *outdir)
{
	char *disks[4] = { 0 }, runs[16], delay[16], tmo[16];
	char *cmd[24] = { "sh",
			  "-c",
			  "exec lwfuzz-agent run --data \"$LWFUZZ_DISK0\" "
			  "--log \"$LWFUZZ_DISK1\" --target \"$LWFUZZ_DISK2\" "
			  "--cow \"$LWFUZZ_DISK3\" \"$@\"",
			  "lwfuzz-agent",
			  "--workload",
			  "/in/workload.lw",
			  "--runs",
			  runs,
			  "--timeout",
			  tmo };
	char *tee = path_join(outdir, "output.txt");
	struct vm_run_opts vo = { .variant = o->variant,
				  .mem_mb = 1024,
				  .out_dir = outdir,
				  .cmd = cmd,
				  .tee_path = tee,
				  .quiet_output = o->quiet };
	int n = 10, ret = 2;

	(void)wl_path;
	snprintf(runs, sizeof(runs), "%u", o->runs);
	snprintf(tmo, sizeof(tmo), "%u", o->op_timeout);
	if (o->delay_ms >= 0) {
		snprintf(delay, sizeof(delay), "%d", o->delay_ms);
		cmd[n++] = "--delay-ms";
		cmd[n++] = delay;
	}
	if (o->fsck)
		cmd[n++] = "--fsck";
	if (workload_disks(work, disks))
		goto out;
	vo.files[vo.nfiles++] = wl_path;
	for (int i = 0; i < 4; i++)
		vo.disks[vo.ndisks++] = disks[i];
	/* Boot, mkfs and replay per run, plus each op's own bound. */
	vo.timeout_s = 120 + o->runs * (60 + o->op_timeout);
	ret = vm_run(l, &vo);
	if (ret > 2) {
		lw_err("the VM failed (status %d)%s", ret,
		       ret == VM_EXIT_TIMEOUT ? ": a hang in the kernel?" : "");
		ret = 2;
	}
out:
	for (int i = 0; i < 4; i++)
		free(disks[i]);
	free(tee);
	return ret;
}

/* The canonical text form of the workload, for the guest and for DIR. */
static char *write_workload(const char *dir, const struct workload *w)
{
	char *text = wl_format_text(w), *path = path_join(dir, "workload.lw");

	if (!text || write_file_atomic(path, text, strlen(text))) {
		lw_err("cannot write %s: %s", path, strerror(errno));
		free(path);
		path = NULL;
	}
	free(text);
	return path;
}

/* "run: a check failed in K of N runs" in the guest's output. */
static unsigned int failed_runs(const char *outdir)
{
	char *path = path_join(outdir, "output.txt");
	char *text = read_file(path, NULL);
	const char *p = text ? strstr(text, "run: a check failed in ") : NULL;
	unsigned int k = p ? strtoul(p + 23, NULL, 10) : 0;

	free(text);
	free(path);
	return k;
}

int workload_run(const struct layout *l, const struct wl_run_params *p,
		 const struct workload *w, const char *outdir,
		 unsigned int *found)
{
	char work[256], *wl_path = NULL;
	int ret = 2;

	if (found)
		*found = 0;
	snprintf(work, sizeof(work), "%s/lwfuzz-run.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(work)) {
		lw_err("cannot create a scratch directory: %s",
		       strerror(errno));
		return 2;
	}
	if (mkdir_p(outdir, 0755) == 0)
		wl_path = write_workload(outdir, w);
	else
		lw_err("cannot create %s: %s", outdir, strerror(errno));
	if (wl_path)
		ret = run_guest(l, p, work, wl_path, outdir);
	if (found && ret < 2)
		*found = failed_runs(outdir);
	free(wl_path);
	rm_rf(work);
	return ret;
}
