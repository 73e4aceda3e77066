// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mq_getattr(), mq_setattr(): the attributes are the mailbox's (MBOXIO_STAT)
 * and the open file description's O_NONBLOCK, the only flag mq has.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "internal.h"

static int mq_attr_get(mqd_t mqdes, struct mq_attr *a)
{
	struct mboxio_stat st;
	int fl;

	if (__mq_ioctl(mqdes, MBOXIO_STAT, &st))
		return -1;
	fl = fcntl(mqdes, F_GETFL);
	if (fl < 0)
		return -1;
	memset(a, 0, sizeof(*a));
	a->mq_flags = fl & O_NONBLOCK;
	a->mq_maxmsg = st.capacity;
	a->mq_msgsize = st.msg_size;
	/* A rendezvous mailbox (not made by mq_open()) offers, never queues. */
	a->mq_curmsgs = st.queued;
	return 0;
}

MQ_EXPORT
int mq_getattr(mqd_t mqdes, struct mq_attr *mqstat)
{
	struct mq_attr a;

	if (mq_attr_get(mqdes, &a))
		return -1;
	return __mq_write_user(mqstat, &a, sizeof(a));
}

/*
 * Only mq_flags' O_NONBLOCK can change, on the open file description, as
 * fcntl(F_SETFL) would: every descriptor dup()ed or inherited from it
 * sees it, and no library state can go stale. Other bits are EINVAL.
 */
MQ_EXPORT
int mq_setattr(mqd_t mqdes, const struct mq_attr *mqstat,
	       struct mq_attr *omqstat)
{
	struct mq_attr in, old;
	int fl;

	if (__mq_read_user(&in, mqstat, sizeof(in)))
		return -1;
	if (in.mq_flags & ~(long)O_NONBLOCK) {
		errno = EINVAL;
		return -1;
	}
	if (mq_attr_get(mqdes, &old))
		return -1;
	if (omqstat && __mq_write_user(omqstat, &old, sizeof(old)))
		return -1;
	fl = fcntl(mqdes, F_GETFL);
	if (fl < 0)
		return -1;
	fl = (fl & ~O_NONBLOCK) | (int)(in.mq_flags & O_NONBLOCK);
	return fcntl(mqdes, F_SETFL, fl) < 0 ? -1 : 0;
}
