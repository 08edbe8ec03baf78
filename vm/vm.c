// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cpio.h"
#include "lib/fsutil.h"
#include "setup/initramfs.h"
#include "lib/msg.h"
#include "vm/accel.h"
#include "vm/qemu_cmdline.h"
#include "vm/vm.h"

#define OUT_DISK_BYTES (2ULL << 30)

/*
 * A guest boots to its command in seconds; one that has not after this
 * long stalled in boot (seen once in hundreds of TCG boots, before init
 * said a word), and its command never ran.
 */
#define VM_BOOT_S 120
#define VM_BOOT_STALL (-2)
/*
 * Tests stall boots on purpose: LWFUZZ_TEST_BOOT_STALL=1 (the first boot)
 * or =always puts this word on the kernel command line (guest/init then
 * never starts the command); LWFUZZ_TEST_BOOT_S shortens the wait.
 */
#define VM_TEST_STALL_ARG "lwfuzz.test_boot_stall"
#define VM_REPLAY_ARG "lwfuzz.replay" /* guest/init */
#define VM_BOOT_MARK "lwfuzz-init: command starts"

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	int saved = errno;

	got_signal = sig;
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], "", 1) < 0)
		(void)0;
	errno = saved;
}

static void catch_signals(int on)
{
	struct sigaction sa = { 0 };
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	sa.sa_handler = on ? on_signal : SIG_DFL;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

char *vm_shell_quote(char *const argv[])
{
	size_t cap = 16;

	for (int i = 0; argv[i]; i++)
		cap += 4 * strlen(argv[i]) + 3;
	char *out = malloc(cap), *p = out;

	if (!out)
		abort();
	for (int i = 0; argv[i]; i++) {
		if (i)
			*p++ = ' ';
		*p++ = '\'';
		for (const char *s = argv[i]; *s; s++) {
			if (*s == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else {
				*p++ = *s;
			}
		}
		*p++ = '\'';
	}
	*p = '\0';
	return out;
}

struct run {
	const struct layout *l;
	const struct vm_run_opts *o;
	char dir[256];
	char *kernel, *base, *initrd, *outimg, *console, *qemulog;
	pid_t qemu;
	int boot; /* 1 for the first boot, 2 for the second */
	int boot_s; /* how long a boot may take to start the command */
	int status; /* the guest's report; -1 until read */
};

static int add_guest_bins(struct ifs_list *ifs, const struct layout *l)
{
	char *gdir = layout_src(l, "bin/guest");
	DIR *d = opendir(gdir);
	struct dirent *de;
	int ret = 0;

	/* A tree without guest programs yet is fine: nothing to add. */
	while (d && (de = readdir(d)) && !ret) {
		if (de->d_name[0] == '.')
			continue;
		char *host = path_join(gdir, de->d_name);

		if (access(host, X_OK)) {
			free(host);
			continue;
		}

		ret = ifs_add_binary(ifs, host);
		if (ret)
			lw_err("cannot collect the libraries of %s (ldd failed)",
			       host);
		/* ...and put it on the guest's PATH under its own name. */
		char *name = xasprintf("usr/local/bin/%s", de->d_name);

		ifs_add_file(ifs, name, host, 0755);
		free(name);
		free(host);
	}
	if (d)
		closedir(d);
	free(gdir);
	return ret;
}

static int add_params(struct ifs_list *ifs, const struct vm_run_opts *o)
{
	char *text = xasprintf("%s", "");

	for (size_t i = 0; i < o->nparams; i++) {
		char mod[64], param[64], value[128];
		char *t;

		if (sscanf(o->params[i], "%63[^.=].%63[^=]=%127s", mod, param,
			   value) != 3) {
			lw_err("bad --param '%s': expected MODULE.PARAM=VALUE",
			       o->params[i]);
			free(text);
			return -1;
		}
		t = xasprintf("%s%s %s %s\n", text, mod, param, value);
		free(text);
		text = t;
	}
	ifs_add_data(ifs, "lwfuzz/params", text, strlen(text), 0644);
	free(text);
	return 0;
}

/* The per-run archive: init, our guest binaries, /in files, the command. */
static int write_run_archive(struct run *r, int fd)
{
	const struct vm_run_opts *o = r->o;
	struct ifs_list *ifs = ifs_new();
	char *init = layout_src(r->l, "guest/init");
	char *cmd = vm_shell_quote(o->cmd);
	char *script = xasprintf("exec %s\n", cmd);
	int ret = -1;

	ifs_add_file(ifs, "init", init, 0755);
	ifs_add_data(ifs, "lwfuzz/cmd", script, strlen(script), 0644);
	ifs_add_data(ifs, "lwfuzz/variant", o->variant, strlen(o->variant),
		     0644);
	for (size_t i = 0; i < o->nfiles; i++) {
		const char *base = strrchr(o->files[i], '/');
		char *name = xasprintf("in/%s", base ? base + 1 : o->files[i]);

		ifs_add_file(ifs, name, o->files[i], 0);
		free(name);
	}
	if (add_guest_bins(ifs, r->l) || add_params(ifs, o))
		goto out;
	ret = ifs_write(ifs, fd);
	if (ret)
		lw_err("cannot write the guest's initramfs %s: %s", r->initrd,
		       strerror(errno));
out:
	ifs_free(ifs);
	free(script);
	free(cmd);
	free(init);
	return ret;
}

static int check_inputs(const struct vm_run_opts *o)
{
	struct stat st;

	for (size_t i = 0; i < o->nfiles; i++) {
		if (stat(o->files[i], &st) < 0 || !S_ISREG(st.st_mode)) {
			lw_err("--file %s: not a readable regular file",
			       o->files[i]);
			return -1;
		}
	}
	for (size_t i = 0; i < o->ndisks; i++) {
		/* Never a host block device: only image files the user named. */
		if (stat(o->disks[i], &st) < 0 || !S_ISREG(st.st_mode)) {
			lw_err("--disk %s: not an image file (create one with 'truncate -s 1G FILE'; block devices are refused)",
			       o->disks[i]);
			return -1;
		}
	}
	return 0;
}

static int prepare(struct run *r)
{
	char *vdir = layout_variant_dir(r->l, r->o->variant);
	struct kstate ks;
	int fd, ret = -1;

	if (kstate_load_for(r->l, r->o->variant, &ks)) {
		lw_err("no kernel of %s's series set up in %s; run 'lwfuzz setup -k %s' first",
		       r->o->variant, r->l->cache, r->o->variant);
		goto out;
	}
	r->kernel = layout_kernel_image(r->l, &ks);
	r->base = path_join(vdir, "base.cpio");
	if (!path_exists(r->base) || !path_exists(r->kernel)) {
		lw_err("variant %s is not built (no %s); run 'lwfuzz setup'",
		       r->o->variant, r->base);
		goto out;
	}
	if (check_inputs(r->o))
		goto out;
	snprintf(r->dir, sizeof(r->dir), "%s/lwfuzz-vm.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(r->dir)) {
		lw_err("cannot create a scratch directory %s: %s", r->dir,
		       strerror(errno));
		r->dir[0] = '\0';
		goto out;
	}
	r->initrd = path_join(r->dir, "initrd");
	r->outimg = path_join(r->dir, "out.img");
	r->console = path_join(r->dir, "console.log");
	r->qemulog = path_join(r->dir, "qemu.log");
	if (copy_file(r->base, r->initrd, 0644)) {
		lw_err("cannot copy %s: %s", r->base, strerror(errno));
		goto out;
	}
	fd = open(r->initrd, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || write_run_archive(r, fd)) {
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	fd = open(r->outimg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, OUT_DISK_BYTES) < 0) {
		lw_err("cannot create %s: %s", r->outimg, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	ret = 0;
out:
	free(vdir);
	return ret;
}

static char **build_argv(struct run *r, int out_fd)
{
	struct vm_config cfg = {
		.accel = vm_accel_current(),
		.kernel = r->kernel,
		.initrd = r->initrd,
		.mem_mb = r->o->mem_mb,
		.cpus = r->o->cpus ? r->o->cpus : 2,
		.console_path = r->console,
		.output_fd = out_fd,
		.ctl_socket = r->o->ctl_socket,
	};
	const char *stall = getenv("LWFUZZ_TEST_BOOT_STALL");

	if (stall && (!strcmp(stall, "always") ||
		      (r->boot == 1 && !strcmp(stall, "1"))))
		cfg.append = r->o->replay_only ?
				     VM_TEST_STALL_ARG " " VM_REPLAY_ARG :
				     VM_TEST_STALL_ARG;
	else if (r->o->replay_only)
		cfg.append = VM_REPLAY_ARG;
	static char serials[16][16];

	cfg.disks[cfg.ndisks++] =
		(struct vm_disk){ r->outimg, "lwfuzz-out", 0 };
	for (size_t i = 0; i < r->o->ndisks && cfg.ndisks < VM_MAX_DISKS; i++) {
		snprintf(serials[i], sizeof(serials[i]), "disk%zu", i);
		cfg.disks[cfg.ndisks++] =
			(struct vm_disk){ r->o->disks[i], serials[i],
					  r->o->disk_ro[i] };
	}
	return qemu_argv(&cfg);
}

static pid_t start_qemu(struct run *r, int out_fd)
{
	char **argv = build_argv(r, out_fd);
	pid_t pid;

	if (!argv)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int log = open(r->qemulog, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int null = open("/dev/null", O_RDWR);

		/* QEMU must not outlive us, whatever kills us. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(125);
		setpgid(0, 0);
		dup2(null, 0);
		dup2(log >= 0 ? log : null, 1);
		dup2(log >= 0 ? log : null, 2);
		catch_signals(0);
		execvp(argv[0], argv);
		_exit(127);
	}
	qemu_argv_free(argv);
	return pid;
}

static void forward(int fd, int *open_, FILE *tee, int quiet)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n <= 0) {
		*open_ = 0;
		return;
	}
	if (!quiet) {
		fwrite(buf, 1, n, stdout);
		fflush(stdout);
	}
	/* Live: campaigns (and their tests) follow the agent's output file. */
	if (tee) {
		fwrite(buf, 1, n, tee);
		fflush(tee);
	}
}

/* 1 once init said that the command starts (guest/init). */
static int booted(const struct run *r)
{
	char *console = read_file(r->console, NULL);
	int ret = console && strstr(console, VM_BOOT_MARK);

	free(console);
	return ret;
}

static int wait_qemu(struct run *r, int rd)
{
	double t0 = lw_now();
	double deadline = t0 + (r->o->timeout_s ? r->o->timeout_s : 600);
	int up = 0;
	FILE *tee = r->o->tee_path ? fopen(r->o->tee_path,
					   r->o->tee_append ? "a" : "w")
				   : NULL;
	int open_ = 1, st, ret = 0;

	while (open_) {
		struct pollfd p[2] = { { rd, POLLIN, 0 },
				       { sig_pipe[0], POLLIN, 0 } };
		double left = deadline - lw_now();

		if (left <= 0) {
			ret = VM_EXIT_TIMEOUT;
			break;
		}
		if (!up && (up = booted(r)) == 0 && lw_now() - t0 > r->boot_s) {
			ret = VM_BOOT_STALL;
			break;
		}
		if (!up && left > 1)
			left = 1;
		if (poll(p, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR) {
			ret = VM_EXIT_ERROR;
			break;
		}
		if (got_signal) {
			ret = 128 + got_signal;
			break;
		}
		if (p[0].revents)
			forward(rd, &open_, tee, r->o->quiet_output);
	}
	if (tee)
		fclose(tee);
	if (ret)
		return ret;
	/* QEMU closed the output port: it is exiting. */
	while (waitpid(r->qemu, &st, 0) < 0 && errno == EINTR)
		;
	r->qemu = 0;
	return 0;
}

static void kill_qemu(struct run *r)
{
	if (r->qemu <= 0)
		return;
	kill(r->qemu, SIGKILL);
	while (waitpid(r->qemu, NULL, 0) < 0 && errno == EINTR)
		;
	r->qemu = 0;
}

static void show_console_tail(const struct run *r, int lines)
{
	if (r->o->no_console_tail)
		return;
	char *text = read_file(r->console, NULL);
	int seen = 0;
	char *p;

	if (!text)
		return;
	for (p = text + strlen(text); p > text; p--)
		if (p[-1] == '\n' && ++seen > lines)
			break;
	fprintf(stderr, "--- last guest console lines (%s) ---\n%s", r->console,
		p);
	free(text);
}

static int status_hook(const struct cpio_entry *e, int fd, void *arg)
{
	struct run *r = arg;
	char buf[16] = "";

	const char *name = e->name;

	/* busybox cpio may or may not keep find's "./". */
	if (!strncmp(name, "./", 2))
		name += 2;
	if (strcmp(name, ".lwfuzz-status"))
		return 0;
	if (e->size < sizeof(buf) &&
	    pread(fd, buf, e->size, e->data_off) == (ssize_t)e->size)
		r->status = atoi(buf);
	return 1;
}

static int collect(struct run *r)
{
	char *dest = r->o->out_dir ? xasprintf("%s", r->o->out_dir)
				   : path_join(r->dir, "out");
	int fd = open(r->outimg, O_RDONLY | O_CLOEXEC), skipped = 0, ret = -1;
	char why[512] = "no result archive";

	if (fd >= 0 && mkdir_p(dest, 0755) == 0)
		ret = cpio_extract(fd, OUT_DISK_BYTES, dest, status_hook, r,
				   &skipped, why, sizeof(why));
	if (fd >= 0)
		close(fd);
	if (ret && r->status >= 0)
		lw_err("cannot copy the guest's /out into %s: %s", dest, why);
	if (skipped)
		lw_info("skipped %d entries of /out that are neither files nor directories",
			skipped);
	free(dest);
	return ret;
}

static int verdict(struct run *r, int waited)
{
	char *console = read_file(r->console, NULL);
	const char *panic = console ? strstr(console, "Kernel panic") : NULL;
	int ret;

	if (waited == VM_BOOT_STALL) {
		lw_err("guest (%s) did not start its command within %d s%s: its boot stalls; see its console",
		       r->o->variant, r->boot_s, r->boot > 1 ? ", twice" : "");
		show_console_tail(r, 20);
		ret = VM_EXIT_TIMEOUT;
	} else if (waited == VM_EXIT_TIMEOUT) {
		lw_err("guest (%s) still running after %u s: killed it; it hung or needs a longer --timeout",
		       r->o->variant, r->o->timeout_s);
		show_console_tail(r, 20);
		ret = VM_EXIT_TIMEOUT;
	} else if (waited) {
		if (!r->o->quiet_stop)
			lw_err("stopped by signal %d; the guest was killed",
			       waited - 128);
		ret = waited;
	} else if (collect(r) || r->status < 0) {
		/* The panic's own line says why: quote it. */
		const char *why = panic ? panic : "no result (see its console)";

		lw_err("guest (%s) died before reporting: %.*s", r->o->variant,
		       (int)strcspn(why, "\r\n"), why);
		show_console_tail(r, 30);
		char *qlog = read_file(r->qemulog, NULL);

		if (qlog && *qlog)
			fprintf(stderr, "--- qemu said ---\n%s", qlog);
		free(qlog);
		ret = VM_EXIT_CRASHED;
	} else {
		ret = r->status;
	}
	if (r->o->verbose && console)
		fprintf(stderr, "--- guest console ---\n%s", console);
	if (r->o->console_copy && console)
		write_file_atomic(r->o->console_copy, console, strlen(console));
	free(console);
	return ret;
}

static void cleanup(struct run *r)
{
	kill_qemu(r);
	/* LWFUZZ_KEEP_SCRATCH=1 leaves the run's files for debugging. */
	if (r->dir[0] && getenv("LWFUZZ_KEEP_SCRATCH"))
		lw_info("scratch kept in %s", r->dir);
	else if (r->dir[0])
		rm_rf(r->dir);
	free(r->kernel);
	free(r->base);
	free(r->initrd);
	free(r->outimg);
	free(r->console);
	free(r->qemulog);
}

int vm_run(const struct layout *l, const struct vm_run_opts *o)
{
	struct run r = { .l = l, .o = o, .status = -1 };
	int pfd[2] = { -1, -1 }, ret = VM_EXIT_ERROR, waited;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return VM_EXIT_ERROR;
	catch_signals(1);
	if (prepare(&r))
		goto out;
	const char *boot_s = getenv("LWFUZZ_TEST_BOOT_S");

	r.boot_s = boot_s ? (int)strtol(boot_s, NULL, 10) : 0;
	if (r.boot_s <= 0)
		r.boot_s = VM_BOOT_S;
	for (r.boot = 1;; r.boot++) {
		/* The write end is inherited by QEMU alone (no O_CLOEXEC). */
		if (pipe(pfd) < 0 || fcntl(pfd[0], F_SETFD, FD_CLOEXEC) < 0)
			goto out;
		r.qemu = start_qemu(&r, pfd[1]);
		close(pfd[1]);
		pfd[1] = -1;
		if (r.qemu < 0) {
			lw_err("cannot start qemu-system-x86_64: %s",
			       strerror(errno));
			goto out;
		}
		waited = wait_qemu(&r, pfd[0]);
		if (waited)
			kill_qemu(&r);
		/*
		 * The command never ran, so booting again changes no result.
		 * A campaign's VM (ctl_socket) is restarted by its campaign.
		 */
		if (waited != VM_BOOT_STALL || r.boot == 2 || r.o->ctl_socket)
			break;
		lw_warn("guest (%s) did not start its command within %d s (a stalled boot; the command did not run): booting it again",
			o->variant, r.boot_s);
		show_console_tail(&r, 10);
		close(pfd[0]);
		pfd[0] = -1;
	}
	ret = verdict(&r, waited);
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	cleanup(&r);
	catch_signals(0);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	return ret;
}
