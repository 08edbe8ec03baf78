// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "guest/fs_template.h"
#include "lib/fsutil.h"
#include "lib/log_reader.h"
#include "lib/poison.h"

static void add_write(struct fs_template *t, const struct log_entry *e,
		      uint64_t raw_base)
{
	struct fs_template_write *w;

	t->writes = xrealloc(t->writes, (t->nwrites + 1) * sizeof(*w));
	w = &t->writes[t->nwrites++];
	w->off = e->sector * t->sectorsize;
	w->len = e->nr_sectors * t->sectorsize;
	w->raw_off = e->data_offset - raw_base;
}

int fs_template_capture(struct fs_template *t, const char *key,
			const char *log_dev, char *why, size_t whylen)
{
	struct log_entry *e = malloc(sizeof(*e));
	struct log_reader *r = e ? log_open(log_dev, 0, why, whylen) : NULL;
	uint64_t end = 0;
	int got, found = 0, fd = -1;

	memset(t, 0, sizeof(*t));
	if (!r)
		goto err;
	snprintf(t->key, sizeof(t->key), "%s", key);
	t->sectorsize = log_super(r)->sectorsize;
	while (!found && (got = log_next(r, e, why, whylen)) == 1) {
		/* Discards would need zeroes; mkfs -K issues none. */
		if (e->flags & LOG_DISCARD) {
			snprintf(why, whylen,
				 "entry %llu before the mkfs mark is a discard",
				 (unsigned long long)e->index);
			goto err;
		}
		if (e->data_bytes)
			add_write(t, e, t->sectorsize);
		end = e->data_offset + e->data_bytes;
		t->nr_entries = e->index + 1;
		found = (e->flags & LOG_MARK) && !strcmp(e->mark, "mkfs");
	}
	if (!found) {
		if (got >= 0)
			snprintf(why, whylen, "no mkfs mark in %s", log_dev);
		goto err;
	}
	t->raw_len = end - t->sectorsize;
	t->raw = malloc(t->raw_len);
	fd = open(log_dev, O_RDONLY | O_CLOEXEC);
	if (!t->raw || fd < 0 ||
	    pread_full(fd, t->raw, t->raw_len, t->sectorsize)) {
		snprintf(why, whylen, "cannot read %zu bytes of %s: %s",
			 t->raw_len, log_dev, strerror(errno));
		goto err;
	}
	close(fd);
	log_close(r);
	free(e);
	return 0;
err:
	if (fd >= 0)
		close(fd);
	log_close(r);
	free(e);
	fs_template_free(t);
	return -1;
}

void fs_template_free(struct fs_template *t)
{
	free(t->raw);
	free(t->writes);
	memset(t, 0, sizeof(*t));
}

int fs_template_write(const struct fs_template *t, int fd)
{
	for (size_t i = 0; i < t->nwrites; i++) {
		const struct fs_template_write *w = &t->writes[i];

		if (pwrite_full(fd, t->raw + w->raw_off, w->len, w->off))
			return -1;
	}
	return fsync(fd);
}

int fs_template_switch(const char *target, const struct fs_template *from,
		       const struct fs_template *to)
{
	int fd = open(target, O_RDWR | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -1;
	for (size_t i = 0; from && !ret && i < from->nwrites; i++)
		ret = poison_range(fd, from->writes[i].off,
				   from->writes[i].len);
	if (!ret && to)
		ret = fs_template_write(to, fd);
	else if (!ret)
		ret = fsync(fd);
	close(fd);
	return ret ? -1 : 0;
}

/* @t's data over [off, off + len) of @fd, in log order (later wins). */
static int rewrite_overlap(const struct fs_template *t, int fd, uint64_t off,
			   uint64_t len)
{
	for (size_t i = 0; t && i < t->nwrites; i++) {
		const struct fs_template_write *w = &t->writes[i];
		uint64_t a = w->off > off ? w->off : off;
		uint64_t b = w->off + w->len < off + len ? w->off + w->len
							 : off + len;

		if (a < b &&
		    pwrite_full(fd, t->raw + w->raw_off + (a - w->off), b - a, a))
			return -1;
	}
	return 0;
}

int fs_template_restore(const struct fs_template *t, const char *log_dev,
			const char *target)
{
	struct log_entry *e = malloc(sizeof(*e));
	int fd = open(target, O_RDWR | O_CLOEXEC), ret = 0;
	struct log_reader *r = NULL;
	char why[256];

	if (e && fd >= 0)
		r = log_open(log_dev, 0, why, sizeof(why));
	if (!r)
		ret = -1;
	while (r && !ret && log_next(r, e, why, sizeof(why)) == 1) {
		uint64_t ss = log_super(r)->sectorsize;
		uint64_t off = e->sector * ss, len = e->nr_sectors * ss;

		if (!len || (e->flags & LOG_MARK))
			continue;
		/* Poison is whole blocks: the template goes back over all of
		 * what poison_range() covered. */
		uint64_t a = off / POISON_BLOCK * POISON_BLOCK;
		uint64_t b = (off + len + POISON_BLOCK - 1) / POISON_BLOCK *
			     POISON_BLOCK;

		ret = poison_range(fd, a, b - a) ? -1
						 : rewrite_overlap(t, fd, a, b - a);
	}
	if (fd >= 0 && fsync(fd))
		ret = -1;
	log_close(r);
	if (fd >= 0)
		close(fd);
	free(e);
	return ret;
}

int fs_template_save_log(const struct fs_template *t, const char *log_dev,
			 uint64_t log_bytes, const char *dst)
{
	unsigned char *buf = malloc(1 << 20);
	int in = open(log_dev, O_RDONLY | O_CLOEXEC), out = -1, ret = -1;
	struct log_reader *r = NULL;
	uint64_t from = 0, shift = 0;
	char why[256];

	r = buf && in >= 0 ? log_open(log_dev, 0, why, sizeof(why)) : NULL;
	if (!r || log_bytes < log_super(r)->sectorsize ||
	    (t && log_super(r)->sectorsize != t->sectorsize))
		goto out;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		goto out;
	/* A new super block and the template's entries before the run's. */
	if (t) {
		from = t->sectorsize;
		shift = t->raw_len;
		log_super_encode(buf, t->nr_entries + log_super(r)->nr_entries,
				 t->sectorsize);
		if (pwrite_full(out, buf, from, 0) ||
		    pwrite_full(out, t->raw, t->raw_len, from))
			goto out;
	}
	for (uint64_t done = from; done < log_bytes;) {
		size_t want = log_bytes - done < (1 << 20) ? log_bytes - done
							   : (1 << 20);

		if (pread_full(in, buf, want, done) ||
		    pwrite_full(out, buf, want, done + shift))
			goto out;
		done += want;
	}
	ret = 0;
out:
	if (out >= 0 && close(out))
		ret = -1;
	if (in >= 0)
		close(in);
	log_close(r);
	free(buf);
	return ret;
}

int fs_template_forget_devices(char *why, size_t whylen)
{
	struct btrfs_ioctl_vol_args args;
	int fd = open("/dev/btrfs-control", O_RDWR | O_CLOEXEC), ret;

	if (fd < 0) {
		snprintf(why, whylen, "/dev/btrfs-control: %s",
			 strerror(errno));
		return -1;
	}
	/* An empty name forgets every device that is not mounted. */
	memset(&args, 0, sizeof(args));
	ret = ioctl(fd, BTRFS_IOC_FORGET_DEV, &args);
	if (ret < 0)
		snprintf(why, whylen, "BTRFS_IOC_FORGET_DEV: %s",
			 strerror(errno));
	close(fd);
	return ret < 0 ? -1 : 0;
}
