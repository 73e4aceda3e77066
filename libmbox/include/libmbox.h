/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmbox: named mailboxes for message passing between processes.
 *
 * A thin, stateless wrapper around the mbox kernel module (/dev/mbox). A
 * mailbox is reached through a file descriptor ("mb") that mbox_create() or
 * mbox_open() returns; it is an ordinary fd: close it with mbox_close() (or
 * close(2)), pass it over fork(2), exec(2) (without O_CLOEXEC) or SCM_RIGHTS.
 *
 * Conventions, for every function below:
 *  - Errors return -1 and set errno, like the POSIX wrappers. On success
 *    errno is unspecified.
 *  - The library keeps no global state: each call that needs /dev/mbox
 *    opens it (O_CLOEXEC) and closes it again. Every function is
 *    thread-safe and async-signal-safe as far as open/ioctl/close are.
 *  - If /dev/mbox cannot be opened, the call fails with the errno open(2)
 *    gave: ENOENT when the module is not loaded (no device node), EACCES
 *    when the node's permissions refuse the caller. mbox_open() and
 *    mbox_unlink() also use ENOENT for "no such mailbox"; call
 *    mbox_get_info() to tell the two apart.
 *  - "flags" take open(2) bits: exactly one of O_RDONLY (may receive),
 *    O_WRONLY (may send and shut down) or O_RDWR (both), optionally OR'ed
 *    with O_CLOEXEC and O_NONBLOCK. Any other bit fails with EINVAL before
 *    the kernel is asked.
 *  - "timeout_ns" is a relative duration in nanoseconds: negative waits
 *    forever, 0 never waits (EAGAIN), a positive value waits at most that
 *    long on CLOCK_MONOTONIC (ETIMEDOUT). A timeout so large that the
 *    deadline would overflow waits forever. A call that can complete at
 *    once succeeds whatever its timeout.
 *  - On an fd opened with O_NONBLOCK every send and receive behaves as if
 *    its timeout were 0.
 *  - A wait interrupted by a signal restarts if the handler has SA_RESTART
 *    (keeping its deadline), else fails with EINTR.
 *  - A send or receive that fails has moved no message.
 *
 * Structs grow. Every call that takes one of the structs below has a
 * _sized form with one more, last argument: the size of that struct (for
 * mbox_sendv() and mbox_recvv(), of one struct mbox_msgvec) as the caller
 * was compiled with it. The plain names are macros that pass
 * sizeof(struct ...), so a program keeps the struct size of the libmbox.h
 * it was compiled against, and a later library, whose structs have more
 * fields at their end, never reads or writes past it:
 *  - a struct the call fills is written up to its size; fields the library
 *    does not know (a caller newer than the library) are set to 0;
 *  - a struct the call reads (struct mbox_attr) is read up to its size,
 *    fields past it taken as 0, which always means the default; fields the
 *    library does not know must be 0, or the call fails with E2BIG;
 *  - a size below the struct's first version fails with EINVAL.
 * Fields are only ever added at a struct's end, and struct mbox_msginfo
 * stays the last member of struct mbox_msgvec. The plain names are also
 * functions (for function pointers and other languages' bindings) that
 * take each struct at its libmbox 1.0 size; (mbox_stat)(mb, &st) calls one.
 */
#ifndef LIBMBOX_H
#define LIBMBOX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct mbox_attr - how mbox_create() makes a mailbox
 * @capacity:	0 for a rendezvous mailbox (a send completes only when a
 *		receiver has taken the message), else how many messages may
 *		queue (a send waits while @capacity are queued).
 * @msg_size:	largest message in bytes (at least 1).
 * @mode:	permission bits (0777 at most), masked by the umask:
 *		read permission allows receiving, write permission sending.
 */
struct mbox_attr {
	unsigned int capacity;
	unsigned int msg_size;
	mode_t mode;
};

/**
 * struct mbox_msginfo - what a receive learns about the message it took
 * @pid:	the sender's process id (as seen from the receiver's pid
 *		namespace; 0 if the sender is not visible there).
 * @uid:	the sender's effective user id.
 * @gid:	the sender's effective group id.
 * @seq:	the mailbox's delivery number: 1 for the first message ever
 *		received from the mailbox, then +1 for each, no gaps.
 * @len:	the message length in bytes. After a receive fails with
 *		EMSGSIZE, the length of the message that did not fit (the
 *		other fields are then 0).
 * @reply_id:	nonzero if the message is a request whose sender waits in
 *		mbox_call(): the handle to answer it with (mbox_reply(),
 *		mbox_reply_recv()), valid on the open file description that
 *		received it. 0 for a one-way message. (Since libmbox 1.2.)
 * @prio:	the message's priority, 0..MBOX_PRIO_MAX - 1 (0 from a
 *		module without MBOX_FEATURE_PRIORITY). mbox_sendv_prio()
 *		reads it as the priority to send each message at. (Since
 *		libmbox 1.3.)
 * @lease_id:	nonzero if the message was received on lease
 *		(mbox_recv_lease()): the handle to settle it with
 *		(mbox_lease_commit(), mbox_lease_release(),
 *		mbox_lease_extend()), valid on the open file description
 *		that received it. 0 otherwise. (Since libmbox 1.4.)
 * @deliveries:	how many times the message has been delivered, this time
 *		included: 1, or more after leases of it were released. 0
 *		from a module without MBOX_FEATURE_LEASE, and from
 *		mbox_recvv(). (Since libmbox 1.4.)
 * @msg_id:	the message's identity within its mailbox: numbered from 1
 *		as messages enter it, the same at every delivery (unlike
 *		@seq). With mbox_stat.mbox_id it names the message uniquely,
 *		e.g. to deduplicate a message forwarded again after its
 *		lease was released. 0 where @deliveries is 0. (Since
 *		libmbox 1.4.)
 * @claim_len:	the length of the claim the message's sender made about it
 *		(mbox_timedsend_claim()), 0 if none; mbox_timedrecv_claim()
 *		copies the claim out. (Since libmbox 1.4.)
 *
 * mbox_call() fills the same struct about the reply: the replier's @pid,
 * @uid and @gid, the reply's @len, and in @seq the request's delivery
 * number; @reply_id, @prio, @lease_id and @deliveries are 0.
 */
struct mbox_msginfo {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	uint64_t seq;
	size_t len;
	uint64_t reply_id;
	unsigned int prio;
	uint64_t lease_id;
	unsigned int deliveries;
	uint64_t msg_id;
	size_t claim_len;
};

/**
 * struct mbox_stat - a snapshot of a mailbox's state (mbox_stat())
 * @capacity:		as created (0: rendezvous).
 * @msg_size:		as created.
 * @mode:		permission bits (after the creator's umask).
 * @uid:		owner: the creator's effective user id.
 * @gid:		owner: the creator's effective group id.
 * @shutdown:		nonzero once mbox_shutdown() was called.
 * @unlinked:		nonzero once the name was removed (or the mailbox is
 *			anonymous).
 * @queued:		messages queued now (bounded mailboxes).
 * @waiting_senders:	senders blocked on a full mailbox, or offering a
 *			message on a rendezvous mailbox.
 * @waiting_receivers:	receivers blocked waiting for a message.
 * @queued_bytes:	payload bytes queued now.
 * @sent:		messages accepted since creation.
 * @received:		messages taken since creation (each delivery of a
 *			message whose lease was released counts).
 * @leased:		messages out on lease now: neither committed nor
 *			released. (Since libmbox 1.4.)
 * @mbox_id:		the mailbox's identity: 64 random bits drawn when it
 *			was created, different for every mailbox ever made
 *			(names are reused). 0 from a module without
 *			MBOX_FEATURE_LEASE. (Since libmbox 1.4.)
 */
struct mbox_stat {
	unsigned int capacity;
	unsigned int msg_size;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	int shutdown;
	int unlinked;
	unsigned int queued;
	unsigned int waiting_senders;
	unsigned int waiting_receivers;
	uint64_t queued_bytes;
	uint64_t sent;
	uint64_t received;
	unsigned int leased;
	uint64_t mbox_id;
};

/**
 * struct mbox_info - what the running kernel's mbox module offers
 * @version:		ABI version of the module (1 for the first).
 * @name_max:		longest mailbox name in bytes, without the NUL.
 * @max_mailboxes:	most mailboxes that may exist at once.
 * @max_capacity:	largest capacity mbox_create() accepts.
 * @max_msg_size:	largest msg_size mbox_create() accepts.
 * @nr_mailboxes:	mailboxes that exist now.
 * @features:		MBOX_FEATURE_* bits: what the module offers (since
 *			libmbox 1.2; 0 from a module older than ABI version 3).
 */
struct mbox_info {
	unsigned int version;
	unsigned int name_max;
	unsigned int max_mailboxes;
	unsigned int max_capacity;
	unsigned int max_msg_size;
	unsigned int nr_mailboxes;
	uint64_t features;
};

/*
 * mbox_info.features: test a bit before relying on what it names. The
 * values are the kernel's (<linux/mbox.h> defines the same macros).
 *  MBOX_FEATURE_USER_LIMITS	per-user limits; mbox_get_usage() reports
 *				them (EDQUOT when one refuses).
 *  MBOX_FEATURE_SIZED_ARGS	the kernel takes its ABI structs at any size
 *				(a library newer than the module still works).
 *  MBOX_FEATURE_CALL		request/reply: mbox_call(), mbox_reply().
 *  MBOX_FEATURE_PRIORITY	message priorities: mbox_send_prio() and
 *				friends, mbox_msginfo.prio.
 *  MBOX_FEATURE_LEASE		leased receives: mbox_recv_lease() and
 *				friends, mbox_lease_commit(),
 *				mbox_lease_release(), mbox_lease_extend().
 *  MBOX_FEATURE_CLAIM		claims: mbox_timedsend_claim(),
 *				mbox_timedrecv_claim().
 */
#define MBOX_FEATURE_USER_LIMITS	0x1ULL
#define MBOX_FEATURE_SIZED_ARGS		0x2ULL
#define MBOX_FEATURE_CALL		0x4ULL
#define MBOX_FEATURE_PRIORITY		0x8ULL
#define MBOX_FEATURE_LEASE		0x10ULL
#define MBOX_FEATURE_CLAIM		0x20ULL

/* The longest claim a message may carry (the kernel's MBOX_CLAIM_MAX). */
#define MBOX_CLAIM_MAX			256

/* Message priorities are 0..MBOX_PRIO_MAX - 1 (POSIX's MQ_PRIO_MAX). */
#define MBOX_PRIO_MAX			32768

/*
 * What a NULL attr in mbox_create() asks for: a small bounded mailbox with
 * POSIX mq's default message size, private to its owner. Library policy,
 * not kernel ABI.
 */
#define MBOX_DEFAULT_CAPACITY	16
#define MBOX_DEFAULT_MSG_SIZE	8192
#define MBOX_DEFAULT_MODE	0600

/**
 * struct mbox_usage - the per-user limits, and what the caller's user uses
 * @max_mailboxes:	most mailboxes one user (real uid) may own.
 * @mailboxes:		mailboxes the caller's real uid owns now.
 * @max_bytes:		most kernel memory, in bytes, charged to one user.
 * @bytes:		bytes charged to the caller's real uid now: its
 *			mailboxes and the messages it sent still held.
 * @unlimited:		nonzero if the caller has CAP_SYS_RESOURCE, which
 *			the limits do not refuse.
 */
struct mbox_usage {
	unsigned int max_mailboxes;
	unsigned int mailboxes;
	uint64_t max_bytes;
	uint64_t bytes;
	int unlimited;
};

/*
 * mbox_create - create a mailbox and open it
 * @name:	1..name_max bytes of anything but '/', or NULL for an anonymous
 *		mailbox that only the returned fd (and its copies) reach.
 * @attr:	capacity, msg_size and mode; NULL for the defaults: a bounded
 *		mailbox of 16 messages of up to 8192 bytes, mode 0600.
 * @flags:	O_RDONLY/O_WRONLY/O_RDWR [| O_CLOEXEC] [| O_NONBLOCK] for the
 *		returned fd, which gets that access whatever the mode.
 *
 * The mailbox is owned by the caller's effective uid and gid. A named
 * mailbox lives until it is unlinked and its last fd is closed.
 *
 * RETURN VALUE: the new mailbox fd, or -1 with errno set:
 * EINVAL (bad flags, bad name, mode beyond 0777, capacity above
 * max_capacity, msg_size 0 or above max_msg_size), EEXIST (name taken),
 * ENOSPC (max_mailboxes reached), EDQUOT (the caller's user owns
 * max_user_mailboxes or would pass max_user_bytes), EMFILE/ENFILE, ENOMEM, or what
 * opening /dev/mbox failed with (ENOENT: module not loaded; EACCES).
 */
int mbox_create(const char *name, const struct mbox_attr *attr, int flags);

/*
 * mbox_create_sized - mbox_create() with a struct mbox_attr of @attr_size bytes
 *
 * RETURN VALUE: as mbox_create(), with the errors of mbox_create(), and
 * EINVAL (@attr_size below libmbox 1.0's struct), E2BIG (@attr has a
 * nonzero field this library does not know).
 */
int mbox_create_sized(const char *name, const struct mbox_attr *attr,
		      int flags, size_t attr_size);
#define mbox_create(name, attr, flags) \
	mbox_create_sized((name), (attr), (flags), sizeof(struct mbox_attr))

/*
 * mbox_open - open an existing named mailbox
 * @name:	the mailbox's name.
 * @flags:	O_RDONLY/O_WRONLY/O_RDWR [| O_CLOEXEC] [| O_NONBLOCK].
 *
 * Receiving needs read permission, sending write permission, checked like
 * a file open against the caller's effective ids.
 *
 * RETURN VALUE: the new mailbox fd, or -1 with errno set:
 * EINVAL (bad flags, bad or NULL name), ENOENT (no such mailbox, or no
 * /dev/mbox), EACCES (the mode refuses the access asked), EMFILE/ENFILE,
 * ENOMEM.
 */
int mbox_open(const char *name, int flags);

/*
 * mbox_unlink - remove a mailbox's name
 * @name:	the mailbox's name.
 *
 * Only the name goes: fds already open keep working, queued messages stay,
 * and the mailbox is freed with its last fd. The name may be reused at once.
 *
 * RETURN VALUE: 0, or -1 with errno set: EINVAL (bad or NULL name),
 * ENOENT (no such mailbox, or no /dev/mbox), EACCES (caller is not the
 * owner and lacks CAP_DAC_OVERRIDE).
 */
int mbox_unlink(const char *name);

/*
 * mbox_close - close a mailbox fd
 * @mb:	the mailbox fd.
 *
 * The same as close(2). Closing the last fd of an unlinked mailbox frees
 * it, with any messages still queued.
 *
 * RETURN VALUE: 0, or -1 with errno set (EBADF).
 */
int mbox_close(int mb);

/*
 * mbox_send - send a message, waiting as long as it takes
 * @mb:		a mailbox fd opened with O_WRONLY or O_RDWR.
 * @msg:	the message (may be NULL if @len is 0).
 * @len:	its length in bytes, 0..msg_size.
 *
 * On a bounded mailbox, returns once the message is queued (waiting while
 * the mailbox is full); on a rendezvous mailbox, once a receiver has
 * claimed it. Messages are received in the order they were sent.
 *
 * RETURN VALUE: 0, or -1 with errno set: EBADF (not open for sending),
 * EMSGSIZE (@len above msg_size), EPIPE (mailbox shut down, also while
 * waiting: the message is not delivered), EAGAIN (O_NONBLOCK fd and the
 * call would wait), EINTR, ENOMEM, EDQUOT (the caller's user would pass
 * max_user_bytes), EFAULT (@msg is not readable), ENOTTY (@mb is not a
 * mailbox fd).
 */
int mbox_send(int mb, const void *msg, size_t len);

/*
 * mbox_trysend - send a message if that needs no waiting
 *
 * As mbox_send() with timeout 0: succeeds only if there is room in the
 * queue, or on a rendezvous mailbox, if a receiver is already waiting.
 * Otherwise nothing is sent and nothing is left on offer.
 *
 * RETURN VALUE: 0, or -1 with errno set: EAGAIN (would wait), and the
 * errors of mbox_send().
 */
int mbox_trysend(int mb, const void *msg, size_t len);

/*
 * mbox_timedsend - send a message, waiting at most timeout_ns
 * @timeout_ns:	<0 wait forever, 0 never wait, >0 nanoseconds to wait.
 *
 * RETURN VALUE: 0, or -1 with errno set: ETIMEDOUT (the time ran out
 * first), EAGAIN (@timeout_ns 0 or O_NONBLOCK fd), and the errors of
 * mbox_send().
 */
int mbox_timedsend(int mb, const void *msg, size_t len, int64_t timeout_ns);

/*
 * mbox_send_prio, mbox_trysend_prio, mbox_timedsend_prio - send at a
 * priority
 * @prio:	0..MBOX_PRIO_MAX - 1. Receives take the highest priority
 *		first and the oldest message within a priority; senders
 *		blocked on a full mailbox are admitted, and a rendezvous
 *		mailbox's waiting senders received, in that order too.
 *		mbox_send() and the others send at 0. (Since libmbox 1.3.)
 *
 * As mbox_send(), mbox_trysend() and mbox_timedsend() otherwise.
 *
 * RETURN VALUE: as mbox_send(), mbox_trysend() and mbox_timedsend(): 0,
 * or -1 with errno set: the errors of mbox_timedsend(), and EINVAL (@prio
 * is MBOX_PRIO_MAX or more). A module without MBOX_FEATURE_PRIORITY
 * refuses a nonzero @prio with E2BIG.
 */
int mbox_send_prio(int mb, const void *msg, size_t len, unsigned int prio);
int mbox_trysend_prio(int mb, const void *msg, size_t len, unsigned int prio);
int mbox_timedsend_prio(int mb, const void *msg, size_t len,
			unsigned int prio, int64_t timeout_ns);

/*
 * mbox_recv - receive the next message, waiting as long as it takes
 * @mb:		a mailbox fd opened with O_RDONLY or O_RDWR.
 * @buf:	where to copy the message.
 * @size:	size of @buf (sizes above 4 GiB - 1 are treated as that).
 * @info:	if not NULL, filled with the sender's pid, uid, gid, the
 *		delivery sequence number and the length.
 *
 * Takes the message at the head of the mailbox. If it is longer than
 * @size, the call fails at once with EMSGSIZE, leaves the message for the
 * next receiver and reports its length in @info->len (size 0 and a NULL
 * @buf is a valid way to ask). After a shutdown, the messages still queued
 * are received normally; then every receive fails with EPIPE.
 *
 * RETURN VALUE: the message length, or -1 with errno set: EBADF (not open
 * for receiving), EMSGSIZE (@buf too small), EPIPE (shut down and empty),
 * EAGAIN (O_NONBLOCK fd and the call would wait), EINTR, EFAULT, ENOTTY
 * (@mb is not a mailbox fd).
 */
ssize_t mbox_recv(int mb, void *buf, size_t size, struct mbox_msginfo *info);

/*
 * mbox_recv_sized - mbox_recv() with a struct mbox_msginfo of @info_size bytes
 *
 * RETURN VALUE: as mbox_recv(), with the errors of mbox_recv(), and EINVAL
 * (a non-NULL @info with @info_size below libmbox 1.0's struct).
 */
ssize_t mbox_recv_sized(int mb, void *buf, size_t size,
			struct mbox_msginfo *info, size_t info_size);
#define mbox_recv(mb, buf, size, info) \
	mbox_recv_sized((mb), (buf), (size), (info), sizeof(struct mbox_msginfo))

/*
 * mbox_tryrecv - receive the next message if that needs no waiting
 *
 * As mbox_recv() with timeout 0: on a rendezvous mailbox it succeeds only
 * if a sender is already offering a message.
 *
 * RETURN VALUE: the message length, or -1 with errno set: EAGAIN (nothing
 * to take now), and the errors of mbox_recv().
 */
ssize_t mbox_tryrecv(int mb, void *buf, size_t size,
		     struct mbox_msginfo *info);

/*
 * mbox_tryrecv_sized - mbox_tryrecv() with a struct mbox_msginfo of
 * @info_size bytes
 *
 * RETURN VALUE: as mbox_tryrecv(), with the errors of mbox_tryrecv() and
 * of mbox_recv_sized().
 */
ssize_t mbox_tryrecv_sized(int mb, void *buf, size_t size,
			   struct mbox_msginfo *info, size_t info_size);
#define mbox_tryrecv(mb, buf, size, info) \
	mbox_tryrecv_sized((mb), (buf), (size), (info), \
			   sizeof(struct mbox_msginfo))

/*
 * mbox_timedrecv - receive the next message, waiting at most timeout_ns
 * @timeout_ns:	<0 wait forever, 0 never wait, >0 nanoseconds to wait.
 *
 * RETURN VALUE: the message length, or -1 with errno set: ETIMEDOUT (the
 * time ran out first), EAGAIN (@timeout_ns 0 or O_NONBLOCK fd), and the errors of mbox_recv().
 */
ssize_t mbox_timedrecv(int mb, void *buf, size_t size,
		       struct mbox_msginfo *info, int64_t timeout_ns);

/*
 * mbox_timedrecv_sized - mbox_timedrecv() with a struct mbox_msginfo of
 * @info_size bytes
 *
 * RETURN VALUE: as mbox_timedrecv(), with the errors of mbox_timedrecv()
 * and the errors of mbox_recv_sized().
 */
ssize_t mbox_timedrecv_sized(int mb, void *buf, size_t size,
			     struct mbox_msginfo *info, int64_t timeout_ns,
			     size_t info_size);
#define mbox_timedrecv(mb, buf, size, info, timeout_ns) \
	mbox_timedrecv_sized((mb), (buf), (size), (info), (timeout_ns), \
			     sizeof(struct mbox_msginfo))

/*
 * mbox_recv_lease, mbox_tryrecv_lease, mbox_timedrecv_lease - receive
 * the next message on lease
 * @lease_ns:	how long the lease lasts, in nanoseconds of CLOCK_MONOTONIC
 *		from the receive; negative: until the message is settled or
 *		the fd is closed. 0 is EINVAL.
 *
 * As mbox_recv(), mbox_tryrecv() and mbox_timedrecv(), but the message is
 * not gone once received: it is the caller's on lease, under the handle
 * info->lease_id, and still holds its slot in a bounded mailbox. Settle it
 * with mbox_lease_commit() (done: the message is gone) or
 * mbox_lease_release() (it goes back to the head of the line, before
 * everything that arrived after it, for the next receiver). It is
 * released by itself when the lease's time runs out and when its open file
 * description is closed (the last fd of it; also by the process's death),
 * so a worker that dies mid-job loses no message: at-least-once
 * delivery. info->deliveries tells a receiver how many times a message
 * has been delivered; a redelivered message gets a new seq. A request
 * (info->reply_id nonzero) is answered, never leased: its lease_id is 0.
 * After mbox_shutdown() receivers get EPIPE only once no lease is out.
 * @info may be NULL, but then the handle is lost and the lease can only
 * end by its time or by the close.
 *
 * RETURN VALUE: the message length, or -1 with errno set: the errors of
 * mbox_timedrecv(), EINVAL (@lease_ns 0), EDQUOT (the caller's user is
 * at max_user_bytes: the lease's record is charged to it), and ENOTTY or
 * EINVAL from a module without MBOX_FEATURE_LEASE.
 */
ssize_t mbox_recv_lease(int mb, void *buf, size_t size,
			struct mbox_msginfo *info, int64_t lease_ns);
ssize_t mbox_tryrecv_lease(int mb, void *buf, size_t size,
			   struct mbox_msginfo *info, int64_t lease_ns);
ssize_t mbox_timedrecv_lease(int mb, void *buf, size_t size,
			     struct mbox_msginfo *info, int64_t lease_ns,
			     int64_t timeout_ns);

/*
 * mbox_recv_lease_sized, mbox_tryrecv_lease_sized,
 * mbox_timedrecv_lease_sized - the same with a struct mbox_msginfo of
 * @info_size bytes (a struct too short to hold lease_id is EINVAL)
 *
 * RETURN VALUE: as mbox_recv_lease(), with the errors of mbox_recv_lease().
 */
ssize_t mbox_recv_lease_sized(int mb, void *buf, size_t size,
			      struct mbox_msginfo *info, int64_t lease_ns,
			      size_t info_size);
ssize_t mbox_tryrecv_lease_sized(int mb, void *buf, size_t size,
				 struct mbox_msginfo *info, int64_t lease_ns,
				 size_t info_size);
ssize_t mbox_timedrecv_lease_sized(int mb, void *buf, size_t size,
				   struct mbox_msginfo *info, int64_t lease_ns,
				   int64_t timeout_ns, size_t info_size);
#define mbox_recv_lease(mb, buf, size, info, lease_ns) \
	mbox_recv_lease_sized((mb), (buf), (size), (info), (lease_ns), \
			      sizeof(struct mbox_msginfo))
#define mbox_tryrecv_lease(mb, buf, size, info, lease_ns) \
	mbox_tryrecv_lease_sized((mb), (buf), (size), (info), (lease_ns), \
				 sizeof(struct mbox_msginfo))
#define mbox_timedrecv_lease(mb, buf, size, info, lease_ns, timeout_ns) \
	mbox_timedrecv_lease_sized((mb), (buf), (size), (info), (lease_ns), \
				   (timeout_ns), sizeof(struct mbox_msginfo))

/*
 * mbox_timedsend_claim - send a message with a claim about it
 * @prio:	as for mbox_send_prio().
 * @claim:	@claim_len bytes (0..MBOX_CLAIM_MAX; 0: none) that the sender
 *		states about the message: a forwarder says there where it
 *		came from.
 * @timeout_ns:	as for mbox_timedsend().
 *
 * The kernel carries the claim unread beside the message and gives it to
 * the receiver (mbox_timedrecv_claim()) as the sender's claim, next to
 * the sender's pid, uid and gid, which the kernel checks: a claim is only
 * as good as the sender that makes it. It is charged to the sender with
 * the message.
 *
 * RETURN VALUE: 0, or -1 with errno set: the errors of mbox_timedsend(),
 * EINVAL (@claim_len above MBOX_CLAIM_MAX, or @prio out of range), and
 * EINVAL or E2BIG from a module without MBOX_FEATURE_CLAIM.
 */
int mbox_timedsend_claim(int mb, const void *msg, size_t len,
			 unsigned int prio, const void *claim,
			 size_t claim_len, int64_t timeout_ns);

/*
 * mbox_timedrecv_claim - receive the next message and its sender's claim
 * @claim:	where to copy the claim the message carries, if any.
 * @claim_size:	its size; a longer claim is cut to it (info->claim_len
 *		tells its whole length, 0 if there is none).
 *
 * As mbox_timedrecv().
 *
 * RETURN VALUE: the message length, or -1 with errno set: the errors of
 * mbox_timedrecv().
 */
ssize_t mbox_timedrecv_claim(int mb, void *buf, size_t size,
			     struct mbox_msginfo *info, void *claim,
			     size_t claim_size, int64_t timeout_ns);

/*
 * mbox_timedrecv_claim_sized - mbox_timedrecv_claim() with a struct
 * mbox_msginfo of @info_size bytes
 *
 * RETURN VALUE: as mbox_timedrecv_claim(), with the errors of
 * mbox_timedrecv_claim() and of mbox_recv_sized().
 */
ssize_t mbox_timedrecv_claim_sized(int mb, void *buf, size_t size,
				   struct mbox_msginfo *info, void *claim,
				   size_t claim_size, int64_t timeout_ns,
				   size_t info_size);
#define mbox_timedrecv_claim(mb, buf, size, info, claim, claim_size, t) \
	mbox_timedrecv_claim_sized((mb), (buf), (size), (info), (claim), \
				   (claim_size), (t), \
				   sizeof(struct mbox_msginfo))

/*
 * mbox_lease_commit, mbox_lease_release, mbox_lease_extend - settle a
 * message received on lease, or give it more time
 * @mb:		the fd whose receive gave @lease_id, or any fd sharing its
 *		open file description.
 * @lease_id:	info->lease_id of that receive.
 * @lease_ns:	mbox_lease_extend(): the lease now ends @lease_ns from the
 *		call; negative: it no longer ends by itself. 0 is EINVAL.
 *
 * mbox_lease_commit() ends the lease and the message with it, freeing its
 * slot for a sender. mbox_lease_release() ends the lease and puts the
 * message back where it was in line, to be delivered again.
 * mbox_lease_extend() keeps the lease, with the new time.
 *
 * RETURN VALUE: 0, or -1 with errno set: ENOENT (@lease_id is not held on
 * this open file description: never given here, settled already, or its
 * time ran out and the message went back), EINVAL (@lease_ns 0), EBADF
 * (not open for receiving), ENOTTY (not a mailbox fd, or a module without
 * MBOX_FEATURE_LEASE).
 */
int mbox_lease_commit(int mb, uint64_t lease_id);
int mbox_lease_release(int mb, uint64_t lease_id);
int mbox_lease_extend(int mb, uint64_t lease_id, int64_t lease_ns);

/*
 * mbox_shutdown - shut a mailbox down, for good
 * @mb:	a mailbox fd opened with O_WRONLY or O_RDWR.
 *
 * Every later send fails with EPIPE, and so do sends waiting now (their
 * messages are not delivered). Receivers still get the messages queued,
 * then EPIPE. Shutting down twice is not an error.
 *
 * RETURN VALUE: 0, or -1 with errno set: EBADF (not open for sending),
 * ENOTTY (@mb is not a mailbox fd).
 */
int mbox_shutdown(int mb);

/*
 * mbox_stat - describe a mailbox
 * @mb:	any mailbox fd.
 * @st:	filled with the mailbox's attributes, owner and counters.
 *
 * RETURN VALUE: 0, or -1 with errno set: EBADF, ENOTTY (@mb is not a
 * mailbox fd), EFAULT (@st is NULL).
 */
int mbox_stat(int mb, struct mbox_stat *st);

/*
 * mbox_stat_sized - mbox_stat() with a struct mbox_stat of @st_size bytes
 *
 * RETURN VALUE: as mbox_stat(), with the errors of mbox_stat(), and EINVAL
 * (@st_size below libmbox 1.0's struct).
 */
int mbox_stat_sized(int mb, struct mbox_stat *st, size_t st_size);
#define mbox_stat(mb, st) \
	mbox_stat_sized((mb), (st), sizeof(struct mbox_stat))

/*
 * mbox_get_info - ask the kernel what its mbox module offers
 * @info:	filled with the ABI version, the limits in force and the
 *		number of mailboxes that exist.
 *
 * Also the way to find out whether mbox is available at all.
 *
 * RETURN VALUE: 0, or -1 with errno set: what opening /dev/mbox failed
 * with (ENOENT: the module is not loaded; EACCES), EFAULT (@info is NULL).
 */
int mbox_get_info(struct mbox_info *info);

/*
 * mbox_get_info_sized - mbox_get_info() with a struct mbox_info of
 * @info_size bytes
 *
 * RETURN VALUE: as mbox_get_info(), with the errors of mbox_get_info(),
 * and EINVAL (@info_size below libmbox 1.0's struct).
 */
int mbox_get_info_sized(struct mbox_info *info, size_t info_size);
#define mbox_get_info(info) \
	mbox_get_info_sized((info), sizeof(struct mbox_info))

/**
 * mbox_get_usage - the per-user limits and the caller's usage
 * @usage:	filled in on success.
 *
 * RETURN VALUE: 0, or -1 with errno set: the errors of mbox_get_info().
 */
int mbox_get_usage(struct mbox_usage *usage);

/*
 * mbox_get_usage_sized - mbox_get_usage() with a struct mbox_usage of
 * @usage_size bytes
 *
 * RETURN VALUE: as mbox_get_usage(), with the errors of mbox_get_usage(),
 * and EINVAL (@usage_size below libmbox 1.1's struct).
 */
int mbox_get_usage_sized(struct mbox_usage *usage, size_t usage_size);
#define mbox_get_usage(usage) \
	mbox_get_usage_sized((usage), sizeof(struct mbox_usage))

/**
 * struct mbox_msgvec - one message of a batch (mbox_sendv(), mbox_recvv())
 * @buf:	mbox_sendv(): the message (not written to);
 *		mbox_recvv(): the buffer to receive into.
 * @len:	mbox_sendv(): the message length;
 *		mbox_recvv(): the buffer size.
 * @info:	mbox_recvv(): what was received, as for mbox_recv() (info.len
 *		is the message length). The element after the last one
 *		received has info.len set to the size needed if the batch
 *		ended because that message did not fit, else 0.
 */
struct mbox_msgvec {
	void *buf;
	size_t len;
	struct mbox_msginfo info;
};

/*
 * mbox_sendv - send several messages with few system calls
 * @mb:		a mailbox fd with write access.
 * @vec:	@count messages, sent in order.
 * @count:	how many.
 * @timeout_ns:	how long the first message may wait (as for
 *		mbox_timedsend()); the others never wait.
 * Like sendmmsg(2): each message is sent all or nothing, and the call
 * stops at the first one that cannot be sent without waiting (or fails).
 * RETURN VALUE: the number of messages sent (0..@count; 0 only for
 * @count 0), or -1 with errno set if the first message failed: the errors
 * of mbox_timedsend(), and EINVAL for a NULL @vec or @count above INT_MAX.
 */
int mbox_sendv(int mb, const struct mbox_msgvec *vec, unsigned int count,
	       int64_t timeout_ns);

/*
 * mbox_sendv_sized - mbox_sendv() with elements of @vec_size bytes
 *
 * RETURN VALUE: as mbox_sendv(), with the errors of mbox_sendv(), and
 * EINVAL (@vec_size below libmbox 1.0's struct mbox_msgvec).
 */
int mbox_sendv_sized(int mb, const struct mbox_msgvec *vec,
		     unsigned int count, int64_t timeout_ns, size_t vec_size);
#define mbox_sendv(mb, vec, count, timeout_ns) \
	mbox_sendv_sized((mb), (vec), (count), (timeout_ns), \
			 sizeof(struct mbox_msgvec))

/*
 * mbox_sendv_prio - mbox_sendv(), each message at the priority in its
 * vec[i].info.prio (0..MBOX_PRIO_MAX - 1; the rest of info is not read)
 *
 * RETURN VALUE: as mbox_sendv(), with the errors of mbox_sendv(); a bad
 * priority (EINVAL) fails the batch if it is the first message's and ends
 * it before that message otherwise. A module without
 * MBOX_FEATURE_PRIORITY refuses a nonzero one with EINVAL. (Since libmbox
 * 1.3.)
 */
int mbox_sendv_prio(int mb, const struct mbox_msgvec *vec, unsigned int count,
		    int64_t timeout_ns);

/*
 * mbox_sendv_prio_sized - mbox_sendv_prio() with elements of @vec_size
 * bytes; an element too short to hold info.prio sends at priority 0
 *
 * RETURN VALUE: as mbox_sendv_prio(), with the errors of
 * mbox_sendv_prio(), and EINVAL (@vec_size below libmbox 1.0's struct
 * mbox_msgvec).
 */
int mbox_sendv_prio_sized(int mb, const struct mbox_msgvec *vec,
			  unsigned int count, int64_t timeout_ns,
			  size_t vec_size);
#define mbox_sendv_prio(mb, vec, count, timeout_ns) \
	mbox_sendv_prio_sized((mb), (vec), (count), (timeout_ns), \
			      sizeof(struct mbox_msgvec))

/*
 * mbox_recvv - receive several messages with few system calls
 * @mb:		a mailbox fd with read access.
 * @vec:	@count buffers, filled in order.
 * @count:	how many.
 * @timeout_ns:	how long the first message may be waited for (as for
 *		mbox_timedrecv()); the others are taken only if already there.
 * Like recvmmsg(2) with MSG_WAITFORONE.
 * RETURN VALUE: the number of messages received, or -1 with errno set if
 * none was: the errors of mbox_timedrecv() (after EMSGSIZE, vec[0].info.len
 * holds the size needed), and EINVAL for a NULL @vec or @count above
 * INT_MAX.
 */
int mbox_recvv(int mb, struct mbox_msgvec *vec, unsigned int count,
	       int64_t timeout_ns);

/*
 * mbox_recvv_sized - mbox_recvv() with elements of @vec_size bytes
 *
 * RETURN VALUE: as mbox_recvv(), with the errors of mbox_recvv(), and
 * EINVAL (@vec_size below libmbox 1.0's struct mbox_msgvec).
 */
int mbox_recvv_sized(int mb, struct mbox_msgvec *vec, unsigned int count,
		     int64_t timeout_ns, size_t vec_size);
#define mbox_recvv(mb, vec, count, timeout_ns) \
	mbox_recvv_sized((mb), (vec), (count), (timeout_ns), \
			 sizeof(struct mbox_msgvec))

/*
 * mbox_call - send a request and wait for its reply, in one system call
 * @mb:		a mailbox fd with write access.
 * @req:	the request, delivered to a receiver like any message (in
 *		the same order, at priority 0), which learns that a reply is awaited
 *		from info.reply_id.
 * @req_len:	its length (at most the mailbox's msg_size).
 * @reply:	where the reply goes.
 * @reply_size:	its size: a longer reply fails on the server's side
 *		(EMSGSIZE), which may then send a shorter one.
 * @info:	NULL, or filled with the replier's pid, uid and gid, the
 *		reply's length, and in seq the request's delivery number. On
 *		failure only seq is set: 0 if the request was not delivered
 *		(EPIPE, and ETIMEDOUT or EINTR before a receiver took it),
 *		its delivery number if it was.
 *
 * Sending waits for room (or, on a rendezvous mailbox, for a receiver)
 * unless the fd is O_NONBLOCK (EAGAIN); the reply is always waited for.
 * A signal whose handler has SA_RESTART never makes the call fail and
 * never sends the request twice.
 *
 * RETURN VALUE: the reply's length, or -1 with errno set: EBADF (not open
 * for sending), ENOTTY (not a mailbox fd, or a module without
 * MBOX_FEATURE_CALL), EMSGSIZE (the request is longer than msg_size),
 * EPIPE (shut down before a receiver took the request), EAGAIN (O_NONBLOCK
 * and no room), ECONNRESET (a receiver took the request and will never
 * reply: it closed its fd or died holding it, or took it with read(2)),
 * EINTR (a signal handler without SA_RESTART; the call is given up),
 * EFAULT (@reply could not be written; the reply is lost), EDQUOT, ENOMEM.
 */
ssize_t mbox_call(int mb, const void *req, size_t req_len,
		  void *reply, size_t reply_size, struct mbox_msginfo *info);
/*
 * mbox_call_sized - mbox_call() with a struct mbox_msginfo of @info_size bytes
 *
 * RETURN VALUE: as mbox_call(), with the errors of mbox_call(), and EINVAL
 * (a non-NULL @info with @info_size below libmbox 1.0's struct).
 */
ssize_t mbox_call_sized(int mb, const void *req, size_t req_len,
			void *reply, size_t reply_size,
			struct mbox_msginfo *info, size_t info_size);
#define mbox_call(mb, req, req_len, reply, reply_size, info) \
	mbox_call_sized((mb), (req), (req_len), (reply), (reply_size), \
			(info), sizeof(struct mbox_msginfo))

/*
 * mbox_timedcall - mbox_call() that gives up after @timeout_ns
 * @timeout_ns:	negative waits forever; otherwise the whole call (sending
 *		and the reply) ends by then: 0 gives up at once unless the
 *		reply is already there.
 *
 * RETURN VALUE: the reply's length, or -1 with errno set: ETIMEDOUT (the
 * time ran out: the request is withdrawn if no receiver took it, and
 * info->seq says which), and the errors of mbox_call().
 */
ssize_t mbox_timedcall(int mb, const void *req, size_t req_len,
		       void *reply, size_t reply_size,
		       struct mbox_msginfo *info, int64_t timeout_ns);
/*
 * mbox_timedcall_sized - mbox_timedcall() with a struct mbox_msginfo of
 * @info_size bytes
 *
 * RETURN VALUE: as mbox_timedcall(), with the errors of mbox_timedcall()
 * and the errors of mbox_call_sized().
 */
ssize_t mbox_timedcall_sized(int mb, const void *req, size_t req_len,
			     void *reply, size_t reply_size,
			     struct mbox_msginfo *info, int64_t timeout_ns,
			     size_t info_size);
#define mbox_timedcall(mb, req, req_len, reply, reply_size, info, timeout_ns) \
	mbox_timedcall_sized((mb), (req), (req_len), (reply), (reply_size), \
			     (info), (timeout_ns), sizeof(struct mbox_msginfo))

/*
 * mbox_reply - answer a request
 * @mb:		the mailbox fd (open for receiving) whose receive gave
 *		@reply_id, or any fd sharing its open file description.
 * @reply_id:	the handle from the request's info.reply_id.
 * @msg:	the reply; copied, so the caller need not wait for it.
 * @len:	its length: at most the mailbox's msg_size and the caller's
 *		reply_size.
 *
 * RETURN VALUE: 0, or -1 with errno set: ENOENT (@reply_id is not pending
 * on this open file description: never given here, or answered already),
 * ESRCH (the caller gave up or died; the handle is used up), EMSGSIZE
 * (longer than msg_size or than the caller's buffer; the handle stays),
 * EBADF (not open for receiving), ENOTTY, EFAULT, EDQUOT, ENOMEM.
 */
int mbox_reply(int mb, uint64_t reply_id, const void *msg, size_t len);

/*
 * mbox_reply_recv - reply, then receive the next message, in one call
 * @mb:		a mailbox fd with read access.
 * @reply_id:	the request to answer, as for mbox_reply(); 0 only
 *		receives.
 * @msg, @len:	the reply.
 * @buf, @size, @info: as for mbox_recv().
 *
 * A server loop costs one system call per request. If the reply fails, the
 * call fails with its error and receives nothing (info->len is 0, which a
 * receive's EMSGSIZE never leaves); once the reply is delivered, the
 * receive goes on as mbox_recv() would.
 *
 * RETURN VALUE: the received message's length, or -1 with errno set: the
 * errors of mbox_reply() and the errors of mbox_recv().
 */
ssize_t mbox_reply_recv(int mb, uint64_t reply_id, const void *msg, size_t len,
			void *buf, size_t size, struct mbox_msginfo *info);
/*
 * mbox_reply_recv_sized - mbox_reply_recv() with a struct mbox_msginfo of
 * @info_size bytes
 *
 * RETURN VALUE: as mbox_reply_recv(), with the errors of mbox_reply_recv()
 * and the errors of mbox_recv_sized().
 */
ssize_t mbox_reply_recv_sized(int mb, uint64_t reply_id, const void *msg,
			      size_t len, void *buf, size_t size,
			      struct mbox_msginfo *info, size_t info_size);
#define mbox_reply_recv(mb, reply_id, msg, len, buf, size, info) \
	mbox_reply_recv_sized((mb), (reply_id), (msg), (len), (buf), (size), \
			      (info), sizeof(struct mbox_msginfo))

#ifdef __cplusplus
}
#endif

#endif /* LIBMBOX_H */
