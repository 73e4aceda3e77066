// SPDX-License-Identifier: GPL-2.0
/*
 * mbox: named mailboxes for indirect message passing between processes.
 *
 * This file holds the module's entry points, its parameters and /dev/mbox,
 * the misc device whose ioctls discover the module and create, open and
 * unlink mailboxes. See Documentation/ for the user API and the design.
 */

#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/stringify.h>
#include <linux/moduleparam.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "mbox.h"

struct mbox_limit mbox_max_mailboxes = {
	.val = MBOX_MAX_MAILBOXES_DEFAULT,
	.max = MBOX_MAILBOXES_LIMIT,
};

struct mbox_limit mbox_max_capacity = {
	.val = MBOX_MAX_CAPACITY_DEFAULT,
	.max = MBOX_CAPACITY_LIMIT,
};

struct mbox_limit mbox_max_msg_size = {
	.val = MBOX_MAX_MSG_SIZE_DEFAULT,
	.max = MBOX_MSG_SIZE_LIMIT,
};

struct mbox_limit mbox_max_user_mailboxes = {
	.val = MBOX_MAX_USER_MAILBOXES_DEFAULT,
	.max = MBOX_MAILBOXES_LIMIT,
};

struct mbox_limit mbox_max_user_bytes = {
	.val = MBOX_MAX_USER_BYTES_DEFAULT,
	.max = MBOX_USER_BYTES_LIMIT,
};

/* A limit takes 1..max; anything else is refused and changes nothing. */
static int mbox_limit_set(const char *val, const struct kernel_param *kp)
{
	struct mbox_limit *l = kp->arg;
	unsigned int n;
	int err;

	err = kstrtouint(val, 0, &n);
	if (err)
		return err;
	if (n < 1 || n > l->max)
		return -EINVAL;
	WRITE_ONCE(l->val, n);
	return 0;
}

static int mbox_limit_get(char *buf, const struct kernel_param *kp)
{
	const struct mbox_limit *l = kp->arg;

	return sysfs_emit(buf, "%u\n", mbox_limit(l));
}

static const struct kernel_param_ops mbox_limit_ops = {
	.set = mbox_limit_set,
	.get = mbox_limit_get,
};

module_param_cb(max_mailboxes, &mbox_limit_ops, &mbox_max_mailboxes, 0644);
MODULE_PARM_DESC(max_mailboxes,
		 "Most mailboxes that may exist at once in one IPC namespace (default "
		 __stringify(MBOX_MAX_MAILBOXES_DEFAULT) ", at most 65536)");
module_param_cb(max_capacity, &mbox_limit_ops, &mbox_max_capacity, 0644);
MODULE_PARM_DESC(max_capacity,
		 "Largest mailbox capacity in messages (default "
		 __stringify(MBOX_MAX_CAPACITY_DEFAULT) ", at most 65536)");
module_param_cb(max_msg_size, &mbox_limit_ops, &mbox_max_msg_size, 0644);
MODULE_PARM_DESC(max_msg_size,
		 "Largest mailbox message size in bytes (default "
		 __stringify(MBOX_MAX_MSG_SIZE_DEFAULT) ", at most 4 MiB)");
module_param_cb(max_user_mailboxes, &mbox_limit_ops, &mbox_max_user_mailboxes,
		0644);
MODULE_PARM_DESC(max_user_mailboxes,
		 "Most mailboxes one user (real uid) may own (default "
		 __stringify(MBOX_MAX_USER_MAILBOXES_DEFAULT)
		 ", at most 65536; CAP_SYS_RESOURCE exceeds it)");
module_param_cb(max_user_bytes, &mbox_limit_ops, &mbox_max_user_bytes, 0644);
MODULE_PARM_DESC(max_user_bytes,
		 "Most kernel memory in bytes charged to one user's mailboxes and messages (default "
		 __stringify(MBOX_MAX_USER_BYTES_DEFAULT)
		 ", at most 2 GiB; CAP_SYS_RESOURCE exceeds it)");

static bool mbox_fd_flags_valid(u32 flags)
{
	return !(flags & ~MBOX_FD_ALL) && (flags & MBOX_FD_RDWR);
}

static long mbox_dev_info(unsigned int cmd, struct mboxio_info __user *uarg)
{
	struct mboxio_info info = {
		.version	= MBOX_ABI_VERSION,
		.name_max	= MBOX_NAME_MAX,
		.fd_flags	= MBOX_FD_ALL,
		.msg_flags	= MBOX_MSG_ALL,
		.max_mailboxes	= mbox_limit(&mbox_max_mailboxes),
		.max_capacity	= mbox_limit(&mbox_max_capacity),
		.max_msg_size	= mbox_limit(&mbox_max_msg_size),
		.nr_mailboxes	= mbox_count(),
		.max_user_mailboxes = mbox_limit(&mbox_max_user_mailboxes),
		.max_user_bytes	= mbox_limit(&mbox_max_user_bytes),
		.features	= MBOX_FEATURES,
	};

	BUILD_BUG_ON(sizeof(info) != 72);

	mbox_user_usage(current_uid(), &info.user_mailboxes, &info.user_bytes);
	if (ns_capable_noaudit(&init_user_ns, CAP_SYS_RESOURCE))
		info.flags |= MBOX_INFO_UNLIMITED;

	if (_IOC_SIZE(cmd) < MBOXIO_INFO_SIZE_VER0)
		return -EINVAL;
	return mbox_arg_out(uarg, &info, sizeof(info), cmd);
}

/*
 * MBOX_CREATE_MQ: a POSIX message queue's size, by the rules and the
 * fs.mqueue settings of the caller's IPC namespace, as ipc/mqueue.c's
 * mq_open() applies them: after the name exists (EEXIST) and queues_max
 * (ENOSPC), which mbox_mq_may_create() checks first.
 */
static int mbox_mq_size(struct mboxio_create *args)
{
	const struct ipc_namespace *ipc = current->nsproxy->ipc_ns;
	unsigned int msg_max = READ_ONCE(ipc->mq_msg_max);
	unsigned int msgsize_max = READ_ONCE(ipc->mq_msgsize_max);

	if (!args->capacity && !args->msg_size) {
		args->capacity = min(msg_max, READ_ONCE(ipc->mq_msg_default));
		args->msg_size = min(msgsize_max,
				     READ_ONCE(ipc->mq_msgsize_default));
		return 0;
	}
	if (!args->capacity || !args->msg_size)
		return -EINVAL;
	if ((args->capacity > msg_max || args->msg_size > msgsize_max) &&
	    !capable(CAP_SYS_RESOURCE))
		return -EINVAL;
	return 0;
}

/* A capacity or msg_size the module parameters do not allow. */
static bool mbox_size_invalid(const struct mboxio_create *args)
{
	return args->capacity > mbox_limit(&mbox_max_capacity) ||
	       !args->msg_size ||
	       args->msg_size > mbox_limit(&mbox_max_msg_size);
}

static long mbox_dev_create(unsigned int cmd, struct mboxio_create __user *uarg)
{
	char name[MBOX_NAME_MAX + 1];
	struct mboxio_create args;
	struct mbox *mb;
	bool mq;
	int fd, err;

	BUILD_BUG_ON(sizeof(args) != 32);

	err = mbox_arg_in(&args, sizeof(args), MBOXIO_CREATE_SIZE_VER0, cmd, uarg);
	if (err)
		return err;
	mq = args.flags & MBOX_CREATE_MQ;
	args.flags &= ~MBOX_CREATE_MQ;
	if (!mbox_fd_flags_valid(args.flags) || args.__pad ||
	    (args.mode & ~0777))
		return -EINVAL;
	/* A queue's sizes are checked where mq_open() checks them. */
	if (!mq && mbox_size_invalid(&args))
		return -EINVAL;
	if (args.name) {
		err = mbox_name_from_user(name, args.name);
		if (err)
			return err;
	}
	if (mq) {
		err = mbox_mq_may_create(args.name ? name : NULL);
		if (!err)
			err = mbox_mq_size(&args);
		if (!err && mbox_size_invalid(&args))
			err = -EINVAL;
		if (err)
			return err;
	}

	mb = mbox_new(&args);
	if (!mb)
		return -ENOMEM;
	mb->mq = mq;
	err = mbox_charge_creator(mb);
	if (err)
		goto out_put;
	err = mbox_register(mb, args.name ? name : NULL);
	if (err)
		goto out_put;
	fd = mbox_install_fd(mb, args.flags);
	if (fd < 0) {
		err = fd;
		goto out_unregister;
	}
	return fd;

out_unregister:
	mbox_unregister(mb);
out_put:
	mbox_put(mb);
	return err;
}

static long mbox_dev_open(unsigned int cmd, struct mboxio_open __user *uarg)
{
	char name[MBOX_NAME_MAX + 1];
	struct mboxio_open args;
	struct mbox *mb;
	int fd, err;

	BUILD_BUG_ON(sizeof(args) != 16);

	err = mbox_arg_in(&args, sizeof(args), MBOXIO_OPEN_SIZE_VER0, cmd, uarg);
	if (err)
		return err;
	if (!mbox_fd_flags_valid(args.flags) || args.__pad)
		return -EINVAL;
	err = mbox_name_from_user(name, args.name);
	if (err)
		return err;

	mb = mbox_lookup(name, args.flags);
	if (IS_ERR(mb))
		return PTR_ERR(mb);
	fd = mbox_install_fd(mb, args.flags);
	if (fd < 0)
		mbox_put(mb);
	return fd;
}

static long mbox_dev_unlink(unsigned int cmd,
			    struct mboxio_unlink __user *uarg)
{
	char name[MBOX_NAME_MAX + 1];
	struct mboxio_unlink args;
	int err;

	BUILD_BUG_ON(sizeof(args) != 16);

	err = mbox_arg_in(&args, sizeof(args), MBOXIO_UNLINK_SIZE_VER0, cmd,
			  uarg);
	if (err)
		return err;
	if (args.flags || args.__pad)
		return -EINVAL;
	err = mbox_name_from_user(name, args.name);
	if (err)
		return err;
	return mbox_unlink(name);
}

static long mbox_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	/* Any size of a command's struct: see mbox_arg_in(). */
	switch (MBOX_IOC_KIND(cmd)) {
	case MBOX_IOC_KIND(MBOXIO_INFO):
		return mbox_dev_info(cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_CREATE):
		return mbox_dev_create(cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_OPEN):
		return mbox_dev_open(cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_UNLINK):
		return mbox_dev_unlink(cmd, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations mbox_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= mbox_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice mbox_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KBUILD_MODNAME,
	.fops	= &mbox_dev_fops,
	.mode	= 0666,
};

static int __init mbox_init(void)
{
	int err;

	err = mbox_ns_init();
	if (err)
		return err;
	err = mbox_proc_init();
	if (err)
		goto out_ns;
	err = misc_register(&mbox_dev);
	if (err) {
		pr_err("cannot register /dev/%s: %d\n", mbox_dev.name, err);
		goto out_proc;
	}
	return 0;

out_proc:
	mbox_proc_exit();
out_ns:
	mbox_ns_exit();
	return err;
}

/*
 * Every mailbox holds a module reference, so by the time this runs none
 * is left and there is nothing to free.
 */
static void __exit mbox_exit(void)
{
	misc_deregister(&mbox_dev);
	mbox_proc_exit();
	mbox_ns_exit();
}

module_init(mbox_init);
module_exit(mbox_exit);

MODULE_DESCRIPTION("Named mailboxes for message passing between processes");
MODULE_AUTHOR("The mbox developers");
MODULE_LICENSE("GPL");
