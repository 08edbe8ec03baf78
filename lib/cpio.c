// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/cpio.h"
#include "lib/fsutil.h"

#define NEWC_MAGIC "070701"
#define NEWC_HDR 110
#define TRAILER "TRAILER!!!"

void cpio_writer_init(struct cpio_writer *w, int fd)
{
	w->fd = fd;
	w->off = 0;
	w->ino = 1000;
	w->err = 0;
}

static int put(struct cpio_writer *w, const void *buf, size_t len)
{
	const char *p = buf;

	while (len && !w->err) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			w->err = errno;
			break;
		}
		p += n;
		len -= n;
		w->off += n;
	}
	return w->err ? -1 : 0;
}

static int pad4(struct cpio_writer *w)
{
	static const char zero[4];

	return put(w, zero, (4 - (w->off & 3)) & 3);
}

static int header(struct cpio_writer *w, const char *name, unsigned int mode,
		  unsigned long long size, unsigned int rmaj, unsigned int rmin)
{
	char hdr[NEWC_HDR + 1];
	size_t nlen = strlen(name) + 1;

	if (size > 0xffffffffULL) {
		w->err = EFBIG;
		return -1;
	}
	snprintf(hdr, sizeof(hdr),
		 "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 NEWC_MAGIC, w->ino++, mode, 0, 0, S_ISDIR(mode) ? 2 : 1, 0,
		 (unsigned int)size, 0, 0, rmaj, rmin, (unsigned int)nlen, 0);
	if (put(w, hdr, NEWC_HDR) || put(w, name, nlen))
		return -1;
	return pad4(w);
}

int cpio_add_dir(struct cpio_writer *w, const char *name, unsigned int mode)
{
	return header(w, name, S_IFDIR | (mode & 07777), 0, 0, 0);
}

int cpio_add_data(struct cpio_writer *w, const char *name, unsigned int mode,
		  const void *buf, size_t len)
{
	if (header(w, name, S_IFREG | (mode & 07777), len, 0, 0) ||
	    put(w, buf, len))
		return -1;
	return pad4(w);
}

int cpio_add_file(struct cpio_writer *w, const char *name,
		  const char *host_path, unsigned int mode)
{
	char buf[65536];
	struct stat st;
	int fd, ret = -1;

	fd = open(host_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		w->err = errno;
		goto out;
	}
	if (header(w, name, S_IFREG | ((mode ? mode : st.st_mode) & 07777),
		   st.st_size, 0, 0))
		goto out;
	for (off_t left = st.st_size; left > 0;) {
		ssize_t n = read(fd, buf,
				 left < (off_t)sizeof(buf) ? (size_t)left
							   : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* The file shrank under us: the header would lie. */
			w->err = n < 0 ? errno : EIO;
			goto out;
		}
		if (put(w, buf, n))
			goto out;
		left -= n;
	}
	ret = pad4(w);
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

int cpio_add_symlink(struct cpio_writer *w, const char *name,
		     const char *target)
{
	size_t len = strlen(target);

	if (header(w, name, S_IFLNK | 0777, len, 0, 0) || put(w, target, len))
		return -1;
	return pad4(w);
}

int cpio_add_chardev(struct cpio_writer *w, const char *name, unsigned int mode,
		     unsigned int major, unsigned int minor)
{
	return header(w, name, S_IFCHR | (mode & 07777), 0, major, minor);
}

int cpio_finish(struct cpio_writer *w)
{
	static const char zero[512];

	if (header(w, TRAILER, 0, 0, 0, 0))
		return -1;
	return put(w, zero, (512 - (w->off & 511)) & 511);
}

static int hex8(const char *s, unsigned long long *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		char c = s[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		*v = *v << 4 | d;
	}
	return 0;
}

static unsigned long long align4(unsigned long long v)
{
	return (v + 3) & ~3ULL;
}

int cpio_next(int fd, unsigned long long *off, unsigned long long limit,
	      struct cpio_entry *e)
{
	char hdr[NEWC_HDR];
	unsigned long long f[13], nlen;

	if (*off + NEWC_HDR > limit ||
	    pread(fd, hdr, NEWC_HDR, *off) != NEWC_HDR ||
	    memcmp(hdr, NEWC_MAGIC, 6))
		return -1;
	for (int i = 0; i < 13; i++)
		if (hex8(hdr + 6 + 8 * i, &f[i]))
			return -1;
	nlen = f[11];
	if (nlen < 2 || nlen > sizeof(e->name) ||
	    *off + NEWC_HDR + nlen > limit)
		return -1;
	if (pread(fd, e->name, nlen, *off + NEWC_HDR) != (ssize_t)nlen ||
	    e->name[nlen - 1] != '\0' || strlen(e->name) != nlen - 1)
		return -1;
	e->mode = f[1];
	e->size = f[6];
	e->data_off = align4(*off + NEWC_HDR + nlen);
	if (e->data_off + e->size > limit)
		return -1;
	*off = align4(e->data_off + e->size);
	return strcmp(e->name, TRAILER) ? 1 : 0;
}

/* "./a/b" -> "a/b"; NULL for names that could leave the destination. */
static const char *safe_name(const char *name)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	if (name[0] == '/' || !strcmp(name, ".."))
		return NULL;
	if (!strncmp(name, "../", 3) || strstr(name, "/../"))
		return NULL;
	size_t len = strlen(name);

	if (len >= 3 && !strcmp(name + len - 3, "/.."))
		return NULL;
	return name;
}

static int extract_file(int fd, const struct cpio_entry *e, char *path)
{
	char buf[65536];
	int out, ret = -1;

	char *slash = strrchr(path, '/');

	/* Parents may come without their own entry. */
	if (slash) {
		*slash = '\0';
		ret = mkdir_p(path, 0755);
		*slash = '/';
		if (ret)
			return -1;
		ret = -1;
	}
	/* A rerun into the same directory replaces what was there. */
	unlink(path);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		   e->mode & 0777);
	if (out < 0)
		return -1;
	for (unsigned long long done = 0; done < e->size;) {
		size_t want = e->size - done < sizeof(buf) ? e->size - done
							   : sizeof(buf);
		ssize_t n = pread(fd, buf, want, e->data_off + done);

		if (n <= 0 || write(out, buf, n) != n)
			goto out;
		done += n;
	}
	ret = 0;
out:
	if (close(out) < 0)
		ret = -1;
	return ret;
}

int cpio_extract(int fd, unsigned long long limit, const char *dest,
		 int (*hook)(const struct cpio_entry *e, int fd, void *arg),
		 void *arg, int *skipped, char *why, size_t whylen)
{
	unsigned long long off = 0;
	struct cpio_entry e;
	int r;

	*skipped = 0;
	while ((r = cpio_next(fd, &off, limit, &e)) == 1) {
		const char *name = safe_name(e.name);
		char *path;
		int ok;

		if (!name) {
			snprintf(why, whylen, "unsafe name '%s'", e.name);
			return -1;
		}
		if (!*name || (hook && hook(&e, fd, arg)))
			continue;
		if (!S_ISDIR(e.mode) && !S_ISREG(e.mode)) {
			(*skipped)++;
			continue;
		}
		path = path_join(dest, name);
		if (S_ISDIR(e.mode))
			ok = mkdir_p(path, 0755) == 0;
		else
			ok = extract_file(fd, &e, path) == 0;
		if (!ok)
			snprintf(why, whylen, "%s: %s", path, strerror(errno));
		free(path);
		if (!ok)
			return -1;
	}
	if (r < 0) {
		snprintf(why, whylen, "malformed archive at byte %llu", off);
		return -1;
	}
	return 0;
}
