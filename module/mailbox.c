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
 * waiting receivers: the oldest receiver gets the oldest message; its
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
 * waiter; a receiver claims it (the sender is off the list but not done),
 * copies it out, and only then marks the sender done. If the copy faults
 * the offer goes back to the head of the list, so a failed receive takes
 * nothing and a sender whose call fails has delivered nothing.
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/wait.h>

#include "mbox.h"

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
	INIT_LIST_HEAD(&mb->queue);
	INIT_LIST_HEAD(&mb->senders);
	INIT_LIST_HEAD(&mb->receivers);
	init_waitqueue_head(&mb->wait_wq);
	init_waitqueue_head(&mb->poll_wq);
	mbox_msg_cache_init(mb);
	/* Called from an ioctl on one of our files: the module is pinned. */
	__module_get(THIS_MODULE);
	return mb;
}

static void mbox_free(struct kref *ref)
{
	struct mbox *mb = container_of(ref, struct mbox, ref);
	struct mbox_msg *msg, *tmp;

	/* No file and no name refer to it: nobody can be waiting on it. */
	WARN_ON_ONCE(!list_empty(&mb->senders) || !list_empty(&mb->receivers));
	list_for_each_entry_safe(msg, tmp, &mb->queue, link)
		mbox_msg_free(mb, msg);
	mbox_msg_cache_drain(mb);
	mbox_forget(mb);
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
 * Waiters to wake once the mailbox lock is dropped: mbox_wakeups_flush().
 * Few events wake more than one or two tasks; past MBOX_WAKE_BATCH (a
 * shutdown with many senders, say) the rest are woken on the spot.
 */
#define MBOX_WAKE_BATCH	8

struct mbox_wakeups {
	struct mbox *mb;
	unsigned int nr;
	struct mbox_waiter *keys[MBOX_WAKE_BATCH];
};

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
	/* Pairs with the acquire in mbox_wait() and mbox_wait_claimed(). */
	smp_store_release(&w->state, state);
	if (wq->nr < ARRAY_SIZE(wq->keys)) {
		wq->keys[wq->nr++] = w;
		return;
	}
	mbox_wake_key(wq->mb, w);
}

/* Wake what mbox_set_state() collected; called without the lock. */
static void mbox_wakeups_flush(struct mbox_wakeups *wq)
{
	unsigned int i;

	for (i = 0; i < wq->nr; i++)
		mbox_wake_key(wq->mb, wq->keys[i]);
	wq->nr = 0;
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

/* Set up @w for the current task; it is on no list yet. */
static void mbox_waiter_init(struct mbox_waiter *w, u32 size)
{
	memset(w, 0, sizeof(*w));
	w->state = MBOX_W_WAITING;
	w->size = size;
	w->wqe.private = current;
	w->wqe.func = mbox_wake_fn;
	INIT_LIST_HEAD(&w->wqe.entry);
	INIT_LIST_HEAD(&w->link);
}

/* Take @w off its list with a result, to be woken. */
static void mbox_wake(struct mbox_wakeups *wq, struct mbox_waiter *w,
		      u32 *nr, enum mbox_wait_state state)
{
	list_del_init(&w->link);
	(*nr)--;
	mbox_set_state(wq, w, state);
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

static void mbox_enqueue(struct mbox *mb, struct mbox_msg *msg)
{
	list_add_tail(&msg->link, &mb->queue);
	mb->queued++;
	mb->queued_bytes += msg->len;
	mb->sent++;
	mbox_poll_wake(mb, EPOLLIN | EPOLLRDNORM);
}

/* The message the next receiver would get, or NULL. */
static struct mbox_msg *mbox_next_msg(struct mbox *mb)
{
	struct mbox_waiter *s;

	if (mb->capacity)
		return list_first_entry_or_null(&mb->queue, struct mbox_msg,
						link);
	s = list_first_entry_or_null(&mb->senders, struct mbox_waiter, link);
	return s ? s->msg : NULL;
}

/* Admit blocked senders of a bounded mailbox into its free slots. */
static void mbox_admit(struct mbox *mb, struct mbox_wakeups *wq)
{
	struct mbox_waiter *s;

	while (mb->queued < mb->capacity) {
		s = list_first_entry_or_null(&mb->senders, struct mbox_waiter,
					     link);
		if (!s)
			break;
		mbox_enqueue(mb, s->msg);
		mbox_wake(wq, s, &mb->nr_senders, MBOX_W_DONE);
	}
}

/*
 * Claim @msg, the next message, for a receiver that will copy it out, and
 * number it: numbers follow the order messages leave the mailbox.
 * Bounded: the message leaves the queue and counts as received, and its
 * slot goes to the oldest blocked sender at once, so the receiver needs
 * no second trip through the lock once its copy succeeds.
 * Rendezvous: its sender leaves the list but is not done; it is not woken,
 * since it has nothing to do until the receiver finishes.
 */
static void mbox_claim(struct mbox *mb, struct mbox_msg *msg,
		       struct mbox_wakeups *wq)
{
	struct mbox_waiter *s = msg->sender;

	if (!msg->seq)
		msg->seq = ++mb->last_seq;
	if (mb->capacity) {
		list_del(&msg->link);
		mb->queued--;
		mb->queued_bytes -= msg->len;
		mb->received++;
		mbox_admit(mb, wq);
		mbox_poll_wake(mb, EPOLLOUT | EPOLLWRNORM);
		return;
	}
	list_del_init(&s->link);
	mb->nr_senders--;
	WRITE_ONCE(s->state, MBOX_W_CLAIMED);
}

/*
 * Pair what is available with who waits, oldest first on both sides: admit
 * blocked senders into free slots, then hand messages to receivers. A
 * receiver whose buffer is too small for the next message is failed
 * rather than skipped, so FIFO order holds for everyone. On return either
 * no receiver waits or nothing is available for one.
 */
static void mbox_dispatch(struct mbox *mb, struct mbox_wakeups *wq)
{
	struct mbox_waiter *r;
	struct mbox_msg *msg;

	lockdep_assert_held(&mb->lock);

	if (mb->capacity)
		mbox_admit(mb, wq);

	while (!list_empty(&mb->receivers)) {
		r = list_first_entry(&mb->receivers, struct mbox_waiter, link);
		msg = mbox_next_msg(mb);
		if (!msg) {
			if (!mb->shutdown)
				break;
			mbox_wake(wq, r, &mb->nr_receivers, MBOX_W_SHUTDOWN);
			continue;
		}
		if (msg->len > r->size) {
			r->size = msg->len;
			mbox_wake(wq, r, &mb->nr_receivers, MBOX_W_TOO_SMALL);
			continue;
		}
		mbox_claim(mb, msg, wq);
		r->msg = msg;
		mbox_wake(wq, r, &mb->nr_receivers, MBOX_W_HANDED);
	}
}

/* Whether a waiter must stop waiting, and with which error. */
static int mbox_wait_error(const struct mbox_wait *wait)
{
	if (wait->nowait)
		return -EAGAIN;
	if (signal_pending(current))
		return -ERESTARTSYS;
	if (wait->deadline != KTIME_MAX &&
	    ktime_compare(ktime_get(), wait->deadline) >= 0)
		return -ETIMEDOUT;
	return 0;
}

/*
 * Sleep until @w has a result, or stop waiting as @wait, a signal or the
 * deadline says. Called with @mb->lock held; returns without it, after
 * waking the tasks in @wq.
 *
 * Return: 0 when @w has left MBOX_W_WAITING (read @w->state, which was
 * read with acquire semantics); otherwise @w is taken off its list and the
 * error is -EAGAIN, -ERESTARTSYS or -ETIMEDOUT.
 */
static int mbox_wait(struct mbox *mb, struct mbox_waiter *w, u32 *nr,
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
			list_del_init(&w->link);
			(*nr)--;
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
						       CLOCK_MONOTONIC);
		/* Pairs with mbox_set_state(): the result is ours, lock or not. */
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

/*
 * A rendezvous sender whose message a receiver is copying waits for the
 * outcome: it must not report failure for a message that is being taken.
 * The copy is short, so only a fatal signal ends this wait; then the
 * message is left to the receiver, which frees it whatever happens.
 * Called and returns without @mb->lock.
 *
 * Return: 0 when the receiver has finished (@w->state is DONE, SHUTDOWN,
 * or WAITING again after a fault), -EINTR if we were killed first.
 */
static int mbox_wait_claimed(struct mbox *mb, struct mbox_waiter *w)
{
	int err = 0;

	/* Pairs with mbox_set_state() in mbox_taken()/mbox_put_back(). */
	if (smp_load_acquire(&w->state) != MBOX_W_CLAIMED)
		return 0;	/* usual: the receiver finished before we ran */
	for (;;) {
		prepare_to_wait_exclusive(&mb->wait_wq, &w->wqe, TASK_KILLABLE);
		/* As above; queued first, so a later wakeup finds us. */
		if (smp_load_acquire(&w->state) != MBOX_W_CLAIMED)
			break;
		if (fatal_signal_pending(current)) {
			finish_wait(&mb->wait_wq, &w->wqe);
			spin_lock(&mb->lock);
			if (w->state == MBOX_W_CLAIMED) {
				w->msg->sender = NULL;
				err = -EINTR;
			}
			spin_unlock(&mb->lock);
			return err;
		}
		schedule();
	}
	finish_wait(&mb->wait_wq, &w->wqe);
	return 0;
}

/**
 * mbox_send() - send one message
 * @mb:		the mailbox
 * @buf:	user pointer to the payload
 * @len:	payload length, at most @mb->msg_size
 * @wait:	how long to wait
 *
 * Return: 0 once the message is queued (bounded) or taken (rendezvous);
 * -ENOMEM, -EFAULT, -EPIPE, -EAGAIN, -ETIMEDOUT or -ERESTARTSYS with
 * nothing delivered; -EINTR if killed while a receiver copied the message.
 */
int mbox_send(struct mbox *mb, const void __user *buf, u32 len,
	      const struct mbox_wait *wait)
{
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_waiter w;
	struct mbox_msg *msg;
	int err = 0;

	msg = mbox_msg_new(mb, buf, len);
	if (IS_ERR(msg))
		return PTR_ERR(msg);

	spin_lock(&mb->lock);
	if (mb->shutdown) {
		spin_unlock(&mb->lock);
		mbox_msg_free(mb, msg);
		return -EPIPE;
	}

	/* Waiting senders mean a full queue: a free slot means none wait. */
	if (mb->queued < mb->capacity) {
		mbox_enqueue(mb, msg);
		mbox_dispatch(mb, &wq);
		spin_unlock(&mb->lock);
		mbox_wakeups_flush(&wq);
		return 0;
	}

	mbox_waiter_init(&w, 0);
	w.msg = msg;
	if (!mb->capacity)
		msg->sender = &w;
	list_add_tail(&w.link, &mb->senders);
	mb->nr_senders++;
	mbox_dispatch(mb, &wq);
	if (!mb->capacity && w.state == MBOX_W_WAITING && !wait->nowait)
		mbox_poll_wake(mb, EPOLLIN | EPOLLRDNORM);

	for (;;) {
		err = mbox_wait(mb, &w, &mb->nr_senders, wait, &wq);
		if (err)
			break;
		err = mbox_wait_claimed(mb, &w);
		if (err) {
			msg = NULL;	/* the receiver has it now */
			break;
		}
		/* As in mbox_wait(): DONE and SHUTDOWN need no lock. */
		if (smp_load_acquire(&w.state) != MBOX_W_WAITING)
			break;
		/* A receiver faulted and put the offer back: wait again. */
		spin_lock(&mb->lock);
	}

	if (!err) {
		if (w.state == MBOX_W_DONE)
			msg = NULL;
		else
			err = -EPIPE;	/* MBOX_W_SHUTDOWN */
	}
	if (msg)
		mbox_msg_free(mb, msg);
	return err;
}

/* A rendezvous receiver has copied @msg out: it is taken. */
static void mbox_taken(struct mbox *mb, struct mbox_msg *msg,
		       struct mbox_wakeups *wq)
{
	struct mbox_waiter *s = msg->sender;

	mb->received++;
	mb->sent++;
	if (s)
		mbox_set_state(wq, s, MBOX_W_DONE);
}

/*
 * The receiver faulted copying @msg out: put it back first in line, on the
 * queue or on offer from its rendezvous sender (who fails with -EPIPE now
 * if the mailbox was shut down meanwhile). It keeps its number unless none
 * was given out after it; then the number is returned, so that a sender
 * withdrawing the message later leaves no gap. On a bounded mailbox the
 * message's slot may have gone to a sender meanwhile: the message goes
 * back all the same, and the queue holds one more than its capacity until
 * a receiver takes one (senders wait while it is full or over).
 *
 * Return: false if the message has nowhere to go (its sender was killed)
 * and the caller must free it.
 */
static bool mbox_put_back(struct mbox *mb, struct mbox_msg *msg,
			  struct mbox_wakeups *wq)
{
	struct mbox_waiter *s = msg->sender;

	if (msg->seq == mb->last_seq) {
		mb->last_seq--;
		msg->seq = 0;
	}
	if (mb->capacity) {
		list_add(&msg->link, &mb->queue);
		mb->queued++;
		mb->queued_bytes += msg->len;
		mb->received--;
		mbox_poll_wake(mb, EPOLLIN | EPOLLRDNORM);
		return true;
	}
	if (!s)
		return false;
	if (mb->shutdown) {
		mbox_set_state(wq, s, MBOX_W_SHUTDOWN);
		return true;
	}
	list_add(&s->link, &mb->senders);
	mb->nr_senders++;
	mbox_poll_wake(mb, EPOLLIN | EPOLLRDNORM);
	/* Not final: the sender takes the lock and waits again. */
	mbox_set_state(wq, s, MBOX_W_WAITING);
	return true;
}

/*
 * Finish a receive whose copy-out @copied or not, and free the message
 * unless it went back. A bounded mailbox settled everything at the claim
 * and needs the lock only to put a message back.
 */
static void mbox_finish_recv(struct mbox *mb, struct mbox_msg *msg,
			     bool copied)
{
	struct mbox_wakeups wq = { .mb = mb };

	if (copied && mb->capacity)
		goto out_free;
	spin_lock(&mb->lock);
	if (copied)
		mbox_taken(mb, msg, &wq);
	else if (mbox_put_back(mb, msg, &wq))
		msg = NULL;
	mbox_dispatch(mb, &wq);
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(&wq);
out_free:
	if (msg)
		mbox_msg_free(mb, msg);
}

/**
 * mbox_recv() - receive one message
 * @mb:		the mailbox
 * @buf:	user pointer to the buffer
 * @size:	buffer size
 * @wait:	how long to wait
 * @dlv:	filled in with what the receiver learns: the length; the
 *		sender and number too if there is a @report to pass them on
 * @report:	if not NULL, called once the payload is in @buf, before the
 *		message is taken, to pass @dlv on to @uarg: if it fails, the
 *		message goes back as after a fault in the payload's copy.
 * @uarg:	where @report writes.
 *
 * Return: the message length; -EMSGSIZE (with @dlv->len the size needed)
 * if the next message does not fit; -EPIPE once shut down and drained;
 * -EFAULT, -EAGAIN, -ETIMEDOUT or -ERESTARTSYS with nothing taken.
 */
int mbox_recv(struct mbox *mb, void __user *buf, u32 size,
	      const struct mbox_wait *wait, struct mbox_delivery *dlv,
	      int (*report)(const struct mbox_delivery *dlv, void __user *uarg),
	      void __user *uarg)
{
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_waiter w;
	struct mbox_msg *msg;
	bool copied;
	int err;

	spin_lock(&mb->lock);
	/*
	 * Nobody waits before us and the next message fits: claim it at once,
	 * as mbox_dispatch() would hand it to us, without queueing a waiter.
	 */
	msg = list_empty(&mb->receivers) ? mbox_next_msg(mb) : NULL;
	if (msg && msg->len <= size) {
		mbox_claim(mb, msg, &wq);
		spin_unlock(&mb->lock);
		mbox_wakeups_flush(&wq);
		goto copy;
	}

	mbox_waiter_init(&w, size);
	list_add_tail(&w.link, &mb->receivers);
	mb->nr_receivers++;
	mbox_dispatch(mb, &wq);
	if (!mb->capacity && w.state == MBOX_W_WAITING && !wait->nowait)
		mbox_poll_wake(mb, EPOLLOUT | EPOLLWRNORM);
	err = mbox_wait(mb, &w, &mb->nr_receivers, wait, &wq);
	if (err)
		return err;

	switch (w.state) {
	case MBOX_W_HANDED:
		break;
	case MBOX_W_TOO_SMALL:
		dlv->len = w.size;
		return -EMSGSIZE;
	case MBOX_W_SHUTDOWN:
		return -EPIPE;
	default:
		WARN_ON_ONCE(1);
		return -EIO;
	}
	msg = w.msg;

copy:
	dlv->len = msg->len;
	if (report) {	/* read(2) reports nothing but the length */
		struct user_namespace *ns = current_user_ns();

		dlv->pid = pid_vnr(msg->pid);
		dlv->uid = from_kuid_munged(ns, msg->uid);
		dlv->gid = from_kgid_munged(ns, msg->gid);
		dlv->seq = msg->seq;
	}
	copied = !copy_to_user(buf, msg->data, msg->len) &&
		 (!report || !report(dlv, uarg));
	mbox_finish_recv(mb, msg, copied);
	return copied ? dlv->len : -EFAULT;
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
	struct mbox_waiter *w, *tmp;
	struct mbox_wakeups wq = { .mb = mb };

	spin_lock(&mb->lock);
	if (!mb->shutdown) {
		mb->shutdown = true;
		list_for_each_entry_safe(w, tmp, &mb->senders, link)
			mbox_wake(&wq, w, &mb->nr_senders, MBOX_W_SHUTDOWN);
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
 *
 * A message a receiver is still copying out of a bounded mailbox counts as
 * received already; should the copy fault, it comes back.
 */
void mbox_stat(struct mbox *mb, struct mboxio_stat *st)
{
	struct user_namespace *ns = current_user_ns();

	memset(st, 0, sizeof(*st));
	st->capacity = mb->capacity;
	st->msg_size = mb->msg_size;
	st->mode = mb->mode;
	st->uid = from_kuid_munged(ns, mb->uid);
	st->gid = from_kgid_munged(ns, mb->gid);
	if (!READ_ONCE(mb->linked))
		st->flags |= MBOX_STAT_UNLINKED;

	spin_lock(&mb->lock);
	if (mb->shutdown)
		st->flags |= MBOX_STAT_SHUTDOWN;
	st->queued = mb->queued;
	st->waiting_senders = mb->nr_senders;
	st->waiting_receivers = mb->nr_receivers;
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
 * rendezvous sender is offering, or the mailbox is shut down (the receive
 * returns a message or -EPIPE). Writable when a send would not wait: a
 * free slot, or a receiver waiting on a rendezvous mailbox. After
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
		if (fmode & FMODE_READ)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (fmode & FMODE_WRITE)
			mask |= EPOLLOUT | EPOLLWRNORM | EPOLLERR;
	} else {
		/* Receivers wait only while nothing is available. */
		if ((fmode & FMODE_READ) && mbox_next_msg(mb))
			mask |= EPOLLIN | EPOLLRDNORM;
		if ((fmode & FMODE_WRITE) &&
		    (mb->capacity ? mb->queued < mb->capacity :
				    mb->nr_receivers > 0))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	spin_unlock(&mb->lock);
	return mask;
}
