// SPDX-License-Identifier: GPL-2.0
/*
 * Mailbox file descriptors: creating them, their ioctls, read(2) and
 * write(2), poll and fdinfo.
 *
 * Each ioctl handler copies its argument in, rejects what the ABI does not
 * define, checks limits, acts, and copies results out. The file's own
 * access mode (FMODE_READ for receive, FMODE_WRITE for send and shutdown)
 * and O_NONBLOCK are read at every call, so fcntl(F_SETFL) takes effect.
 */

#include <linux/anon_inodes.h>
#include <linux/build_bug.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/user_namespace.h>

#include "mbox.h"

/*
 * A deadline comes as CLOCK_MONOTONIC in the caller's time namespace, as
 * clock_gettime() there reports it; the hrtimer needs the host's clock.
 * timens_ktime_to_host() is what timerfd, futex and clock_nanosleep use,
 * but its out-of-line half is not exported to modules, so this does the
 * same from the inline timens_add_monotonic(), which adds the caller's
 * monotonic offset (zero outside a time namespace). That is sound: a
 * task's time namespace changes only by its own setns() or exec, never
 * under one of its own system calls, and a namespace's offsets are frozen
 * before any task enters it (timens_commit()). As in
 * do_timens_ktime_to_host(), a deadline before the namespace's offset has
 * passed already, and one the host cannot represent is "never".
 */
static ktime_t mbox_deadline_to_host(u64 deadline_ns)
{
	struct timespec64 offset = {};
	ktime_t host;

	timens_add_monotonic(&offset);
	if (check_sub_overflow((ktime_t)deadline_ns, timespec64_to_ktime(offset),
			       &host))
		return KTIME_MAX;
	return max_t(ktime_t, host, 0);
}

/*
 * Parse the MBOX_MSG_* waiting rules shared by send and receive (@recv),
 * and MBOX_MSG_FULLSIZE and MBOX_MSG_LEASE, which only a receive takes
 * (and MBOX_MSG_LEASE only a single one: MBOXIO_RECVV refuses it). A CLOCK_REALTIME
 * deadline needs no translation: time namespaces offset only the
 * monotonic and boot clocks.
 */
static int mbox_wait_from_user(const struct file *file, u32 flags,
			       u64 deadline_ns, bool recv,
			       struct mbox_wait *wait)
{
	bool realtime = flags & MBOX_MSG_REALTIME;

	if (flags & ~MBOX_MSG_ALL)
		return -EINVAL;
	if ((flags & (MBOX_MSG_FULLSIZE | MBOX_MSG_LEASE)) && !recv)
		return -EINVAL;
	if ((flags & MBOX_MSG_DONTWAIT) && (flags & MBOX_MSG_DEADLINE))
		return -EINVAL;
	if (!(flags & MBOX_MSG_DEADLINE) && (deadline_ns || realtime))
		return -EINVAL;
	/* Past the kernel's signed 64-bit time: a caller's arithmetic bug. */
	if (deadline_ns > KTIME_MAX)
		return -EINVAL;

	wait->nowait = (flags & MBOX_MSG_DONTWAIT) ||
		       (file->f_flags & O_NONBLOCK);
	wait->fullsize = flags & MBOX_MSG_FULLSIZE;
	wait->lease = flags & MBOX_MSG_LEASE;
	wait->clock = realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC;
	wait->deadline = KTIME_MAX;
	if ((flags & MBOX_MSG_DEADLINE) && deadline_ns != KTIME_MAX)
		wait->deadline = realtime ? (ktime_t)deadline_ns :
				 mbox_deadline_to_host(deadline_ns);
	return 0;
}

/*
 * MBOX_MSG_FULLSIZE: a buffer smaller than the mailbox's msg_size fails
 * before anything happens, whatever the next message's length, as POSIX
 * mq_receive() does.
 */
static int mbox_recv_size_ok(const struct mbox_file *mf,
			     const struct mbox_wait *wait, u32 size)
{
	return wait->fullsize && size < mf->mb->msg_size ? -EMSGSIZE : 0;
}

/* A message priority from userspace. */
static int mbox_prio_from_user(u32 prio)
{
	return prio < MBOX_PRIO_MAX ? 0 : -EINVAL;
}

/*
 * An ioctl is a request the calling task makes itself: what it sends
 * carries the caller's credentials, as SCM_CREDENTIALS does (write(2)
 * differs: mbox_file_write_iter()), and the caller's user pays for what it
 * makes the kernel hold. The file's opener is usually that user, and its
 * accounting is at hand; another's is looked up, and mbox_caller_put()
 * drops it again.
 */
static int mbox_caller_get(struct mbox_file *mf, struct mbox_sender *caller)
{
	caller->cred = current_cred();
	caller->user = mf->opener;
	caller->file = NULL;
	if (!uid_eq(caller->cred->uid, mf->opener->uid)) {
		caller->user = mbox_user_get(caller->cred->uid);
		if (!caller->user)
			return -ENOMEM;
	}
	return 0;
}

static void mbox_caller_put(struct mbox_file *mf, struct mbox_sender *caller)
{
	if (caller->user != mf->opener)
		mbox_user_put(caller->user);
}

/*
 * A message of @len bytes at @buf from the caller, for @mf's mailbox, with
 * the caller's claim of @claim_len bytes at @claim if @claim_len. If
 * @call, the call is made too, charged to the same user, for the message
 * to be the request of.
 */
static struct mbox_msg *mbox_msg_from_user(struct mbox_file *mf, u64 buf,
					   u32 len, u32 prio, u64 claim,
					   u32 claim_len,
					   struct mbox_call **call,
					   u32 reply_size)
{
	struct mbox_sender sender;
	struct mbox_msg *msg;
	struct iov_iter from;
	int err;

	err = mbox_caller_get(mf, &sender);
	if (err)
		return ERR_PTR(err);
	iov_iter_ubuf(&from, ITER_SOURCE, u64_to_user_ptr(buf), len);
	msg = mbox_msg_new(mf->mb, &from, &sender);
	if (!IS_ERR(msg))
		msg->node.prio = prio;
	if (!IS_ERR(msg) && claim_len) {
		err = mbox_msg_claim(msg, &sender, u64_to_user_ptr(claim),
				     claim_len);
		if (err) {
			mbox_msg_free(mf->mb, msg);
			msg = ERR_PTR(err);
		}
	}
	if (!IS_ERR(msg) && call) {
		*call = mbox_call_new(mf->mb, &sender, reply_size);
		if (IS_ERR(*call)) {
			mbox_msg_free(mf->mb, msg);
			msg = ERR_CAST(*call);
		} else {
			kref_get(&(*call)->ref);	/* the request's */
			msg->call = *call;
		}
	}
	mbox_caller_put(mf, &sender);
	return msg;
}

/*
 * Send @len bytes at @buf as the caller, at priority @prio, with a claim of
 * @claim_len bytes at @claim (none if 0).
 */
static int mbox_send_user(struct mbox_file *mf, u64 buf, u32 len, u32 prio,
			  u64 claim, u32 claim_len,
			  const struct mbox_wait *wait)
{
	struct mbox_msg *msg = mbox_msg_from_user(mf, buf, len, prio, claim,
						  claim_len, NULL, 0);

	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return mbox_send(mf->mb, msg, wait);
}

static long mbox_ioctl_send(struct file *file, struct mbox_file *mf,
			    unsigned int cmd, struct mboxio_send __user *uarg)
{
	struct mboxio_send args;
	struct mbox_wait wait;
	int err;

	BUILD_BUG_ON(sizeof(args) != 48);

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	err = mbox_arg_in(&args, sizeof(args), MBOXIO_SEND_SIZE_VER0, cmd, uarg);
	if (err)
		return err;
	err = mbox_wait_from_user(file, args.flags, args.deadline_ns, false,
				  &wait);
	if (err)
		return err;
	if (args.__pad || args.__pad2 || args.claim_len > MBOX_CLAIM_MAX ||
	    (args.claim && !args.claim_len))
		return -EINVAL;
	err = mbox_prio_from_user(args.priority);
	if (err)
		return err;
	return mbox_send_user(mf, args.buf, args.len, args.priority, args.claim,
			      args.claim_len, &wait);
}

/*
 * What a receiver learns about a message: its sender's thread group in the
 * receiver's pid namespace and its ids in the receiver's user namespace.
 */
struct mbox_delivery {
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

static void mbox_delivery_fill(struct mbox_delivery *dlv,
			       const struct mbox_msg *msg)
{
	struct user_namespace *ns = current_user_ns();

	dlv->pid = pid_vnr(msg->pid);
	dlv->uid = from_kuid_munged(ns, msg->uid);
	dlv->gid = from_kgid_munged(ns, msg->gid);
}

/*
 * Claim the next message for a buffer of @size bytes. If it does not fit,
 * the caller learns its length through @ulen, as for the message itself.
 */
static struct mbox_msg *mbox_claim_for(struct mbox *mb, u32 size,
				       const struct mbox_wait *wait,
				       __u32 __user *ulen)
{
	struct mbox_msg *msg;
	u32 needed;

	msg = mbox_recv_claim(mb, size, wait, &needed);
	if (PTR_ERR_OR_ZERO(msg) == -EMSGSIZE && put_user(needed, ulen))
		return ERR_PTR(-EFAULT);
	return msg;
}

/*
 * A receiver that claimed a request and can learn the reply handle
 * (@can_reply: its struct reaches reply_id): the call is now @mf's to
 * answer, before the handle is copied out. Returns the handle, or 0. One
 * that cannot learn it is dealt with once the message is copied out
 * (mbox_recv_finish()).
 */
static u64 mbox_take_call(struct mbox_file *mf, struct mbox_msg *msg,
			  bool can_reply)
{
	if (!msg->call || !can_reply)
		return 0;
	return mbox_call_accept(mf, msg);
}

/*
 * A claimed message was copied out: it is gone. A request taken without a
 * handle (@reply_id 0: read(2), an old struct) will never be answered, so
 * its caller is told now (mbox_call_refuse()), not left waiting.
 */
static void mbox_recv_finish(struct mbox *mb, struct mbox_msg *msg,
			     u64 reply_id)
{
	if (msg->call && !reply_id)
		mbox_call_refuse(msg);
	mbox_recv_done(mb, msg);
}

/*
 * Copy a claimed message out, payload first, then its results: @out
 * (@out_len bytes, written to @uout). Either copy faulting puts the
 * message back, as if it had never been claimed, and withdraws the reply
 * handle (@reply_id) it was given, if any; should its caller have given
 * up, or a thread sharing the file have answered with that handle
 * already, nobody waits for the request any more and mbox_recv_undo()
 * drops it. The message's claim, if any, goes to @claim_buf (at most
 * @claim_size bytes of it) between the two. Once the copies are done the
 * message is gone, or, received on @lease, held by the lease from now on
 * (for @lease_ns); a lease that is not started is freed. Always inlined,
 * so that a constant @out_len makes a copy of constant size (mbox_arg_in()).
 *
 * Return: the message length, or -EFAULT.
 */
static __always_inline int mbox_copy_out(struct mbox_file *mf,
					 struct mbox_msg *msg, u64 buf,
					 u64 reply_id,
					 struct mbox_lease *lease,
					 u64 lease_ns, u64 claim_buf,
					 u32 claim_size, void __user *uout,
					 const void *out, size_t out_len)
{
	u32 claim_len = claim_buf ? min(msg->claim_len, claim_size) : 0;
	int len = msg->len;

	if (copy_to_user(u64_to_user_ptr(buf), msg->data, len) ||
	    (claim_len &&
	     copy_to_user(u64_to_user_ptr(claim_buf), msg->claim, claim_len)) ||
	    copy_to_user(uout, out, out_len)) {
		if (reply_id)
			mbox_call_unaccept(mf, msg);
		mbox_recv_undo(mf->mb, msg);
		if (lease)
			mbox_lease_free(lease);
		return -EFAULT;
	}
	if (lease)
		mbox_lease_start(mf, lease, msg, lease_ns);
	else
		mbox_recv_finish(mf->mb, msg, reply_id);
	return len;
}

/*
 * A receive's lease arguments (@args, whose caller's struct ends at @end):
 * a struct that cannot carry the handle back (ending before @lease_id)
 * cannot lease, and a lease_ns without a lease to time is a caller's
 * mistake.
 */
static int mbox_lease_args_ok(const struct mbox_wait *wait,
			      const struct mboxio_recv *args, size_t end)
{
	if (!wait->lease)
		return args->lease_ns ? -EINVAL : 0;
	if (end < offsetofend(struct mboxio_recv, lease_id) ||
	    args->lease_ns > KTIME_MAX)
		return -EINVAL;
	return 0;
}

/*
 * The lease record for a receive with MBOX_MSG_LEASE (@wait), made before
 * the claim; NULL without.
 */
static struct mbox_lease *mbox_lease_for(struct mbox_file *mf,
					 const struct mbox_wait *wait,
					 const struct mboxio_recv *args,
					 size_t end)
{
	struct mbox_sender lessee;
	struct mbox_lease *lease;
	int err;

	err = mbox_lease_args_ok(wait, args, end);
	if (err)
		return ERR_PTR(err);
	if (!wait->lease)
		return NULL;
	err = mbox_caller_get(mf, &lessee);
	if (err)
		return ERR_PTR(err);
	lease = mbox_lease_new(mf->mb, &lessee);
	mbox_caller_put(mf, &lessee);
	return lease;
}

/*
 * Answer request @id, taken through @mf, with @len bytes at @buf. The
 * reply is copied in first, as any message, so the caller never waits on
 * the replier's memory; it is a message of the mailbox (at most msg_size)
 * and charged to the replier until the caller has it.
 */
static int mbox_reply_user(struct mbox_file *mf, u64 id, u64 buf, u32 len)
{
	struct mbox_msg *reply;
	int err;

	reply = mbox_msg_from_user(mf, buf, len, 0, 0, 0, NULL, 0);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	err = mbox_call_reply(mf, id, reply);
	if (err)
		mbox_msg_free(mf->mb, reply);
	return err;
}

/*
 * The receive of MBOXIO_RECV and MBOXIO_REPLY_RECV, into @args, which the
 * caller copied in from @uarg (@usize bytes of it, at least the first
 * version's) and whose waiting rules it parsed into @wait.
 */
static long mbox_recv_args(struct mbox_file *mf, struct mboxio_recv *args,
			   const struct mbox_wait *wait,
			   struct mboxio_recv __user *uarg, size_t usize)
{
	const size_t start = offsetof(struct mboxio_recv, len);
	const size_t end = min(sizeof(*args), usize);
	struct mbox_delivery dlv;
	struct mbox_lease *lease;
	struct mbox_msg *msg;

	BUILD_BUG_ON(sizeof(*args) != 104);
	BUILD_BUG_ON(start != 24);

	if (mbox_recv_size_ok(mf, wait, args->size))
		return -EMSGSIZE;
	lease = mbox_lease_for(mf, wait, args, end);
	if (IS_ERR(lease))
		return PTR_ERR(lease);
	msg = mbox_claim_for(mf->mb, args->size, wait, &uarg->len);
	if (IS_ERR(msg)) {
		if (lease)
			mbox_lease_free(lease);
		return PTR_ERR(msg);
	}
	if (lease && msg->call) {
		/* A request is answered, never leased: see struct mboxio_recv. */
		mbox_lease_free(lease);
		lease = NULL;
	}
	mbox_delivery_fill(&dlv, msg);
	args->len = msg->len;
	args->pid = dlv.pid;
	args->uid = dlv.uid;
	args->gid = dlv.gid;
	args->seq = msg->seq;
	args->priority = msg->node.prio;
	args->deliveries = msg->deliveries;
	args->lease_id = lease ? lease->id : 0;
	args->msg_id = msg->order;
	args->claim_len = msg->claim_len;
	args->reply_id = mbox_take_call(mf, msg,
					end >= offsetofend(struct mboxio_recv,
							   reply_id));
	/*
	 * The output half, as far as the caller's struct goes: all of it, a
	 * copy of constant size (see mbox_arg_in()), for a current caller.
	 */
	if (end == sizeof(*args))
		return mbox_copy_out(mf, msg, args->buf, args->reply_id, lease,
				     args->lease_ns, args->claim_buf,
				     args->claim_size,
				     (void __user *)uarg + start,
				     (char *)args + start, sizeof(*args) - start);
	return mbox_copy_out(mf, msg, args->buf, args->reply_id, lease,
			     args->lease_ns, args->claim_buf, args->claim_size,
			     (void __user *)uarg + start, (char *)args + start,
			     end - start);
}

static long mbox_ioctl_recv(struct file *file, struct mbox_file *mf,
			    unsigned int cmd, struct mboxio_recv __user *uarg)
{
	struct mboxio_recv args;
	struct mbox_wait wait;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	ret = mbox_arg_in(&args, sizeof(args), MBOXIO_RECV_SIZE_VER0, cmd, uarg);
	if (ret)
		return ret;
	ret = mbox_wait_from_user(file, args.flags, args.deadline_ns, true,
				  &wait);
	if (ret)
		return ret;
	return mbox_recv_args(mf, &args, &wait, uarg, _IOC_SIZE(cmd));
}

/*
 * Reply, then receive: a server's loop costs one call per request. A
 * failed reply receives nothing, and leaves the receive's out fields as
 * they were, so a reply's -EMSGSIZE (len untouched) is told apart from a
 * receive's (len = the size needed).
 */
static long mbox_ioctl_reply_recv(struct file *file, struct mbox_file *mf,
				  unsigned int cmd,
				  struct mboxio_reply_recv __user *uarg)
{
	struct mboxio_reply_recv args;
	struct mbox_wait wait;
	int ret;

	BUILD_BUG_ON(sizeof(args) != 128);
	BUILD_BUG_ON(offsetof(struct mboxio_reply_recv, recv) != 24);

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	ret = mbox_arg_in(&args, sizeof(args), MBOXIO_REPLY_RECV_SIZE_VER0, cmd,
			  uarg);
	if (ret)
		return ret;
	if (args.reply.flags ||
	    (!args.reply.reply_id && (args.reply.buf || args.reply.len)))
		return -EINVAL;
	/* The receive's arguments are checked before anything is done. */
	ret = mbox_wait_from_user(file, args.recv.flags, args.recv.deadline_ns,
				  true, &wait);
	if (!ret)
		ret = mbox_recv_size_ok(mf, &wait, args.recv.size);
	if (!ret)
		ret = mbox_lease_args_ok(&wait, &args.recv,
					 _IOC_SIZE(cmd) -
					 offsetof(struct mboxio_reply_recv, recv));
	if (ret)
		return ret;
	if (args.reply.reply_id) {
		ret = mbox_reply_user(mf, args.reply.reply_id, args.reply.buf,
				      args.reply.len);
		if (ret)
			return ret;
		/*
		 * Delivered: a restart of this call (SA_RESTART, a stop
		 * signal, a ptrace attach) must only receive, so the reply
		 * half goes back to userspace as "nothing to answer".
		 */
		memset(&args.reply, 0, sizeof(args.reply));
		if (copy_to_user(&uarg->reply, &args.reply, sizeof(args.reply)))
			return -EFAULT;
	}
	return mbox_recv_args(mf, &args.recv, &wait, &uarg->recv,
			      _IOC_SIZE(cmd) - offsetof(struct mboxio_reply_recv,
							recv));
}

/*
 * A call: send the request, then wait for the reply, in one system call.
 * An interrupted wait leaves the call parked and its token in the caller's
 * struct (call.c), so that a restarted ioctl resumes rather than sends
 * again; a cancel with the token ends it.
 */
static long mbox_ioctl_call(struct file *file, struct mbox_file *mf,
			    unsigned int cmd, struct mboxio_call __user *uarg)
{
	const size_t start = offsetof(struct mboxio_call, reply_len);
	struct mbox *mb = mf->mb;
	struct mbox_wait wait, reply_wait;
	struct mbox_delivery dlv;
	struct mboxio_call args;
	struct mbox_call *call;
	struct mbox_msg *msg;
	u64 seq = 0;
	long ret;

	BUILD_BUG_ON(sizeof(args) != 80);
	BUILD_BUG_ON(start != 36);

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = mbox_arg_in(&args, sizeof(args), MBOXIO_CALL_SIZE_VER0, cmd, uarg);
	if (ret)
		return ret;
	if ((args.flags & ~MBOX_CALL_ALL) || args.__pad || args.__pad2 ||
	    ((args.flags & MBOX_CALL_CANCEL) && !args.token))
		return -EINVAL;
	ret = mbox_wait_from_user(file, args.flags & MBOX_MSG_ALL,
				  args.deadline_ns, false, &wait);
	if (ret)
		return ret;
	ret = mbox_prio_from_user(args.priority);
	if (ret)
		return ret;
	/*
	 * Only sending may be refused for want of waiting; the reply is
	 * waited for until the deadline.
	 */
	reply_wait = wait;
	reply_wait.nowait = false;

	if (args.token) {
		call = mbox_call_resume(mf, args.token);
		if (!call)
			return -ENOENT;
		if (args.flags & MBOX_CALL_CANCEL) {
			seq = mbox_call_cancel(call);
			ret = 0;
			goto out_put;
		}
	} else {
		msg = mbox_msg_from_user(mf, args.buf, args.len, args.priority,
					 0, 0, &call, args.reply_size);
		if (IS_ERR(msg))
			return PTR_ERR(msg);
		ret = mbox_send(mb, msg, &wait);
		if (ret)
			goto out_put;	/* nothing delivered: seq 0 */
	}

	ret = mbox_call_wait(mf, call, &reply_wait, &seq);
	if (ret == -ERESTARTSYS) {
		/* Parked: whoever comes back with this struct resumes it. */
		args.token = call->id;
		args.seq = seq;
		if (mbox_arg_out_from(uarg, &args, sizeof(args), cmd, start)) {
			/* Nobody could resume it: give it up at once. */
			mbox_call_put(call);
			call = mbox_call_resume(mf, args.token);
			if (!call)
				return -EFAULT;
			seq = mbox_call_cancel(call);
			ret = -EFAULT;
			goto out_put;
		}
		mbox_call_put(call);
		return ret;
	}
	if (ret)
		goto out_put;
	seq = call->seq;
	ret = call->err;
	if (ret)
		goto out_put;

	/* Answered: the reply is ours, in kernel memory. */
	msg = call->reply;
	if (msg->len > args.reply_size) {
		/* A resumed call whose struct now offers less room. */
		ret = -EMSGSIZE;
		goto out_put;
	}
	if (copy_to_user(u64_to_user_ptr(args.reply_buf), msg->data, msg->len)) {
		ret = -EFAULT;
		goto out_put;
	}
	mbox_delivery_fill(&dlv, msg);
	args.reply_len = msg->len;
	args.pid = dlv.pid;
	args.uid = dlv.uid;
	args.gid = dlv.gid;
	ret = msg->len;
out_put:
	mbox_call_put(call);
	args.seq = seq;
	args.token = 0;
	if (mbox_arg_out_from(uarg, &args, sizeof(args), cmd, start))
		return -EFAULT;
	return ret;
}

static long mbox_ioctl_reply(struct file *file, struct mbox_file *mf,
			     unsigned int cmd, struct mboxio_reply __user *uarg)
{
	struct mboxio_reply args;
	int err;

	BUILD_BUG_ON(sizeof(args) != 24);

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	err = mbox_arg_in(&args, sizeof(args), MBOXIO_REPLY_SIZE_VER0, cmd, uarg);
	if (err)
		return err;
	if (args.flags)
		return -EINVAL;
	return mbox_reply_user(mf, args.reply_id, args.buf, args.len);
}

/*
 * The batch struct grows like the others, and so do its elements
 * (mboxio_sendmsg, mboxio_recvmsg): @elem_size is the caller's element
 * size, 0 for the first version's (@ver0), and each element is read and
 * written as one struct of that size.
 */
static int mbox_batch_from_user(const struct file *file, unsigned int cmd,
				struct mboxio_batch __user *uarg,
				struct mboxio_batch *args, struct mbox_wait *wait,
				u32 ver0, bool recv)
{
	int err;

	BUILD_BUG_ON(sizeof(*args) != 32);

	err = mbox_arg_in(args, sizeof(*args), MBOXIO_BATCH_SIZE_VER0, cmd, uarg);
	if (err)
		return err;
	err = mbox_wait_from_user(file, args->flags, args->deadline_ns, recv,
				  wait);
	if (err)
		return err;
	if (args->__pad)
		return -EINVAL;
	if (!args->elem_size)
		args->elem_size = ver0;
	if (args->count > MBOX_BATCH_MAX || args->elem_size < ver0 ||
	    args->elem_size > PAGE_SIZE)
		return -EINVAL;
	return 0;
}

/*
 * A batch is a loop over single sends that stops at the first failure;
 * only the first message may wait. It saves a system call per message,
 * which is most of the cost of a small message.
 */
static long mbox_ioctl_sendv(struct file *file, struct mbox_file *mf,
			     unsigned int cmd, struct mboxio_batch __user *uarg)
{
	struct mboxio_sendmsg m;
	u8 __user *uvec;
	struct mboxio_batch args;
	struct mbox_wait wait;
	int err;
	u32 i;

	BUILD_BUG_ON(sizeof(m) != 16);

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	err = mbox_batch_from_user(file, cmd, uarg, &args, &wait,
				   MBOXIO_SENDMSG_SIZE_VER0, false);
	if (err)
		return err;

	uvec = u64_to_user_ptr(args.vec);
	for (i = 0; i < args.count; i++, wait.nowait = true) {
		err = mbox_struct_in(&m, sizeof(m),
				     uvec + (size_t)i * args.elem_size,
				     args.elem_size);
		if (!err)
			err = mbox_prio_from_user(m.priority);
		if (!err)
			err = mbox_send_user(mf, m.buf, m.len, m.priority, 0, 0,
					     &wait);
		if (err)
			break;
	}
	return i ? i : err;
}

/* One element of MBOXIO_RECVV, of @size bytes: as MBOXIO_RECV, into @um. */
static int mbox_recv_one(struct mbox_file *mf, void __user *um, u32 size,
			 const struct mbox_wait *wait)
{
	const size_t start = offsetof(struct mboxio_recvmsg, len);
	const size_t end = min_t(size_t, sizeof(struct mboxio_recvmsg_v2), size);
	struct mboxio_recvmsg_v2 m;
	struct mbox_delivery dlv;
	struct mbox_msg *msg;
	int ret;

	BUILD_BUG_ON(sizeof(m.msg) != MBOXIO_RECVMSG_SIZE_VER0);
	BUILD_BUG_ON(sizeof(m) != 48);
	BUILD_BUG_ON(start != 12);

	ret = mbox_struct_in(&m, sizeof(m), um, size);
	if (ret)
		return ret;
	if (mbox_recv_size_ok(mf, wait, m.msg.size))
		return -EMSGSIZE;
	msg = mbox_claim_for(mf->mb, m.msg.size, wait,
			     um + offsetof(struct mboxio_recvmsg, len));
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	mbox_delivery_fill(&dlv, msg);
	m.msg.len = msg->len;
	m.msg.pid = dlv.pid;
	m.msg.uid = dlv.uid;
	m.msg.gid = dlv.gid;
	m.msg.priority = msg->node.prio;
	m.msg.seq = msg->seq;
	m.reply_id = mbox_take_call(mf, msg,
				    end >= offsetofend(struct mboxio_recvmsg_v2,
						       reply_id));
	ret = mbox_copy_out(mf, msg, m.msg.buf, m.reply_id, NULL, 0, 0, 0,
			    um + start, (char *)&m + start, end - start);
	return ret < 0 ? ret : 0;
}

static long mbox_ioctl_recvv(struct file *file, struct mbox_file *mf,
			     unsigned int cmd, struct mboxio_batch __user *uarg)
{
	struct mboxio_batch args;
	struct mbox_wait wait;
	u8 __user *uvec;
	int err;
	u32 i;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	err = mbox_batch_from_user(file, cmd, uarg, &args, &wait,
				   MBOXIO_RECVMSG_SIZE_VER0, true);
	if (err)
		return err;
	/* Its elements have no field for a lease's handle. */
	if (wait.lease)
		return -EINVAL;

	uvec = u64_to_user_ptr(args.vec);
	for (i = 0; i < args.count; i++, wait.nowait = true) {
		err = mbox_recv_one(mf, uvec + (size_t)i * args.elem_size,
				    args.elem_size, &wait);
		if (err)
			break;
	}
	return i ? i : err;
}

/*
 * Register for arrival notification, or remove the registration
 * (notify.c); the fd's access mode does not matter, as for mq_notify().
 */
static long mbox_ioctl_notify(struct mbox *mb, unsigned int cmd,
			      struct mboxio_notify __user *uarg)
{
	struct mboxio_notify args;
	int err;

	BUILD_BUG_ON(sizeof(args) != MBOXIO_NOTIFY_SIZE_VER0);

	err = mbox_arg_in(&args, sizeof(args), MBOXIO_NOTIFY_SIZE_VER0, cmd,
			  uarg);
	if (err)
		return err;
	if (args.how > MBOX_NOTIFY_THREAD)
		return -EINVAL;
	if (args.how == MBOX_NOTIFY_SIGNAL ? !valid_signal(args.signo) :
					      args.signo || args.value)
		return -EINVAL;
	err = mbox_notify_set(mb, &args, &args.token);
	if (err)
		return err;
	return mbox_arg_out(uarg, &args, sizeof(args), cmd);
}

static long mbox_ioctl_notify_wait(struct mbox *mb, unsigned int cmd,
				   struct mboxio_notify __user *uarg)
{
	struct mboxio_notify args;
	int err;

	err = mbox_arg_in(&args, sizeof(args), MBOXIO_NOTIFY_SIZE_VER0, cmd,
			  uarg);
	if (err)
		return err;
	if (args.how || args.signo || args.value)
		return -EINVAL;
	return mbox_notify_wait(mb, args.token);
}

/* Commit, release or extend a lease taken through this file (lease.c). */
static long mbox_ioctl_lease(struct file *file, struct mbox_file *mf,
			     unsigned int cmd, struct mboxio_lease __user *uarg)
{
	struct mboxio_lease args;
	int err;

	BUILD_BUG_ON(sizeof(args) != MBOXIO_LEASE_SIZE_VER0);

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	err = mbox_arg_in(&args, sizeof(args), MBOXIO_LEASE_SIZE_VER0, cmd,
			  uarg);
	if (err)
		return err;
	if (args.__pad || args.op < MBOX_LEASE_COMMIT ||
	    args.op > MBOX_LEASE_EXTEND || args.lease_ns > KTIME_MAX ||
	    (args.op != MBOX_LEASE_EXTEND && args.lease_ns))
		return -EINVAL;
	return mbox_lease_end(mf, args.lease_id, args.op, args.lease_ns);
}

static long mbox_ioctl_stat(struct mbox *mb, unsigned int cmd,
			    struct mboxio_stat __user *uarg)
{
	struct mboxio_stat st;

	BUILD_BUG_ON(sizeof(st) != 72);

	if (_IOC_SIZE(cmd) < MBOXIO_STAT_SIZE_VER0)
		return -EINVAL;
	mbox_stat(mb, &st, current_user_ns());
	return mbox_arg_out(uarg, &st, sizeof(st), cmd);
}

static long mbox_file_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct mbox_file *mf = file->private_data;
	struct mbox *mb = mf->mb;
	void __user *uarg = (void __user *)arg;

	/* Any size of a command's struct: see mbox_arg_in(). */
	switch (MBOX_IOC_KIND(cmd)) {
	case MBOX_IOC_KIND(MBOXIO_SEND):
		return mbox_ioctl_send(file, mf, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_RECV):
		return mbox_ioctl_recv(file, mf, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_CALL):
		return mbox_ioctl_call(file, mf, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_REPLY):
		return mbox_ioctl_reply(file, mf, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_REPLY_RECV):
		return mbox_ioctl_reply_recv(file, mf, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_STAT):
		return mbox_ioctl_stat(mb, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_NOTIFY):
		return mbox_ioctl_notify(mb, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_NOTIFY_WAIT):
		return mbox_ioctl_notify_wait(mb, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_LEASE):
		return mbox_ioctl_lease(file, mf, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_SENDV):
		return mbox_ioctl_sendv(file, mf, cmd, uarg);
	case MBOX_IOC_KIND(MBOXIO_RECVV):
	case MBOX_IOC_KIND(MBOXIO_RECVV_V1):
		return mbox_ioctl_recvv(file, mf, cmd, uarg);
	case MBOXIO_SHUTDOWN:
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		mbox_shutdown(mb);
		return 0;
	default:
		return -ENOTTY;
	}
}

/* read(2) and write(2) wait as the fd's O_NONBLOCK says, with no deadline. */
static void mbox_wait_from_kiocb(const struct kiocb *iocb,
				 struct mbox_wait *wait)
{
	wait->nowait = (iocb->ki_filp->f_flags & O_NONBLOCK) ||
		       (iocb->ki_flags & IOCB_NOWAIT);
	wait->fullsize = false;
	wait->lease = false;
	wait->clock = CLOCK_MONOTONIC;
	wait->deadline = KTIME_MAX;
}

/*
 * One message per read, as MBOXIO_RECV, whatever the number of iovecs
 * (readv(2) scatters the one message); a shut-down and drained mailbox
 * reads as end of file, so cat(1) and shell loops stop there. A read
 * therefore cannot tell an empty message from the end: MBOXIO_RECV can.
 */
static ssize_t mbox_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct mbox_file *mf = iocb->ki_filp->private_data;
	struct mbox *mb = mf->mb;
	size_t size = min_t(size_t, iov_iter_count(to), U32_MAX);
	struct mbox_wait wait;
	struct mbox_msg *msg;
	u32 needed;
	ssize_t len;

	mbox_wait_from_kiocb(iocb, &wait);
	msg = mbox_recv_claim(mb, size, &wait, &needed);
	if (IS_ERR(msg))
		return PTR_ERR(msg) == -EPIPE ? 0 : PTR_ERR(msg);
	len = msg->len;
	if (copy_to_iter(msg->data, len, to) != len) {
		mbox_recv_undo(mb, msg);
		return -EFAULT;
	}
	mbox_recv_finish(mb, msg, 0);	/* no way to report a handle */
	return len;
}

/*
 * One message per write, as MBOXIO_SEND: all of it or nothing, however
 * many iovecs writev(2) gathers it from. The message carries the
 * credentials of whoever opened the file, not the writer's: a write
 * handler must not act on current's credentials, or a setuid program
 * writing to an inherited fd (its stderr, say) would vouch for whatever
 * its caller sends. The opener is charged for its memory too, and only
 * the opener's CAP_SYS_RESOURCE exceeds the limit.
 */
static ssize_t mbox_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct mbox_file *mf = file->private_data;
	struct mbox_sender sender = {
		.cred = file->f_cred,
		.user = mf->opener,
		.file = file,
	};
	size_t len = iov_iter_count(from);
	struct mbox_wait wait;
	struct mbox_msg *msg;
	int err;

	mbox_wait_from_kiocb(iocb, &wait);
	msg = mbox_msg_new(mf->mb, from, &sender);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	err = mbox_send(mf->mb, msg, &wait);
	return err ? err : len;
}

static __poll_t mbox_file_poll(struct file *file, poll_table *pt)
{
	struct mbox *mb = ((struct mbox_file *)file->private_data)->mb;

	poll_wait(file, &mb->poll_wq, pt);
	/*
	 * Queued before the state is read: pairs with the full barrier in
	 * mbox_recv_done(), which checks for pollers without the lock.
	 */
	smp_mb();
	return mbox_poll_mask(mb, file->f_mode);
}

static void mbox_file_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct mbox *mb = ((struct mbox_file *)file->private_data)->mb;
	struct mboxio_stat st;

	mbox_stat(mb, &st, seq_user_ns(m));
	mbox_show_fdinfo(m, mb, &st);
}

/* Every close(2) of a descriptor: a registrant's close ends its registration. */
static int mbox_file_flush(struct file *file, fl_owner_t id)
{
	mbox_notify_flush(((struct mbox_file *)file->private_data)->mb);
	return 0;
}

static int mbox_file_release(struct inode *inode, struct file *file)
{
	struct mbox_file *mf = file->private_data;

	mbox_call_file_release(mf);
	mbox_lease_file_release(mf);
	mbox_user_put(mf->opener);
	mbox_put(mf->mb);
	kfree(mf);
	return 0;
}

static const struct file_operations mbox_fops = {
	.owner		= THIS_MODULE,
	.flush		= mbox_file_flush,
	.release	= mbox_file_release,
	.read_iter	= mbox_file_read_iter,
	.write_iter	= mbox_file_write_iter,
	.poll		= mbox_file_poll,
	.unlocked_ioctl	= mbox_file_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= mbox_file_show_fdinfo,
};

/**
 * mbox_install_fd() - give the caller a new fd for a mailbox
 * @mb:		the mailbox
 * @fd_flags:	validated MBOX_FD_* flags
 *
 * On success the new file owns the caller's reference to @mb; on failure
 * the caller keeps it.
 *
 * Return: the fd, or -EMFILE, -ENFILE, -ENOMEM.
 */
int mbox_install_fd(struct mbox *mb, u32 fd_flags)
{
	static const int accmode[] = {
		[MBOX_FD_RECV] = O_RDONLY,
		[MBOX_FD_SEND] = O_WRONLY,
		[MBOX_FD_RDWR] = O_RDWR,
	};
	struct mbox_file *mf;
	struct file *file;
	int oflags, fd, err;

	oflags = accmode[fd_flags & MBOX_FD_RDWR];
	if (fd_flags & MBOX_FD_NONBLOCK)
		oflags |= O_NONBLOCK;

	mf = kmalloc(sizeof(*mf), GFP_KERNEL_ACCOUNT);
	if (!mf)
		return -ENOMEM;
	mf->mb = mb;
	mf->calls = RB_ROOT;
	mf->parked = RB_ROOT;
	mf->leases = RB_ROOT;
	mf->opener = mbox_user_get(current_uid());	/* f_cred's uid */
	if (!mf->opener) {
		err = -ENOMEM;
		goto out_free;
	}
	fd = get_unused_fd_flags(fd_flags & MBOX_FD_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0) {
		err = fd;
		goto out_put_user;
	}
	file = anon_inode_getfile("[mbox]", &mbox_fops, mf, oflags);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto out_put_fd;
	}
	/*
	 * Messages, not a byte stream with offsets: no seek, pread or pwrite
	 * (without FMODE_LSEEK, lseek fails with ESPIPE; no .llseek needed).
	 */
	stream_open(file_inode(file), file);
	fd_install(fd, file);
	return fd;

out_put_fd:
	put_unused_fd(fd);
out_put_user:
	mbox_user_put(mf->opener);
out_free:
	kfree(mf);
	return err;
}
