// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mq_send(), mq_timedsend(), mq_receive(), mq_timedreceive(): one ioctl
 * each. The message buffer goes to the kernel untouched; the priority out
 * and the timeout in are reached as the kernel would reach them
 * (util.c), so every bad pointer is EFAULT.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

static int mq_send_errno(int err)
{
	/* The sender's user is out of mbox memory: mq's kmalloc failing. */
	return err == EDQUOT ? ENOMEM : err;
}

static int mq_do_send(mqd_t mqdes, const char *msg_ptr, size_t msg_len,
		      unsigned int msg_prio, const struct timespec *abs_timeout)
{
	struct mboxio_send s = {
		.buf = (uintptr_t)msg_ptr,
		.priority = msg_prio,
	};

	/* Linux checks the timeout, then the priority, then the rest. */
	if (abs_timeout) {
		if (__mq_deadline(abs_timeout, &s.deadline_ns))
			return -1;
		s.flags = MBOX_MSG_DEADLINE | MBOX_MSG_REALTIME;
	}
	if (msg_prio >= MQ_PRIO_MAX) {
		errno = EINVAL;
		return -1;
	}
	/* No mailbox takes more than 32 bits of message. */
	s.len = msg_len > UINT32_MAX ? UINT32_MAX : (__u32)msg_len;
	if (__mq_ioctl(mqdes, MBOXIO_SEND, &s)) {
		errno = mq_send_errno(errno);
		return -1;
	}
	return 0;
}

static ssize_t mq_do_receive(mqd_t mqdes, char *msg_ptr, size_t msg_len,
			     unsigned int *msg_prio,
			     const struct timespec *abs_timeout)
{
	struct mboxio_recv r = {
		.buf = (uintptr_t)msg_ptr,
		.size = msg_len > UINT32_MAX ? UINT32_MAX : (__u32)msg_len,
		/* mq_receive() wants room for the largest message. */
		.flags = MBOX_MSG_FULLSIZE,
	};
	unsigned int prio = 0;
	int ret;

	if (abs_timeout) {
		if (__mq_deadline(abs_timeout, &r.deadline_ns))
			return -1;
		r.flags |= MBOX_MSG_DEADLINE | MBOX_MSG_REALTIME;
	}
	/*
	 * A priority that cannot be stored fails before the message is
	 * taken (Linux would take it and lose it).
	 */
	if (msg_prio && __mq_write_user(msg_prio, &prio, sizeof(prio)))
		return -1;
	ret = __mq_ioctl(mqdes, MBOXIO_RECV, &r);
	if (ret < 0)
		return -1;
	if (msg_prio)
		__mq_write_user(msg_prio, &r.priority, sizeof(r.priority));
	return ret;
}

MQ_EXPORT
int mq_send(mqd_t mqdes, const char *msg_ptr, size_t msg_len,
	    unsigned int msg_prio)
{
	return mq_do_send(mqdes, msg_ptr, msg_len, msg_prio, NULL);
}

MQ_EXPORT
int mq_timedsend(mqd_t mqdes, const char *msg_ptr, size_t msg_len,
		 unsigned int msg_prio, const struct timespec *abs_timeout)
{
	/* NULL waits as long as it takes, as for the kernel's mq. */
	return mq_do_send(mqdes, msg_ptr, msg_len, msg_prio, abs_timeout);
}

MQ_EXPORT
ssize_t mq_receive(mqd_t mqdes, char *msg_ptr, size_t msg_len,
		   unsigned int *msg_prio)
{
	return mq_do_receive(mqdes, msg_ptr, msg_len, msg_prio, NULL);
}

MQ_EXPORT
ssize_t mq_timedreceive(mqd_t mqdes, char *msg_ptr, size_t msg_len,
			unsigned int *msg_prio,
			const struct timespec *abs_timeout)
{
	return mq_do_receive(mqdes, msg_ptr, msg_len, msg_prio, abs_timeout);
}
