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

/*
 * Element @i of a caller's array of @vec_size-byte struct mbox_msgvec. Its
 * buf and len are where every version has them; its info has what is left
 * of @vec_size, as struct mbox_msginfo is the last member.
 */
static const char *mbox_elem(const void *vec, size_t vec_size, unsigned int i)
{
	return (const char *)vec + (size_t)i * vec_size;
}

static void *mbox_elem_buf(const void *vec, size_t vec_size, unsigned int i)
{
	void *buf;

	memcpy(&buf, mbox_elem(vec, vec_size, i) +
	       offsetof(struct mbox_msgvec, buf), sizeof(buf));
	return buf;
}

static size_t mbox_elem_len(const void *vec, size_t vec_size, unsigned int i)
{
	size_t len;

	memcpy(&len, mbox_elem(vec, vec_size, i) +
	       offsetof(struct mbox_msgvec, len), sizeof(len));
	return len;
}

/* Element @i's info.prio, or 0 if its struct ends before it. */
static unsigned int mbox_elem_prio(const void *vec, size_t vec_size,
				   unsigned int i)
{
	const size_t off = offsetof(struct mbox_msgvec, info) +
			   offsetof(struct mbox_msginfo, prio);
	unsigned int prio;

	if (vec_size < off + sizeof(prio))
		return 0;
	memcpy(&prio, mbox_elem(vec, vec_size, i) + off, sizeof(prio));
	return prio;
}

static void mbox_elem_set_info(struct mbox_msgvec *vec, size_t vec_size,
			       unsigned int i, const struct mbox_msginfo *info)
{
	const size_t off = offsetof(struct mbox_msgvec, info);

	__mbox_copy_out((char *)vec + (size_t)i * vec_size + off,
			vec_size - off, info, sizeof(*info));
}

static int mbox_vec_valid(const void *vec, unsigned int count, size_t vec_size)
{
	if (__mbox_check_size(vec_size, sizeof(struct mbox_msgvec_v1_0)))
		return -1;
	if (count > INT_MAX || (count && !vec)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* mbox_sendv_sized(), with each element's priority if @prio. */
static int mbox_do_sendv(int mb, const struct mbox_msgvec *vec,
			 unsigned int count, int64_t timeout_ns,
			 size_t vec_size, int prio)
{
	struct mboxio_sendmsg kvec[MBOX_CHUNK];
	struct mboxio_batch arg;
	unsigned int done = 0, n, i;
	size_t len;
	int ret;

	if (mbox_vec_valid(vec, count, vec_size))
		return -1;
	while (done < count) {
		n = count - done < MBOX_CHUNK ? count - done : MBOX_CHUNK;
		memset(kvec, 0, sizeof(kvec));
		for (i = 0; i < n; i++) {
			len = mbox_elem_len(vec, vec_size, done + i);
			/* The ABI carries 32-bit lengths: stop before a longer one. */
			if (len > UINT32_MAX)
				break;
			kvec[i].buf = __mbox_ptr(mbox_elem_buf(vec, vec_size,
							       done + i));
			kvec[i].len = (__u32)len;
			if (prio)
				kvec[i].priority = mbox_elem_prio(vec, vec_size,
								  done + i);
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

/*
 * MBOXIO_RECVV over @n elements of today's size, which report reply
 * handles. A module whose batch elements cannot grow yet (ABI version 3
 * and older) refuses the element size with E2BIG: the same elements then
 * go in their first version's layout, packed in place and spread out
 * again afterwards, without handles (it has no calls to report).
 */
static int mbox_recvv_ioctl(int mb, struct mboxio_batch *arg,
			    struct mboxio_recvmsg_v2 *kvec, unsigned int n)
{
	const size_t v0 = MBOXIO_RECVMSG_SIZE_VER0;
	unsigned char *p = (unsigned char *)kvec;
	unsigned int i;
	int ret, err;

	arg->elem_size = sizeof(*kvec);
	ret = ioctl(mb, MBOXIO_RECVV, arg);
	if (ret >= 0 || errno != E2BIG)
		return ret;

	for (i = 1; i < n; i++)
		memmove(p + i * v0, p + i * sizeof(*kvec), v0);
	arg->elem_size = 0;
	ret = ioctl(mb, MBOXIO_RECVV, arg);
	err = errno;
	for (i = n; i-- > 0;) {
		memmove(p + i * sizeof(*kvec), p + i * v0, v0);
		kvec[i].reply_id = 0;
	}
	errno = err;
	return ret;
}

LIBMBOX_EXPORT
int mbox_recvv_sized(int mb, struct mbox_msgvec *vec, unsigned int count,
		     int64_t timeout_ns, size_t vec_size)
{
	struct mboxio_recvmsg_v2 kvec[MBOX_CHUNK];
	struct mbox_msginfo info;
	struct mboxio_batch arg;
	unsigned int done = 0, n, i;
	int ret, err = 0;

	if (mbox_vec_valid(vec, count, vec_size))
		return -1;
	while (done < count) {
		n = count - done < MBOX_CHUNK ? count - done : MBOX_CHUNK;
		memset(kvec, 0, sizeof(kvec));
		for (i = 0; i < n; i++) {
			size_t size = mbox_elem_len(vec, vec_size, done + i);

			kvec[i].msg.buf = __mbox_ptr(mbox_elem_buf(vec, vec_size,
							       done + i));
			kvec[i].msg.size = size > UINT32_MAX ? UINT32_MAX : (__u32)size;
		}

		memset(&arg, 0, sizeof(arg));
		if (mbox_batch_wait(timeout_ns, done == 0, &arg))
			return -1;
		arg.vec = __mbox_ptr(kvec);
		arg.count = n;
		ret = mbox_recvv_ioctl(mb, &arg, kvec, n);
		if (ret < 0) {
			err = errno;
			ret = 0;
		}

		/*
		 * The messages received, and after them the one that ended
		 * the chunk: its len is the size needed if it did not fit.
		 */
		for (i = 0; i < n && i <= (unsigned int)ret; i++) {
			memset(&info, 0, sizeof(info));
			info.len = kvec[i].msg.len;
			if (i < (unsigned int)ret) {
				info.pid = kvec[i].msg.pid;
				info.uid = kvec[i].msg.uid;
				info.gid = kvec[i].msg.gid;
				info.seq = kvec[i].msg.seq;
				info.reply_id = kvec[i].reply_id;
				info.prio = kvec[i].msg.priority;
			}
			mbox_elem_set_info(vec, vec_size, done + i, &info);
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

LIBMBOX_EXPORT
int mbox_sendv_sized(int mb, const struct mbox_msgvec *vec,
		     unsigned int count, int64_t timeout_ns, size_t vec_size)
{
	return mbox_do_sendv(mb, vec, count, timeout_ns, vec_size, 0);
}

LIBMBOX_EXPORT
int mbox_sendv_prio_sized(int mb, const struct mbox_msgvec *vec,
			  unsigned int count, int64_t timeout_ns,
			  size_t vec_size)
{
	return mbox_do_sendv(mb, vec, count, timeout_ns, vec_size, 1);
}

LIBMBOX_EXPORT
int mbox_sendv_prio(int mb, const struct mbox_msgvec *vec, unsigned int count,
		    int64_t timeout_ns)
{
	return mbox_sendv_prio_sized(mb, vec, count, timeout_ns,
				     sizeof(struct mbox_msgvec_v1_3));
}

/* The libmbox 1.0 entry points: their callers' elements are 1.0's. */
LIBMBOX_EXPORT
int mbox_sendv(int mb, const struct mbox_msgvec *vec, unsigned int count,
	       int64_t timeout_ns)
{
	return mbox_sendv_sized(mb, vec, count, timeout_ns,
				sizeof(struct mbox_msgvec_v1_0));
}

LIBMBOX_EXPORT
int mbox_recvv(int mb, struct mbox_msgvec *vec, unsigned int count,
	       int64_t timeout_ns)
{
	return mbox_recvv_sized(mb, vec, count, timeout_ns,
				sizeof(struct mbox_msgvec_v1_0));
}
