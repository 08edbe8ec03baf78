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
#include "lib/run_result.h"
#include "lib/agent_cmdline.h"
#include "vm/vm.h"
#include "vm/workload_vm.h"

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
	char *disks[4] = { 0 };
	struct agent_run_args a;
	char *tee = path_join(outdir, "output.txt");
	struct vm_run_opts vo = { .variant = o->variant,
				  .mem_mb = 1024,
				  .out_dir = outdir,
				  .tee_path = tee,
				  .quiet_output = o->quiet };
	int ret = 2;

	agent_run_defaults(&a);
	a.workload = "/in/workload.lw";
	agent_run_on_disks(&a);
	a.runs = o->runs;
	a.timeout_s = o->op_timeout;
	a.delay_ms = o->delay_ms;
	a.fsck = o->fsck;
	a.no_cov = o->no_cov;
	a.no_share = o->no_share;
	a.no_template = o->no_template;
	vo.cmd = agent_run_cmd(&a);
	if (!vo.cmd || workload_disks(work, disks))
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
	agent_cmd_free(vo.cmd);
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

/*
 * The agent's verdict must agree with its result file: a guest that
 * exited before writing it, or wrote one that says otherwise, failed.
 */
static int read_result(const char *outdir, int status, unsigned int runs,
		       unsigned int *found)
{
	char *path = path_join(outdir, RUN_RESULT_FILE), why[512];
	struct run_result r;
	int ret = 2;

	if (run_result_read(path, &r, why, sizeof(why)))
		lw_err("the guest left no run result: %s", why);
	else if (r.runs_done != runs || (r.failed != 0) != (status == 1))
		lw_err("%s: %u of %u runs done, %u failed, but the agent exited %d",
		       path, r.runs_done, runs, r.failed, status);
	else
		ret = status;
	if (found)
		*found = ret < 2 ? r.failed : 0;
	free(path);
	return ret;
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
	if (ret < 2)
		ret = read_result(outdir, ret, p->runs, found);
	free(wl_path);
	rm_rf(work);
	return ret;
}
