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

static int mbox_do_send(int mb, const void *msg, size_t len, unsigned int prio,
			int64_t timeout_ns, const void *claim, size_t claim_len)
{
	struct mboxio_send arg;

	/* The ABI carries a 32-bit length; no mailbox takes more. */
	if (len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (claim_len > MBOX_CLAIM_MAX) {
		errno = EINVAL;
		return -1;
	}

	memset(&arg, 0, sizeof(arg));
	if (__mbox_wait_flags(timeout_ns, &arg.flags, &arg.deadline_ns))
		return -1;
	arg.buf = __mbox_ptr(msg);
	arg.len = (__u32)len;
	arg.priority = prio;
	if (claim_len) {
		arg.claim = __mbox_ptr(claim);
		arg.claim_len = (__u32)claim_len;
	}

	return ioctl(mb, MBOXIO_SEND, &arg) < 0 ? -1 : 0;
}

/**
 * __mbox_recv() - receive, optionally replying first
 * @mb, @buf, @size, @info, @info_size, @timeout_ns: as mbox_timedrecv_sized()
 * @reply_to:	nonzero: first reply to this handle with @reply, @reply_len
 *		(mbox_reply_recv()); if that fails, nothing is received and
 *		info->len is left 0, which no receive's EMSGSIZE leaves
 * @reply:	the reply
 * @reply_len:	its length
 * @lease_ns:	NULL for a plain receive; else a receive on lease for
 *		*@lease_ns, as mbox_recv_lease() takes it
 * @claim:	where to copy the message's claim, or NULL
 * @claim_size:	its size
 *
 * Return: the message length, or -1 with errno.
 */
ssize_t __mbox_recv(int mb, void *buf, size_t size, struct mbox_msginfo *info,
		    size_t info_size, int64_t timeout_ns, uint64_t reply_to,
		    const void *reply, __u32 reply_len, const int64_t *lease_ns,
		    void *claim, size_t claim_size)
{
	struct mboxio_reply_recv rr;
	struct mboxio_recv *arg = &rr.recv;
	struct mbox_msginfo out;
	int ret;

	if (info && __mbox_check_size(info_size,
				      lease_ns ? MBOX_MSGINFO_LEASE_MIN :
				      sizeof(struct mbox_msginfo_v1_0)))
		return -1;

	memset(&rr, 0, sizeof(rr));
	if (__mbox_wait_flags(timeout_ns, &arg->flags, &arg->deadline_ns))
		return -1;
	if (lease_ns) {
		if (*lease_ns == 0) {
			errno = EINVAL;
			return -1;
		}
		arg->flags |= MBOX_MSG_LEASE;
		arg->lease_ns = __mbox_lease_ns(*lease_ns);
	}
	if (claim) {
		arg->claim_buf = __mbox_ptr(claim);
		arg->claim_size = claim_size > UINT32_MAX ? UINT32_MAX :
				  (__u32)claim_size;
	}
	arg->buf = __mbox_ptr(buf);
	/* No message is longer than UINT32_MAX, so a larger buffer is as
	 * good as one of UINT32_MAX bytes. */
	arg->size = size > UINT32_MAX ? UINT32_MAX : (__u32)size;

	if (reply_to) {
		rr.reply.reply_id = reply_to;
		rr.reply.buf = __mbox_ptr(reply);
		rr.reply.len = reply_len;
		ret = ioctl(mb, MBOXIO_REPLY_RECV, &rr);
	} else {
		ret = ioctl(mb, MBOXIO_RECV, arg);
	}
	if (ret < 0 && errno != EMSGSIZE)
		return -1;
	if (info) {
		memset(&out, 0, sizeof(out));
		out.len = arg->len;
		if (ret >= 0) {
			out.pid = arg->pid;
			out.uid = arg->uid;
			out.gid = arg->gid;
			out.seq = arg->seq;
			out.reply_id = arg->reply_id;
			out.prio = arg->priority;
			out.lease_id = arg->lease_id;
			out.deliveries = arg->deliveries;
			out.msg_id = arg->msg_id;
			out.claim_len = arg->claim_len;
		}
		__mbox_copy_out(info, info_size, &out, sizeof(out));
	}
	return ret;
}

LIBMBOX_EXPORT
int mbox_send(int mb, const void *msg, size_t len)
{
	return mbox_do_send(mb, msg, len, 0, -1, NULL, 0);
}

LIBMBOX_EXPORT
int mbox_trysend(int mb, const void *msg, size_t len)
{
	return mbox_do_send(mb, msg, len, 0, 0, NULL, 0);
}

LIBMBOX_EXPORT
int mbox_timedsend(int mb, const void *msg, size_t len, int64_t timeout_ns)
{
	return mbox_do_send(mb, msg, len, 0, timeout_ns, NULL, 0);
}

LIBMBOX_EXPORT
int mbox_send_prio(int mb, const void *msg, size_t len, unsigned int prio)
{
	return mbox_do_send(mb, msg, len, prio, -1, NULL, 0);
}

LIBMBOX_EXPORT
int mbox_trysend_prio(int mb, const void *msg, size_t len, unsigned int prio)
{
	return mbox_do_send(mb, msg, len, prio, 0, NULL, 0);
}

LIBMBOX_EXPORT
int mbox_timedsend_prio(int mb, const void *msg, size_t len, unsigned int prio,
			int64_t timeout_ns)
{
	return mbox_do_send(mb, msg, len, prio, timeout_ns, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_recv_sized(int mb, void *buf, size_t size,
			struct mbox_msginfo *info, size_t info_size)
{
	return __mbox_recv(mb, buf, size, info, info_size, -1, 0, NULL, 0, NULL, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_tryrecv_sized(int mb, void *buf, size_t size,
			   struct mbox_msginfo *info, size_t info_size)
{
	return __mbox_recv(mb, buf, size, info, info_size, 0, 0, NULL, 0, NULL, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_timedrecv_sized(int mb, void *buf, size_t size,
			     struct mbox_msginfo *info, int64_t timeout_ns,
			     size_t info_size)
{
	return __mbox_recv(mb, buf, size, info, info_size, timeout_ns, 0, NULL, 0, NULL, NULL, 0);
}

/* The libmbox 1.0 entry points: their callers' struct is 1.0's. */
#define MBOX_MSGINFO_V1_0	sizeof(struct mbox_msginfo_v1_0)

LIBMBOX_EXPORT
ssize_t mbox_recv(int mb, void *buf, size_t size, struct mbox_msginfo *info)
{
	return __mbox_recv(mb, buf, size, info, MBOX_MSGINFO_V1_0, -1, 0, NULL, 0, NULL, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_tryrecv(int mb, void *buf, size_t size,
		     struct mbox_msginfo *info)
{
	return __mbox_recv(mb, buf, size, info, MBOX_MSGINFO_V1_0, 0, 0, NULL, 0, NULL, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_timedrecv(int mb, void *buf, size_t size,
		       struct mbox_msginfo *info, int64_t timeout_ns)
{
	return __mbox_recv(mb, buf, size, info, MBOX_MSGINFO_V1_0,
			    timeout_ns, 0, NULL, 0, NULL, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_recv_lease_sized(int mb, void *buf, size_t size,
			      struct mbox_msginfo *info, int64_t lease_ns,
			      size_t info_size)
{
	return __mbox_recv(mb, buf, size, info, info_size, -1, 0, NULL, 0,
			   &lease_ns, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_tryrecv_lease_sized(int mb, void *buf, size_t size,
				 struct mbox_msginfo *info, int64_t lease_ns,
				 size_t info_size)
{
	return __mbox_recv(mb, buf, size, info, info_size, 0, 0, NULL, 0,
			   &lease_ns, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_timedrecv_lease_sized(int mb, void *buf, size_t size,
				   struct mbox_msginfo *info, int64_t lease_ns,
				   int64_t timeout_ns, size_t info_size)
{
	return __mbox_recv(mb, buf, size, info, info_size, timeout_ns, 0, NULL,
			   0, &lease_ns, NULL, 0);
}

/* The plain names, for callers with libmbox 1.4's struct mbox_msginfo. */
#define MBOX_MSGINFO_V1_4	sizeof(struct mbox_msginfo_v1_4)

LIBMBOX_EXPORT
ssize_t mbox_recv_lease(int mb, void *buf, size_t size,
			struct mbox_msginfo *info, int64_t lease_ns)
{
	return __mbox_recv(mb, buf, size, info, MBOX_MSGINFO_V1_4, -1, 0, NULL,
			   0, &lease_ns, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_tryrecv_lease(int mb, void *buf, size_t size,
			   struct mbox_msginfo *info, int64_t lease_ns)
{
	return __mbox_recv(mb, buf, size, info, MBOX_MSGINFO_V1_4, 0, 0, NULL,
			   0, &lease_ns, NULL, 0);
}

LIBMBOX_EXPORT
ssize_t mbox_timedrecv_lease(int mb, void *buf, size_t size,
			     struct mbox_msginfo *info, int64_t lease_ns,
			     int64_t timeout_ns)
{
	return __mbox_recv(mb, buf, size, info, MBOX_MSGINFO_V1_4, timeout_ns,
			   0, NULL, 0, &lease_ns, NULL, 0);
}

LIBMBOX_EXPORT
int mbox_timedsend_claim(int mb, const void *msg, size_t len,
			 unsigned int prio, const void *claim,
			 size_t claim_len, int64_t timeout_ns)
{
	return mbox_do_send(mb, msg, len, prio, timeout_ns, claim, claim_len);
}

LIBMBOX_EXPORT
ssize_t mbox_timedrecv_claim_sized(int mb, void *buf, size_t size,
				   struct mbox_msginfo *info, void *claim,
				   size_t claim_size, int64_t timeout_ns,
				   size_t info_size)
{
	return __mbox_recv(mb, buf, size, info, info_size, timeout_ns, 0, NULL,
			   0, NULL, claim, claim_size);
}

LIBMBOX_EXPORT
ssize_t mbox_timedrecv_claim(int mb, void *buf, size_t size,
			     struct mbox_msginfo *info, void *claim,
			     size_t claim_size, int64_t timeout_ns)
{
	return __mbox_recv(mb, buf, size, info, MBOX_MSGINFO_V1_4, timeout_ns,
			   0, NULL, 0, NULL, claim, claim_size);
}
