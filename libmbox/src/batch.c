// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Batched sending and receiving: many messages per system call.
 *
 * The kernel takes up to MBOX_BATCH_MAX messages per MBOXIO_SENDV or
 * MBOXIO_RECVV and waits only for the first. The library walks the caller's
 * vector in chunks translated on the stack (no allocation, no global
 * state): the first chunk may wait as the timeout says, later chunks never
 * wait, and a chunk that moves fewer messages than it carried ends the
 * call, just as one large kernel batch would end there.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

/* Messages translated per system call; a few KiB of stack. */
#define MBOX_CHUNK	64

static int mbox_batch_wait(int64_t timeout_ns, int first,
			   struct mboxio_batch *arg)
{
	if (!first) {
		arg->flags = MBOX_MSG_DONTWAIT;
		arg->deadline_ns = 0;
		return 0;
	}
	return __mbox_wait_flags(timeout_ns, &arg->flags, &arg->deadline_ns);
}

LIBMBOX_EXPORT
int mbox_sendv(int mb, const struct mbox_msgvec *vec, unsigned int count,
	       int64_t timeout_ns)
{
	struct mboxio_sendmsg kvec[MBOX_CHUNK];
	struct mboxio_batch arg;
	unsigned int done = 0, n, i;
	int ret;

	if (count > INT_MAX || (count && !vec)) {
		errno = EINVAL;
		return -1;
	}
	while (done < count) {
		n = count - done < MBOX_CHUNK ? count - done : MBOX_CHUNK;
		memset(kvec, 0, sizeof(kvec));
		for (i = 0; i < n; i++) {
			/* The ABI carries 32-bit lengths: stop before a longer one. */
			if (vec[done + i].len > UINT32_MAX)
				break;
			kvec[i].buf = __mbox_ptr(vec[done + i].buf);
			kvec[i].len = (__u32)vec[done + i].len;
		}
		if (i == 0) {
			if (done)
				break;
			errno = EMSGSIZE;
			return -1;
		}
		n = i;

		memset(&arg, 0, sizeof(arg));
		if (mbox_batch_wait(timeout_ns, done == 0, &arg))
			return -1;
		arg.vec = __mbox_ptr(kvec);
		arg.count = n;
		ret = ioctl(mb, MBOXIO_SENDV, &arg);
		if (ret < 0) {
			if (done)
				break;
			return -1;
		}
		done += (unsigned int)ret;
		if ((unsigned int)ret < n)
			break;
	}
	return (int)done;
}

LIBMBOX_EXPORT
int mbox_recvv(int mb, struct mbox_msgvec *vec, unsigned int count,
	       int64_t timeout_ns)
{
	struct mboxio_recvmsg kvec[MBOX_CHUNK];
	struct mboxio_batch arg;
	unsigned int done = 0, n, i;
	int ret, err = 0;

	if (count > INT_MAX || (count && !vec)) {
		errno = EINVAL;
		return -1;
	}
	while (done < count) {
		n = count - done < MBOX_CHUNK ? count - done : MBOX_CHUNK;
		memset(kvec, 0, sizeof(kvec));
		for (i = 0; i < n; i++) {
			size_t size = vec[done + i].len;

			kvec[i].buf = __mbox_ptr(vec[done + i].buf);
			kvec[i].size = size > UINT32_MAX ? UINT32_MAX : (__u32)size;
		}

		memset(&arg, 0, sizeof(arg));
		if (mbox_batch_wait(timeout_ns, done == 0, &arg))
			return -1;
		arg.vec = __mbox_ptr(kvec);
		arg.count = n;
		ret = ioctl(mb, MBOXIO_RECVV, &arg);
		if (ret < 0) {
			err = errno;
			ret = 0;
		}

		/*
		 * The messages received, and after them the one that ended
		 * the chunk: its len is the size needed if it did not fit.
		 */
		for (i = 0; i < n && i <= (unsigned int)ret; i++) {
			struct mbox_msginfo *info = &vec[done + i].info;

			memset(info, 0, sizeof(*info));
			info->len = kvec[i].len;
			if (i == (unsigned int)ret)
				break;
			info->pid = kvec[i].pid;
			info->uid = kvec[i].uid;
			info->gid = kvec[i].gid;
			info->seq = kvec[i].seq;
		}
		done += (unsigned int)ret;
		if (err) {
			if (done)
				break;
			errno = err;
			return -1;
		}
		if ((unsigned int)ret < n)
			break;
	}
	return (int)done;
}
