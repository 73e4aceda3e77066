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
int mbox_stat_sized(int mb, struct mbox_stat *st, size_t st_size)
{
	struct mboxio_stat arg;
	struct mbox_stat out;

	if (__mbox_check_out(st, st_size, sizeof(struct mbox_stat_v1_0)))
		return -1;

	memset(&arg, 0, sizeof(arg));
	if (ioctl(mb, MBOXIO_STAT, &arg) < 0)
		return -1;

	memset(&out, 0, sizeof(out));
	out.capacity = arg.capacity;
	out.msg_size = arg.msg_size;
	out.mode = arg.mode;
	out.uid = arg.uid;
	out.gid = arg.gid;
	out.shutdown = !!(arg.flags & MBOX_STAT_SHUTDOWN);
	out.unlinked = !!(arg.flags & MBOX_STAT_UNLINKED);
	out.queued = arg.queued;
	out.waiting_senders = arg.waiting_senders;
	out.waiting_receivers = arg.waiting_receivers;
	out.queued_bytes = arg.queued_bytes;
	out.sent = arg.sent;
	out.received = arg.received;
	out.leased = arg.leased;
	out.mbox_id = arg.mbox_id;
	__mbox_copy_out(st, st_size, &out, sizeof(out));
	return 0;
}

LIBMBOX_EXPORT
int mbox_stat(int mb, struct mbox_stat *st)
{
	return mbox_stat_sized(mb, st, sizeof(struct mbox_stat_v1_0));
}
