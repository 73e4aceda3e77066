// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Request/reply: mbox_call() and mbox_timedcall() for clients, mbox_reply()
 * and mbox_reply_recv() for servers (MBOXIO_CALL, MBOXIO_REPLY, and
 * MBOXIO_RECV with reply_to; Documentation/userspace-api.rst).
 *
 * A call interrupted by a signal whose handler has SA_RESTART is restarted
 * by the kernel with the same argument struct, which by then carries the
 * token of the pending call: it resumes, it is never sent twice, and this
 * library sees nothing. When the call fails with EINTR instead, the
 * library gives it up with the token at once, so the request is withdrawn
 * if no server took it yet, a late reply fails with ESRCH, and info->seq
 * tells the caller which happened.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

/*
 * The timeout of a call: <0 forever, else a deadline for the whole call
 * (0: give up at once unless the answer is already there). Sending waits
 * within it, unlike mbox_trysend()'s "never wait": a call cannot succeed
 * without waiting for its reply.
 */
static int mbox_call_wait_flags(int64_t timeout_ns, __u32 *flags,
				__u64 *deadline_ns)
{
	if (__mbox_wait_flags(timeout_ns > 0 ? timeout_ns : -1, flags,
			      deadline_ns))
		return -1;
	if (timeout_ns == 0) {
		/* A deadline that has passed already: one that is "now". */
		if (__mbox_wait_flags(1, flags, deadline_ns))
			return -1;
		(*deadline_ns)--;
	}
	return 0;
}

static ssize_t mbox_do_call(int mb, const void *req, size_t req_len,
			    void *reply, size_t reply_size,
			    struct mbox_msginfo *info, size_t info_size,
			    int64_t timeout_ns)
{
	struct mbox_msginfo out;
	struct mboxio_call arg, cancel;
	int ret, err;

	if (info && __mbox_check_size(info_size,
				      sizeof(struct mbox_msginfo_v1_0)))
		return -1;
	if (req_len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}

	memset(&arg, 0, sizeof(arg));
	if (mbox_call_wait_flags(timeout_ns, &arg.flags, &arg.deadline_ns))
		return -1;
	arg.buf = __mbox_ptr(req);
	arg.len = (__u32)req_len;
	arg.reply_buf = __mbox_ptr(reply);
	/* No reply is longer than UINT32_MAX. */
	arg.reply_size = reply_size > UINT32_MAX ? UINT32_MAX : (__u32)reply_size;

	ret = ioctl(mb, MBOXIO_CALL, &arg);
	err = errno;
	if (ret < 0 && err == EINTR && arg.token) {
		/* Not restarted: give the call up, and learn if it was taken. */
		memset(&cancel, 0, sizeof(cancel));
		cancel.flags = MBOX_CALL_CANCEL;
		cancel.token = arg.token;
		if (ioctl(mb, MBOXIO_CALL, &cancel) == 0)
			arg.seq = cancel.seq;
	}
	if (info) {
		memset(&out, 0, sizeof(out));
		out.seq = arg.seq;
		if (ret >= 0) {
			out.pid = arg.pid;
			out.uid = arg.uid;
			out.gid = arg.gid;
			out.len = arg.reply_len;
		}
		__mbox_copy_out(info, info_size, &out, sizeof(out));
	}
	errno = err;
	return ret;
}

LIBMBOX_EXPORT
ssize_t mbox_call_sized(int mb, const void *req, size_t req_len, void *reply,
			size_t reply_size, struct mbox_msginfo *info,
			size_t info_size)
{
	return mbox_do_call(mb, req, req_len, reply, reply_size, info,
			    info_size, -1);
}

LIBMBOX_EXPORT
ssize_t mbox_timedcall_sized(int mb, const void *req, size_t req_len,
			     void *reply, size_t reply_size,
			     struct mbox_msginfo *info, int64_t timeout_ns,
			     size_t info_size)
{
	return mbox_do_call(mb, req, req_len, reply, reply_size, info,
			    info_size, timeout_ns);
}

LIBMBOX_EXPORT
int mbox_reply(int mb, uint64_t reply_id, const void *msg, size_t len)
{
	struct mboxio_reply arg;

	if (len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	memset(&arg, 0, sizeof(arg));
	arg.reply_id = reply_id;
	arg.buf = __mbox_ptr(msg);
	arg.len = (__u32)len;
	return ioctl(mb, MBOXIO_REPLY, &arg) < 0 ? -1 : 0;
}

LIBMBOX_EXPORT
ssize_t mbox_reply_recv_sized(int mb, uint64_t reply_id, const void *msg,
			      size_t len, void *buf, size_t size,
			      struct mbox_msginfo *info, size_t info_size)
{
	if (reply_id && len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	return __mbox_recv(mb, buf, size, info, info_size, -1, reply_id, msg,
			   reply_id ? (__u32)len : 0, NULL, NULL, 0);
}

/* The entry points without a size: the struct of libmbox 1.2. */
#define MBOX_MSGINFO_V1_2	sizeof(struct mbox_msginfo_v1_2)

LIBMBOX_EXPORT
ssize_t mbox_call(int mb, const void *req, size_t req_len, void *reply,
		  size_t reply_size, struct mbox_msginfo *info)
{
	return mbox_do_call(mb, req, req_len, reply, reply_size, info,
			    MBOX_MSGINFO_V1_2, -1);
}

LIBMBOX_EXPORT
ssize_t mbox_timedcall(int mb, const void *req, size_t req_len, void *reply,
		       size_t reply_size, struct mbox_msginfo *info,
		       int64_t timeout_ns)
{
	return mbox_do_call(mb, req, req_len, reply, reply_size, info,
			    MBOX_MSGINFO_V1_2, timeout_ns);
}

LIBMBOX_EXPORT
ssize_t mbox_reply_recv(int mb, uint64_t reply_id, const void *msg, size_t len,
			void *buf, size_t size, struct mbox_msginfo *info)
{
	return mbox_reply_recv_sized(mb, reply_id, msg, len, buf, size, info,
				     MBOX_MSGINFO_V1_2);
}
