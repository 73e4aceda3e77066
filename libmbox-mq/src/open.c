// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mq_open(), mq_close(), mq_unlink(): a queue is a named mailbox; "/NAME"
 * is the mailbox NAME in the caller's IPC namespace, as a kernel message
 * queue is in its mqueue filesystem.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Errors of the module that mq names otherwise. */
static int mq_open_errno(int err)
{
	switch (err) {
	case EDQUOT:	/* the user's mailboxes or bytes: Linux's RLIMIT_MSGQUEUE */
		return EMFILE;
	case ENOSYS:	/* no /dev/mbox */
		return ENOSYS;
	default:
		return err;
	}
}

static int mq_create(const char *name, __u32 fd_flags, mode_t mode,
		     const struct mq_attr *attr)
{
	/*
	 * A NULL attr is 0 and 0: the module takes the IPC namespace's
	 * fs.mqueue.msg_default and msgsize_default, and applies its other
	 * fs.mqueue limits (MBOX_CREATE_MQ), as the kernel's mq_open() does.
	 */
	struct mboxio_create c = {
		.name = (uintptr_t)name,
		.flags = fd_flags | MBOX_CREATE_MQ,
		.mode = mode & 0777,
	};
	struct mq_attr a;

	if (attr) {
		if (__mq_read_user(&a, attr, sizeof(a)))
			return -1;
		/* Linux: both must be positive; the module bounds them. */
		if (a.mq_maxmsg <= 0 || a.mq_msgsize <= 0 ||
		    a.mq_maxmsg > UINT32_MAX || a.mq_msgsize > UINT32_MAX) {
			errno = EINVAL;
			return -1;
		}
		c.capacity = (__u32)a.mq_maxmsg;
		c.msg_size = (__u32)a.mq_msgsize;
	}
	return __mq_dev_ioctl(MBOXIO_CREATE, &c);
}

static int mq_open_existing(const char *name, __u32 fd_flags)
{
	struct mboxio_open o = { .name = (uintptr_t)name, .flags = fd_flags };

	return __mq_dev_ioctl(MBOXIO_OPEN, &o);
}

static mqd_t mq_do_open(const char *qname, int oflag, mode_t mode,
			const struct mq_attr *attr)
{
	char name[NAME_MAX + 2];
	__u32 fd_flags = MBOX_FD_CLOEXEC;	/* as every mq descriptor */
	int fd;

	if (__mq_name(name, qname))
		return -1;
	switch (oflag & O_ACCMODE) {
	case O_RDONLY:
		fd_flags |= MBOX_FD_RECV;
		break;
	case O_WRONLY:
		fd_flags |= MBOX_FD_SEND;
		break;
	case O_RDWR:
		fd_flags |= MBOX_FD_RDWR;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (oflag & O_NONBLOCK)
		fd_flags |= MBOX_FD_NONBLOCK;

	if (!(oflag & O_CREAT)) {
		fd = mq_open_existing(name, fd_flags);
		goto out;
	}
	if (oflag & O_EXCL) {
		fd = mq_create(name, fd_flags, mode, attr);
		goto out;
	}
	/*
	 * Open it, or create it: whichever another process does between
	 * the two, one of them succeeds on the next round.
	 */
	for (;;) {
		fd = mq_open_existing(name, fd_flags);
		if (fd >= 0 || errno != ENOENT)
			break;
		fd = mq_create(name, fd_flags, mode, attr);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
out:
	if (fd < 0)
		errno = mq_open_errno(errno);
	return fd;
}

MQ_EXPORT
mqd_t mq_open(const char *name, int oflag, ...)
{
	struct mq_attr *attr = NULL;
	mode_t mode = 0;
	va_list ap;

	if (oflag & O_CREAT) {
		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	return mq_do_open(name, oflag, mode, attr);
}

/*
 * What _FORTIFY_SOURCE calls for mq_open() with two arguments (declared by
 * <mqueue.h> only under _FORTIFY_SOURCE).
 */
mqd_t __mq_open_2(const char *name, int oflag);

MQ_EXPORT
mqd_t __mq_open_2(const char *name, int oflag)
{
	if (oflag & O_CREAT) {
		fputs("*** invalid mq_open call: O_CREAT without mode and attr ***: terminated\n",
		      stderr);
		abort();
	}
	return mq_do_open(name, oflag, 0, NULL);
}

/*
 * Only a mailbox is closed: any other descriptor, open or not, is EBADF
 * and stays open (a stray mqd_t must not close someone's file).
 */
MQ_EXPORT
int mq_close(mqd_t mqdes)
{
	struct mboxio_stat st;

	if (__mq_ioctl(mqdes, MBOXIO_STAT, &st))
		return -1;
	return close(mqdes);
}

MQ_EXPORT
int mq_unlink(const char *qname)
{
	char name[NAME_MAX + 2];
	struct mboxio_unlink u = { .name = (uintptr_t)name };

	if (__mq_name(name, qname))
		return -1;
	/* Only the owner may unlink (EACCES), as for the kernel's mq. */
	return __mq_dev_ioctl(MBOXIO_UNLINK, &u);
}
