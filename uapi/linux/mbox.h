/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mbox: named mailboxes for indirect message passing between processes.
 *
 * This header is the whole kernel ABI of the mbox module. Userspace talks
 * to /dev/mbox to discover the module, create, open and unlink mailboxes,
 * and to the mailbox file descriptors those calls return to send, receive,
 * inspect and shut down a mailbox. Documentation/userspace-api.rst has the
 * prose and pulls the DOC sections and struct descriptions below from
 * here (kernel-doc), so they are written once.
 */

/**
 * DOC: Conventions
 *
 * Following Documentation/process/botching-up-ioctls.rst:
 *
 * - Fixed-width fields only; user pointers travel as __u64.
 * - Every struct is a multiple of 8 bytes with no implicit padding, so
 *   32-bit and 64-bit callers share one layout (compat_ioctl needs no
 *   translation).
 * - Every flag bit not defined here, and every field marked "must be 0",
 *   is checked: a nonzero value fails with EINVAL.
 * - An unknown command fails with ENOTTY.
 * - Structs grow only at their end, and the size in a command number is
 *   the caller's struct: the kernel reads a shorter (older) struct as if
 *   the missing fields were 0 and writes back no more than its size; a
 *   longer (newer) struct must be 0 past what the kernel knows, or the
 *   call fails with E2BIG, and output the kernel does not know of is left
 *   as the caller set it. A struct shorter than its first version
 *   (MBOXIO_*_SIZE_VER0) fails with EINVAL. So the ABI grows without new
 *   command numbers, as openat2(2) and clone3(2) do.
 * - Timeouts are absolute CLOCK_MONOTONIC deadlines in nanoseconds (as
 *   clock_gettime() reports them in the caller's time namespace), so a
 *   call restarted after a signal never waits longer than the first; with
 *   MBOX_MSG_REALTIME they are CLOCK_REALTIME instead and follow the wall
 *   clock when it is set, as POSIX mq_timedsend() and mq_timedreceive()
 *   need.
 * - Every message has a priority, 0..MBOX_PRIO_MAX - 1 (0 unless the
 *   sender gives one; write(2) sends at 0). A receive takes the highest
 *   priority first and the oldest within a priority. A message handed to
 *   a receiver that was already waiting is not overtaken by one sent
 *   later, and there is no aging: a steady stream of higher priority
 *   starves the lower ones.
 * - A send or receive that fails has moved no message; one that succeeds
 *   has moved exactly one. A rendezvous send succeeds when a receiver
 *   claims its message; a receive whose copy-out faults puts the message
 *   back in its place for the next receiver.
 * - Identity: MBOXIO_SEND and MBOXIO_SENDV stamp the caller's euid and
 *   egid; write(2) stamps those of whoever opened the fd (file->f_cred).
 */

/**
 * DOC: Errors
 *
 * Every error a call on /dev/mbox or a mailbox fd returns, and what it
 * means (Documentation/userspace-api.rst gives the order in which each
 * call checks its arguments):
 *
 * ENOTTY
 *   unknown ioctl command, or a mailbox command on /dev/mbox (or the
 *   reverse).
 * E2BIG
 *   the caller's struct is longer than the kernel's and has a nonzero
 *   byte past it: it asks for something this kernel does not offer.
 * EFAULT
 *   an argument struct, name or buffer is not accessible.
 * EINVAL
 *   unknown flag bits, nonzero "must be 0" fields, a bad name (empty,
 *   longer than MBOX_NAME_MAX bytes, or with a '/'), mode bits outside 0777,
 *   capacity above the max_capacity parameter, msg_size of 0 or above the
 *   max_msg_size parameter, MBOX_CREATE_MQ sizes above the IPC
 *   namespace's fs.mqueue.msg_max or msgsize_max (without
 *   CAP_SYS_RESOURCE), no access bit in MBOX_FD_* flags,
 *   MBOX_MSG_DONTWAIT together with MBOX_MSG_DEADLINE, MBOX_MSG_REALTIME
 *   without MBOX_MSG_DEADLINE, a deadline_ns of 2^63 or more, a priority
 *   of MBOX_PRIO_MAX or more, MBOX_MSG_FULLSIZE on a send, a batch count
 *   above MBOX_BATCH_MAX, a struct shorter than its first version; an
 *   unknown MBOX_NOTIFY_* or a bad signal number (MBOXIO_NOTIFY);
 *   a claim_len above MBOX_CLAIM_MAX, or a claim pointer without a
 *   length (MBOXIO_SEND);
 *   MBOX_MSG_LEASE anywhere but MBOXIO_RECV and MBOXIO_REPLY_RECV, or
 *   with a struct too short to learn the lease_id; a lease_ns of 2^63 or
 *   more, or nonzero without a lease to time; an unknown MBOX_LEASE_*.
 * EBADF
 *   send on a mailbox fd opened without MBOX_FD_SEND, receive without
 *   MBOX_FD_RECV, shutdown without MBOX_FD_SEND, MBOXIO_LEASE without
 *   MBOX_FD_RECV.
 * EEXIST
 *   MBOXIO_CREATE of a name that exists.
 * EBUSY
 *   MBOXIO_NOTIFY: a process is registered for the mailbox already.
 * ENOENT
 *   MBOXIO_OPEN or MBOXIO_UNLINK of a name that does not exist; a reply
 *   (MBOXIO_REPLY, MBOXIO_REPLY_RECV) to a handle not pending on
 *   this open file description: never given here, already answered, or
 *   given to another open file description; MBOXIO_CALL with a token that
 *   names no interrupted call of the calling thread on this open file
 *   description; MBOXIO_NOTIFY_WAIT with a token that names no
 *   MBOX_NOTIFY_THREAD registration of the calling process (never made,
 *   or removed: MBOX_NOTIFY_REMOVE, a close by the registrant);
 *   MBOXIO_LEASE with a handle not held on this open file description
 *   (never given here, committed or released already, or expired).
 * EACCES
 *   MBOXIO_OPEN asks for access the mailbox mode does not grant the
 *   caller; MBOXIO_UNLINK by someone other than the owner.
 *   CAP_DAC_OVERRIDE in the user namespace that owns the mailbox's IPC
 *   namespace bypasses both, for owners mapped there.
 * ENOSPC
 *   MBOXIO_CREATE while max_mailboxes mailboxes exist in the caller's IPC
 *   namespace, or with MBOX_CREATE_MQ while its fs.mqueue.queues_max such
 *   mailboxes do (without CAP_SYS_RESOURCE).
 * EDQUOT
 *   MBOXIO_CREATE by a user (real uid) who owns max_user_mailboxes
 *   mailboxes already, or a create or send whose memory would take the
 *   user charged for it past max_user_bytes (MBOXIO_INFO reports both and
 *   the caller's usage). CAP_SYS_RESOURCE exceeds both. A send is charged
 *   to the caller (ioctl) or to whoever opened the fd (write(2)); a
 *   receive with MBOX_MSG_LEASE to the caller, for the lease's record.
 * EMFILE, ENFILE
 *   no file descriptor for the new mailbox fd.
 * ENOMEM
 *   the kernel (or the caller's memory cgroup) is out of memory.
 * EMSGSIZE
 *   send: the message is longer than the mailbox msg_size. receive: the
 *   next message is longer than the buffer; the message stays queued and
 *   its length is in mboxio_recv.len; with MBOX_MSG_FULLSIZE, the buffer
 *   is smaller than msg_size (checked before anything else happens).
 *   reply: longer than msg_size, or than the caller's reply_size; the
 *   handle stays valid.
 * EPIPE
 *   send or call on a shut-down mailbox (also wakes blocked senders, whose
 *   messages are not delivered); receive on a shut-down mailbox with
 *   nothing left to drain (a message another receiver is still copying
 *   out, or one out on lease, is not drained yet).
 * EAGAIN
 *   the call would wait and MBOX_MSG_DONTWAIT is set or the fd is
 *   O_NONBLOCK.
 * ETIMEDOUT
 *   the call would wait past deadline_ns (also when the deadline had
 *   already passed at the call).
 * EINTR
 *   a signal arrived while waiting and its handler lacks SA_RESTART (with
 *   SA_RESTART the call restarts transparently, keeping its deadline).
 * ECONNRESET
 *   MBOXIO_CALL: a receiver took the request and will never reply: its
 *   open file description was released (closed, or its process died)
 *   with the request in hand, or it took the request with read(2) or a
 *   struct too old to learn the reply handle. seq is the request's
 *   delivery number.
 * ESRCH
 *   a reply to a caller that has gone: it gave up (timeout, interrupted
 *   and cancelled, or closed its fd) or died. The reply is dropped.
 * ESPIPE
 *   lseek(2) or pread(2)/pwrite(2) on a mailbox fd, which has no file
 *   position.
 */
#ifndef _UAPI_LINUX_MBOX_H
#define _UAPI_LINUX_MBOX_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* MBOXIO_INFO reports this; bumped when the ABI gains something new. */
#define MBOX_ABI_VERSION	6

/*
 * Longest mailbox name in bytes, not counting the terminating NUL: a name
 * is any bytes but '/' and NUL, as a POSIX message queue's (after its
 * leading '/') or a file name is.
 */
#define MBOX_NAME_MAX		255

/* Message priorities are 0..MBOX_PRIO_MAX - 1, as POSIX's MQ_PRIO_MAX. */
#define MBOX_PRIO_MAX		32768

/*
 * Longest claim a message may carry (mboxio_send.claim): what its sender
 * states about it, such as where a forwarded message came from.
 */
#define MBOX_CLAIM_MAX		256

/* Most messages one MBOXIO_SENDV or MBOXIO_RECVV may carry. */
#define MBOX_BATCH_MAX		1024

/*
 * MBOX_FD_*: how the new mailbox fd is opened (mboxio_create.flags,
 * mboxio_open.flags). At least one of RECV and SEND is required; they map
 * to the file's read and write access (O_RDONLY, O_WRONLY, O_RDWR).
 */
#define MBOX_FD_RECV		0x1U	/* may receive (read access) */
#define MBOX_FD_SEND		0x2U	/* may send and shut down */
#define MBOX_FD_RDWR		(MBOX_FD_RECV | MBOX_FD_SEND)
#define MBOX_FD_NONBLOCK	0x4U	/* O_NONBLOCK on the new fd */
#define MBOX_FD_CLOEXEC		0x8U	/* O_CLOEXEC on the new fd */
#define MBOX_FD_ALL		(MBOX_FD_RDWR | MBOX_FD_NONBLOCK | \
				 MBOX_FD_CLOEXEC)

/**
 * DOC: POSIX message queues
 *
 * MBOX_CREATE_MQ (mboxio_create.flags, beside MBOX_FD_*) makes the mailbox
 * a POSIX message queue (libmbox-mq), under the caller's IPC namespace's
 * fs.mqueue settings, as ipc/mqueue.c applies them: a capacity and
 * msg_size of 0 and 0 take msg_default and msgsize_default (each at most
 * msg_max, msgsize_max); without CAP_SYS_RESOURCE a capacity above
 * msg_max or a msg_size above msgsize_max is EINVAL, and a new one while
 * queues_max such mailboxes exist in the namespace is ENOSPC. The
 * module's own limits apply too.
 */
#define MBOX_CREATE_MQ		0x100U

/*
 * MBOX_MSG_*: how a send or receive waits (mboxio_send.flags,
 * mboxio_recv.flags). Neither bit: wait until done, shut down or
 * interrupted. An O_NONBLOCK fd behaves as if MBOX_MSG_DONTWAIT were set.
 */
#define MBOX_MSG_DONTWAIT	0x1U	/* never wait: EAGAIN */
#define MBOX_MSG_DEADLINE	0x2U	/* wait until deadline_ns */
#define MBOX_MSG_REALTIME	0x4U	/* deadline_ns is CLOCK_REALTIME */
#define MBOX_MSG_FULLSIZE	0x8U	/* receive: size must be >= msg_size */
#define MBOX_MSG_LEASE		0x10U	/* MBOXIO_RECV: take it on lease */
#define MBOX_MSG_ALL		(MBOX_MSG_DONTWAIT | MBOX_MSG_DEADLINE | \
				 MBOX_MSG_REALTIME | MBOX_MSG_FULLSIZE | \
				 MBOX_MSG_LEASE)

/*
 * MBOX_LEASE_*: mboxio_lease.op, what becomes of a message received with
 * MBOX_MSG_LEASE (see struct mboxio_lease).
 */
#define MBOX_LEASE_COMMIT	1U	/* done with it: the message is gone */
#define MBOX_LEASE_RELEASE	2U	/* put it back for another receiver */
#define MBOX_LEASE_EXTEND	3U	/* a new deadline, lease_ns from now */

/*
 * MBOX_NOTIFY_*: mboxio_notify.how. The mailbox tells one registered
 * process, once, when a message arrives while none was there to receive
 * and no receiver waits, as POSIX mq_notify() does: by a signal
 * (MBOX_NOTIFY_SIGNAL), by waking the thread waiting in
 * MBOXIO_NOTIFY_WAIT (MBOX_NOTIFY_THREAD), or not at all
 * (MBOX_NOTIFY_NONE, which only holds the registration until then).
 */
#define MBOX_NOTIFY_REMOVE	0U	/* remove the caller's registration */
#define MBOX_NOTIFY_NONE	1U	/* register; tell nobody (SIGEV_NONE) */
#define MBOX_NOTIFY_SIGNAL	2U	/* register; send a signal (SIGEV_SIGNAL) */
#define MBOX_NOTIFY_THREAD	3U	/* register; wake MBOXIO_NOTIFY_WAIT */

/*
 * MBOX_CALL_*: mboxio_call.flags, beside MBOX_MSG_*, which there rule only
 * how long sending the request may wait (the deadline covers the whole
 * call). MBOX_CALL_CANCEL, with a nonzero token: give up the interrupted
 * call the token names (see struct mboxio_call).
 */
#define MBOX_CALL_CANCEL	0x100U
#define MBOX_CALL_ALL		(MBOX_MSG_ALL | MBOX_CALL_CANCEL)

/* mboxio_stat.flags */
#define MBOX_STAT_SHUTDOWN	0x1U	/* mailbox was shut down */
#define MBOX_STAT_UNLINKED	0x2U	/* name removed (or never had one) */

/**
 * struct mboxio_info - what this kernel's mbox offers (MBOXIO_INFO)
 * @version:		MBOX_ABI_VERSION of the running module.
 * @name_max:		MBOX_NAME_MAX.
 * @fd_flags:		MBOX_FD_* bits create and open accept.
 * @msg_flags:		MBOX_MSG_* bits send and receive accept.
 * @max_mailboxes:	module parameter: most mailboxes at once.
 * @max_capacity:	module parameter: largest capacity.
 * @max_msg_size:	module parameter: largest msg_size.
 * @nr_mailboxes:	mailboxes that exist now in the caller's IPC namespace
 *			(names, counts and max_mailboxes are per namespace).
 * @max_user_mailboxes:	module parameter: most mailboxes one user (real
 *			uid) may own.
 * @user_mailboxes:	mailboxes the caller's real uid owns now.
 * @max_user_bytes:	module parameter: most kernel memory, in bytes, that
 *			may be charged to one user (its mailboxes and the
 *			messages it sent that are still held).
 * @user_bytes:		bytes charged to the caller's real uid now.
 * @flags:		MBOX_INFO_*.
 * @__pad:		0.
 * @features:		MBOX_FEATURE_* bits: what this module offers. Test a
 *			bit before using what it names; a kernel older than
 *			ABI version 3 does not write this field, so zero it
 *			before the call.
 */
struct mboxio_info {
	__u32 version;
	__u32 name_max;
	__u32 fd_flags;
	__u32 msg_flags;
	__u32 max_mailboxes;
	__u32 max_capacity;
	__u32 max_msg_size;
	__u32 nr_mailboxes;
	__u32 max_user_mailboxes;
	__u32 user_mailboxes;
	__u64 max_user_bytes;
	__u64 user_bytes;
	__u32 flags;
	__u32 __pad;
	__u64 features;
};

/*
 * mboxio_info.features. Each capability added after ABI version 2 gets a
 * bit here, so a program asks for it by name rather than by version.
 *  MBOX_FEATURE_USER_LIMITS: the per-user limits (max_user_mailboxes,
 *	max_user_bytes, EDQUOT) are enforced, and user_mailboxes, user_bytes
 *	and MBOX_INFO_UNLIMITED report the caller's standing.
 *  MBOX_FEATURE_SIZED_ARGS: every command takes its struct at any size
 *	from MBOXIO_*_SIZE_VER0 up, by the rule at the top of this header.
 *  MBOX_FEATURE_CALL: request/reply: MBOXIO_CALL, MBOXIO_REPLY,
 *	MBOXIO_REPLY_RECV, mboxio_recv.reply_id, mboxio_batch.elem_size
 *	and struct mboxio_recvmsg_v2.
 *  MBOX_FEATURE_PRIORITY: message priorities (the priority fields of
 *	mboxio_send, mboxio_recv, mboxio_call, mboxio_sendmsg and
 *	mboxio_recvmsg), MBOX_MSG_REALTIME deadlines, MBOX_MSG_FULLSIZE,
 *	names of up to 255 bytes of anything but '/', and arrival
 *	notification (MBOXIO_NOTIFY, MBOXIO_NOTIFY_WAIT): what POSIX message
 *	queues need (libmbox-mq).
 *  MBOX_FEATURE_LEASE: leased receives (MBOX_MSG_LEASE, MBOXIO_LEASE,
 *	mboxio_recv.lease_ns, .lease_id, .deliveries and .msg_id,
 *	mboxio_stat.leased and .mbox_id).
 *  MBOX_FEATURE_CLAIM: claims (mboxio_send.claim, mboxio_recv.claim_buf).
 */
#define MBOX_FEATURE_USER_LIMITS	0x1ULL
#define MBOX_FEATURE_SIZED_ARGS		0x2ULL
#define MBOX_FEATURE_CALL		0x4ULL
#define MBOX_FEATURE_PRIORITY		0x8ULL
#define MBOX_FEATURE_LEASE		0x10ULL
#define MBOX_FEATURE_CLAIM		0x20ULL

/*
 * mboxio_info.flags. MBOX_INFO_UNLIMITED: the caller has CAP_SYS_RESOURCE,
 * so the per-user limits count it but do not refuse it.
 */
#define MBOX_INFO_UNLIMITED	0x1U

/**
 * struct mboxio_create - create a mailbox (MBOXIO_CREATE)
 * @name:	user pointer to a NUL-terminated name, or 0 for an anonymous
 *		mailbox that only the returned fd (and its copies) reaches.
 * @flags:	MBOX_FD_* for the returned fd, and MBOX_CREATE_MQ.
 * @mode:	permission bits (0777 at most), masked by the caller's umask.
 * @capacity:	0 for a rendezvous mailbox, else how many messages may queue.
 * @msg_size:	largest message in bytes, 1..max_msg_size.
 * @__pad:	must be 0.
 *
 * Returns a new mailbox fd. The caller's euid and egid own the mailbox.
 */
struct mboxio_create {
	__u64 name;
	__u32 flags;
	__u32 mode;
	__u32 capacity;
	__u32 msg_size;
	__u64 __pad;
};

/**
 * struct mboxio_open - open a named mailbox (MBOXIO_OPEN)
 * @name:	user pointer to a NUL-terminated name.
 * @flags:	MBOX_FD_* for the returned fd.
 * @__pad:	must be 0.
 *
 * Returns a new mailbox fd.
 */
struct mboxio_open {
	__u64 name;
	__u32 flags;
	__u32 __pad;
};

/**
 * struct mboxio_unlink - remove a mailbox name (MBOXIO_UNLINK)
 * @name:	user pointer to a NUL-terminated name.
 * @flags:	must be 0.
 * @__pad:	must be 0.
 *
 * Open fds keep working; the mailbox is freed with its last fd.
 */
struct mboxio_unlink {
	__u64 name;
	__u32 flags;
	__u32 __pad;
};

/**
 * struct mboxio_send - send one message (MBOXIO_SEND)
 * @buf:	user pointer to the message.
 * @len:	message length in bytes, 0..msg_size.
 * @flags:	MBOX_MSG_*.
 * @deadline_ns: with MBOX_MSG_DEADLINE, CLOCK_MONOTONIC time (or with
 *		MBOX_MSG_REALTIME CLOCK_REALTIME time) to give up at, below
 *		2^63; must be 0 otherwise.
 * @priority:	0..MBOX_PRIO_MAX - 1; higher is received first.
 * @__pad:	must be 0.
 * @claim:	user pointer to @claim_len bytes the sender states about the
 *		message, or 0. A forwarder (mbox-bridge) says there where a
 *		message came from. The kernel carries the bytes unread and
 *		gives them to the receiver as the sender's claim, beside
 *		the sender's identity, which the kernel checks: a claim is
 *		only as good as the sender that makes it.
 * @claim_len:	0..MBOX_CLAIM_MAX; 0 (with @claim 0) for no claim. The
 *		claim is charged to the sender with the message.
 * @__pad2:	must be 0.
 *
 * Returns 0 once the message is queued (bounded mailbox) or claimed by a
 * receiver (rendezvous mailbox, capacity 0). Senders blocked on a full
 * mailbox are admitted, and a rendezvous mailbox's waiting senders are
 * received, in priority order, oldest first within a priority.
 */
struct mboxio_send {
	__u64 buf;
	__u32 len;
	__u32 flags;
	__u64 deadline_ns;
	__u32 priority;
	__u32 __pad;
	__u64 claim;
	__u32 claim_len;
	__u32 __pad2;
};

/**
 * struct mboxio_recv - receive one message (MBOXIO_RECV)
 * @buf:	in: user pointer to the buffer.
 * @size:	in: buffer size in bytes.
 * @flags:	in: MBOX_MSG_*.
 * @deadline_ns: in: as in struct mboxio_send.
 * @len:	out: message length (also on EMSGSIZE: the length needed).
 * @pid:	out: sender's thread-group id in the receiver's pid namespace
 *		(0 if not visible there).
 * @uid:	out: sender's euid in the receiver's user namespace.
 * @gid:	out: sender's egid in the receiver's user namespace.
 * @seq:	out: the mailbox's delivery number of this message: 1 for the
 *		first message ever received from the mailbox, then +1 each.
 * @reply_id:	out: nonzero if the message is a request whose caller waits
 *		for a reply: the handle to reply with (MBOXIO_REPLY, or
 *		MBOXIO_REPLY_RECV), valid on this open file
 *		description only. 0 for a one-way message. A receiver whose
 *		struct ends before this field cannot learn it: a request it
 *		takes fails its caller at once with ECONNRESET.
 * @priority:	out: the message's priority.
 * @deliveries:	out: how many times the message has been delivered, this
 *		time included: 1, or more after leases of it were released
 *		(0 from a kernel without MBOX_FEATURE_LEASE).
 * @lease_ns:	in: with MBOX_MSG_LEASE, how long the lease lasts, in
 *		nanoseconds of CLOCK_MONOTONIC from the receive, or 0 for
 *		no deadline; below 2^63. Must be 0 without MBOX_MSG_LEASE.
 * @lease_id:	out: with MBOX_MSG_LEASE, the lease's handle (for
 *		MBOXIO_LEASE), valid on this open file description once the
 *		receive has returned; 0 when the message is a request
 *		(@reply_id nonzero), which is never leased. 0 without
 *		MBOX_MSG_LEASE.
 * @msg_id:	out: the message's identity within the mailbox: numbered
 *		from 1 as messages enter it (are queued, or offered by a
 *		rendezvous sender), so the same at every delivery of the
 *		message, unlike @seq. With mboxio_stat.mbox_id it names the
 *		message uniquely, e.g. to deduplicate what is forwarded
 *		again after a lease was released.
 * @claim_buf:	in: user pointer to a buffer for the message's claim (see
 *		struct mboxio_send), or 0 not to learn it.
 * @claim_size:	in: its size; a longer claim is cut to it, as recvmsg(2)
 *		cuts control data.
 * @claim_len:	out: the claim's whole length; 0 if the message carries
 *		none. Whoever sent it (@pid, @uid, @gid) made the claim.
 *
 * The out fields are ignored on input. Returns the message length.
 *
 * With MBOX_MSG_LEASE the message is taken on lease: it leaves the queue
 * but keeps its slot in a bounded mailbox, until the lessee commits it
 * (gone for good) or releases it, or the lease ends by itself when its
 * deadline passes or this open file description is released (every fd
 * of it closed, the holders dead). A released lease puts the message
 * back in its place in line, ahead of everything that arrived after it,
 * to be delivered again with a new @seq and @deliveries one higher.
 * After shutdown, receivers get EPIPE only once no lease is outstanding,
 * since a released message would be there to drain. A receive with
 * MBOX_MSG_LEASE needs a struct that reaches @lease_id (EINVAL).
 */
struct mboxio_recv {
	__u64 buf;
	__u32 size;
	__u32 flags;
	__u64 deadline_ns;
	__u32 len;
	__s32 pid;
	__u32 uid;
	__u32 gid;
	__u64 seq;
	__u64 reply_id;
	__u32 priority;
	__u32 deliveries;
	__u64 lease_ns;
	__u64 lease_id;
	__u64 msg_id;
	__u64 claim_buf;
	__u32 claim_size;
	__u32 claim_len;
};

/**
 * struct mboxio_lease - end or extend a lease (MBOXIO_LEASE)
 * @lease_id:	a handle that MBOXIO_RECV with MBOX_MSG_LEASE gave out on
 *		this open file description.
 * @op:		MBOX_LEASE_COMMIT: the message is gone, and its slot free.
 *		MBOX_LEASE_RELEASE: the message goes back in line for the
 *		next receiver. MBOX_LEASE_EXTEND: the lease now ends
 *		@lease_ns from the call (0: never by itself).
 * @__pad:	must be 0.
 * @lease_ns:	MBOX_LEASE_EXTEND: as mboxio_recv.lease_ns; must be 0
 *		for the other ops.
 *
 * COMMIT and RELEASE use the handle up. ENOENT for a handle that is not
 * held here: never given through this open file description, used up
 * already, or ended by its deadline (the message was put back then).
 */
struct mboxio_lease {
	__u64 lease_id;
	__u32 op;
	__u32 __pad;
	__u64 lease_ns;
};

/**
 * struct mboxio_call - send a request and wait for its reply (MBOXIO_CALL)
 * @buf:	in: user pointer to the request.
 * @len:	in: request length, 0..msg_size.
 * @flags:	in: MBOX_MSG_* for sending the request (MBOX_MSG_DONTWAIT:
 *		EAGAIN rather than wait for room, or on a rendezvous mailbox
 *		for a receiver; the reply is still waited for), and
 *		MBOX_CALL_CANCEL.
 * @deadline_ns: in: as in struct mboxio_send; it covers the whole call.
 * @reply_buf:	in: user pointer to the buffer for the reply.
 * @reply_size:	in: its size; a longer reply fails on the replier's side.
 * @reply_len:	out: the reply's length.
 * @pid:	out: the replier's thread-group id, as in struct mboxio_recv.
 * @uid:	out: the replier's euid, as in struct mboxio_recv.
 * @gid:	out: the replier's egid, as in struct mboxio_recv.
 * @__pad:	must be 0.
 * @seq:	out: the request's delivery number once a receiver took it; 0
 *		while none has. Also written when the call fails: 0 means the
 *		request was not delivered (EPIPE; ETIMEDOUT or EINTR before a
 *		receiver took it), nonzero that it was.
 * @token:	in/out: 0 for a new call. A call whose wait a signal
 *		interrupts stays pending, and the kernel writes a token for
 *		it here before the ioctl returns: if the signal's handler has
 *		SA_RESTART the ioctl restarts with this struct and resumes
 *		waiting without sending again; if the call failed with EINTR,
 *		call again with the token and MBOX_CALL_CANCEL to give it up,
 *		which writes the final @seq (closing the fd does the same).
 *		The token is valid only for the thread that made the call, on
 *		this open file description. 0 again once the call is over.
 * @priority:	in: the request's priority, as in struct mboxio_send.
 * @__pad2:	must be 0.
 *
 * Returns the reply's length.
 */
struct mboxio_call {
	__u64 buf;
	__u32 len;
	__u32 flags;
	__u64 deadline_ns;
	__u64 reply_buf;
	__u32 reply_size;
	__u32 reply_len;
	__s32 pid;
	__u32 uid;
	__u32 gid;
	__u32 __pad;
	__u64 seq;
	__u64 token;
	__u32 priority;
	__u32 __pad2;
};

/**
 * struct mboxio_reply - answer a request (MBOXIO_REPLY)
 * @reply_id:	the handle a receive on this open file description gave.
 * @buf:	user pointer to the reply.
 * @len:	reply length, 0..msg_size and at most the caller's
 *		reply_size.
 * @flags:	must be 0.
 *
 * Its layout never changes: it leads struct mboxio_reply_recv.
 */
struct mboxio_reply {
	__u64 reply_id;
	__u64 buf;
	__u32 len;
	__u32 flags;
};

/**
 * struct mboxio_reply_recv - reply, then receive (MBOXIO_REPLY_RECV)
 * @reply:	in: as for MBOXIO_REPLY; a @reply.reply_id of 0 only
 *		receives (then @reply.buf and @reply.len must be 0 too).
 * @recv:	as for MBOXIO_RECV; last, so that it grows as that does.
 *
 * A server's loop costs one system call per request. If the reply fails,
 * the call fails with its error and receives nothing (@recv's out fields
 * are not written: a reply's EMSGSIZE leaves @recv.len as it was, a
 * receive's sets it to the size needed, never 0). Once the reply is
 * delivered the kernel zeroes @reply in the caller's struct, so that a
 * restarted call (after a signal) only receives, and the receive goes on
 * as MBOXIO_RECV would; its errors are the call's. Returns the received
 * message's length.
 */
struct mboxio_reply_recv {
	struct mboxio_reply reply;
	struct mboxio_recv recv;
};

/**
 * struct mboxio_stat - a mailbox's state (MBOXIO_STAT)
 * @capacity:		as created.
 * @msg_size:		as created.
 * @mode:		permission bits.
 * @uid:		owner euid, in the caller's user namespace.
 * @gid:		owner egid, in the caller's user namespace.
 * @flags:		MBOX_STAT_*.
 * @queued:		messages queued (bounded mailboxes).
 * @waiting_senders:	senders blocked or offering (rendezvous).
 * @waiting_receivers:	receivers blocked.
 * @leased:		messages out on lease (MBOX_MSG_LEASE): neither
 *			committed nor released yet.
 * @queued_bytes:	payload bytes queued.
 * @sent:		messages accepted since creation.
 * @received:		messages taken since creation.
 * @mbox_id:		the mailbox's identity: 64 random bits drawn when it
 *			was created, so different for every mailbox ever
 *			made, where names are reused (0 from a kernel
 *			without MBOX_FEATURE_LEASE).
 */
struct mboxio_stat {
	__u32 capacity;
	__u32 msg_size;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 flags;
	__u32 queued;
	__u32 waiting_senders;
	__u32 waiting_receivers;
	__u32 leased;
	__u64 queued_bytes;
	__u64 sent;
	__u64 received;
	__u64 mbox_id;
};

/**
 * struct mboxio_sendmsg - one message of an MBOXIO_SENDV batch
 * @buf:	user pointer to the message.
 * @len:	message length in bytes, 0..msg_size.
 * @priority:	as in struct mboxio_send (a field that had to be 0 before
 *		MBOX_FEATURE_PRIORITY, so a kernel without it refuses a
 *		nonzero one with EINVAL).
 */
struct mboxio_sendmsg {
	__u64 buf;
	__u32 len;
	__u32 priority;
};

/**
 * struct mboxio_recvmsg - one message of an MBOXIO_RECVV batch
 * @buf:	in: user pointer to the buffer.
 * @size:	in: buffer size in bytes.
 * @len:	out: as in struct mboxio_recv.
 * @pid:	out: as in struct mboxio_recv.
 * @uid:	out: as in struct mboxio_recv.
 * @gid:	out: as in struct mboxio_recv.
 * @priority:	out: as in struct mboxio_recv (before
 *		MBOX_FEATURE_PRIORITY a field that had to be 0; ignored on
 *		input now).
 * @seq:	out: as in struct mboxio_recv.
 *
 * The first version of an MBOXIO_RECVV element, the one a @elem_size of 0
 * (struct mboxio_batch) selects. Array elements never change size, or
 * programs rebuilt against a newer header would walk their arrays at the
 * wrong stride: a larger element is a new struct, chosen by @elem_size.
 * A request taken through this element fails its caller with ECONNRESET.
 */
struct mboxio_recvmsg {
	__u64 buf;
	__u32 size;
	__u32 len;
	__s32 pid;
	__u32 uid;
	__u32 gid;
	__u32 priority;
	__u64 seq;
};

/**
 * struct mboxio_recvmsg_v2 - an MBOXIO_RECVV element with reply handles
 * @msg:	as struct mboxio_recvmsg.
 * @reply_id:	out: as in struct mboxio_recv.
 *
 * Selected by an elem_size of sizeof(struct mboxio_recvmsg_v2).
 */
struct mboxio_recvmsg_v2 {
	struct mboxio_recvmsg msg;
	__u64 reply_id;
};

/**
 * struct mboxio_batch - several messages in one call (MBOXIO_SENDV, RECVV)
 * @vec:	user pointer to @count struct mboxio_sendmsg (SENDV) or
 *		struct mboxio_recvmsg (RECVV).
 * @count:	0..MBOX_BATCH_MAX.
 * @flags:	MBOX_MSG_*, for the first message only: the others never
 *		wait, as with recvmmsg(MSG_WAITFORONE).
 * @deadline_ns: as in struct mboxio_send.
 * @elem_size:	size of each element of @vec: 0 for the first version
 *		(struct mboxio_sendmsg, struct mboxio_recvmsg), or the size
 *		of a later one (struct mboxio_recvmsg_v2). Elements are read
 *		and written like the structs of a command: as far as the
 *		caller's size goes, unknown nonzero input being E2BIG.
 * @__pad:	must be 0.
 *
 * Messages move in order, each all or nothing. Returns how many moved; if
 * the first fails, its error (as for MBOXIO_SEND or MBOXIO_RECV). A later
 * failure only ends the batch early; a receive's EMSGSIZE still writes the
 * length needed into that element's @len.
 */
struct mboxio_batch {
	__u64 vec;
	__u32 count;
	__u32 flags;
	__u64 deadline_ns;
	__u32 elem_size;
	__u32 __pad;
};

/**
 * struct mboxio_notify - arrival notification (MBOXIO_NOTIFY, _WAIT)
 * @how:	MBOXIO_NOTIFY: MBOX_NOTIFY_*. MBOXIO_NOTIFY_WAIT: must be 0.
 * @signo:	MBOX_NOTIFY_SIGNAL: the signal, 0 (send none) to _NSIG;
 *		must be 0 otherwise.
 * @value:	MBOX_NOTIFY_SIGNAL: the signal's si_value (sival_ptr, or
 *		sival_int in its low 32 bits); otherwise must be 0.
 * @token:	MBOXIO_NOTIFY: out: for MBOX_NOTIFY_THREAD, what to pass to
 *		MBOXIO_NOTIFY_WAIT; 0 otherwise. MBOXIO_NOTIFY_WAIT: in.
 *
 * MBOXIO_NOTIFY registers the calling process (its thread group), on any
 * mailbox fd: EBUSY if any process is registered. The registration is
 * used up by the notification, and removed by MBOX_NOTIFY_REMOVE (a no-op
 * for a process that is not the registrant) and whenever the registrant
 * closes a file descriptor of the mailbox. The signal has si_code
 * SI_MESGQ, si_pid and si_uid of the sender (its real uid), si_value
 * from @value; it goes to a thread of the registrant that does not block
 * it (else to the first thread), and not after the registrant has exec'd.
 * MBOXIO_NOTIFY_WAIT waits, as a receive does (signals, no deadline),
 * until the MBOX_NOTIFY_THREAD registration @token names is used up by a
 * notification (0) or removed (ENOENT); until a thread has waited for it,
 * a notified registration still counts as registered.
 */
struct mboxio_notify {
	__u32 how;
	__u32 signo;
	__u64 value;
	__u64 token;
};

/*
 * Each struct's size in its first version: the least a caller may pass.
 * MBOXIO_INFO's first version was 32 bytes (ABI version 1).
 */
#define MBOXIO_INFO_SIZE_VER0		32
#define MBOXIO_CREATE_SIZE_VER0		32
#define MBOXIO_OPEN_SIZE_VER0		16
#define MBOXIO_UNLINK_SIZE_VER0		16
#define MBOXIO_SEND_SIZE_VER0		24
#define MBOXIO_RECV_SIZE_VER0		48
#define MBOXIO_STAT_SIZE_VER0		64
#define MBOXIO_BATCH_SIZE_VER0		24
#define MBOXIO_SENDMSG_SIZE_VER0	16
#define MBOXIO_RECVMSG_SIZE_VER0	40
#define MBOXIO_CALL_SIZE_VER0		72
#define MBOXIO_REPLY_SIZE_VER0		24
#define MBOXIO_REPLY_RECV_SIZE_VER0	80
#define MBOXIO_NOTIFY_SIZE_VER0		24
#define MBOXIO_LEASE_SIZE_VER0		24

/* The ioctl type byte, unused in Documentation/userspace-api/ioctl/ioctl-number.rst */
#define MBOX_IOCTL_TYPE		0xBB

/* On /dev/mbox. CREATE and OPEN return the new mailbox fd. */
#define MBOXIO_INFO		_IOR(MBOX_IOCTL_TYPE, 0x00, struct mboxio_info)
#define MBOXIO_CREATE		_IOW(MBOX_IOCTL_TYPE, 0x01, struct mboxio_create)
#define MBOXIO_OPEN		_IOW(MBOX_IOCTL_TYPE, 0x02, struct mboxio_open)
#define MBOXIO_UNLINK		_IOW(MBOX_IOCTL_TYPE, 0x03, struct mboxio_unlink)

/*
 * On a mailbox fd. RECV and REPLY_RECV return the received message's
 * length, SENDV and RECVV how many messages moved, CALL the reply's
 * length, the others 0.
 */
#define MBOXIO_SEND		_IOW(MBOX_IOCTL_TYPE, 0x10, struct mboxio_send)
#define MBOXIO_RECV		_IOWR(MBOX_IOCTL_TYPE, 0x11, struct mboxio_recv)
#define MBOXIO_STAT		_IOR(MBOX_IOCTL_TYPE, 0x12, struct mboxio_stat)
#define MBOXIO_SHUTDOWN		_IO(MBOX_IOCTL_TYPE, 0x13)
#define MBOXIO_SENDV		_IOW(MBOX_IOCTL_TYPE, 0x14, struct mboxio_batch)
#define MBOXIO_RECVV		_IOWR(MBOX_IOCTL_TYPE, 0x15, struct mboxio_batch)
#define MBOXIO_CALL		_IOWR(MBOX_IOCTL_TYPE, 0x16, struct mboxio_call)
#define MBOXIO_REPLY		_IOW(MBOX_IOCTL_TYPE, 0x17, struct mboxio_reply)
#define MBOXIO_REPLY_RECV	_IOWR(MBOX_IOCTL_TYPE, 0x18, struct mboxio_reply_recv)
#define MBOXIO_NOTIFY		_IOWR(MBOX_IOCTL_TYPE, 0x19, struct mboxio_notify)
#define MBOXIO_NOTIFY_WAIT	_IOW(MBOX_IOCTL_TYPE, 0x1a, struct mboxio_notify)
#define MBOXIO_LEASE		_IOW(MBOX_IOCTL_TYPE, 0x1b, struct mboxio_lease)

#endif /* _UAPI_LINUX_MBOX_H */
