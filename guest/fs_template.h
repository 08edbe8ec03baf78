/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File system templates (in the guest): what mkfs.btrfs wrote through
 * dm-log-writes for one set of mkfs arguments, taken from the first run's
 * log up to its "mkfs" mark and kept for the agent's life. A later run
 * with the same arguments writes the template onto the data device
 * instead of running mkfs, and its replay starts from a target that holds
 * the template over the poison, so mkfs's writes are neither replayed nor
 * poisoned again every run. A log saved from such a run is the template's
 * entries followed by the run's own: the same log a run with mkfs writes.
 *
 * The price: every run with the same arguments has the same file system
 * UUIDs, so the btrfs device list is emptied of unmounted devices before
 * each mount (a stale entry of a later generation refuses the older one).
 */
#ifndef LWFUZZ_FS_TEMPLATE_H
#define LWFUZZ_FS_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

struct fs_template_write {
	uint64_t off, len; /* device bytes */
	size_t raw_off; /* where in raw the data is */
};

struct fs_template {
	char key[256]; /* the mkfs arguments it was made with */
	uint32_t sectorsize; /* of the log */
	uint64_t nr_entries; /* up to and including the "mkfs" mark */
	unsigned char *raw; /* the log's bytes after its super block, to
			       the end of the mark's entry */
	size_t raw_len;
	struct fs_template_write *writes; /* the data writes, in log order */
	size_t nwrites;
};

/*
 * Take @t from the log on @log_dev (complete, ended): its entries up to
 * the mark "mkfs". 0, or -1 with one line in @why.
 */
int fs_template_capture(struct fs_template *t, const char *key,
			const char *log_dev, char *why, size_t whylen);
void fs_template_free(struct fs_template *t);

/* Write every data write of @t onto @fd, in order, then fsync. 0 or -1. */
int fs_template_write(const struct fs_template *t, int fd);

/*
 * A replay target that holds @from over its poison (NULL: poison alone)
 * made to hold @to instead: @from's writes poisoned again, @to's written.
 * 0 or -1 (the target's base is then unknown).
 */
int fs_template_switch(const char *target, const struct fs_template *from,
		       const struct fs_template *to);

/*
 * After a replay onto a target whose base is @t (NULL: poison alone):
 * put back the base wherever the log on @log_dev wrote: poison, then
 * @t's data that overlaps. 0 or -1.
 */
int fs_template_restore(const struct fs_template *t, const char *log_dev,
			const char *target);

/*
 * Save the first @log_bytes of the log on @log_dev at @dst; from a run
 * that started from @t (not NULL), as one self-contained log: @t's
 * entries, then the run's. 0 or -1.
 */
int fs_template_save_log(const struct fs_template *t, const char *log_dev,
			 uint64_t log_bytes, const char *dst);

/* Empty btrfs's list of devices that are not mounted (FORGET_DEV). */
int fs_template_forget_devices(char *why, size_t whylen);

#endif
