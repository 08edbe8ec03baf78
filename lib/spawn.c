// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/spawn.h"

static int wait_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* In the child: never returns. */
static void child_exec(char *const argv[], const char *cwd, int out_fd,
		       int err_fd)
{
	int devnull = open("/dev/null", O_RDONLY);

	if (devnull >= 0)
		dup2(devnull, 0);
	if (out_fd >= 0)
		dup2(out_fd, 1);
	if (err_fd >= 0)
		dup2(err_fd, 2);
	if (cwd && chdir(cwd) < 0)
		_exit(127);
	execvp(argv[0], argv);
	_exit(127);
}

int spawn_run(char *const argv[], const char *cwd, const char *log)
{
	int fd = -1;
	pid_t pid;

	fflush(NULL);
	if (log) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0)
			return -1;
	}
	pid = fork();
	if (pid == 0)
		child_exec(argv, cwd, fd, fd);
	if (fd >= 0)
		close(fd);
	if (pid < 0)
		return -1;
	return wait_status(pid);
}

static char *read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		return NULL;
	for (;;) {
		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return buf;
}

static int capture(char *const argv[], char **out, int merge)
{
	int pfd[2], devnull, st;
	pid_t pid;

	*out = NULL;
	fflush(NULL);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	pid = fork();
	if (pid == 0)
		child_exec(argv, NULL, pfd[1], merge ? pfd[1] : devnull);
	close(pfd[1]);
	if (devnull >= 0)
		close(devnull);
	if (pid < 0) {
		close(pfd[0]);
		return -1;
	}
	*out = read_all(pfd[0]);
	close(pfd[0]);
	st = wait_status(pid);
	if (!*out)
		return -1;
	return st;
}

int spawn_capture(char *const argv[], char **out)
{
	return capture(argv, out, 0);
}

int spawn_capture_all(char *const argv[], char **out)
{
	return capture(argv, out, 1);
}

const char *spawn_describe(char *const argv[])
{
	static char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; argv[i] && len < sizeof(buf) - 1; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? " " : "", argv[i]);
	return buf;
}
