// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The calls on a mailbox fd that move no message: close, shutdown, stat.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

LIBMBOX_EXPORT
int mbox_close(int mb)
{
	return close(mb);
}

LIBMBOX_EXPORT
int mbox_shutdown(int mb)
{
	return ioctl(mb, MBOXIO_SHUTDOWN, 0) < 0 ? -1 : 0;
}

LIBMBOX_EXPORT
int mbox_stat(int mb, struct mbox_stat *st)
{
	struct mboxio_stat arg;

	if (!st) {
		errno = EFAULT;
		return -1;
	}

	memset(&arg, 0, sizeof(arg));
	if (ioctl(mb, MBOXIO_STAT, &arg) < 0)
		return -1;

	memset(st, 0, sizeof(*st));
	st->capacity = arg.capacity;
	st->msg_size = arg.msg_size;
	st->mode = arg.mode;
	st->uid = arg.uid;
	st->gid = arg.gid;
	st->shutdown = !!(arg.flags & MBOX_STAT_SHUTDOWN);
	st->unlinked = !!(arg.flags & MBOX_STAT_UNLINKED);
	st->queued = arg.queued;
	st->waiting_senders = arg.waiting_senders;
	st->waiting_receivers = arg.waiting_receivers;
	st->queued_bytes = arg.queued_bytes;
	st->sent = arg.sent;
	st->received = arg.received;
	return 0;
}
