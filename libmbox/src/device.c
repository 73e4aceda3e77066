// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The calls that go through /dev/mbox: create, open, unlink, info.
 *
 * There is no cached /dev/mbox fd: each call opens the device, issues one
 * ioctl and closes it. That keeps the library free of global state (so it
 * is thread-safe, fork-safe and never leaks an fd into exec'd programs),
 * at the price of an open/close per call on paths that are not hot.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

/* One ioctl on a fresh /dev/mbox fd; returns its result, errno intact. */
static int mbox_dev_ioctl(unsigned long cmd, void *arg)
{
	int dev, ret, err;

	dev = open(MBOX_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -1;	/* keep open()'s errno: ENOENT, EACCES, ... */

	ret = ioctl(dev, cmd, arg);
	err = errno;
	close(dev);
	errno = err;
	return ret;
}

LIBMBOX_EXPORT
int mbox_create(const char *name, const struct mbox_attr *attr, int flags)
{
	struct mboxio_create arg;

	memset(&arg, 0, sizeof(arg));
	if (__mbox_fd_flags(flags, &arg.flags))
		return -1;

	arg.name = __mbox_ptr(name);
	if (attr) {
		/* Unmodified: the kernel applies the umask and rejects
		 * anything beyond 0777, capacity and msg_size limits. */
		arg.capacity = attr->capacity;
		arg.msg_size = attr->msg_size;
		arg.mode = attr->mode;
	} else {
		arg.capacity = MBOX_DEFAULT_CAPACITY;
		arg.msg_size = MBOX_DEFAULT_MSG_SIZE;
		arg.mode = MBOX_DEFAULT_MODE;
	}

	return mbox_dev_ioctl(MBOXIO_CREATE, &arg);
}

LIBMBOX_EXPORT
int mbox_open(const char *name, int flags)
{
	struct mboxio_open arg;

	memset(&arg, 0, sizeof(arg));
	if (__mbox_fd_flags(flags, &arg.flags))
		return -1;
	arg.name = __mbox_ptr(name);

	return mbox_dev_ioctl(MBOXIO_OPEN, &arg);
}

LIBMBOX_EXPORT
int mbox_unlink(const char *name)
{
	struct mboxio_unlink arg;

	memset(&arg, 0, sizeof(arg));
	arg.name = __mbox_ptr(name);

	return mbox_dev_ioctl(MBOXIO_UNLINK, &arg) < 0 ? -1 : 0;
}

/* MBOXIO_INFO into @arg, for a caller's non-NULL @out; 0 or -1 with errno. */
static int mbox_query(struct mboxio_info *arg, const void *out)
{
	if (!out) {
		errno = EFAULT;
		return -1;
	}
	memset(arg, 0, sizeof(*arg));
	return mbox_dev_ioctl(MBOXIO_INFO, arg) < 0 ? -1 : 0;
}

LIBMBOX_EXPORT
int mbox_get_info(struct mbox_info *info)
{
	struct mboxio_info arg;

	if (mbox_query(&arg, info))
		return -1;
	memset(info, 0, sizeof(*info));
	info->version = arg.version;
	info->name_max = arg.name_max;
	info->max_mailboxes = arg.max_mailboxes;
	info->max_capacity = arg.max_capacity;
	info->max_msg_size = arg.max_msg_size;
	info->nr_mailboxes = arg.nr_mailboxes;
	return 0;
}

LIBMBOX_EXPORT
int mbox_get_usage(struct mbox_usage *usage)
{
	struct mboxio_info arg;

	if (mbox_query(&arg, usage))
		return -1;
	memset(usage, 0, sizeof(*usage));
	usage->max_mailboxes = arg.max_user_mailboxes;
	usage->mailboxes = arg.user_mailboxes;
	usage->max_bytes = arg.max_user_bytes;
	usage->bytes = arg.user_bytes;
	usage->unlimited = !!(arg.flags & MBOX_INFO_UNLIMITED);
	return 0;
}
