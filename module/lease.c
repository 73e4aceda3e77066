// SPDX-License-Identifier: GPL-2.0
/*
 * Leased receives: a receiver takes a message and settles it later.
 *
 * A receive with MBOX_MSG_LEASE claims a message as any receive does
 * (mailbox.c) and copies it out, but does not let it go: the message stays
 * claimed, counted in mb->taking, so a bounded mailbox keeps its slot, and
 * a struct mbox_lease on the receiving file holds it under a handle. The
 * lease ends in one of three ways, always under the mailbox lock:
 *
 *  commit	the lessee is done: the message goes as after a plain
 *		receive (mbox_recv_done()), its slot to the next sender.
 *  release	the lessee gives it back, or the lease ends without a
 *		word: its deadline passed (mbox_lease_expire()), or the
 *		file was released, which is also what the lessee's death
 *		amounts to. The message goes back in line where it was
 *		(mbox_recv_requeue()), to be delivered again.
 *  extend	not an end: the deadline moves.
 *
 * Whoever takes a lease off its file's tree under the lock owns its
 * message from then on; the others find no lease (ENOENT), so a commit
 * racing an expiry or a release either wins and settles the message or
 * loses and does nothing: the message is settled exactly once.
 *
 * A lease is put on its file's tree only after the message and its handle
 * were copied out: no thread sharing the file can commit a message that
 * is still being copied, and a copy that faults puts the message back as
 * for a plain receive, with no lease to undo.
 *
 * Deadlines are CLOCK_MONOTONIC, kept in mb->lease_deadlines, with one
 * delayed work per mailbox armed for the soonest. The work runs in process
 * context, so it takes the mailbox lock as every other path does (a timer
 * callback could not: the lock is not irq-safe). Its resolution is a
 * jiffy; a lease lasts at least as long as asked, and about a tick more.
 */

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "mbox.h"

/* The next lease's handle: 64 bits never wrap, so none is reused. */
static atomic64_t mbox_lease_ids = ATOMIC64_INIT(0);

static void mbox_lease_expire(struct work_struct *work);

/* A new mailbox has no lease. */
void mbox_lease_init(struct mbox *mb)
{
	mb->lease_deadlines = RB_ROOT_CACHED;
	INIT_DELAYED_WORK(&mb->lease_work, mbox_lease_expire);
}

/*
 * The mailbox is being freed: no file refers to it, so no lease is left
 * (each file released its own), but the work may still be armed for one
 * that ended otherwise.
 */
void mbox_lease_destroy(struct mbox *mb)
{
	WARN_ON_ONCE(mb->leased || !RB_EMPTY_ROOT(&mb->lease_deadlines.rb_root));
	cancel_delayed_work_sync(&mb->lease_work);
}

/**
 * mbox_lease_new() - a lease record for a receive about to claim a message
 * @mb:		the mailbox
 * @lessee:	who receives: charged until the record is freed
 *
 * Allocated before the claim, which happens under the lock. The lessee
 * pays for the record and as much again as the largest message of @mb
 * costs: the message stays charged to its sender, but it is the lessee
 * that keeps it in the kernel, and on a rendezvous mailbox, where senders
 * do not wait for room, nothing else would bound how much of a sender's
 * allowance a reader could pin with leases.
 *
 * Return: the record, with its handle; ERR_PTR(-EDQUOT) or
 * ERR_PTR(-ENOMEM).
 */
struct mbox_lease *mbox_lease_new(struct mbox *mb,
				  const struct mbox_sender *lessee)
{
	u32 charge = kmalloc_size_roundup(sizeof(struct mbox_lease)) +
		     mbox_msg_cost(mb, mb->msg_size);
	struct mbox_lease *lease;
	int err;

	err = mbox_sender_charge(lessee, charge);
	if (err)
		return ERR_PTR(err);
	lease = kzalloc(sizeof(*lease), GFP_KERNEL_ACCOUNT);
	if (!lease) {
		mbox_user_uncharge_bytes(lessee->user, charge);
		return ERR_PTR(-ENOMEM);
	}
	lease->id = atomic64_inc_return(&mbox_lease_ids);
	refcount_inc(&lessee->user->ref);
	lease->user = lessee->user;
	lease->charge = charge;
	RB_CLEAR_NODE(&lease->file_node);
	RB_CLEAR_NODE(&lease->dl_node);
	return lease;
}

/**
 * mbox_lease_free() - free a lease record that holds no message
 * @lease:	a record from mbox_lease_new(), never started, or ended
 *
 * Must be called without the mailbox lock: it may drop the last
 * reference to the lessee's accounting.
 */
void mbox_lease_free(struct mbox_lease *lease)
{
	mbox_user_uncharge_bytes(lease->user, lease->charge);
	mbox_user_put(lease->user);
	kfree(lease);
}

static int mbox_lease_cmp(const void *key, const struct rb_node *node)
{
	u64 id = *(const u64 *)key;
	u64 other = rb_entry(node, struct mbox_lease, file_node)->id;

	return id < other ? -1 : id > other;
}

static bool mbox_lease_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct mbox_lease, file_node)->id <
	       rb_entry(b, struct mbox_lease, file_node)->id;
}

static bool mbox_deadline_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct mbox_lease, dl_node)->deadline <
	       rb_entry(b, struct mbox_lease, dl_node)->deadline;
}

/* When a lease of @lease_ns (0: no deadline) taken now would end. */
static ktime_t mbox_lease_deadline(u64 lease_ns)
{
	if (!lease_ns)
		return KTIME_MAX;
	return ktime_add_safe(ktime_get(), ns_to_ktime(lease_ns));
}

/*
 * Arm the work for the soonest deadline. Called under the lock whenever
 * the soonest may have come closer, and by the work itself; since every
 * caller reads the tree under the lock, the last to arm it saw the truth.
 * A deadline that went (committed, released) leaves the work armed early:
 * it then finds nothing due and arms itself again.
 */
static void mbox_lease_arm(struct mbox *mb)
{
	struct rb_node *first = rb_first_cached(&mb->lease_deadlines);
	unsigned long delay = 0;
	ktime_t left;

	lockdep_assert_held(&mb->lock);
	if (!first)
		return;
	left = ktime_sub(rb_entry(first, struct mbox_lease, dl_node)->deadline,
			 ktime_get());
	if (left > 0)
		delay = min_t(u64, nsecs_to_jiffies64(left) + 1,
			      MAX_JIFFY_OFFSET);
	mod_delayed_work(system_wq, &mb->lease_work, delay);
}

static void mbox_lease_set_deadline(struct mbox *mb, struct mbox_lease *lease,
				    ktime_t deadline)
{
	if (!RB_EMPTY_NODE(&lease->dl_node)) {
		rb_erase_cached(&lease->dl_node, &mb->lease_deadlines);
		RB_CLEAR_NODE(&lease->dl_node);
	}
	lease->deadline = deadline;
	if (deadline == KTIME_MAX)
		return;
	if (rb_add_cached(&lease->dl_node, &mb->lease_deadlines,
			  mbox_deadline_less))
		mbox_lease_arm(mb);
}

/**
 * mbox_lease_start() - a message received on lease was copied out
 * @mf:		the receiver's file, which holds the lease from now on
 * @lease:	a record from mbox_lease_new(), whose handle was copied out
 * @msg:	the message, claimed by the receiver; the lease's now
 * @lease_ns:	how long the lease lasts from now, or 0 for no deadline
 */
void mbox_lease_start(struct mbox_file *mf, struct mbox_lease *lease,
		      struct mbox_msg *msg, u64 lease_ns)
{
	struct mbox *mb = mf->mb;
	ktime_t deadline = mbox_lease_deadline(lease_ns);

	spin_lock(&mb->lock);
	lease->msg = msg;
	lease->holder = mf;
	rb_add(&lease->file_node, &mf->leases, mbox_lease_less);
	mb->leased++;
	mbox_lease_set_deadline(mb, lease, deadline);
	spin_unlock(&mb->lock);
}

/* Take @lease off its file and the deadlines: its message is the caller's. */
static struct mbox_msg *mbox_lease_unlink(struct mbox *mb,
					  struct mbox_lease *lease)
{
	lockdep_assert_held(&mb->lock);
	rb_erase(&lease->file_node, &lease->holder->leases);
	RB_CLEAR_NODE(&lease->file_node);
	mbox_lease_set_deadline(mb, lease, KTIME_MAX);
	mb->leased--;
	return lease->msg;
}

/**
 * mbox_lease_end() - commit, release or extend a lease held through @mf
 * @mf:		the lessee's file
 * @id:		the lease's handle
 * @op:		MBOX_LEASE_COMMIT, MBOX_LEASE_RELEASE or MBOX_LEASE_EXTEND
 * @lease_ns:	MBOX_LEASE_EXTEND: the new duration from now (0: none)
 *
 * Return: 0, or -ENOENT if @mf holds no lease @id.
 */
int mbox_lease_end(struct mbox_file *mf, u64 id, u32 op, u64 lease_ns)
{
	struct mbox *mb = mf->mb;
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_lease *lease;
	struct mbox_msg *msg;
	struct rb_node *node;
	ktime_t deadline = 0;

	if (op == MBOX_LEASE_EXTEND)
		deadline = mbox_lease_deadline(lease_ns);
	spin_lock(&mb->lock);
	node = rb_find(&id, &mf->leases, mbox_lease_cmp);
	if (!node) {
		spin_unlock(&mb->lock);
		return -ENOENT;
	}
	lease = rb_entry(node, struct mbox_lease, file_node);
	if (op == MBOX_LEASE_EXTEND) {
		mbox_lease_set_deadline(mb, lease, deadline);
		spin_unlock(&mb->lock);
		return 0;
	}
	msg = mbox_lease_unlink(mb, lease);
	if (op == MBOX_LEASE_RELEASE)
		mbox_recv_requeue(mb, msg, &wq);
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(&wq);
	if (op == MBOX_LEASE_COMMIT)
		mbox_recv_done(mb, msg);
	mbox_lease_free(lease);
	return 0;
}

/**
 * mbox_lease_file_release() - a mailbox file goes: release its leases
 * @mf:	the file, which nothing else uses any more
 *
 * Every message it holds on lease goes back in line, as if released.
 */
void mbox_lease_file_release(struct mbox_file *mf)
{
	struct mbox *mb = mf->mb;
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_lease *lease;
	struct rb_node *node;

	for (;;) {
		spin_lock(&mb->lock);
		node = rb_first(&mf->leases);
		if (!node) {
			spin_unlock(&mb->lock);
			break;
		}
		lease = rb_entry(node, struct mbox_lease, file_node);
		mbox_recv_requeue(mb, mbox_lease_unlink(mb, lease),
				  &wq);
		spin_unlock(&mb->lock);
		mbox_wakeups_flush(&wq);
		mbox_lease_free(lease);
		/* A file may hold thousands of leases. */
		cond_resched();
	}
}

/* Leases the deadline work ends per hold of the mailbox lock. */
#define MBOX_LEASE_EXPIRE_BATCH	32

/*
 * The deadline work: release every lease whose deadline has passed, then
 * arm for the next. Deadlines that fall due together (thousands, if a
 * user made them so) are ended MBOX_LEASE_EXPIRE_BATCH at a time, with the
 * lock dropped and a preemption point between, so that nobody waits on
 * the lock for all of them; the records are freed with the lock dropped.
 */
static void mbox_lease_expire(struct work_struct *work)
{
	struct mbox *mb = container_of(to_delayed_work(work), struct mbox,
				       lease_work);
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_lease *lease, *tmp;
	struct rb_node *first;
	unsigned int n;
	ktime_t now;
	LIST_HEAD(expired);

	for (;;) {
		spin_lock(&mb->lock);
		now = ktime_get();
		for (n = 0; n < MBOX_LEASE_EXPIRE_BATCH; n++) {
			first = rb_first_cached(&mb->lease_deadlines);
			if (!first)
				break;
			lease = rb_entry(first, struct mbox_lease, dl_node);
			if (lease->deadline > now)
				break;
			mbox_recv_requeue(mb, mbox_lease_unlink(mb, lease),
					  &wq);
			list_add_tail(&lease->gc, &expired);
		}
		if (n < MBOX_LEASE_EXPIRE_BATCH)
			mbox_lease_arm(mb);
		spin_unlock(&mb->lock);
		mbox_wakeups_flush(&wq);
		list_for_each_entry_safe(lease, tmp, &expired, gc)
			mbox_lease_free(lease);
		INIT_LIST_HEAD(&expired);
		if (n < MBOX_LEASE_EXPIRE_BATCH)
			break;
		cond_resched();
	}
}
