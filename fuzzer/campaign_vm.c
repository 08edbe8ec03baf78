// SPDX-License-Identifier: GPL-2.0
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/agent_cmdline.h"
#include "lib/exec_proto.h"
#include "lib/fsutil.h"
#include "fuzzer/campaign_vm.h"
#include "lib/msg.h"
#include "vm/vm.h"
#include "vm/workload_vm.h"

#define BOOT_WAIT_S 180

/* The child: one incarnation of the VM, serving until told to stop. */
static void vm_child(struct fuzz_vm *vm)
{
	struct agent_run_args a;
	struct vm_run_opts vo = { .variant = vm->variant,
				  .mem_mb = 1024,
				  .quiet_output = 1,
				  .tee_path = vm->output,
				  .tee_append = 1,
				  .console_copy = vm->console,
				  .no_console_tail = 1,
				  .quiet_stop = 1,
				  .ctl_socket = vm->sock,
				  .timeout_s = vm->timeout_s };

	agent_run_defaults(&a);
	a.serve = "/dev/ttyS2";
	agent_run_on_disks(&a);
	a.timeout_s = vm->op_timeout_s;
	a.delay_ms = vm->delay_ms;
	a.test_fault = vm->test_fault;
	vo.cmd = agent_run_cmd(&a);
	if (!vo.cmd)
		_exit(VM_EXIT_ERROR);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	for (int i = 0; i < 4; i++)
		vo.disks[vo.ndisks++] = vm->disks[i];
	_exit(vm_run(vm->l, &vo));
}

static char *vm_file(const struct fuzz_vm *vm, const char *name)
{
	return path_join(vm->dir, name);
}

static int flag_file(const struct fuzz_vm *vm, const char *name, int set)
{
	char *p = vm_file(vm, name);
	int ret = set > 0   ? write_file_atomic(p, "", 0)
		  : set < 0 ? unlink(p)
			    : path_exists(p);

	free(p);
	return ret;
}

static int boot(struct fuzz_vm *vm)
{
	int fd;

	flag_file(vm, "ready", -1);
	unlink(vm->sock);
	fflush(NULL);
	vm->pid = fork();
	if (vm->pid < 0)
		return -1;
	if (vm->pid == 0)
		vm_child(vm);
	fd = exec_connect(vm->sock, 60);
	if (fd < 0 || exec_wait_ready(fd, BOOT_WAIT_S)) {
		lw_err("the VM did not start serving; see %s and %s",
		       vm->output, vm->console);
		if (fd >= 0)
			close(fd);
		kill(vm->pid, SIGTERM);
		waitpid(vm->pid, NULL, 0);
		vm->pid = 0;
		return -1;
	}
	close(fd);
	flag_file(vm, "ready", 1);
	return 0;
}

int fuzz_vm_init(struct fuzz_vm *vm, const struct layout *l, const char *dir,
		 const char *output)
{
	vm->l = l;
	vm->dir = xasprintf("%s", dir);
	vm->sock = vm_file(vm, "ctl.sock");
	vm->console = vm_file(vm, "console.txt");
	vm->output = xasprintf("%s", output);
	if (mkdir_p(dir, 0755))
		return -1;
	/* A campaign that halted or was killed may have left these. */
	flag_file(vm, "lost", -1);
	flag_file(vm, "current.bin", -1);
	if (workload_disks(dir, vm->disks))
		return -1;
	return boot(vm);
}

/* Note how the incarnation ended: its exit status, 128 + a signal. */
static void ended(struct fuzz_vm *vm, int st)
{
	vm->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	vm->pid = 0;
}

static void stop_child(struct fuzz_vm *vm, int force)
{
	int st = 0;

	if (!vm->pid)
		return;
	if (force)
		kill(vm->pid, SIGTERM);
	waitpid(vm->pid, &st, 0);
	ended(vm, st);
}

int fuzz_vm_failed(struct fuzz_vm *vm)
{
	int st;

	if (vm->pid && waitpid(vm->pid, &st, WNOHANG) == vm->pid) {
		ended(vm, st);
		return 1;
	}
	if (!vm->lost && !flag_file(vm, "lost", 0))
		return 0;
	flag_file(vm, "ready", -1);
	/*
	 * An execution got no answer. A guest that panicked is on its way
	 * out (its exit status says so); one that hangs is of no further
	 * use and is stopped.
	 */
	for (int i = 0; i < 100 && vm->pid; i++) {
		if (waitpid(vm->pid, &st, WNOHANG) == vm->pid)
			ended(vm, st);
		usleep(100 * 1000);
	}
	stop_child(vm, 1);
	return 1;
}

int fuzz_vm_restart(struct fuzz_vm *vm)
{
	stop_child(vm, 1);
	flag_file(vm, "lost", -1);
	vm->lost = 0;
	vm->restarts++;
	return boot(vm);
}

void fuzz_vm_shutdown(struct fuzz_vm *vm)
{
	if (vm->pid) {
		int fd = exec_connect(vm->sock, 5);
		double end = lw_now() + 30;

		if (fd >= 0) {
			exec_quit(fd);
			close(fd);
		}
		while (waitpid(vm->pid, NULL, WNOHANG) == 0 && lw_now() < end)
			usleep(100 * 1000);
		if (lw_now() >= end)
			stop_child(vm, 1);
		vm->pid = 0;
	}
	for (int i = 0; i < 4; i++) {
		if (vm->disks[i])
			unlink(vm->disks[i]);
		free(vm->disks[i]);
		vm->disks[i] = NULL;
	}
	unlink(vm->sock);
	free(vm->dir);
	free(vm->sock);
	free(vm->console);
	free(vm->output);
}
