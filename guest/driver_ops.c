// SPDX-License-Identifier: GPL-2.0
/*
 * The operations of the workload language, each bracketed by the model's
 * begin/end calls (driver_promise.c) so that promises about what an
 * operation changes are forgotten before it starts, and durability
 * points promise only what nothing changed while they ran.
 */
#include <btrfsutil.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "guest/driver_int.h"
#include "lib/fsutil.h"
#include "lib/hash.h"

/* A SIGBUS in an mmap write (a racing truncate) ends that write only. */
static __thread sigjmp_buf bus_jmp;
static __thread volatile sig_atomic_t bus_armed;

static void on_sigbus(int sig)
{
	if (bus_armed)
		siglongjmp(bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

void driver_ops_init(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

static int bind_fd(struct run *r, uint16_t path, int direct, int fd)
{
	struct path_fd *pf = &r->fds[path];
	int *slot = direct ? &pf->dfd : &pf->fd;

	pthread_mutex_lock(&r->lock);
	if (*slot < 0) {
		*slot = fd;
	} else if (fd >= 0) {
		close(fd);
		fd = *slot;
	}
	pthread_mutex_unlock(&r->lock);
	return fd;
}

/*
 * The descriptor of @path: the one it opened, else one opened now and
 * kept (a directory read-only). A direct one is reopened from the
 * buffered one when there is one, so it reaches an unlinked or O_TMPFILE
 * inode too.
 */
static int fd_of(struct run *r, uint16_t path, int direct)
{
	struct path_fd *pf = &r->fds[path];
	char proc[64], *abs;
	int fd, bfd, sync_flags;

	pthread_mutex_lock(&r->lock);
	fd = direct ? pf->dfd : pf->fd;
	bfd = pf->fd;
	/* The direct descriptor shares the buffered one's O_SYNC/O_DSYNC. */
	sync_flags = pf->osync == 2 ? O_SYNC : pf->osync ? O_DSYNC : 0;
	pthread_mutex_unlock(&r->lock);
	if (fd >= 0)
		return fd;
	if (direct && bfd >= 0) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", bfd);
		fd = open(proc, O_RDWR | O_DIRECT | O_CLOEXEC | sync_flags);
	} else {
		abs = path_abs(r, path);
		fd = open(abs, O_RDWR | O_CLOEXEC | (direct ? O_DIRECT : 0));
		if (fd < 0 && errno == EISDIR && !direct)
			fd = open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(abs);
	}
	return fd < 0 ? -1 : bind_fd(r, path, direct, fd);
}

void close_path(struct run *r, uint16_t path)
{
	struct path_fd *pf = &r->fds[path];

	pthread_mutex_lock(&r->lock);
	if (pf->fd >= 0)
		close(pf->fd);
	if (pf->dfd >= 0)
		close(pf->dfd);
	pf->fd = pf->dfd = -1;
	pf->osync = 0;
	pthread_mutex_unlock(&r->lock);
}

static uint64_t ino_of_fd(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

/* Caller holds the lock: the inode @path names now, or 0. */
static uint64_t ino_of_path(struct run *r, uint16_t path)
{
	char *abs = path_abs(r, path);
	struct stat st;
	int ret = lstat(abs, &st);

	free(abs);
	return ret ? 0 : st.st_ino;
}

/*
 * Brackets for changing an inode's data or attributes. data_begin()
 * returns 1 when this thread is the only one changing it.
 */
static int data_begin(struct run *r, uint64_t ino, unsigned long *gen)
{
	int alone;

	pthread_mutex_lock(&r->lock);
	ino_begin(r, ino);
	alone = ino_track(r, ino)->busy == 1;
	*gen = ino_track(r, ino)->gen;
	pthread_mutex_unlock(&r->lock);
	return alone;
}

/* 1 when nobody else changed the inode since data_begin(). */
static int data_end(struct run *r, uint64_t ino, unsigned long gen)
{
	int alone;

	pthread_mutex_lock(&r->lock);
	alone = ino_track(r, ino)->gen == gen && ino_track(r, ino)->busy == 1;
	ino_end(r, ino);
	pthread_mutex_unlock(&r->lock);
	return alone;
}

/* The end of a change of names (begun with ns_begin()). */
static void names_end(struct run *r)
{
	pthread_mutex_lock(&r->lock);
	ns_end(r);
	pthread_mutex_unlock(&r->lock);
}

static int do_open(struct run *r, const struct wl_op *op)
{
	int flags = O_RDWR | O_CLOEXEC, fd, ns = 0;
	char *abs = path_abs(r, op->path);
	uint64_t ino = 0;
	unsigned long gen;
	struct stat st;

	flags |= op->flags & OPEN_CREAT ? O_CREAT : 0;
	flags |= op->flags & OPEN_TRUNC ? O_TRUNC : 0;
	flags |= op->flags & OPEN_DSYNC ? O_DSYNC : 0;
	flags |= op->flags & OPEN_SYNC ? O_SYNC : 0;
	pthread_mutex_lock(&r->lock);
	/* Creating a name changes the namespace; opening one does not. */
	if (lstat(abs, &st) == 0 && !r->m->ns_busy)
		ino = st.st_ino;
	else if (op->flags & OPEN_CREAT)
		ns = 1;
	if (ns)
		ns_begin(r, &op->path, 1, NULL, 0);
	pthread_mutex_unlock(&r->lock);
	if (ino && (op->flags & OPEN_TRUNC))
		data_begin(r, ino, &gen);
	fd = open(abs, flags, 0644);
	if (ino && (op->flags & OPEN_TRUNC))
		data_end(r, ino, gen);
	if (ns)
		names_end(r);
	free(abs);
	if (fd < 0)
		return -1;
	if (op->flags & OPEN_NOCOW) {
		int attr = 0;

		/* Takes effect on an empty file only; fails otherwise. */
		if (ioctl(fd, FS_IOC_GETFLAGS, &attr) == 0) {
			attr |= FS_NOCOW_FL;
			ioctl(fd, FS_IOC_SETFLAGS, &attr);
		}
	}
	/* The path's descriptors are this open's now; a direct one is
	 * reopened from it on first use, with its flags. */
	pthread_mutex_lock(&r->lock);
	if (r->fds[op->path].fd >= 0)
		close(r->fds[op->path].fd);
	if (r->fds[op->path].dfd >= 0)
		close(r->fds[op->path].dfd);
	r->fds[op->path].dfd = -1;
	r->fds[op->path].fd = fd;
	r->fds[op->path].osync = op->flags & OPEN_SYNC	? 2 :
				 op->flags & OPEN_DSYNC ? 1 :
							  0;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

static void name_point(char *by, size_t len, const struct wl_op *op,
		       unsigned int t, unsigned int i)
{
	snprintf(by, len, "%s-t%u-o%u", wl_code_name(op->code), t, i);
}

/*
 * After a write that promised its range (O_SYNC, O_DSYNC or msync) and
 * that nobody else's change overlapped: the range holds what it wrote.
 */
static void range_durable(struct run *r, int fd, uint64_t ino,
			  const struct wl_op *op, unsigned int t,
			  unsigned int i, const void *buf, uint64_t len,
			  const char *rule)
{
	struct sync_point sp;

	sync_point_begin(r, &sp, fd);
	if (sp.ino != ino)
		return;
	name_point(sp.by, sizeof(sp.by), op, t, i);
	promise_commit_range(r, promise_prepare(r, &sp, fd, PROMISE_RANGE),
			     op->off, len, hash_bytes(HASH_INIT, buf, len),
			     rule);
}

static int do_io(struct run *r, const struct wl_op *op, unsigned int t,
		 unsigned int i)
{
	int direct = op->flags & IO_DIRECT, alone, osync;
	int fd = fd_of(r, op->path, direct);
	unsigned long gen;
	uint64_t ino;
	void *buf;
	ssize_t n;

	if (fd < 0 || posix_memalign(&buf, WL_BLOCK, op->len))
		return -1;
	if (op->code == WL_PREAD) {
		n = pread(fd, buf, op->len, op->off);
		free(buf);
		return n < 0 ? -1 : 0;
	}
	wl_pattern(op->arg, op->off, buf, op->len);
	ino = ino_of_fd(fd);
	alone = data_begin(r, ino, &gen);
	n = pwrite(fd, buf, op->len, op->off);
	alone &= data_end(r, ino, gen);
	pthread_mutex_lock(&r->lock);
	osync = r->fds[op->path].osync;
	pthread_mutex_unlock(&r->lock);
	if (osync && alone && n == (ssize_t)op->len)
		range_durable(r, fd, ino, op, t, i, buf, op->len,
			      osync == 2 ? "o_sync" : "o_dsync");
	free(buf);
	return n < 0 ? -1 : 0;
}

static int do_mwrite(struct run *r, const struct wl_op *op, unsigned int t,
		     unsigned int i)
{
	int fd = fd_of(r, op->path, 0), alone = 0, ret = -1;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t ino, start, len;
	unsigned long gen;
	struct stat st;
	char *map;

	if (fd < 0 || fstat(fd, &st) || (uint64_t)st.st_size <= op->off)
		return -1; /* mmap cannot write past the end of a file */
	len = st.st_size - op->off < op->len ? st.st_size - op->off : op->len;
	start = op->off - op->off % page;
	map = mmap(NULL, len + op->off - start, PROT_READ | PROT_WRITE,
		   MAP_SHARED, fd, start);
	if (map == MAP_FAILED)
		return -1;
	ino = st.st_ino;
	alone = data_begin(r, ino, &gen);
	if (!sigsetjmp(bus_jmp, 1)) {
		bus_armed = 1;
		wl_pattern(op->arg, op->off, map + (op->off - start), len);
		ret = 0;
		if (op->flags & MWRITE_MSYNC)
			ret = msync(map, len + op->off - start, MS_SYNC);
	} else {
		ret = -1; /* the file shrank under the mapping */
	}
	bus_armed = 0;
	alone &= data_end(r, ino, gen);
	if (!ret && alone && (op->flags & MWRITE_MSYNC))
		range_durable(r, fd, ino, op, t, i, map + (op->off - start),
			      len, "msync");
	munmap(map, len + op->off - start);
	return ret;
}

static int do_fsync(struct run *r, const struct wl_op *op, unsigned int t,
		    unsigned int i)
{
	int fd = fd_of(r, op->path, 0), ret;
	struct sync_point sp;
	struct pending *p;

	if (fd < 0)
		return -1;
	/* Name the durability point in the log before it starts. */
	name_point(sp.by, sizeof(sp.by), op, t, i);
	mark(r, sp.by);
	sync_point_begin(r, &sp, fd);
	name_point(sp.by, sizeof(sp.by), op, t, i);
	p = promise_prepare(r, &sp, fd,
			    op->code == WL_FSYNC ? PROMISE_FSYNC :
						   PROMISE_FDATASYNC);
	ret = op->code == WL_FSYNC ? fsync(fd) : fdatasync(fd);
	promise_commit(r, p, !ret);
	return ret;
}

static int do_sync_all(struct run *r, const struct wl_op *op, unsigned int t,
		       unsigned int i)
{
	struct sync_point sp;
	struct pending *p;
	int ret = 0, fd;

	name_point(sp.by, sizeof(sp.by), op, t, i);
	mark(r, sp.by);
	sync_point_begin(r, &sp, -1);
	name_point(sp.by, sizeof(sp.by), op, t, i);
	p = promise_prepare(r, &sp, -1, PROMISE_SYNC);
	if (op->code == WL_SYNC) {
		sync();
	} else {
		fd = open(r->cfg->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ret = fd < 0 ? -1 : syncfs(fd);
		if (fd >= 0)
			close(fd);
	}
	promise_commit(r, p, !ret);
	return ret;
}

static int do_change(struct run *r, const struct wl_op *op)
{
	static const int modes[FALLOC_MODES] = {
		0,
		FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_ZERO_RANGE,
		FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_COLLAPSE_RANGE,
		FALLOC_FL_INSERT_RANGE,
	};
	int fd = fd_of(r, op->path, 0), ret = -1;
	char name[16], *val = NULL;
	unsigned long gen;
	uint64_t ino;

	if (fd < 0)
		return -1;
	if (op->code == WL_SETXATTR) {
		val = malloc(op->len ? op->len : 1);
		if (!val)
			return -1;
		wl_pattern(op->arg, 0, val, op->len);
	}
	snprintf(name, sizeof(name), "user.x%u", op->flags);
	ino = ino_of_fd(fd);
	data_begin(r, ino, &gen);
	switch (op->code) {
	case WL_TRUNCATE:
		ret = ftruncate(fd, op->len);
		break;
	case WL_FALLOCATE:
		ret = fallocate(fd, modes[op->flags % FALLOC_MODES], op->off,
				op->len);
		break;
	case WL_SETXATTR:
		ret = fsetxattr(fd, name, val, op->len, 0);
		break;
	case WL_REMOVEXATTR:
		ret = fremovexattr(fd, name);
		break;
	case WL_CHMOD:
		ret = fchmod(fd, op->arg);
		break;
	}
	data_end(r, ino, gen);
	free(val);
	return ret;
}

static int do_clone(struct run *r, const struct wl_op *op)
{
	int src = fd_of(r, op->path, 0), dst = fd_of(r, op->path2, 0), ret;
	unsigned long gen;
	uint64_t ino;

	if (src < 0 || dst < 0)
		return -1;
	ino = ino_of_fd(dst);
	data_begin(r, ino, &gen);
	if (op->code == WL_CLONE) {
		struct file_clone_range fcr = { .src_fd = src,
						.src_offset = op->off,
						.src_length = op->len,
						.dest_offset = op->arg };

		ret = ioctl(dst, FICLONERANGE, &fcr);
	} else {
		loff_t in = op->off, out = op->arg;

		ret = copy_file_range(src, &in, dst, &out, op->len, 0) < 0 ? -1 :
									     0;
	}
	data_end(r, ino, gen);
	return ret;
}

static int do_rename(struct run *r, const struct wl_op *op, unsigned int t,
		     unsigned int i)
{
	static const unsigned int flags[] = { 0, RENAME_EXCHANGE,
					      RENAME_NOREPLACE };
	uint16_t paths[2] = { op->path, op->path2 };
	char *a = path_abs(r, op->path), *b = path_abs(r, op->path2), by[40];
	int exchange = op->flags == RENAME_EXCH, ret;
	struct rename_point rp;
	uint64_t inos[2];

	pthread_mutex_lock(&r->lock);
	rename_point_begin(r, &rp, op->path, op->path2);
	inos[0] = ino_of_path(r, op->path);
	inos[1] = ino_of_path(r, op->path2);
	ns_begin(r, paths, 2, inos, 2);
	rp.ns_gen = r->m->ns_gen;
	pthread_mutex_unlock(&r->lock);
	ret = renameat2(AT_FDCWD, a, AT_FDCWD, b, flags[op->flags % 3]);
	pthread_mutex_lock(&r->lock);
	ns_end(r);
	if (!ret && !exchange) {
		model_removed(r, op->path, inos[0]);
		if (inos[1] && inos[1] != inos[0])
			model_removed(r, op->path2, inos[1]);
	}
	if (!ret && wl_path_parent(op->path) != wl_path_parent(op->path2)) {
		model_moved_out(r, wl_path_parent(op->path));
		if (exchange)
			model_moved_out(r, wl_path_parent(op->path2));
	}
	if (!ret) {
		name_point(by, sizeof(by), op, t, i);
		promise_rename(r, &rp, op->path, op->path2, exchange, by);
	}
	pthread_mutex_unlock(&r->lock);
	free(a);
	free(b);
	return ret;
}

/* link, unlink, mkdir, rmdir, symlink, linkat, subvol, snapshot */
static int do_name(struct run *r, const struct wl_op *op)
{
	uint16_t target = op->code == WL_SYMLINK || op->code == WL_LINK ?
				  op->path2 :
				  op->path;
	char *a = path_abs(r, op->path), *b = path_abs(r, op->path2);
	char text[WL_PATH_TEXT];
	uint64_t inos[2] = { 0 };
	int ret = -1, fd = -1;

	if (op->code == WL_LINKAT) {
		pthread_mutex_lock(&r->lock);
		fd = r->fds[op->path].fd;
		pthread_mutex_unlock(&r->lock);
		if (fd < 0)
			goto out;
	}
	pthread_mutex_lock(&r->lock);
	inos[0] = ino_of_path(r, target);
	/* The source of a link gains a link: its count was promised too. */
	if (op->code == WL_LINK)
		inos[1] = ino_of_path(r, op->path);
	else if (op->code == WL_LINKAT)
		inos[1] = ino_of_fd(fd);
	ns_begin(r, &target, 1, inos, 2);
	pthread_mutex_unlock(&r->lock);
	switch (op->code) {
	case WL_LINK:
		ret = link(a, b);
		break;
	case WL_UNLINK:
		ret = unlink(a);
		break;
	case WL_MKDIR:
		ret = mkdir(a, 0755);
		break;
	case WL_RMDIR:
		ret = rmdir(a);
		break;
	case WL_SYMLINK:
		ret = symlink(wl_path_text(op->path, text), b);
		break;
	case WL_LINKAT:
		ret = linkat(fd, "", AT_FDCWD, a, AT_EMPTY_PATH);
		break;
	case WL_SUBVOL:
		ret = btrfs_util_create_subvolume(a, 0, NULL, NULL) ? -1 : 0;
		break;
	case WL_SNAPSHOT:
		ret = btrfs_util_create_snapshot(r->cfg->mnt, a, 0, NULL,
						 NULL) ?
			      -1 :
			      0;
		break;
	}
	pthread_mutex_lock(&r->lock);
	ns_end(r);
	if (!ret && (op->code == WL_UNLINK || op->code == WL_RMDIR))
		model_removed(r, op->path, inos[0]);
	if (!ret && op->code == WL_MKDIR)
		model_created_dir(r, op->path);
	pthread_mutex_unlock(&r->lock);
out:
	free(a);
	free(b);
	return ret;
}

static int do_tmpfile(struct run *r, const struct wl_op *op)
{
	char *dir = path_abs(r, wl_path_parent(op->path));
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);

	free(dir);
	if (fd < 0)
		return -1;
	close_path(r, op->path);
	pthread_mutex_lock(&r->lock);
	r->fds[op->path].fd = fd;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

int run_fs_op(struct run *r, const struct wl_op *op, unsigned int t,
	      unsigned int i)
{
	int fd;

	switch (op->code) {
	case WL_OPEN:
		return do_open(r, op);
	case WL_CLOSE:
		close_path(r, op->path);
		return 0;
	case WL_PWRITE:
	case WL_PREAD:
		return do_io(r, op, t, i);
	case WL_MWRITE:
		return do_mwrite(r, op, t, i);
	case WL_FSYNC:
	case WL_FDATASYNC:
		return do_fsync(r, op, t, i);
	case WL_SYNC_RANGE:
		fd = fd_of(r, op->path, 0);
		return fd < 0 ? -1 :
				sync_file_range(fd, op->off, op->len,
						SYNC_FILE_RANGE_WAIT_BEFORE |
							SYNC_FILE_RANGE_WRITE |
							SYNC_FILE_RANGE_WAIT_AFTER);
	case WL_SYNC:
	case WL_SYNCFS:
		return do_sync_all(r, op, t, i);
	case WL_FALLOCATE:
	case WL_TRUNCATE:
	case WL_SETXATTR:
	case WL_REMOVEXATTR:
	case WL_CHMOD:
		return do_change(r, op);
	case WL_CLONE:
	case WL_COPY_RANGE:
		return do_clone(r, op);
	case WL_RENAME:
		return do_rename(r, op, t, i);
	case WL_LINK:
	case WL_UNLINK:
	case WL_MKDIR:
	case WL_RMDIR:
	case WL_SYMLINK:
	case WL_LINKAT:
	case WL_SUBVOL:
	case WL_SNAPSHOT:
		return do_name(r, op);
	case WL_TMPFILE:
		return do_tmpfile(r, op);
	case WL_TOUCH:
		fd = fd_of(r, op->path, 0);
		return fd < 0 ? -1 : futimens(fd, NULL);
	}
	return -1;
}
