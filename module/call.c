// SPDX-License-Identifier: GPL-2.0
/*
 * Request/reply: a call sends a request through a mailbox like any message
 * and waits for the reply to it.
 *
 * A call (struct mbox_call) is made by MBOXIO_CALL. Its request is an
 * ordinary message that points to it (mbox_msg.call), so it is queued,
 * handed over, numbered, put back after a fault and drained exactly like
 * any other, in one FIFO order with one-way messages. What happens to the
 * call is decided by where its request is, always under the mailbox lock:
 *
 *  queued	the request is on the mailbox's queue (call->req): the
 *		caller may withdraw it, and then nothing was delivered.
 *  claimed	a receiver is copying it out (call->seq set): too late to
 *		withdraw. If the copy faults it goes back to the queue.
 *  taken	the receiver's file has it on its @calls tree, by the reply
 *		handle (call->id) the receiver was told. Only a reply
 *		through that open file description answers it.
 *  done	answered (call->reply) or reset (-ECONNRESET: the taker's
 *		file was released, or it took the request with read(2) or
 *		a struct too old to learn the handle); call->w is DONE.
 *
 * A caller that gives up (deadline, fatal signal, cancel, or closing its
 * file) withdraws a queued request, or else marks the call @gone, so that
 * the reply fails with -ESRCH and is dropped. A caller interrupted by any
 * other signal cannot know whether its ioctl will be restarted (SA_RESTART)
 * or fail with EINTR, so it does neither: the call waits, "parked" on the
 * caller's file under a token the ioctl writes into the caller's struct.
 * A restarted ioctl comes back with that struct and resumes the wait; a
 * caller that got EINTR cancels with the token, which withdraws or gives
 * up as above and tells it whether the request was taken. Either way the
 * request is sent once.
 *
 * The server's answer never waits for the caller: the reply is copied into
 * kernel memory first, and the caller copies it out in its own time. No
 * priority is lent from caller to server: Linux exports no way for a module
 * to boost a task it does not wait on through an rt_mutex (see
 * Documentation/semantics.rst).
 */

#include <linux/atomic.h>
#include <linux/pid.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "mbox.h"

/* The next call's id: 64 bits never wrap, so an id is never reused. */
static atomic64_t mbox_call_ids = ATOMIC64_INIT(0);

/**
 * mbox_call_new() - a call for the current task to make on @mb
 * @mb:		the mailbox
 * @sender:	who calls: charged for the call until it is freed
 * @reply_size:	the caller's reply buffer
 *
 * Return: the call with one reference (the caller's), ERR_PTR(-EDQUOT) or
 * ERR_PTR(-ENOMEM).
 */
struct mbox_call *mbox_call_new(struct mbox *mb,
				const struct mbox_sender *sender,
				u32 reply_size)
{
	/*
	 * The caller pays for its reply too, reserved now: a reply waits in
	 * the kernel for as long as the caller lets it (a parked call), and
	 * must not count against the server's user meanwhile.
	 */
	u32 charge = kmalloc_size_roundup(sizeof(struct mbox_call)) +
		     mbox_msg_cost(mb, min(reply_size, mb->msg_size));
	struct mbox_call *call;
	int err;

	err = mbox_sender_charge(sender, charge);
	if (err)
		return ERR_PTR(err);
	call = kzalloc(sizeof(*call), GFP_KERNEL_ACCOUNT);
	if (!call) {
		mbox_user_uncharge_bytes(sender->user, charge);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&call->ref);
	call->id = atomic64_inc_return(&mbox_call_ids);
	call->mb = mb;
	call->task = get_pid(task_pid(current));
	refcount_inc(&sender->user->ref);
	call->user = sender->user;
	call->charge = charge;
	call->reply_size = reply_size;
	mbox_waiter_init(&call->w, 0);
	RB_CLEAR_NODE(&call->srv_node);
	RB_CLEAR_NODE(&call->park_node);
	return call;
}

static void mbox_call_free(struct kref *ref)
{
	struct mbox_call *call = container_of(ref, struct mbox_call, ref);

	if (call->reply)
		mbox_msg_free(call->mb, call->reply);
	put_pid(call->task);
	mbox_user_uncharge_bytes(call->user, call->charge);
	mbox_user_put(call->user);
	kfree(call);
}

/**
 * mbox_call_put() - drop a reference to a call
 * @call: the call
 *
 * Must be called without the mailbox lock: the last put frees the reply.
 */
void mbox_call_put(struct mbox_call *call)
{
	kref_put(&call->ref, mbox_call_free);
}

/*
 * Each file keeps its calls in two trees by id: those it took as a server
 * (@calls, through @srv_node) and those it made and parked as a caller
 * (@parked, through @park_node). Both under the mailbox lock.
 */
static int mbox_id_cmp(u64 id, u64 other)
{
	return id < other ? -1 : id > other;
}

static int mbox_srv_cmp(const void *key, const struct rb_node *node)
{
	return mbox_id_cmp(*(const u64 *)key,
			   rb_entry(node, struct mbox_call, srv_node)->id);
}

static bool mbox_srv_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct mbox_call, srv_node)->id <
	       rb_entry(b, struct mbox_call, srv_node)->id;
}

static int mbox_park_cmp(const void *key, const struct rb_node *node)
{
	return mbox_id_cmp(*(const u64 *)key,
			   rb_entry(node, struct mbox_call, park_node)->id);
}

static bool mbox_park_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct mbox_call, park_node)->id <
	       rb_entry(b, struct mbox_call, park_node)->id;
}

/*
 * The caller gives up: withdraw the request if it is still queued (the
 * caller frees it after unlocking: returned), or else mark the call gone
 * so that a reply fails. Nothing to do once the call is done.
 */
static struct mbox_msg *mbox_call_give_up(struct mbox_call *call,
					  struct mbox_wakeups *wq)
{
	struct mbox_msg *req = call->req;

	lockdep_assert_held(&call->mb->lock);
	if (call->w.state != MBOX_W_WAITING)
		return NULL;
	if (req) {
		mbox_withdraw(call->mb, req, wq);
		return req;
	}
	call->gone = true;
	return NULL;
}

/**
 * mbox_call_wait() - wait for the answer to a call whose request was sent
 * @mf:		the caller's file
 * @call:	the call; the caller holds a reference
 * @wait:	its deadline (and signals)
 * @seq:	set, on failure, to the request's delivery number, or 0 if it
 *		was not delivered
 *
 * Return: 0 once answered or reset (call->err, call->reply); -ERESTARTSYS
 * with the call parked on @mf under its id, for a restart to resume or a
 * cancel to end; -ETIMEDOUT or, for a fatal signal, -EINTR with the call
 * given up.
 */
int mbox_call_wait(struct mbox_file *mf, struct mbox_call *call,
		   const struct mbox_wait *wait, u64 *seq)
{
	struct mbox *mb = call->mb;
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_msg *withdrawn;
	int err;

	/*
	 * Waking the receiver usually asked for us to be preempted: let it
	 * run now, while we are still runnable, as a return to user space
	 * would let it (and a fully preemptible kernel would have at the
	 * wakeup). Its reply then finds us runnable, and we need neither
	 * to sleep nor to be woken for it.
	 */
	cond_resched();
	/* Pairs with mbox_set_state(): a final state, and ours. */
	if (smp_load_acquire(&call->w.state) != MBOX_W_WAITING)
		return 0;
	err = mbox_wait_reply(mb, &call->w, wait);
	if (!err)
		return 0;

	spin_lock(&mb->lock);
	if (call->w.state != MBOX_W_WAITING) {
		/* Answered while we were giving up: take the answer. */
		spin_unlock(&mb->lock);
		return 0;
	}
	*seq = call->seq;
	if (err == -ERESTARTSYS && !fatal_signal_pending(current)) {
		kref_get(&call->ref);	/* the tree's */
		call->caller = mf;
		rb_add(&call->park_node, &mf->parked, mbox_park_less);
		spin_unlock(&mb->lock);
		return err;
	}
	withdrawn = mbox_call_give_up(call, &wq);
	*seq = call->seq;
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(&wq);
	if (withdrawn)
		mbox_msg_free(mb, withdrawn);
	return err == -ERESTARTSYS ? -EINTR : err;
}

/**
 * mbox_call_resume() - find a parked call again
 * @mf:		the file it was made through
 * @token:	its id, as the interrupted MBOXIO_CALL wrote it out
 *
 * Only the thread that made the call may resume or cancel it.
 *
 * Return: the call, no longer parked, with the parked tree's reference
 * now the caller's; NULL if @mf has no such parked call of this thread.
 */
struct mbox_call *mbox_call_resume(struct mbox_file *mf, u64 token)
{
	struct mbox *mb = mf->mb;
	struct mbox_call *call = NULL;
	struct rb_node *node;

	spin_lock(&mb->lock);
	node = rb_find(&token, &mf->parked, mbox_park_cmp);
	if (node) {
		call = rb_entry(node, struct mbox_call, park_node);
		if (call->task == task_pid(current)) {
			rb_erase(node, &mf->parked);
			RB_CLEAR_NODE(node);
			call->caller = NULL;
		} else {
			call = NULL;
		}
	}
	spin_unlock(&mb->lock);
	return call;
}

/**
 * mbox_call_cancel() - give up a call the caller no longer waits for
 * @call:	the call, resumed (not parked); the caller's reference stays
 *
 * A queued request is withdrawn; a taken one is left to fail its reply
 * with -ESRCH; an answer that came meanwhile is dropped with the call.
 *
 * Return: the request's delivery number, or 0 if it was not delivered.
 */
u64 mbox_call_cancel(struct mbox_call *call)
{
	struct mbox *mb = call->mb;
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_msg *withdrawn;
	u64 seq;

	spin_lock(&mb->lock);
	withdrawn = mbox_call_give_up(call, &wq);
	seq = call->seq;
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(&wq);
	if (withdrawn)
		mbox_msg_free(mb, withdrawn);
	return seq;
}

/**
 * mbox_call_accept() - a receiver is taking a request it can answer
 * @mf:		the receiver's file
 * @msg:	the request, claimed by the receiver (msg->call set)
 *
 * The call goes on @mf's tree before its handle is copied out, so that any
 * thread sharing the file may reply as soon as it can read the handle.
 *
 * Return: the reply handle.
 */
u64 mbox_call_accept(struct mbox_file *mf, struct mbox_msg *msg)
{
	struct mbox_call *call = msg->call;

	spin_lock(&mf->mb->lock);
	kref_get(&call->ref);	/* the tree's */
	call->server = mf;
	rb_add(&call->srv_node, &mf->calls, mbox_srv_less);
	spin_unlock(&mf->mb->lock);
	return call->id;
}

/**
 * mbox_call_unaccept() - the receiver's copy-out faulted after accepting
 * @mf:		the receiver's file
 * @msg:	the request, about to go to mbox_recv_undo()
 *
 * The handle is withdrawn. Whether the request then goes back to the
 * queue is mbox_recv_undo()'s decision, under the lock: not if nobody
 * waits for it any more (mbox_call_abandoned()).
 */
void mbox_call_unaccept(struct mbox_file *mf, struct mbox_msg *msg)
{
	struct mbox_call *call = msg->call;
	bool untree = false;

	spin_lock(&mf->mb->lock);
	if (call->server == mf) {
		rb_erase(&call->srv_node, &mf->calls);
		RB_CLEAR_NODE(&call->srv_node);
		call->server = NULL;
		untree = true;
	}
	spin_unlock(&mf->mb->lock);
	if (untree)
		mbox_call_put(call);	/* not the last: @msg holds one */
}

/**
 * mbox_call_abandoned() - whether nobody waits for a claimed request
 * @msg:	a claimed message, under its mailbox's lock
 *
 * Its caller gave up after a receiver claimed it (and was told it was
 * taken), or it was answered already (through a handle a faulting
 * receiver was writing out). Such a request must not go back to the queue.
 */
bool mbox_call_abandoned(const struct mbox_msg *msg)
{
	const struct mbox_call *call = msg->call;

	return call && (call->gone || call->w.state != MBOX_W_WAITING);
}

/**
 * mbox_call_refuse() - a receiver that cannot learn handles took a request
 * @msg:	the request, claimed by the receiver; becomes a plain message
 *
 * read(2) and receive structs older than reply_id cannot be answered
 * from, so the caller is told at once (-ECONNRESET, with the request's
 * number) rather than left waiting for a reply that cannot come.
 */
void mbox_call_refuse(struct mbox_msg *msg)
{
	struct mbox_call *call = msg->call;
	struct mbox *mb = call->mb;
	struct mbox_wakeups wq = { .mb = mb };

	spin_lock(&mb->lock);
	msg->call = NULL;
	if (call->w.state == MBOX_W_WAITING && !call->gone) {
		call->err = -ECONNRESET;
		mbox_set_done(&wq, &call->w);
	}
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(&wq);
	mbox_call_put(call);
}

/**
 * mbox_call_reply() - answer a request taken through @mf
 * @mf:		the replier's file
 * @id:		the reply handle
 * @reply:	the reply, a message for @mf->mb; on success the caller's
 *
 * Return: 0; -ENOENT if @id is not pending on @mf; -ESRCH if its caller
 * has gone (the handle is used up); -EMSGSIZE if @reply is longer than
 * the caller's buffer (the handle stays). On failure @reply is still the
 * replier's.
 */
int mbox_call_reply(struct mbox_file *mf, u64 id, struct mbox_msg *reply)
{
	struct mbox *mb = mf->mb;
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_user *replier = NULL;
	struct mbox_call *call;
	struct rb_node *node;
	int err = 0;

	spin_lock(&mb->lock);
	node = rb_find(&id, &mf->calls, mbox_srv_cmp);
	if (!node) {
		spin_unlock(&mb->lock);
		return -ENOENT;
	}
	call = rb_entry(node, struct mbox_call, srv_node);
	if (!call->gone && reply->len > call->reply_size) {
		spin_unlock(&mb->lock);
		return -EMSGSIZE;
	}
	rb_erase(node, &mf->calls);
	RB_CLEAR_NODE(node);
	call->server = NULL;
	if (call->gone) {
		err = -ESRCH;
	} else {
		/* From now on the caller's reservation pays for it. */
		replier = reply->user;
		mbox_user_uncharge_bytes(replier, reply->charge);
		refcount_inc(&call->user->ref);
		reply->user = call->user;
		reply->charge = 0;
		call->reply = reply;
		call->err = 0;
		mbox_set_done(&wq, &call->w);
	}
	spin_unlock(&mb->lock);
	mbox_wakeups_flush(&wq);
	if (replier)
		mbox_user_put(replier);
	mbox_call_put(call);	/* the tree's */
	return err;
}

/**
 * mbox_call_file_release() - a mailbox file goes: end its calls
 * @mf:	the file, which nothing else uses any more
 *
 * Every request taken through it and not answered resets its caller
 * (-ECONNRESET); every call made through it and parked is given up.
 */
void mbox_call_file_release(struct mbox_file *mf)
{
	struct mbox *mb = mf->mb;
	struct mbox_wakeups wq = { .mb = mb };
	struct mbox_msg *withdrawn;
	struct mbox_call *call;
	struct rb_node *node;

	for (;;) {
		withdrawn = NULL;
		spin_lock(&mb->lock);
		node = rb_first(&mf->calls);
		if (node) {
			call = rb_entry(node, struct mbox_call, srv_node);
			rb_erase(node, &mf->calls);
			RB_CLEAR_NODE(node);
			call->server = NULL;
			if (!call->gone) {
				call->err = -ECONNRESET;
				mbox_set_done(&wq, &call->w);
			}
		} else {
			node = rb_first(&mf->parked);
			if (!node) {
				spin_unlock(&mb->lock);
				break;
			}
			call = rb_entry(node, struct mbox_call, park_node);
			rb_erase(node, &mf->parked);
			RB_CLEAR_NODE(node);
			call->caller = NULL;
			withdrawn = mbox_call_give_up(call, &wq);
		}
		spin_unlock(&mb->lock);
		mbox_wakeups_flush(&wq);
		if (withdrawn)
			mbox_msg_free(mb, withdrawn);
		mbox_call_put(call);
	}
}
