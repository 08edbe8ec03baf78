// SPDX-License-Identifier: GPL-2.0
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/log_reader.h"

struct log_reader {
	int fd;
	int own_fd;
	uint64_t size; /* bytes of the log */
	uint64_t target_bytes; /* bytes of the recorded device, 0: unknown */
	struct log_super sb;
	uint64_t next_index;
	uint64_t next_offset; /* byte offset of the next entry header */
	unsigned char *sector;
};

static uint64_t le64_at(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static uint32_t le32_at(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static int read_super(struct log_reader *r, char *why, size_t whylen)
{
	unsigned char buf[28];

	if (r->size < sizeof(buf) || pread_full(r->fd, buf, sizeof(buf), 0)) {
		snprintf(why, whylen,
			 "log is %llu bytes, too short for a super block",
			 (unsigned long long)r->size);
		return -1;
	}
	r->sb.magic = le64_at(buf);
	r->sb.version = le64_at(buf + 8);
	r->sb.nr_entries = le64_at(buf + 16);
	r->sb.sectorsize = le32_at(buf + 24);
	if (r->sb.magic != LOG_MAGIC) {
		snprintf(
			why, whylen,
			"not a dm-log-writes log: magic 0x%llx at byte 0, expected 0x%llx",
			(unsigned long long)r->sb.magic, LOG_MAGIC);
		return -1;
	}
	if (r->sb.version != LOG_VERSION) {
		snprintf(why, whylen,
			 "unsupported log version %llu (this reader knows %d)",
			 (unsigned long long)r->sb.version, LOG_VERSION);
		return -1;
	}
	uint32_t ss = r->sb.sectorsize;

	if (ss < 512 || ss > 4096 || (ss & (ss - 1))) {
		snprintf(
			why, whylen,
			"bad sector size %u in the super block (512..4096, a power of two)",
			ss);
		return -1;
	}
	/* Every entry takes at least one sector after the super block's. */
	uint64_t most = r->size / ss ? r->size / ss - 1 : 0;

	if (r->sb.nr_entries > most) {
		snprintf(
			why, whylen,
			"super block claims %llu entries but the log holds at most %llu (%llu bytes)",
			(unsigned long long)r->sb.nr_entries,
			(unsigned long long)most, (unsigned long long)r->size);
		return -1;
	}
	return 0;
}

struct log_reader *log_open_fd(int fd, uint64_t size, uint64_t target_bytes,
			       char *why, size_t whylen)
{
	struct log_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	r->fd = fd;
	r->size = size;
	r->target_bytes = target_bytes;
	if (read_super(r, why, whylen))
		goto err;
	r->sector = malloc(r->sb.sectorsize);
	if (!r->sector) {
		snprintf(why, whylen, "out of memory");
		goto err;
	}
	r->next_offset = r->sb.sectorsize;
	return r;
err:
	free(r);
	return NULL;
}

static int fd_size(int fd, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, size);
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	*size = st.st_size;
	return 0;
}

struct log_reader *log_open(const char *path, uint64_t target_bytes, char *why,
			    size_t whylen)
{
	struct log_reader *r;
	uint64_t size;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fd_size(fd, &size)) {
		snprintf(why, whylen, "%s: %s", path,
			 errno == EINVAL ? "not a file or block device"
					 : strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	r = log_open_fd(fd, size, target_bytes, why, whylen);
	if (!r) {
		char tmp[512];

		snprintf(tmp, sizeof(tmp), "%s: %s", path, why);
		snprintf(why, whylen, "%s", tmp);
		close(fd);
		return NULL;
	}
	r->own_fd = 1;
	return r;
}

void log_close(struct log_reader *r)
{
	if (!r)
		return;
	if (r->own_fd)
		close(r->fd);
	free(r->sector);
	free(r);
}

const struct log_super *log_super(const struct log_reader *r)
{
	return &r->sb;
}

static int check_entry(struct log_reader *r, struct log_entry *e, char *why,
		       size_t whylen)
{
	uint64_t ss = r->sb.sectorsize;

	if (e->flags & ~(uint64_t)LOG_KNOWN_FLAGS) {
		snprintf(why, whylen, "entry %llu: unknown flags 0x%llx",
			 (unsigned long long)e->index,
			 (unsigned long long)e->flags);
		return -1;
	}
	if (e->flags & LOG_MARK) {
		if (e->data_len > ss - LOG_ENTRY_HDR) {
			snprintf(
				why, whylen,
				"entry %llu: mark of %llu bytes does not fit its %llu-byte sector",
				(unsigned long long)e->index,
				(unsigned long long)e->data_len,
				(unsigned long long)ss);
			return -1;
		}
	} else if (e->data_len) {
		snprintf(
			why, whylen,
			"entry %llu: data_len %llu on an entry that is not a mark",
			(unsigned long long)e->index,
			(unsigned long long)e->data_len);
		return -1;
	}
	if (e->nr_sectors > (UINT64_MAX - e->log_offset) / ss - 1 ||
	    e->sector > UINT64_MAX / ss - e->nr_sectors) {
		snprintf(why, whylen, "entry %llu: sector range overflows",
			 (unsigned long long)e->index);
		return -1;
	}
	if (r->target_bytes &&
	    (e->sector + e->nr_sectors) * ss > r->target_bytes) {
		snprintf(
			why, whylen,
			"entry %llu: sectors %llu+%llu end past the device (%llu bytes)",
			(unsigned long long)e->index,
			(unsigned long long)e->sector,
			(unsigned long long)e->nr_sectors,
			(unsigned long long)r->target_bytes);
		return -1;
	}
	if (e->data_offset + e->data_bytes > r->size) {
		snprintf(
			why, whylen,
			"entry %llu: its data ends at byte %llu, past the end of the log (%llu bytes)",
			(unsigned long long)e->index,
			(unsigned long long)e->data_offset + e->data_bytes,
			(unsigned long long)r->size);
		return -1;
	}
	return 0;
}

int log_next(struct log_reader *r, struct log_entry *e, char *why,
	     size_t whylen)
{
	uint64_t ss = r->sb.sectorsize;

	if (r->next_index >= r->sb.nr_entries)
		return 0;
	memset(e, 0, offsetof(struct log_entry, mark) + 1);
	e->index = r->next_index;
	e->log_offset = r->next_offset;
	if (r->size < ss || e->log_offset > r->size - ss ||
	    pread_full(r->fd, r->sector, ss, e->log_offset)) {
		snprintf(
			why, whylen,
			"entry %llu: header at byte %llu is past the end of the log (%llu bytes); truncated?",
			(unsigned long long)e->index,
			(unsigned long long)e->log_offset,
			(unsigned long long)r->size);
		return -1;
	}
	e->sector = le64_at(r->sector);
	e->nr_sectors = le64_at(r->sector + 8);
	e->flags = le64_at(r->sector + 16);
	e->data_len = le64_at(r->sector + 24);
	e->data_offset = e->log_offset + ss;
	e->data_bytes =
		(e->flags & (LOG_DISCARD | LOG_MARK)) ? 0 : e->nr_sectors * ss;
	if (check_entry(r, e, why, whylen))
		return -1;
	if (e->flags & LOG_MARK) {
		memcpy(e->mark, r->sector + LOG_ENTRY_HDR, e->data_len);
		e->mark[e->data_len] = '\0';
	}
	r->next_index++;
	r->next_offset = e->data_offset + e->data_bytes;
	return 1;
}

int log_read_data(struct log_reader *r, const struct log_entry *e, uint64_t off,
		  void *buf, size_t len)
{
	if (off > e->data_bytes || len > e->data_bytes - off)
		return -1;
	return pread_full(r->fd, buf, len, e->data_offset + off);
}

static void le64_put(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

void log_super_encode(void *buf, uint64_t nr_entries, uint32_t sectorsize)
{
	unsigned char *p = buf;

	memset(p, 0, sectorsize);
	le64_put(p, LOG_MAGIC);
	le64_put(p + 8, LOG_VERSION);
	le64_put(p + 16, nr_entries);
	for (int i = 0; i < 4; i++)
		p[24 + i] = sectorsize >> (8 * i);
}

const char *log_flags_str(uint64_t flags)
{
	static const char *const names[] = { "FLUSH", "FUA", "DISCARD", "MARK",
					     "METADATA" };
	static char buf[64];
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < 5; i++)
		if (flags & (1u << i))
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
					len ? "|" : "", names[i]);
	return len ? buf : "-";
}
