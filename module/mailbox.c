// SPDX-License-Identifier: GPL-2.0
/*
 * The mailbox: queueing, hand-off to receivers, waiting, shutdown, stats.
 *
 * Locking. Each mailbox has one spinlock, mbox->lock, which protects its
 * queue, its two wait lists, its counters and the state of every waiter on
 * those lists (see mbox.h). It is never held across a user copy, an
 * allocation or a sleep: payloads are copied in before it is taken and
 * copied out after a receiver has claimed its message.
 *
 * Who sleeps where. A task that must wait puts a struct mbox_waiter on its
 * stack onto mbox->senders or mbox->receivers, in arrival order, and sleeps
 * on mbox->wait_wq until its state leaves MBOX_W_WAITING (mbox_wait()).
 * Its entry there wakes only for a wakeup that names its waiter
 * (mbox_wake_fn()), so the queue never wakes a herd: it is the kernel's way
 * to give a chosen task a synchronous (WF_SYNC) wakeup, as pipes do.
 *
 * Who wakes whom. mbox_dispatch() is the one place that pairs messages with
 * waiting receivers: the oldest receiver gets the next message (the
 * oldest of the highest priority: mbox_next_msg()); its
 * waiter is taken off the list and given its result under the lock, and
 * the task is woken after the lock is dropped (struct mbox_wakeups), as
 * ipc/mqueue.c does with its wake_q, so that it does not wake only to spin
 * on a lock its waker still holds. The waker then holds no reference to
 * the waiter, only its address as a key: a waiter leaves mbox->wait_wq
 * under the queue's lock (finish_wait()) before its stack goes, and a key
 * that no entry matches any more wakes nobody. Every path that makes a message
 * available (send, a freed slot, a message put back) or ends availability
 * (shutdown) calls mbox_dispatch(). A woken waiter already owns its result,
 * so it never loses a race and never waits again for the same event.
 *
 * Results without the lock. A waker writes a waiter's state last, with
 * release semantics, after every other field of the result, and never
 * touches the waiter (which lives on its task's stack) again. The woken
 * task reads its state with acquire semantics and, if it has a final
 * result, returns without taking the mailbox lock again. A wakeup whose
 * key has meanwhile come to name a new waiter at the same address (the
 * same task, waiting again) is spurious for it: it finds its state still
 * MBOX_W_WAITING and queues itself again before it rechecks under the lock.
 *
 * Rendezvous. With capacity 0 a sender's message stays on offer on its own
 * waiter until a receiver claims it; the claim completes the send. The
 * payload is already in kernel memory, so the sender never waits for the
 * receiver's copy-out, which a receiver can stall at will (userfaultfd,
 * FUSE): a sender's deadline, signals and MBOX_MSG_DONTWAIT rule its wait
 * alone. If the copy faults the message goes onto the queue, in its place
 * among the offers, for the next receiver: a failed receive takes nothing,
 * and a message whose send succeeded is never lost.
 *
 * Claim and finish. A receiver claims a message under the lock
 * (mbox_recv_claim()), copies it out without the lock, and then either is
 * done with it (mbox_recv_done(), usually without the lock) or puts it back
 * (mbox_recv_undo()) where it was in line, with its number. Until then the
 * message keeps its slot in a bounded mailbox and, after shutdown, keeps
 * receivers from being told that the mailbox is drained (@taking).
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/random.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/wait.h>

#include "mbox.h"

/* Whether message @a leaves before @b: priority, then arrival. */
static bool mbox_msg_precedes(const struct mbox_msg *a,
			      const struct mbox_msg *b)
{
	if (a->node.prio != b->node.prio)
		return a->node.prio > b->node.prio;
	return a->order < b->order;
}

static bool mbox_put_back_less(struct rb_node *a, const struct rb_node *b)
{
	return mbox_msg_precedes(rb_entry(a, struct mbox_msg, node.rb),
				 rb_entry(b, struct mbox_msg, node.rb));
}

/*
 * The head of @mb's queue (the next message, but for rendezvous offers):
 * the better of the first message put back and the first accepted.
 */
static struct mbox_msg *mbox_queue_first(const struct mbox *mb)
{
	struct rb_node *rb = rb_first_cached(&mb->put_back);
	struct mbox_pq_node *n = mbox_pq_first(&mb->queue);
	struct mbox_msg *back, *fresh;

	back = rb ? rb_entry(rb, struct mbox_msg, node.rb) : NULL;
	fresh = n ? container_of(n, struct mbox_msg, node) : NULL;
	if (!back || (fresh && mbox_msg_precedes(fresh, back)))
		return fresh;
	return back;
}

/* Take @msg, queued or put back, off the queue. */
static void mbox_queue_del(struct mbox *mb, struct mbox_msg *msg)
{
	if (msg->put_back) {
		rb_erase_cached(&msg->node.rb, &mb->put_back);
		RB_CLEAR_NODE(&msg->node.rb);
		msg->put_back = false;
	} else {
		mbox_pq_del(&mb->queue, &msg->node);
	}
	mb->queued--;
	mb->queued_bytes -= msg->len;
}

/* The first waiter of @mb->senders or @mb->receivers, or NULL. */
static struct mbox_waiter *mbox_first_waiter(const struct mbox_pq *pq)
{
	struct mbox_pq_node *n = mbox_pq_first(pq);

	return n ? container_of(n, struct mbox_waiter, node) : NULL;
}

/**
 * mbox_new() - allocate a mailbox
 * @args: the validated create request
 *
 * The mailbox pins the module until mbox_free(), so that no queued message
 * can be lost to an unload.
 *
 * Return: a mailbox with one reference, owned by the caller, or NULL.
 */
struct mbox *mbox_new(const struct mboxio_create *args)
{
	struct mbox *mb;

	mb = kzalloc(sizeof(*mb), GFP_KERNEL_ACCOUNT);
	if (!mb)
		return NULL;

	kref_init(&mb->ref);
	INIT_LIST_HEAD(&mb->node);
	INIT_HLIST_NODE(&mb->hnode);
	mb->capacity = args->capacity;
	mb->msg_size = args->msg_size;
	mb->mode = args->mode & ~current_umask();
	mb->uid = current_euid();
	mb->gid = current_egid();
	spin_lock_init(&mb->lock);
	mbox_pq_init(&mb->queue);
	mb->put_back = RB_ROOT_CACHED;
	mbox_pq_init(&mb->senders);
	mbox_pq_init(&mb->receivers);
	init_waitqueue_head(&mb->wait_wq);
	init_waitqueue_head(&mb->notify_wq);
	init_waitqueue_head(&mb->poll_wq);
	mb->id = get_random_u64();
	mbox_lease_init(mb);
	mbox_msg_cache_init(mb);
	/* Called from an ioctl on one of our files: the module is pinned. */
	__module_get(THIS_MODULE);
	return mb;
}

/**
 * mbox_charge_creator() - charge a new mailbox to the user creating it
 * @mb: a mailbox from mbox_new(), not yet visible to anyone
 *
 * The creator's real uid owns one more mailbox and pays for the mailbox's
 * fixed memory (user.c) until it is freed. CAP_SYS_RESOURCE exceeds the
 * limits; it is asked for only when they would refuse.
 *
 * Return: 0, -EDQUOT past max_user_mailboxes or max_user_bytes, -ENOMEM.
 */
int mbox_charge_creator(struct mbox *mb)
{
	struct mbox_user *u = mbox_user_get(current_uid());
	u32 fixed = kmalloc_size_roundup(sizeof(*mb)) +
		    mbox_msg_cache_charge(mb);
	int err;

	if (!u)
		return -ENOMEM;
	err = mbox_user_charge_mailbox(u, fixed, false);
	if (err == -EDQUOT && capable(CAP_SYS_RESOURCE))
		err = mbox_user_charge_mailbox(u, fixed, true);
	if (err) {
		mbox_user_put(u);
		return err;
	}
	mb->user = u;
	mb->fixed_charge = fixed;
	return 0;
}

static void mbox_free(struct kref *ref)
{
	struct mbox *mb = container_of(ref, struct mbox, ref);
	struct mbox_msg *msg;

	/* No file and no name refer to it: nobody can be waiting on it. */
	WARN_ON_ONCE(!mbox_pq_empty(&mb->senders) ||
		     !mbox_pq_empty(&mb->receivers) || atomic_read(&mb->taking));
	mbox_lease_destroy(mb);
	while ((msg = mbox_queue_first(mb))) {
		mbox_queue_del(mb, msg);
		mbox_msg_free(mb, msg);
	}
	mbox_msg_cache_drain(mb);
	mbox_notify_destroy(mb);
	mbox_forget(mb);
	if (mb->user) {
		mbox_user_uncharge_mailbox(mb->user, mb->fixed_charge);
		mbox_user_put(mb->user);
	}
	kfree(mb);
	module_put(THIS_MODULE);
}

/**
 * mbox_put() - drop a reference; the last one frees the mailbox
 * @mb: the mailbox
 *
 * Must not be called with the registry mutex or @mb->lock held.
 */
void mbox_put(struct mbox *mb)
{
	kref_put(&mb->ref, mbox_free);
}

/*
 * Wake the task of waiter @key, if it still sleeps on @mb->wait_wq. @key
 * is only compared, never followed: its task may have returned already.
 * The wakeup is synchronous (WF_SYNC), as a pipe's: the waker is usually
 * about to wait for the answer, so the scheduler may run the wakee on the
 * waker's CPU instead of sending an interrupt to another.
 */
static void mbox_wake_key(struct mbox *mb, struct mbox_waiter *key)
{
	__wake_up_sync_key(&mb->wait_wq, TASK_NORMAL, key);
}

/*
 * Give @w its final @state and arrange for its task to be woken. The state
 * is written last, with release semantics, and @w is not touched after it:
 * from then on its task may return and reuse the stack @w lives on.
 */
static void mbox_set_state(struct mbox_wakeups *wq, struct mbox_waiter *w,
			   enum mbox_wait_state state)
{
	if (w->wqe.private == current) {
		w->state = state;	/* our own waiter: nobody to wake */
		return;
	}
	/* Pairs with the acquire in mbox_wait(). */
	smp_store_release(&w->state, state);
	if (wq->nr < ARRAY_SIZE(wq->keys)) {
		wq->keys[wq->nr++] = w;
		return;
	}
	mbox_wake_key(wq->mb, w);
}

/**
 * mbox_set_done() - a caller's call is over: wake it (call.c)
 * @wq:	wakeups to issue once @wq->mb's lock is dropped
 * @w:	the call's waiter, on no list
 */
void mbox_set_done(struct mbox_wakeups *wq, struct mbox_waiter *w)
{
	lockdep_assert_held(&wq->mb->lock);
	mbox_set_state(wq, w, MBOX_W_DONE);
}

/**
 * mbox_wakeups_flush() - wake what mbox_set_state() collected, and deliver
 * an arrival notification mbox_notify_take() took
 * @wq:	the wakeups; called without the mailbox lock
 */
void mbox_wakeups_flush(struct mbox_wakeups *wq)
{
	unsigned int i;

	for (i = 0; i < wq->nr; i++)
		mbox_wake_key(wq->mb, wq->keys[i]);
	wq->nr = 0;
	if (wq->notify || wq->notify_wake)
		mbox_notify_deliver(wq);
}

/*
 * The wake function of a waiter's entry on @mb->wait_wq: wake only the
 * waiter that mbox_wake_key() names, and take its entry off the queue (as
 * autoremove_wake_function() does) so that it needs no lock to leave.
 */
static int mbox_wake_fn(struct wait_queue_entry *wqe, unsigned int mode,
			int sync, void *key)
{
	if (container_of(wqe, struct mbox_waiter, wqe) != key)
		return 0;
	return autoremove_wake_function(wqe, mode, sync, key);
}

/**
 * mbox_waiter_init() - set up @w for the current task; it is on no list yet
 * @w:		the waiter
 * @size:	a receiver's buffer size, else 0
 */
void mbox_waiter_init(struct mbox_waiter *w, u32 size)
{
	memset(w, 0, sizeof(*w));
	w->state = MBOX_W_WAITING;
	w->size = size;
	w->wqe.private = current;
	w->wqe.func = mbox_wake_fn;
	INIT_LIST_HEAD(&w->wqe.entry);
	INIT_LIST_HEAD(&w->node.link);
	RB_CLEAR_NODE(&w->node.rb);
}

/* Take @w off @pq, which @nr counts, with a result, to be woken. */
static void mbox_wake(struct mbox_wakeups *wq, struct mbox_waiter *w,
		      struct mbox_pq *pq, u32 *nr, enum mbox_wait_state state)
{
	mbox_pq_del(pq, &w->node);
	WRITE_ONCE(*nr, *nr - 1);
	mbox_set_state(wq, w, state);
}

static void mbox_wake_sender(struct mbox *mb, struct mbox_wakeups *wq,
			     struct mbox_waiter *w, enum mbox_wait_state state)
{
	mbox_wake(wq, w, &mb->senders, &mb->nr_senders, state);
}

static void mbox_wake_receiver(struct mbox *mb, struct mbox_wakeups *wq,
			       struct mbox_waiter *w,
			       enum mbox_wait_state state)
{
	mbox_wake(wq, w, &mb->receivers, &mb->nr_receivers, state);
}

/*
 * Tell poll/epoll waiters that @events may have become true. Every new
 * event wakes, as edge-triggered epoll needs.
 */
static void mbox_poll_wake(struct mbox *mb, __poll_t events)
{
	lockdep_assert_held(&mb->lock);
	/*
	 * We hold @mb->lock, just after the change. mbox_poll_mask() reads
	 * the state under the same lock after poll_wait() queued the poller:
	 * either the poller sees the change or we see the poller, so no
	 * barrier beyond the lock is needed.
	 */
	if (waitqueue_active(&mb->poll_wq))
		wake_up_interruptible_poll(&mb->poll_wq, events);
}

/*
 * The queue, in one place: where a message goes in (mbox_queue_insert()),
 * where it comes out (mbox_queue_del()), which message leaves next
 * (mbox_next_msg()), and whether a bounded mailbox has room
 * (mbox_has_room()).
 *
 * Messages leave by priority, then in the order they entered the mailbox
 * (@order). A new message has the highest @order: it goes to the tail of
 * its priority on @queue (prioq.c), in O(1) for a priority present. A
 * message given back (a faulting copy-out, a released lease) was the
 * first of the highest priority when it was taken, so it belongs before
 * every message of its priority on @queue, and among the others given
 * back by its @order: @put_back keeps them sorted so, in O(log n) however
 * many receivers give messages back, in whatever order, and the next
 * message is the better of the two heads (mbox_queue_first()).
 */
static void mbox_queue_insert(struct mbox *mb, struct mbox_msg *msg,
			      bool put_back)
{
	msg->put_back = put_back;
	if (put_back)
		rb_add_cached(&msg->node.rb, &mb->put_back, mbox_put_back_less);
	else
		mbox_pq_add(&mb->queue, &msg->node);
	if (msg->call) {
		/* Not taken (again): its caller may still withdraw it. */
		msg->call->req = msg;
		msg->call->seq = 0;
	}
	mb->queued++;
	mb->queued_bytes += msg->len;
	mbox_poll_wake(mb, EPOLLIN | EPOLLRDNORM);
}

/* Accept a new message into a bounded mailbox's queue. */
static void mbox_enqueue(struct mbox *mb, struct mbox_msg *msg)
{
	msg->order = ++mb->arrivals;
	mb->sent++;
	mbox_queue_insert(mb, msg, false);
}

/*
 * A receiver takes @msg: number it (numbers follow the order messages
 * leave the mailbox), count it as received (mbox_recv_undo() takes that
 * back) and as being copied out, which keeps its slot on a bounded mailbox
 * until the receiver is done.
 */
static void mbox_take(struct mbox *mb, struct mbox_msg *msg)
{
	if (!msg->seq) {
		msg->seq = ++mb->last_seq;
		msg->deliveries++;
	}
	if (msg->call) {
		/* Taken: its caller can no longer withdraw it. */
		msg->call->req = NULL;
		msg->call->seq = msg->seq;
	}
	atomic_inc(&mb->taking);
	mb->received++;
}

/*
 * The rendezvous sender whose offer the next receiver would get rather
 * than the head of the queue (a message put back), or NULL.
 */
static struct mbox_waiter *mbox_next_offer(struct mbox *mb)
{
	struct mbox_waiter *s;
	struct mbox_msg *head;

	if (mb->capacity)
		return NULL;
	s = mbox_first_waiter(&mb->senders);
	if (!s)
		return NULL;
	head = mbox_queue_first(mb);
	return !head || mbox_msg_precedes(s->msg, head) ? s : NULL;
}

/*
 * The message the next receiver would get, or NULL: the head of the queue,
 * or on a rendezvous mailbox the best offer if it comes first.
 */
static struct mbox_msg *mbox_next_msg(struct mbox *mb)
{
	struct mbox_waiter *s = mbox_next_offer(mb);

	return s ? s->msg : mbox_queue_first(mb);
}

/*
 * Whether a bounded mailbox can accept one more message: a message being
 * copied out keeps its slot (@taking). Never true with capacity 0.
 */
static bool mbox_has_room(struct mbox *mb)
{
	return mb->queued + atomic_read(&mb->taking) < mb->capacity;
}

/* Admit blocked senders of a bounded mailbox into its free slots. */
static void mbox_admit(struct mbox *mb, struct mbox_wakeups *wq)
{
	struct mbox_waiter *s;

	while (mbox_has_room(mb)) {
		s = mbox_first_waiter(&mb->senders);
		if (!s)
			break;
		mbox_enqueue(mb, s->msg);
		mbox_wake_sender(mb, wq, s, MBOX_W_DONE);
	}
}

/*
 * Claim @msg, the next message (mbox_next_msg()), for a receiver that will
 * copy it out (mbox_take()). A rendezvous offer is accepted now: its sender is done and
 * woken, and whatever becomes of the copy no longer concerns it (the
 * payload is in kernel memory; a fault puts it on the queue).
 */
static void mbox_claim(struct mbox *mb, struct mbox_msg *msg,
		       struct mbox_wakeups *wq)
{
	struct mbox_waiter *s = mbox_next_offer(mb);

	mbox_take(mb, msg);
	if (!s) {
		mbox_queue_del(mb, msg);
		return;
	}
	mb->sent++;
	mbox_wake_sender(mb, wq, s, MBOX_W_DONE);
}

/*
 * The oldest waiting receiver whose buffer @msg fits, or NULL. Those before
 * it whose buffers are too small are failed (-EMSGSIZE with the length)
 * rather than skipped, so FIFO order holds for everyone.
 */
static struct mbox_waiter *mbox_receiver_for(struct mbox *mb,
					     struct mbox_msg *msg,
					     struct mbox_wakeups *wq)
{
	struct mbox_waiter *r;

	while ((r = mbox_first_waiter(&mb->receivers))) {
		if (msg->len <= r->size)
			return r;
		r->size = msg->len;
		mbox_wake_receiver(mb, wq, r, MBOX_W_TOO_SMALL);
	}
	return NULL;
}

/* Give receiver @r the message it has taken. */
static void mbox_hand(struct mbox *mb, struct mbox_waiter *r,
		      struct mbox_msg *msg, struct mbox_wakeups *wq)
{
	r->msg = msg;
	mbox_wake_receiver(mb, wq, r, MBOX_W_HANDED);
}

/*
 * Pair what is available with who waits, oldest first on both sides: admit
 * blocked senders into free slots, then hand messages to receivers. A
 * receiver whose buffer is too small for the next message is failed
 * rather than skipped, so FIFO order holds for everyone. After shutdown a
 * receiver gets EPIPE only once nothing is queued and no receiver is still
 * copying a message that a fault could put back. On return either no
 * receiver waits or nothing is available for one.
 *
 * Callers that have just published a waiter or the shutdown flag issue a
 * full barrier first: mbox_recv_done() drops @taking without the lock, and
 * either it sees what they published or they see its decrement.
 */
static void mbox_dispatch(struct mbox *mb, struct mbox_wakeups *wq)
{
	struct mbox_waiter *r;
	struct mbox_msg *msg;

	lockdep_assert_held(&mb->lock);

	if (mb->capacity)
		mbox_admit(mb, wq);

	while ((r = mbox_first_waiter(&mb->receivers))) {
		msg = mbox_next_msg(mb);
		if (!msg) {
			if (!mb->shutdown || atomic_read(&mb->taking))
				break;
			mbox_wake_receiver(mb, wq, r, MBOX_W_SHUTDOWN);
			continue;
		}
		r = mbox_receiver_for(mb, msg, wq);
		if (!r)
			break;
		mbox_claim(mb, msg, wq);
		mbox_hand(mb, r, msg, wq);
	}
}

/* Whether a waiter must stop waiting, and with which error. */
static int mbox_wait_error(const struct mbox_wait *wait)
{
	ktime_t now;

	if (wait->nowait)
		return -EAGAIN;
	if (signal_pending(current))
		return -ERESTARTSYS;
	if (wait->deadline == KTIME_MAX)
		return 0;
	now = wait->clock == CLOCK_REALTIME ? ktime_get_real() : ktime_get();
	return ktime_compare(now, wait->deadline) >= 0 ? -ETIMEDOUT : 0;
}

/*
 * Sleep until @w has a result, or stop waiting as @wait, a signal or the
 * deadline says. Called with @mb->lock held; returns without it, after
 * waking the tasks in @wq.
 *
 * Return: 0 when @w has left MBOX_W_WAITING (read @w->state, which was
 * read with acquire semantics and is final); otherwise @w is taken off
 * @pq, which @nr counts (if any), and the error is -EAGAIN, -ERESTARTSYS
 * or -ETIMEDOUT. A CLOCK_REALTIME deadline is an absolute hrtimer on that
 * clock, which the kernel fires early when the clock is set past it.
 */
static int mbox_wait(struct mbox *mb, struct mbox_waiter *w,
		     struct mbox_pq *pq, u32 *nr,
		     const struct mbox_wait *wait, struct mbox_wakeups *wq)
	__releases(&mb->lock)
{
	ktime_t deadline = wait->deadline;
	int err;

	for (;;) {
		err = 0;
		if (w->state != MBOX_W_WAITING)
			break;
		err = mbox_wait_error(wait);
		if (err) {
			if (pq) {	/* NULL: a caller's reply wait, on no list */
				mbox_pq_del(pq, &w->node);
				WRITE_ONCE(*nr, *nr - 1);
			}
			break;
		}

		/*
		 * Queued (again, if a stale wakeup took the entry off) before
		 * the state is checked again under the lock: a waker that
		 * gives us a result after that check finds the entry.
		 */
		prepare_to_wait_exclusive(&mb->wait_wq, &w->wqe,
					  TASK_INTERRUPTIBLE);
		spin_unlock(&mb->lock);
		mbox_wakeups_flush(wq);
		if (deadline == KTIME_MAX)
			schedule();
		else
			schedule_hrtimeout_range_clock(&deadline,
						       current->timer_slack_ns,
						       HRTIMER_MODE_ABS,
						       wait->clock);
		/*
		 * Pairs with mbox_set_state(): a state other than WAITING is
		 * final and ours, lock or not, and nothing will write it again.
		 */
		if (smp_load_acquire(&w->state) != MBOX_W_WAITING)
			goto out_finish;
		spin_lock(&mb->lock);
	}
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(wq);
out_finish:
	/* Off @mb->wait_wq, taking its lock only if no waker took us off. */
	finish_wait(&mb->wait_wq, &w->wqe);
	return err;
}

/**
 * mbox_send() - send one message
 * @mb:		the mailbox
 * @msg:	a message from mbox_msg_new() for @mb; consumed
 * @wait:	how long to wait
 *
 * A rendezvous send completes when a receiver claims the message. From
 * then on the message is the receiver's (and, should its copy fault, the
 * mailbox's): the sender never waits for a receiver's copy-out, so its own
 * deadline, signals and MBOX_MSG_DONTWAIT rule its wait alone.
 *
 * Return: 0 once the message is queued (bounded) or claimed (rendezvous);
 * -EPIPE, -EAGAIN, -ETIMEDOUT or -ERESTARTSYS with nothing delivered.
 */
int mbox_send(struct mbox *mb, struct mbox_msg *msg,
	      const struct mbox_wait *wait)
{
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_waiter w;
	int err;

	spin_lock(&mb->lock);
	if (mb->shutdown) {
		spin_unlock(&mb->lock);
		err = -EPIPE;
		goto out_free;
	}

	/*
	 * Room, and no blocked sender that came first: accepted now. A
	 * receiver waiting means nothing is queued, so it gets the message
	 * straight from us, as mqueue's pipelined_send() does, without a trip
	 * through the queue (and without a readiness blip for pollers).
	 */
	if (mbox_pq_empty(&mb->senders) && mbox_has_room(mb)) {
		struct mbox_waiter *r = mbox_receiver_for(mb, msg, &wq);

		if (r) {
			msg->order = ++mb->arrivals;
			mb->sent++;
			mbox_take(mb, msg);
			mbox_hand(mb, r, msg, &wq);
		} else {
			mbox_enqueue(mb, msg);
			/* Into an empty mailbox, nobody waiting: notify. */
			if (mb->queued == 1)
				mbox_notify_take(mb, &wq, NULL);
		}
		spin_unlock(&mb->lock);
		mbox_wakeups_flush(&wq);
		return 0;
	}

	mbox_waiter_init(&w, 0);
	w.msg = msg;
	w.node.prio = msg->node.prio;
	if (!mb->capacity)
		msg->order = ++mb->arrivals;	/* its place among the offers */
	mbox_pq_add(&mb->senders, &w.node);
	WRITE_ONCE(mb->nr_senders, mb->nr_senders + 1);
	/* We are visible before @taking is read: see mbox_dispatch(). */
	smp_mb();
	mbox_dispatch(mb, &wq);
	if (!mb->capacity && w.state == MBOX_W_WAITING && !wait->nowait) {
		mbox_poll_wake(mb, EPOLLIN | EPOLLRDNORM);
		/* The only message on offer, nobody waiting: notify. */
		if (mb->nr_senders == 1 && !mb->queued)
			mbox_notify_take(mb, &wq, NULL);
	}

	err = mbox_wait(mb, &w, &mb->senders, &mb->nr_senders, wait, &wq);
	if (err)
		goto out_free;
	if (w.state == MBOX_W_DONE)
		return 0;
	err = -EPIPE;	/* MBOX_W_SHUTDOWN */
out_free:
	mbox_msg_free(mb, msg);
	return err;
}

/**
 * mbox_wait_reply() - wait until a call is answered (call.c)
 * @mb:		the mailbox the call was made on
 * @w:		the call's waiter, on no list
 * @wait:	how long: its deadline and signals (never "don't wait")
 *
 * Return: 0 once @w is MBOX_W_DONE, else -ETIMEDOUT or -ERESTARTSYS with
 * @w still waiting (a replier may finish it at any time after).
 */
int mbox_wait_reply(struct mbox *mb, struct mbox_waiter *w,
		    const struct mbox_wait *wait)
{
	struct mbox_wakeups wq = { .mb = mb };

	spin_lock(&mb->lock);
	w->wqe.private = current;
	return mbox_wait(mb, w, NULL, NULL, wait, &wq);
}

/**
 * mbox_withdraw() - take a queued request back off the queue (call.c)
 * @mb:		the mailbox
 * @msg:	a request on @mb->queue (its call's @req)
 * @wq:		wakeups to issue once the lock is dropped
 *
 * As if it had never been sent: it no longer counts as sent, and its slot
 * goes to the next blocked sender. The caller frees @msg after unlocking.
 */
void mbox_withdraw(struct mbox *mb, struct mbox_msg *msg,
		   struct mbox_wakeups *wq)
{
	lockdep_assert_held(&mb->lock);
	mbox_queue_del(mb, msg);
	msg->call->req = NULL;
	mb->sent--;
	mbox_dispatch(mb, wq);
	if (mb->capacity)
		mbox_poll_wake(mb, EPOLLOUT | EPOLLWRNORM);
}

/**
 * mbox_recv_claim() - take the next message to copy out
 * @mb:		the mailbox
 * @size:	the receiver's buffer size
 * @wait:	how long to wait
 * @needed:	set to the message's length on -EMSGSIZE
 *
 * The message is the caller's until it calls mbox_recv_done() (copied
 * out: the message is gone) or mbox_recv_undo() (the copy faulted: it goes
 * back where it was, with its number).
 *
 * Return: the message; ERR_PTR(-EMSGSIZE) if the next message does not
 * fit (it stays first in line); ERR_PTR(-EPIPE) once shut down and
 * drained; ERR_PTR(-EAGAIN, -ETIMEDOUT or -ERESTARTSYS).
 */
struct mbox_msg *mbox_recv_claim(struct mbox *mb, u32 size,
				 const struct mbox_wait *wait, u32 *needed)
{
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_waiter w;
	struct mbox_msg *msg;
	int err;

	spin_lock(&mb->lock);
	/*
	 * Nobody waits before us and the next message fits: claim it at once,
	 * as mbox_dispatch() would hand it to us, without queueing a waiter.
	 */
	msg = mbox_pq_empty(&mb->receivers) ? mbox_next_msg(mb) : NULL;
	if (msg && msg->len <= size) {
		mbox_claim(mb, msg, &wq);
		spin_unlock(&mb->lock);
		mbox_wakeups_flush(&wq);
		return msg;
	}

	mbox_waiter_init(&w, size);
	mbox_pq_add(&mb->receivers, &w.node);
	WRITE_ONCE(mb->nr_receivers, mb->nr_receivers + 1);
	/* As in mbox_send(): visible before @taking is read. */
	smp_mb();
	mbox_dispatch(mb, &wq);
	if (!mb->capacity && w.state == MBOX_W_WAITING && !wait->nowait)
		mbox_poll_wake(mb, EPOLLOUT | EPOLLWRNORM);
	err = mbox_wait(mb, &w, &mb->receivers, &mb->nr_receivers, wait, &wq);
	if (err)
		return ERR_PTR(err);

	switch (w.state) {
	case MBOX_W_HANDED:
		return w.msg;
	case MBOX_W_TOO_SMALL:
		*needed = w.size;
		return ERR_PTR(-EMSGSIZE);
	case MBOX_W_SHUTDOWN:
		return ERR_PTR(-EPIPE);
	default:
		WARN_ON_ONCE(1);
		return ERR_PTR(-EIO);
	}
}

/**
 * mbox_recv_done() - a claimed message was copied out: it is gone
 * @mb:		the mailbox
 * @msg:	the message from mbox_recv_claim(); freed
 *
 * Everything was settled at the claim, so the lock is taken only when a
 * freed slot (bounded) or the end of a drain (shut down) concerns someone
 * waiting: a blocked sender, a receiver owed EPIPE, or a poller. The
 * decrement of @taking is a full barrier (a value-returning atomic), and
 * everyone who starts to wait issues one after publishing itself and
 * before reading @taking (mbox_dispatch()): either we see them here, or
 * they see the slot free.
 */
void mbox_recv_done(struct mbox *mb, struct mbox_msg *msg)
{
	struct mbox_wakeups wq = { .mb = mb };
	bool waiters, shutdown;
	__poll_t events = 0;
	int left;

	mbox_msg_free(mb, msg);
	left = atomic_dec_return(&mb->taking);
	shutdown = READ_ONCE(mb->shutdown);
	/* Ordered after the decrement, which is a full barrier: see above. */
	waiters = waitqueue_active(&mb->poll_wq) ||
		  (shutdown && READ_ONCE(mb->nr_receivers));
	if (mb->capacity) {
		if (!waiters && !READ_ONCE(mb->nr_senders))
			return;
		events = EPOLLOUT | EPOLLWRNORM;
	} else if (left || !shutdown || !waiters) {
		return;
	}
	if (shutdown)
		events |= EPOLLIN | EPOLLRDNORM;

	spin_lock(&mb->lock);
	mbox_dispatch(mb, &wq);
	mbox_poll_wake(mb, events);
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(&wq);
}

/**
 * mbox_recv_undo() - a claimed message could not be copied out: put it back
 * @mb:		the mailbox
 * @msg:	the message from mbox_recv_claim()
 *
 * The message goes back where it was in line (mbox_queue_insert()), on the
 * queue of either kind of mailbox, and is no longer counted as received.
 * It keeps its number unless none was given out after it; then the number
 * is returned, so that the next receiver gets it again and leaves no gap.
 * A bounded mailbox kept its slot, so it never holds more than its
 * capacity; on a rendezvous mailbox the message waits in the queue (its
 * sender is done), taken in its turn with the offers. After shutdown it is there to be drained: no
 * receiver was told EPIPE while it was out (mbox_dispatch()). A request
 * nobody waits for any more (mbox_call_abandoned()) is done with instead.
 */
void mbox_recv_undo(struct mbox *mb, struct mbox_msg *msg)
{
	struct mbox_wakeups wq = { .mb = mb };

	spin_lock(&mb->lock);
	if (mbox_call_abandoned(msg)) {
		/*
		 * A request whose caller gave up after the claim (and was
		 * told it was taken), or that was answered: nobody waits for
		 * it, so it is done with, not put back.
		 */
		spin_unlock(&mb->lock);
		mbox_recv_done(mb, msg);
		return;
	}
	if (msg->seq == mb->last_seq) {
		mb->last_seq--;
		msg->seq = 0;
		msg->deliveries--;
	}
	atomic_dec(&mb->taking);
	mb->received--;
	mbox_queue_insert(mb, msg, true);
	mbox_dispatch(mb, &wq);
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(&wq);
}

/**
 * mbox_recv_requeue() - a claimed message was delivered, and comes back
 * @mb:		the mailbox, locked
 * @msg:	a message claimed by mbox_recv_claim() and copied out: a
 *		released lease's (lease.c)
 * @wq:		wakeups to issue once the lock is dropped
 *
 * It goes back in line where it was (mbox_queue_insert()), keeping the
 * slot it never gave up, and stays counted as received: that delivery
 * happened. It loses its number, to be numbered again, and counted as
 * delivered once more, by the receiver that takes it next. Into an empty
 * mailbox it is an arrival for a notification registrant, reported as
 * from its sender: the task putting it back may be the deadline work.
 */
void mbox_recv_requeue(struct mbox *mb, struct mbox_msg *msg,
		       struct mbox_wakeups *wq)
{
	lockdep_assert_held(&mb->lock);
	msg->seq = 0;
	atomic_dec(&mb->taking);
	mbox_queue_insert(mb, msg, true);
	mbox_dispatch(mb, wq);
	/*
	 * Back into an empty mailbox, and no receiver took it: an arrival,
	 * as far as a registrant for notification can tell (no offer was
	 * waiting on a rendezvous mailbox either).
	 */
	if (msg->put_back && mb->queued == 1 &&
	    !(!mb->capacity && mb->nr_senders))
		mbox_notify_take(mb, wq, msg);
}

/**
 * mbox_shutdown() - stop all sending for good
 * @mb: the mailbox
 *
 * Waiting senders fail with -EPIPE and their messages are dropped; queued
 * messages stay for receivers, who get -EPIPE once none is left.
 */
void mbox_shutdown(struct mbox *mb)
{
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_waiter *w;

	spin_lock(&mb->lock);
	if (!mb->shutdown) {
		WRITE_ONCE(mb->shutdown, true);
		/* Visible before @taking is read: see mbox_dispatch(). */
		smp_mb();
		while ((w = mbox_first_waiter(&mb->senders)))
			mbox_wake_sender(mb, &wq, w, MBOX_W_SHUTDOWN);
		mbox_dispatch(mb, &wq);
		mbox_poll_wake(mb, EPOLLIN | EPOLLRDNORM | EPOLLOUT |
				   EPOLLWRNORM | EPOLLHUP | EPOLLERR);
	}
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(&wq);
}

/**
 * mbox_stat() - snapshot a mailbox for MBOXIO_STAT
 * @mb: the mailbox
 * @st: filled in whole (no byte left unset)
 * @ns: the user namespace to give the owner's ids in: the caller's, or for
 *	/proc and fdinfo the opener's (seq_user_ns())
 *
 * A message a receiver is still copying out counts as received already;
 * should the copy fault, it comes back.
 */
void mbox_stat(struct mbox *mb, struct mboxio_stat *st,
	       struct user_namespace *ns)
{
	memset(st, 0, sizeof(*st));
	st->capacity = mb->capacity;
	st->msg_size = mb->msg_size;
	st->mode = mb->mode;
	st->uid = from_kuid_munged(ns, mb->uid);
	st->gid = from_kgid_munged(ns, mb->gid);
	st->mbox_id = mb->id;
	if (!READ_ONCE(mb->linked))
		st->flags |= MBOX_STAT_UNLINKED;

	spin_lock(&mb->lock);
	if (mb->shutdown)
		st->flags |= MBOX_STAT_SHUTDOWN;
	st->queued = mb->queued;
	st->waiting_senders = mb->nr_senders;
	st->waiting_receivers = mb->nr_receivers;
	st->leased = mb->leased;
	st->queued_bytes = mb->queued_bytes;
	st->sent = mb->sent;
	st->received = mb->received;
	spin_unlock(&mb->lock);
}

/**
 * mbox_poll_mask() - what a send or receive on a file could do at once
 * @mb:		the mailbox
 * @fmode:	the file's FMODE_READ and FMODE_WRITE
 *
 * Readable when a receive would not wait: a message is queued, a
 * rendezvous sender is offering, or the mailbox is shut down and no
 * message is out with a receiver that could still put it back (the receive
 * returns a message or -EPIPE). Writable when a send would not wait: a
 * free slot and no blocked sender, or a receiver waiting on a rendezvous
 * mailbox. After
 * shutdown: EPOLLHUP for everyone and EPOLLERR for senders, whose sends
 * now fail, as for a pipe without readers.
 *
 * Return: the EPOLL* mask.
 */
__poll_t mbox_poll_mask(struct mbox *mb, fmode_t fmode)
{
	__poll_t mask = 0;

	spin_lock(&mb->lock);
	if (mb->shutdown) {
		mask |= EPOLLHUP;
		/* Not while a message that a fault would put back is out. */
		if ((fmode & FMODE_READ) &&
		    (mbox_next_msg(mb) || !atomic_read(&mb->taking)))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (fmode & FMODE_WRITE)
			mask |= EPOLLOUT | EPOLLWRNORM | EPOLLERR;
	} else {
		/* Receivers wait only while nothing is available. */
		if ((fmode & FMODE_READ) && mbox_next_msg(mb))
			mask |= EPOLLIN | EPOLLRDNORM;
		if ((fmode & FMODE_WRITE) &&
		    (mb->capacity ? mbox_pq_empty(&mb->senders) && mbox_has_room(mb) :
				    mb->nr_receivers > 0))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	spin_unlock(&mb->lock);
	return mask;
}
