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
 */
struct mbox_msginfo {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	uint64_t seq;
	size_t len;
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
 * @received:		messages taken since creation.
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
};

/**
 * struct mbox_info - what the running kernel's mbox module offers
 * @version:		ABI version of the module (1 for the first).
 * @name_max:		longest mailbox name in bytes, without the NUL.
 * @max_mailboxes:	most mailboxes that may exist at once.
 * @max_capacity:	largest capacity mbox_create() accepts.
 * @max_msg_size:	largest msg_size mbox_create() accepts.
 * @nr_mailboxes:	mailboxes that exist now.
 */
struct mbox_info {
	unsigned int version;
	unsigned int name_max;
	unsigned int max_mailboxes;
	unsigned int max_capacity;
	unsigned int max_msg_size;
	unsigned int nr_mailboxes;
};

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
 * @name:	1..name_max bytes of [A-Za-z0-9._-], or NULL for an anonymous
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
 * mbox_timedrecv - receive the next message, waiting at most timeout_ns
 * @timeout_ns:	<0 wait forever, 0 never wait, >0 nanoseconds to wait.
 *
 * RETURN VALUE: the message length, or -1 with errno set: ETIMEDOUT (the
 * time ran out first), EAGAIN (@timeout_ns 0 or O_NONBLOCK fd), and the errors of mbox_recv().
 */
ssize_t mbox_timedrecv(int mb, void *buf, size_t size,
		       struct mbox_msginfo *info, int64_t timeout_ns);

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

/**
 * mbox_get_usage - the per-user limits and the caller's usage
 * @usage:	filled in on success.
 *
 * Return: 0, or -1 with errno as for mbox_get_info().
 */
int mbox_get_usage(struct mbox_usage *usage);

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

#ifdef __cplusplus
}
#endif

#endif /* LIBMBOX_H */
