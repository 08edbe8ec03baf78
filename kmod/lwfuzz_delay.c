// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/lwfuzz/delay: delay one thread when it enters a btrfs.ko function
 * for the Nth time. The plans come from the workload ("delay SITE MS hit
 * N", docs/workloads.md); nothing here knows a bug.
 *
 * Mechanism and its limits (docs/fuzzing.md, "Delay injection"):
 * a kprobe on the function's entry. Its handler runs in atomic context
 * (preemption off; on the ftrace-based probes that function entries get,
 * interrupts stay on) and must not sleep, so the delay is a busy-wait
 * (mdelay). The delayed thread holds its CPU for the whole delay and keeps
 * every lock it held on entry: a spinlock holder delays every waiter
 * spinning on it too, which is the interleaving asked for, but also keeps
 * that CPU from running anything else. With the guest's two vCPUs the
 * other threads go on on the other one. LWFUZZ_DELAY_MAX_MS bounds a
 * delay far below the soft-lockup and RCU-stall reports.
 *
 * Locking: arming (write) and tearing down (release) are serialized by
 * arm_lock and run only while this file is open, by one opener at a time.
 * Handlers run concurrently with arming: a plan is filled in before
 * nr_plans is raised with release order, and handlers read nr_plans with
 * acquire order, so a handler sees only complete plans. Release
 * unregisters every probe before clearing plans; unregister_kprobes()
 * waits for running handlers to finish.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "lwfuzz.h"
#include "lwfuzz_kmod.h"

struct site {
	struct kprobe kp;
	char name[MODULE_NAME_LEN + LWFUZZ_SITE_LEN];
};

struct plan {
	struct site *site;
	pid_t pid;
	u32 hit, ms;
	atomic_t hits;
	u32 fired, waited_us;
};

static struct site sites[LWFUZZ_DELAY_MAX_SITES];
static int nr_sites;
static struct plan plans[LWFUZZ_DELAY_MAX_PLANS];
static int nr_plans;
static DEFINE_MUTEX(arm_lock);
static atomic_t opened = ATOMIC_INIT(0);

static int delay_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct site *s = container_of(kp, struct site, kp);
	int n = smp_load_acquire(&nr_plans);

	if (!in_task())
		return 0;
	for (int i = 0; i < n; i++) {
		struct plan *p = &plans[i];
		u64 t0;

		if (p->site != s || p->pid != current->pid ||
		    atomic_inc_return(&p->hits) != p->hit)
			continue;
		t0 = ktime_get_ns();
		mdelay(p->ms);
		WRITE_ONCE(p->waited_us, div_u64(ktime_get_ns() - t0, 1000));
		WRITE_ONCE(p->fired, 1);
	}
	return 0;
}

/* The probe on btrfs.ko's function @name, registered once. */
static struct site *site_get(const char *name, int *err)
{
	struct site *s;
	int ret;

	for (int i = 0; i < nr_sites; i++)
		if (!strcmp(sites[i].name + strlen("btrfs:"), name))
			return &sites[i];
	if (nr_sites == LWFUZZ_DELAY_MAX_SITES) {
		*err = -ENOSPC;
		return NULL;
	}
	s = &sites[nr_sites];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "btrfs:%s", name);
	s->kp.symbol_name = s->name;
	s->kp.pre_handler = delay_pre;
	/*
	 * The lookup of "btrfs:NAME" searches btrfs.ko's symbols only, and
	 * kprobes refuse an address outside kernel text (a variable's).
	 */
	ret = register_kprobe(&s->kp);
	if (ret < 0) {
		*err = ret;
		return NULL;
	}
	nr_sites++;
	return s;
}

static int req_valid(const struct lwfuzz_delay_req *req)
{
	size_t len = strnlen(req->site, sizeof(req->site));

	return req->version == LWFUZZ_DELAY_VERSION && !req->reserved &&
	       req->hit >= 1 && req->hit <= LWFUZZ_DELAY_MAX_HIT &&
	       req->ms >= 1 && req->ms <= LWFUZZ_DELAY_MAX_MS && len &&
	       len < sizeof(req->site) && !strchr(req->site, ':');
}

static ssize_t delay_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *pos)
{
	struct lwfuzz_delay_req req;
	struct site *s;
	struct plan *p;
	int err = 0;

	if (len != sizeof(req))
		return -EINVAL;
	if (copy_from_user(&req, buf, sizeof(req)))
		return -EFAULT;
	if (!req_valid(&req))
		return -EINVAL;
	mutex_lock(&arm_lock);
	if (nr_plans == LWFUZZ_DELAY_MAX_PLANS) {
		err = -ENOSPC;
		goto out;
	}
	s = site_get(req.site, &err);
	if (!s)
		goto out;
	p = &plans[nr_plans];
	memset(p, 0, sizeof(*p));
	p->site = s;
	p->pid = current->pid;
	p->hit = req.hit;
	p->ms = req.ms;
	atomic_set(&p->hits, 0);
	/* A handler that sees the new count sees the whole plan. */
	smp_store_release(&nr_plans, nr_plans + 1);
out:
	mutex_unlock(&arm_lock);
	return err ? err : (ssize_t)len;
}

static ssize_t delay_read(struct file *file, char __user *buf, size_t len,
			  loff_t *pos)
{
	static struct lwfuzz_delay_status st[LWFUZZ_DELAY_MAX_PLANS];
	ssize_t ret;
	int n;

	mutex_lock(&arm_lock);
	n = nr_plans;
	for (int i = 0; i < n; i++) {
		st[i].pid = plans[i].pid;
		st[i].hits = atomic_read(&plans[i].hits);
		st[i].fired = READ_ONCE(plans[i].fired);
		st[i].waited_us = READ_ONCE(plans[i].waited_us);
	}
	ret = simple_read_from_buffer(buf, len, pos, st, n * sizeof(*st));
	mutex_unlock(&arm_lock);
	return ret;
}

static int delay_open(struct inode *inode, struct file *file)
{
	return atomic_cmpxchg(&opened, 0, 1) ? -EBUSY : 0;
}

static int delay_release(struct inode *inode, struct file *file)
{
	struct kprobe *kps[LWFUZZ_DELAY_MAX_SITES];

	mutex_lock(&arm_lock);
	for (int i = 0; i < nr_sites; i++)
		kps[i] = &sites[i].kp;
	if (nr_sites)
		unregister_kprobes(kps, nr_sites);
	nr_sites = 0;
	smp_store_release(&nr_plans, 0);
	mutex_unlock(&arm_lock);
	atomic_set(&opened, 0);
	return 0;
}

const struct proc_ops lwfuzz_delay_ops = {
	.proc_open = delay_open,
	.proc_release = delay_release,
	.proc_write = delay_write,
	.proc_read = delay_read,
	.proc_lseek = default_llseek,
};
