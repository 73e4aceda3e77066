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
int mbox_create_sized(const char *name, const struct mbox_attr *attr,
		      int flags, size_t attr_size)
{
	struct mboxio_create arg;
	struct mbox_attr a;

	memset(&arg, 0, sizeof(arg));
	if (__mbox_fd_flags(flags, &arg.flags))
		return -1;

	arg.name = __mbox_ptr(name);
	if (attr) {
		if (__mbox_check_size(attr_size, sizeof(struct mbox_attr_v1_0)) ||
		    __mbox_copy_in(&a, sizeof(a), attr, attr_size))
			return -1;
		/* Unmodified: the kernel applies the umask and rejects
		 * anything beyond 0777, capacity and msg_size limits. */
		arg.capacity = a.capacity;
		arg.msg_size = a.msg_size;
		arg.mode = a.mode;
	} else {
		arg.capacity = MBOX_DEFAULT_CAPACITY;
		arg.msg_size = MBOX_DEFAULT_MSG_SIZE;
		arg.mode = MBOX_DEFAULT_MODE;
	}

	return mbox_dev_ioctl(MBOXIO_CREATE, &arg);
}

LIBMBOX_EXPORT
int mbox_create(const char *name, const struct mbox_attr *attr, int flags)
{
	return mbox_create_sized(name, attr, flags,
				 sizeof(struct mbox_attr_v1_0));
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

/*
 * MBOXIO_INFO into @arg, for a caller's non-NULL @out of @size bytes (at
 * least @min); 0 or -1 with errno.
 */
static int mbox_query(struct mboxio_info *arg, const void *out, size_t size,
		      size_t min)
{
	if (__mbox_check_out(out, size, min))
		return -1;
	memset(arg, 0, sizeof(*arg));
	if (mbox_dev_ioctl(MBOXIO_INFO, arg) == 0)
		return 0;
	/*
	 * A module of ABI version 1 knows MBOXIO_INFO only at its first size
	 * (and nothing of sizes: ENOTTY). Ask it that way; what it does not
	 * write stays 0, which says "not offered".
	 */
	if (errno != ENOTTY)
		return -1;
	memset(arg, 0, sizeof(*arg));
	return mbox_dev_ioctl(_IOC(_IOC_READ, MBOX_IOCTL_TYPE,
				   _IOC_NR(MBOXIO_INFO),
				   MBOXIO_INFO_SIZE_VER0), arg) < 0 ? -1 : 0;
}

LIBMBOX_EXPORT
int mbox_get_info_sized(struct mbox_info *info, size_t info_size)
{
	struct mboxio_info arg;
	struct mbox_info out;

	if (mbox_query(&arg, info, info_size, sizeof(struct mbox_info_v1_0)))
		return -1;
	memset(&out, 0, sizeof(out));
	out.version = arg.version;
	out.name_max = arg.name_max;
	out.max_mailboxes = arg.max_mailboxes;
	out.max_capacity = arg.max_capacity;
	out.max_msg_size = arg.max_msg_size;
	out.nr_mailboxes = arg.nr_mailboxes;
	out.features = arg.features;
	__mbox_copy_out(info, info_size, &out, sizeof(out));
	return 0;
}

LIBMBOX_EXPORT
int mbox_get_info(struct mbox_info *info)
{
	return mbox_get_info_sized(info, sizeof(struct mbox_info_v1_0));
}

LIBMBOX_EXPORT
int mbox_get_usage_sized(struct mbox_usage *usage, size_t usage_size)
{
	struct mboxio_info arg;
	struct mbox_usage out;

	if (mbox_query(&arg, usage, usage_size, sizeof(struct mbox_usage_v1_1)))
		return -1;
	memset(&out, 0, sizeof(out));
	out.max_mailboxes = arg.max_user_mailboxes;
	out.mailboxes = arg.user_mailboxes;
	out.max_bytes = arg.max_user_bytes;
	out.bytes = arg.user_bytes;
	out.unlimited = !!(arg.flags & MBOX_INFO_UNLIMITED);
	__mbox_copy_out(usage, usage_size, &out, sizeof(out));
	return 0;
}

LIBMBOX_EXPORT
int mbox_get_usage(struct mbox_usage *usage)
{
	return mbox_get_usage_sized(usage, sizeof(struct mbox_usage_v1_1));
}
