// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sending and receiving: the three waiting styles of each are one call
 * with a timeout (<0 forever, 0 never, >0 at most that long).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

static int mbox_do_send(int mb, const void *msg, size_t len,
			int64_t timeout_ns)
{
	struct mboxio_send arg;

	/* The ABI carries a 32-bit length; no mailbox takes more. */
	if (len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}

	memset(&arg, 0, sizeof(arg));
	if (__mbox_wait_flags(timeout_ns, &arg.flags, &arg.deadline_ns))
		return -1;
	arg.buf = __mbox_ptr(msg);
	arg.len = (__u32)len;

	return ioctl(mb, MBOXIO_SEND, &arg) < 0 ? -1 : 0;
}

static ssize_t mbox_do_recv(int mb, void *buf, size_t size,
			    struct mbox_msginfo *info, int64_t timeout_ns)
{
	struct mboxio_recv arg;
	int ret;

	memset(&arg, 0, sizeof(arg));
	if (__mbox_wait_flags(timeout_ns, &arg.flags, &arg.deadline_ns))
		return -1;
	arg.buf = __mbox_ptr(buf);
	/* No message is longer than UINT32_MAX, so a larger buffer is as
	 * good as one of UINT32_MAX bytes. */
	arg.size = size > UINT32_MAX ? UINT32_MAX : (__u32)size;

	ret = ioctl(mb, MBOXIO_RECV, &arg);
	if (ret < 0) {
		if (errno == EMSGSIZE && info) {
			memset(info, 0, sizeof(*info));
			info->len = arg.len;
		}
		return -1;
	}

	if (info) {
		memset(info, 0, sizeof(*info));
		info->pid = arg.pid;
		info->uid = arg.uid;
		info->gid = arg.gid;
		info->seq = arg.seq;
		info->len = arg.len;
	}
	return ret;
}

LIBMBOX_EXPORT
int mbox_send(int mb, const void *msg, size_t len)
{
	return mbox_do_send(mb, msg, len, -1);
}

LIBMBOX_EXPORT
int mbox_trysend(int mb, const void *msg, size_t len)
{
	return mbox_do_send(mb, msg, len, 0);
}

LIBMBOX_EXPORT
int mbox_timedsend(int mb, const void *msg, size_t len, int64_t timeout_ns)
{
	return mbox_do_send(mb, msg, len, timeout_ns);
}

LIBMBOX_EXPORT
ssize_t mbox_recv(int mb, void *buf, size_t size, struct mbox_msginfo *info)
{
	return mbox_do_recv(mb, buf, size, info, -1);
}

LIBMBOX_EXPORT
ssize_t mbox_tryrecv(int mb, void *buf, size_t size,
		     struct mbox_msginfo *info)
{
	return mbox_do_recv(mb, buf, size, info, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_timedrecv(int mb, void *buf, size_t size,
		       struct mbox_msginfo *info, int64_t timeout_ns)
{
	return mbox_do_recv(mb, buf, size, info, timeout_ns);
}
