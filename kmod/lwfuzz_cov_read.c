// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/lwfuzz/cov: start, stop and read the btrfs coverage map. The map
 * lives in btrfs.ko (lwfuzz_cov.c); an open file holds a reference on it
 * through symbol_get(), so btrfs.ko cannot go away under a reader.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "lwfuzz.h"
#include "lwfuzz_cov.h"

static int cov_open(struct inode *inode, struct file *file)
{
	struct lwfuzz_cov_area *area = symbol_get(lwfuzz_cov_area);

	if (!area)
		return -ENODEV;
	file->private_data = area;
	return 0;
}

static int cov_release(struct inode *inode, struct file *file)
{
	symbol_put(lwfuzz_cov_area);
	return 0;
}

static ssize_t cov_write(struct file *file, const char __user *buf,
			 size_t len, loff_t *pos)
{
	struct lwfuzz_cov_area *area = file->private_data;
	char c, t;

	if (!len || get_user(c, buf))
		return -EFAULT;
	switch (c) {
	case 't':
		if (len < 2 || get_user(t, buf + 1))
			return -EFAULT;
		if (t < '0' || t >= '0' + LWFUZZ_COV_THREADS)
			return -EINVAL;
		WRITE_ONCE(area->pids[t - '0'], current->pid);
		break;
	case '1':
		WRITE_ONCE(area->on, 0);
		memset(area->pids, 0, sizeof(area->pids));
		memset(area->map, 0, sizeof(area->map));
		memset(area->threads, 0, sizeof(area->threads));
		/* The cleared map before any new hit. */
		smp_wmb();
		WRITE_ONCE(area->on, 1);
		break;
	case '0':
		WRITE_ONCE(area->on, 0);
		break;
	default:
		return -EINVAL;
	}
	return len;
}

static ssize_t cov_read(struct file *file, char __user *buf, size_t len,
			loff_t *pos)
{
	struct lwfuzz_cov_area *area = file->private_data;

	BUILD_BUG_ON(offsetof(struct lwfuzz_cov_area, threads) !=
		     offsetof(struct lwfuzz_cov_area, map) + LWFUZZ_COV_MAP);
	return simple_read_from_buffer(buf, len, pos, area->map,
				       LWFUZZ_COV_READ);
}

const struct proc_ops lwfuzz_cov_ops = {
	.proc_open = cov_open,
	.proc_release = cov_release,
	.proc_write = cov_write,
	.proc_read = cov_read,
	.proc_lseek = default_llseek,
};
