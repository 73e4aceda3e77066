/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbox internals shared by the module's files.
 *
 * Objects and their lifetimes
 * ---------------------------
 * A struct mbox is reference counted (@ref). The name table holds one
 * reference while the mailbox is linked; every open mailbox file holds one.
 * The last reference frees the mailbox and every message still queued, so a
 * named mailbox with no fd open keeps its messages until it is unlinked.
 * Each mailbox also pins the module (mbox_new() takes a module reference,
 * mbox_free() drops it): rmmod cannot discard a queued message.
 *
 * A struct mbox_msg is owned by exactly one party at a time: the sender
 * that allocated it until it is queued or taken, the mailbox while it sits
 * in @queue or is offered by a waiting rendezvous sender, and the receiver
 * that claimed it until the receiver frees it or puts it back. Ownership
 * moves only under mbox->lock. Once a receiver has claimed a message its
 * sender is done with it for good: nothing a receiver does afterwards (a
 * fault, a copy held by userfaultfd) can reach the sender again.
 *
 * A struct mbox_waiter lives on the stack of a task blocked in send or
 * receive. It is on mbox->senders or mbox->receivers while @state is
 * MBOX_W_WAITING; whoever changes @state (under mbox->lock) also unlinks it
 * and wakes its task. Every state other than WAITING is final: a waiter
 * leaves WAITING once, never returns to it, and its final state is written
 * last, with release semantics, after which the waker never touches the
 * waiter again; the task reads it with acquire semantics, with or without
 * the lock (mailbox.c).
 */
#ifndef _MBOX_INTERNAL_H
#define _MBOX_INTERNAL_H

#include <linux/fsnotify_backend.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/refcount.h>
#include <linux/mbox.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#undef pr_fmt
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/*
 * The module parameters' defaults (Documentation/limits.rst; MBOXIO_INFO
 * reports the values in force). Plain numbers: MODULE_PARM_DESC() quotes
 * them.
 */
#define MBOX_MAX_MAILBOXES_DEFAULT	1024
#define MBOX_MAX_CAPACITY_DEFAULT	1024
#define MBOX_MAX_MSG_SIZE_DEFAULT	65536

/* Upper bounds for the module parameters: keep any one mailbox sane. */
#define MBOX_MAILBOXES_LIMIT	65536U
#define MBOX_CAPACITY_LIMIT	65536U
#define MBOX_MSG_SIZE_LIMIT	(4U << 20)

/*
 * The message cache (msg.c): mailboxes whose messages, header included,
 * take at most MBOX_MSG_CACHE_BYTES keep up to MBOX_MSG_CACHE_MAX (and at
 * most their capacity) of them for reuse.
 */
#define MBOX_MSG_CACHE_BYTES	512U
#define MBOX_MSG_CACHE_MAX	64U

/**
 * struct mbox_limit - a module parameter and the most it may be set to
 * @val:	value in force; written by the parameter's setter, read with
 *		mbox_limit() at any time.
 * @max:	largest value the setter accepts.
 */
struct mbox_limit {
	unsigned int val;
	unsigned int max;
};

/*
 * Per-user limits (user.c): their defaults and upper bounds. The defaults
 * bound what one unprivileged user can make the kernel hold, everything
 * counted, to 64 MiB, while a single message may still be the largest
 * max_msg_size allows.
 */
#define MBOX_MAX_USER_MAILBOXES_DEFAULT	64
#define MBOX_MAX_USER_BYTES_DEFAULT	67108864	/* 64 MiB */
#define MBOX_USER_BYTES_LIMIT		(2048U << 20)

/* Every MBOX_FEATURE_* this module implements: MBOXIO_INFO reports it. */
#define MBOX_FEATURES	(MBOX_FEATURE_USER_LIMITS | MBOX_FEATURE_SIZED_ARGS | \
			 MBOX_FEATURE_CALL | MBOX_FEATURE_PRIORITY | \
			 MBOX_FEATURE_LEASE | MBOX_FEATURE_CLAIM)

/* The module parameters (main.c). */
extern struct mbox_limit mbox_max_mailboxes;
extern struct mbox_limit mbox_max_capacity;
extern struct mbox_limit mbox_max_msg_size;
extern struct mbox_limit mbox_max_user_mailboxes;
extern struct mbox_limit mbox_max_user_bytes;

static inline unsigned int mbox_limit(const struct mbox_limit *l)
{
	return READ_ONCE(l->val);
}

/*
 * How ioctl structs grow (uapi/linux/mbox.h). A command is matched by its
 * direction, type and number (MBOX_IOC_KIND()); its size is the caller's
 * struct, at least the first version's. mbox_arg_in() reads it as
 * copy_struct_from_user() does: a shorter struct is zero-extended, a
 * longer one must be zero past what the kernel knows (-E2BIG otherwise).
 * mbox_arg_out() writes back no more than the caller's size.
 *
 * A caller whose struct is the kernel's own (any current libmbox) is
 * served by copies of a size known at compile time: the compiler checks
 * those against the kernel object, so they skip the run-time object check
 * (CONFIG_HARDENED_USERCOPY) that a copy of a caller-chosen size needs. Per
 * send or receive that check was a measurable part of the cost (see
 * Documentation/benchmarks.rst, the solo cells). The helpers of the hot
 * paths are always inlined, so that @ksize is the caller's constant
 * sizeof.
 */
#define MBOX_IOC_KIND(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

/* copy_struct_from_user(), by a copy of constant size when it can be. */
static __always_inline int mbox_struct_in(void *karg, size_t ksize,
					  const void __user *uarg,
					  size_t usize)
{
	if (usize == ksize)
		return copy_from_user(karg, uarg, ksize) ? -EFAULT : 0;
	return copy_struct_from_user(karg, ksize, uarg, usize);
}

static __always_inline int mbox_arg_in(void *karg, size_t ksize, size_t min,
				       unsigned int cmd,
				       const void __user *uarg)
{
	if (_IOC_SIZE(cmd) < min)
		return -EINVAL;
	return mbox_struct_in(karg, ksize, uarg, _IOC_SIZE(cmd));
}

static inline int mbox_arg_out(void __user *uarg, const void *karg,
			       size_t ksize, unsigned int cmd)
{
	if (copy_to_user(uarg, karg, min_t(size_t, ksize, _IOC_SIZE(cmd))))
		return -EFAULT;
	return 0;
}

/* As mbox_arg_out(), from byte @start on: an ioctl's output half. */
static __always_inline int mbox_arg_out_from(void __user *uarg,
					     const void *karg, size_t ksize,
					     unsigned int cmd, size_t start)
{
	size_t end = min_t(size_t, ksize, _IOC_SIZE(cmd));

	if (end <= start)
		return 0;
	if (end == ksize)
		return copy_to_user(uarg + start, karg + start,
				    ksize - start) ? -EFAULT : 0;
	if (copy_to_user(uarg + start, karg + start, end - start))
		return -EFAULT;
	return 0;
}

/*
 * ABI version 1's MBOXIO_RECVV was _IOW: still answered, so that programs
 * built against it keep working.
 */
#define MBOXIO_RECVV_V1	_IOC(_IOC_WRITE, MBOX_IOCTL_TYPE, 0x15, \
			     MBOXIO_BATCH_SIZE_VER0)

struct cred;
struct file;
struct mbox_call;
struct mbox_notify;
struct mbox_ns;
struct iov_iter;
struct pid;
struct seq_file;
struct user_namespace;

/**
 * struct mbox_user - what one user has made mbox hold (user.c)
 * @node:	in the user table while referenced.
 * @ref:	one per mailbox it owns, per file it opened and per message
 *		charged to it.
 * @uid:	the user (a real uid).
 * @mailboxes:	mailboxes it owns, against max_user_mailboxes.
 * @bytes:	kernel memory charged to it, against max_user_bytes.
 */
struct mbox_user {
	struct hlist_node node;
	refcount_t ref;
	kuid_t uid;
	atomic_t mailboxes;
	atomic64_t bytes;
};

/**
 * struct mbox_sender - who a message is from, and who pays for it
 * @cred:	the credentials it carries (euid, egid) and is charged to
 *		(uid); see file.c for which a send path uses.
 * @user:	@cred's uid's accounting (a reference held by the caller).
 * @file:	the file whose opener's credentials @cred are (write(2)),
 *		or NULL when they are the calling task's (an ioctl): whose
 *		capabilities may exceed the limits.
 */
struct mbox_sender {
	const struct cred *cred;
	struct mbox_user *user;
	struct file *file;
};

/**
 * struct mbox_pq_node - an entry of a struct mbox_pq (prioq.c)
 * @link:	a level's leader: the head of its followers; a follower: its
 *		place among them. Free while the entry is in no queue.
 * @rb:		in the queue's tree while the entry leads its level, else
 *		cleared (RB_EMPTY_NODE()).
 * @prio:	priority, 0..MBOX_PRIO_MAX - 1: higher leaves first. Not
 *		changed while the entry is queued.
 */
struct mbox_pq_node {
	struct list_head link;
	struct rb_node rb;
	u32 prio;
};

/**
 * struct mbox_pq - entries by priority, oldest first within one (prioq.c)
 * @levels:	each priority's oldest entry, leftmost the highest.
 */
struct mbox_pq {
	struct rb_root_cached levels;
};

static inline bool mbox_pq_empty(const struct mbox_pq *pq)
{
	return RB_EMPTY_ROOT(&pq->levels.rb_root);
}

/**
 * struct mbox_msg - one message
 * @node:	its priority (@node.prio) and its place on mbox->queue while
 *		queued, or with @put_back on mbox->put_back (through
 *		@node.rb alone); @node.link is on mbox->cache while spare.
 * @put_back:	queued on mbox->put_back rather than mbox->queue.
 * @user:	the user its memory is charged to (reference held).
 * @charge:	bytes charged to @user: what the message occupies.
 * @pid:	sender's thread group (reference held).
 * @uid:	sender's euid (of the cred the send used: file.c).
 * @gid:	sender's egid.
 * @order:	when it entered the mailbox (mbox->arrivals, from 1):
 *		queued, or offered by a rendezvous sender. Each priority's
 *		messages are queued in this order, so a message put back
 *		goes back where it was; receivers learn it as its msg_id.
 * @seq:	delivery number, given when a receiver first claims it; 0
 *		before. A message put back after a fault keeps its number; one
 *		whose lease is released loses it, to get a new one when it
 *		is delivered again.
 * @deliveries:	how many times it was delivered: counted when it gets a
 *		@seq (mbox_take()), and not again while it keeps that one.
 * @call:	the call it is the request of (a reference held), or NULL for
 *		a one-way message or a reply. Cleared only by whoever owns
 *		the message (call.c).
 * @claim:	what its sender claims about it (mboxio_send.claim), a
 *		buffer of its own, or NULL; charged in @charge.
 * @claim_len:	@claim's length.
 * @len:	payload length.
 * @data:	payload: @inline_data, or a buffer of its own when header and
 *		payload together would not fit in a page (mbox_msg_new()).
 * @inline_data: payload of a small message.
 */
struct mbox_msg {
	struct mbox_pq_node node;
	struct mbox_user *user;
	u32 charge;
	struct pid *pid;
	kuid_t uid;
	kgid_t gid;
	u64 order;
	u64 seq;
	u32 deliveries;
	bool put_back;
	struct mbox_call *call;
	u8 *claim;
	u32 claim_len;
	u32 len;
	u8 *data;
	u8 inline_data[];
};

enum mbox_wait_state {
	MBOX_W_WAITING,		/* on a wait list, or a call unanswered */
	MBOX_W_DONE,		/* sent; or a call answered (call->err) */
	MBOX_W_HANDED,		/* receiver: @msg is ours to copy out */
	MBOX_W_TOO_SMALL,	/* receiver: next message is @len bytes */
	MBOX_W_SHUTDOWN,	/* mailbox shut down under us */
};

/**
 * struct mbox_waiter - a task blocked in send or receive
 * @node:	on mbox->senders (at its message's priority) or
 *		mbox->receivers (all at priority 0: first come, first served)
 *		while waiting.
 * @wqe:	the task's entry on mbox->wait_wq while it sleeps; @wqe.private
 *		is the task. Woken by key (the waiter's address) only.
 * @state:	enum mbox_wait_state.
 * @msg:	sender: the message on offer; receiver: the message handed.
 * @size:	receiver: its buffer size; after TOO_SMALL, the size needed.
 */
struct mbox_waiter {
	struct mbox_pq_node node;
	struct wait_queue_entry wqe;
	enum mbox_wait_state state;
	struct mbox_msg *msg;
	u32 size;
};

/*
 * Waiters to wake once the mailbox lock is dropped: mbox_wakeups_flush().
 * Few events wake more than one or two tasks; past MBOX_WAKE_BATCH (a
 * shutdown with many senders, say) the rest are woken on the spot.
 */
#define MBOX_WAKE_BATCH	8

struct mbox_wakeups {
	struct mbox *mb;
	unsigned int nr;
	struct mbox_waiter *keys[MBOX_WAKE_BATCH];
	struct mbox_notify *notify;	/* notify.c: to deliver and free */
	bool notify_wake;		/* notify.c: wake mb->notify_wq */
	struct pid *notify_pid;		/* notify.c: the sender it reports, */
	kuid_t notify_uid;		/* if not the current task */
};

/**
 * struct mbox - a mailbox
 * @ref:		see "Objects and their lifetimes" above.
 * @node:		on its namespace's list of mailboxes once registered,
 *			which makes it count against max_mailboxes there
 *			(registry mutex).
 * @ns:			the IPC namespace it was created in (a reference
 *			held once registered); immutable then.
 * @hnode:		in the name table while linked (registry mutex).
 * @linked:		in the name table. Written under the registry mutex;
 *			stat reads it locklessly (READ_ONCE).
 * @name:		NUL-terminated name; empty for an anonymous mailbox.
 * @mq:			made as a POSIX message queue (MBOX_CREATE_MQ):
 *			counts against fs.mqueue.queues_max; immutable once
 *			registered.
 * @capacity:		0 for rendezvous; immutable.
 * @msg_size:		largest payload; immutable.
 * @mode:		permission bits; immutable.
 * @uid:		owner euid; immutable.
 * @gid:		owner egid; immutable.
 * @user:		the creator's accounting, charged for the mailbox
 *			(reference held); immutable.
 * @fixed_charge:	bytes charged to @user for the mailbox itself and
 *			its message cache; immutable.
 * @id:			random identity (mboxio_stat.mbox_id); immutable.
 * @lock:		protects everything below it, every message on @queue
 *			and every waiter on @senders or @receivers. Never
 *			held across a user copy, an allocation or a sleep.
 * @queue:		messages a bounded mailbox has accepted and no
 *			receiver has taken yet, by priority, then @order.
 * @put_back:		messages that receivers took and gave back (a
 *			faulting copy-out, a released lease), by priority,
 *			then @order, on either kind of mailbox (on a
 *			rendezvous mailbox their senders are done, so they
 *			wait here, to be taken in turn with the offers). Each
 *			was the first of its priority when it was taken, so
 *			it belongs before that priority's messages on @queue;
 *			the next message is the better of the two heads
 *			(mailbox.c). Apart so that giving a message back
 *			costs O(log n) however many are out.
 * @senders:		waiters that wait to send, by their message's
 *			priority, then oldest first. Rendezvous: each offers
 *			its @msg; bounded: each waits for a slot.
 * @receivers:		waiters that wait to receive, oldest first. Never
 *			non-empty while a message could be handed to them.
 * @queued:		messages on @queue and @put_back.
 * @queued_bytes:	payload bytes on @queue and @put_back.
 * @nr_senders:		entries on @senders; also read locklessly
 *			(READ_ONCE) by mbox_recv_done().
 * @nr_receivers:	entries on @receivers; as @nr_senders.
 * @taking:		messages claimed by receivers and not gone: still
 *			being copied out, or out on lease. Changed under
 *			@lock, except that a successful copy (or a commit)
 *			drops it without the lock (mbox_recv_done()). A
 *			bounded mailbox keeps @queued + @taking <= @capacity:
 *			a claimed message keeps its slot until it is gone, so
 *			one put back always has room.
 * @leased:		of @taking, those out on lease (lease.c).
 * @lease_deadlines:	leases with a deadline, soonest leftmost, by their
 *			@dl_node (lease.c).
 * @arrivals:		messages that ever entered the mailbox; the next
 *			message's @order is one more.
 * @sent:		messages accepted (queued, or claimed from a
 *			rendezvous sender).
 * @received:		messages taken (claimed; one put back after a fault
 *			is taken off again, one whose lease is released
 *			stays counted: it was delivered).
 * @last_seq:		delivery number of the last message claimed. Numbers
 *			follow the order messages leave the mailbox, which
 *			concurrent receivers may finish copying out of order.
 * @shutdown:		no more sends; receivers drain then get EPIPE. Set
 *			under @lock, read locklessly by mbox_recv_done().
 * @notify:		the process registered for arrival notification, or
 *			NULL (notify.c). Read without @lock only as a hint
 *			that there may be one (mbox_notify_flush()).
 * @notify_gen:		bumped at every change of @notify; read without
 *			@lock by waiters on @notify_wq.
 * @wait_wq:		where blocked senders and receivers sleep, each with
 *			its own exclusive entry (mbox_waiter.wqe) that only a
 *			wakeup naming its waiter wakes (mailbox.c). Its own
 *			lock nests inside @lock and is also taken alone, to
 *			wake after @lock is dropped.
 * @notify_wq:		threads in MBOXIO_NOTIFY_WAIT (notify.c): woken,
 *			after @lock is dropped, whenever @notify_gen changed.
 * @poll_wq:		poll/epoll waiters only. Woken under @lock whenever a
 *			readiness condition may have become true.
 *			mbox_recv_done() looks at it without @lock
 *			(waitqueue_active() after a full barrier); a poller
 *			issues one between poll_wait() and reading the state
 *			(mbox_file_poll()).
 * @lease_work:		ends the leases whose deadline has passed (lease.c);
 *			armed, under @lock, for the soonest deadline; runs
 *			only while the mailbox lives (mbox_free() cancels
 *			it).
 * @cache_lock:		protects @cache and @nr_cached, nothing else. Taken
 *			without @lock held and never nested with it.
 * @cache:		spare messages for senders to fill (msg.c), linked
 *			by their @link.
 * @nr_cached:		messages on @cache; read locklessly (READ_ONCE) to
 *			skip the lock when the cache is empty or full.
 * @cache_max:		most messages @cache may hold; immutable.
 * @cache_msg_bytes:	size every message of this mailbox is allocated at
 *			(header and a @msg_size payload, rounded up to the
 *			allocator's bucket, which is also what each message
 *			is charged), or 0 if its messages are too big to
 *			cache; immutable.
 */
struct mbox {
	struct kref ref;
	struct list_head node;
	struct mbox_ns *ns;
	struct hlist_node hnode;
	bool linked;
	char name[MBOX_NAME_MAX + 1];
	bool mq;
	u32 capacity;
	u32 msg_size;
	umode_t mode;
	kuid_t uid;
	kgid_t gid;
	struct mbox_user *user;
	u32 fixed_charge;
	u64 id;

	spinlock_t lock;	/* see @lock above */
	struct mbox_pq queue;
	struct rb_root_cached put_back;
	struct mbox_pq senders;
	struct mbox_pq receivers;
	u32 queued;
	u64 queued_bytes;
	u32 nr_senders;
	u32 nr_receivers;
	atomic_t taking;
	u32 leased;
	struct rb_root_cached lease_deadlines;
	u64 arrivals;
	u64 sent;
	u64 received;
	u64 last_seq;
	bool shutdown;
	struct mbox_notify *notify;
	u64 notify_gen;
	wait_queue_head_t wait_wq;
	wait_queue_head_t notify_wq;
	wait_queue_head_t poll_wq;
	struct delayed_work lease_work;

	spinlock_t cache_lock;	/* see @cache_lock above */
	struct list_head cache;
	u32 nr_cached;
	u32 cache_max;
	u32 cache_msg_bytes;
};

/**
 * struct mbox_ns - the mailboxes of one IPC namespace (ns.c)
 * @mark:	an fsnotify mark, without events, on the root of the
 *		namespace's mqueue filesystem: the kernel detaches it when it
 *		frees the namespace, which tells us (ns.c). Its last
 *		reference frees the entry.
 * @ref:	held by the namespace list while listed, by each mailbox of
 *		the namespace, by each open listing; the last drops the
 *		entry's reference to @mark.
 * @node:	on the list of namespaces while the namespace lives and its
 *		names are not reaped; registry mutex.
 * @sb:		the namespace's mqueue superblock: how the entry is found
 *		(compared only; see ns.c why that is sound); immutable.
 * @user_ns:	the user namespace that owns the IPC namespace (reference
 *		held): capabilities over its mailboxes are asked there.
 * @dead:	the namespace is gone: its names are being reaped; set once.
 * @all:	its mailboxes, named or anonymous, in creation order;
 *		registry mutex.
 * @nr:		entries on @all, against max_mailboxes; registry mutex.
 * @nr_mq:	those of them made as POSIX message queues (MBOX_CREATE_MQ),
 *		against the IPC namespace's fs.mqueue.queues_max; registry
 *		mutex.
 */
struct mbox_ns {
	struct fsnotify_mark mark;
	struct kref ref;
	struct list_head node;
	const void *sb;
	struct user_namespace *user_ns;
	bool dead;
	struct list_head all;
	unsigned int nr;
	unsigned int nr_mq;
};

/**
 * struct mbox_file - what a mailbox file refers to (file->private_data)
 * @mb:		the mailbox (a reference held).
 * @opener:	the accounting of the user who opened the file (a reference
 *		held): write(2) charges it, and an ioctl send by that same
 *		user finds it here instead of in the user table.
 * @calls:	requests received through this file and not yet answered,
 *		by reply handle (struct mbox_call.srv_node); mb->lock.
 * @parked:	calls made through this file whose wait a signal
 *		interrupted, by token (struct mbox_call.park_node); mb->lock.
 * @leases:	messages received on lease through this file, by handle
 *		(struct mbox_lease.file_node); mb->lock.
 */
struct mbox_file {
	struct mbox *mb;
	struct mbox_user *opener;
	struct rb_root calls;
	struct rb_root parked;
	struct rb_root leases;
};

/**
 * struct mbox_lease - a message out on lease (lease.c)
 * @id:		the handle: from a 64-bit counter, never 0 and never
 *		reused; immutable.
 * @user:	the lessee's accounting, charged @charge bytes for this
 *		record until it is freed (reference held); immutable.
 * @charge:	bytes charged to @user (the record and a largest message's
 *		cost: mbox_lease_new()); immutable.
 *
 * Under mb->lock, from mbox_lease_start() until the lease ends:
 * @holder:	the file that received it: the lease is on its @leases
 *		tree, through @file_node. The file outlives the lease
 *		(mbox_lease_file_release()).
 * @file_node:	in @holder->leases.
 * @dl_node:	in mb->lease_deadlines when @deadline is not KTIME_MAX,
 *		else cleared (RB_EMPTY_NODE()).
 * @deadline:	CLOCK_MONOTONIC time the lease ends by itself, or
 *		KTIME_MAX.
 * @msg:	the message; the lease owns it (a receiver's claim: it
 *		counts in mb->taking) until it ends.
 * @gc:		once ended by the deadline work: on its list of records to
 *		free after it drops the lock.
 */
struct mbox_lease {
	u64 id;
	struct mbox_user *user;
	u32 charge;
	struct mbox_file *holder;
	struct rb_node file_node;
	struct rb_node dl_node;
	ktime_t deadline;
	struct mbox_msg *msg;
	struct list_head gc;
};

/**
 * struct mbox_call - a request and the wait for its reply (call.c)
 * @ref:	held by the caller (in its MBOXIO_CALL, or on its file's
 *		@parked tree), by the request while it exists
 *		(mbox_msg.call), and by a server's file while the call is on
 *		its @calls tree. The last put frees the call and its reply.
 * @id:		reply handle and resume token: from a 64-bit counter, never
 *		0 and never reused; immutable.
 * @mb:		the mailbox it was made on; outlives the call (every holder
 *		above holds the mailbox too); immutable.
 * @task:	the calling thread (reference held): only it may resume or
 *		cancel the call; immutable.
 * @user:	the caller's accounting, charged @charge bytes for the call
 *		and its largest reply until it is freed (reference held);
 *		immutable.
 * @charge:	bytes charged to @user; immutable.
 * @reply_size:	the caller's reply buffer; immutable.
 * @w:		the caller's wait for the reply: MBOX_W_WAITING until the
 *		call is answered or reset, then MBOX_W_DONE, set once with
 *		release semantics (mbox_set_state()); @w.wqe names the
 *		caller's task while it waits. On no wait list: the call is
 *		how a replier finds it.
 *
 * Under mb->lock:
 * @req:	the request while it is on the mailbox's queue (accepted, not
 *		claimed): the caller may still withdraw it. NULL otherwise.
 * @seq:	the request's delivery number once a receiver claimed it, 0
 *		while it is queued (again).
 * @server:	the file whose @calls tree holds the call, or NULL.
 * @caller:	the file whose @parked tree holds the call, or NULL.
 * @srv_node:	in @server->calls.
 * @park_node:	in @caller->parked.
 * @gone:	the caller gave up after a receiver took the request: a
 *		reply fails with -ESRCH.
 * @err:	with @w DONE: 0 and @reply, or -ECONNRESET.
 * @reply:	the reply, once given; the caller's to copy out.
 */
struct mbox_call {
	struct kref ref;
	u64 id;
	struct mbox *mb;
	struct pid *task;
	struct mbox_user *user;
	u32 charge;
	u32 reply_size;
	struct mbox_waiter w;

	struct mbox_msg *req;
	u64 seq;
	struct mbox_file *server;
	struct mbox_file *caller;
	struct rb_node srv_node;
	struct rb_node park_node;
	bool gone;
	int err;
	struct mbox_msg *reply;
};

/**
 * struct mbox_wait - how long a send or receive may wait
 * @nowait:	fail with -EAGAIN rather than wait.
 * @fullsize:	receive: MBOX_MSG_FULLSIZE (file.c).
 * @lease:	receive: MBOX_MSG_LEASE (file.c).
 * @clock:	CLOCK_MONOTONIC, or CLOCK_REALTIME (MBOX_MSG_REALTIME).
 * @deadline:	absolute time on @clock to give up at, or KTIME_MAX.
 */
struct mbox_wait {
	bool nowait;
	bool fullsize;
	bool lease;
	clockid_t clock;
	ktime_t deadline;
};

/* prioq.c: the priority queue of messages and senders */
void mbox_pq_init(struct mbox_pq *pq);
struct mbox_pq_node *mbox_pq_first(const struct mbox_pq *pq);
void mbox_pq_add(struct mbox_pq *pq, struct mbox_pq_node *n);
void mbox_pq_del(struct mbox_pq *pq, struct mbox_pq_node *n);

/* mailbox.c: the mailbox and its message passing */
struct mbox *mbox_new(const struct mboxio_create *args);
int mbox_charge_creator(struct mbox *mb);
void mbox_put(struct mbox *mb);
static inline void mbox_get(struct mbox *mb)
{
	kref_get(&mb->ref);
}

void mbox_waiter_init(struct mbox_waiter *w, u32 size);
int mbox_send(struct mbox *mb, struct mbox_msg *msg,
	      const struct mbox_wait *wait);
int mbox_wait_reply(struct mbox *mb, struct mbox_waiter *w,
		    const struct mbox_wait *wait);
void mbox_withdraw(struct mbox *mb, struct mbox_msg *msg,
		   struct mbox_wakeups *wq);
void mbox_set_done(struct mbox_wakeups *wq, struct mbox_waiter *w);
void mbox_wakeups_flush(struct mbox_wakeups *wq);
struct mbox_msg *mbox_recv_claim(struct mbox *mb, u32 size,
				 const struct mbox_wait *wait, u32 *needed);
void mbox_recv_done(struct mbox *mb, struct mbox_msg *msg);
void mbox_recv_undo(struct mbox *mb, struct mbox_msg *msg);
void mbox_recv_requeue(struct mbox *mb, struct mbox_msg *msg,
		       struct mbox_wakeups *wq);
void mbox_shutdown(struct mbox *mb);
void mbox_stat(struct mbox *mb, struct mboxio_stat *st,
	       struct user_namespace *ns);
__poll_t mbox_poll_mask(struct mbox *mb, fmode_t fmode);

/* call.c: request/reply */
struct mbox_call *mbox_call_new(struct mbox *mb,
				const struct mbox_sender *sender,
				u32 reply_size);
void mbox_call_put(struct mbox_call *call);
int mbox_call_wait(struct mbox_file *mf, struct mbox_call *call,
		   const struct mbox_wait *wait, u64 *seq);
struct mbox_call *mbox_call_resume(struct mbox_file *mf, u64 token);
u64 mbox_call_cancel(struct mbox_call *call);
u64 mbox_call_accept(struct mbox_file *mf, struct mbox_msg *msg);
void mbox_call_unaccept(struct mbox_file *mf, struct mbox_msg *msg);
bool mbox_call_abandoned(const struct mbox_msg *msg);
void mbox_call_refuse(struct mbox_msg *msg);
int mbox_call_reply(struct mbox_file *mf, u64 id, struct mbox_msg *reply);
void mbox_call_file_release(struct mbox_file *mf);

/* notify.c: arrival notification */
int mbox_notify_set(struct mbox *mb, const struct mboxio_notify *args,
		    u64 *token);
void mbox_notify_take(struct mbox *mb, struct mbox_wakeups *wq,
		      const struct mbox_msg *back);
void mbox_notify_deliver(struct mbox_wakeups *wq);
int mbox_notify_wait(struct mbox *mb, u64 token);
void mbox_notify_flush(struct mbox *mb);
void mbox_notify_destroy(struct mbox *mb);

/* lease.c: leased receives */
void mbox_lease_init(struct mbox *mb);
void mbox_lease_destroy(struct mbox *mb);
struct mbox_lease *mbox_lease_new(struct mbox *mb,
				  const struct mbox_sender *lessee);
void mbox_lease_free(struct mbox_lease *lease);
void mbox_lease_start(struct mbox_file *mf, struct mbox_lease *lease,
		      struct mbox_msg *msg, u64 lease_ns);
int mbox_lease_end(struct mbox_file *mf, u64 id, u32 op, u64 lease_ns);
void mbox_lease_file_release(struct mbox_file *mf);

/* msg.c: message memory */
void mbox_msg_cache_init(struct mbox *mb);
struct mbox_msg *mbox_msg_new(struct mbox *mb, struct iov_iter *from,
			      const struct mbox_sender *sender);
int mbox_msg_claim(struct mbox_msg *msg, const struct mbox_sender *sender,
		   const void __user *uclaim, u32 len);
u32 mbox_msg_cache_charge(const struct mbox *mb);
int mbox_sender_charge(const struct mbox_sender *sender, size_t cost);
size_t mbox_msg_cost(const struct mbox *mb, u32 len);
void mbox_msg_free(struct mbox *mb, struct mbox_msg *msg);
void mbox_msg_cache_drain(struct mbox *mb);

/* registry.c: the name table, the mailbox count and access checks */
extern struct mutex mbox_registry_lock;
int mbox_name_from_user(char *name, u64 uptr);
int mbox_register(struct mbox *mb, const char *name);
int mbox_mq_may_create(const char *name);
void mbox_unregister(struct mbox *mb);
void mbox_forget(struct mbox *mb);
struct mbox *mbox_unhash_one(struct mbox_ns *ns);
unsigned int mbox_count(void);
void *mbox_seq_start(struct seq_file *m, loff_t *pos);
void *mbox_seq_next(struct seq_file *m, void *v, loff_t *pos);
void mbox_seq_stop(struct seq_file *m, void *v);
bool mbox_seq_is_header(struct seq_file *m, void *v);
struct mbox_ns *mbox_seq_ns(void);

/* ns.c: IPC namespaces */
int mbox_ns_init(void);
void mbox_ns_exit(void);
struct mbox_ns *mbox_ns_current(bool create);
void mbox_ns_get(struct mbox_ns *ns);
void mbox_ns_put(struct mbox_ns *ns);
struct mbox *mbox_lookup(const char *name, u32 fd_flags);
int mbox_unlink(const char *name);

/* user.c: per-user limits */
struct mbox_user *mbox_user_get(kuid_t uid);
void mbox_user_put(struct mbox_user *u);
int mbox_user_charge_bytes(struct mbox_user *u, size_t bytes, bool unlimited);
void mbox_user_uncharge_bytes(struct mbox_user *u, size_t bytes);
int mbox_user_charge_mailbox(struct mbox_user *u, size_t bytes, bool unlimited);
void mbox_user_uncharge_mailbox(struct mbox_user *u, size_t bytes);
void mbox_user_usage(kuid_t uid, u32 *mailboxes, u64 *bytes);

/* file.c: mailbox file descriptors */
int mbox_install_fd(struct mbox *mb, u32 fd_flags);

/* proc.c: /proc/driver/mbox */
int mbox_proc_init(void);
void mbox_proc_exit(void);

/* show.c: the text forms of struct mboxio_stat */
void mbox_show_header(struct seq_file *m);
void mbox_show_row(struct seq_file *m, const struct mbox *mb,
		   const struct mboxio_stat *st);
void mbox_show_fdinfo(struct seq_file *m, const struct mbox *mb,
		      const struct mboxio_stat *st);

#endif /* _MBOX_INTERNAL_H */
