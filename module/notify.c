// SPDX-License-Identifier: GPL-2.0
/*
 * Arrival notification: POSIX mq_notify() for a mailbox (MBOXIO_NOTIFY).
 *
 * One process at a time may be registered: @mb->notify, under @mb->lock.
 * A message that arrives while nothing was there to receive and no
 * receiver waits (mailbox.c calls mbox_notify_take() there) uses the
 * registration up. The notification itself is delivered after the lock
 * is dropped, from mbox_wakeups_flush(): a signal (which allocates and
 * takes the registrant's signal lock) is never sent under @mb->lock.
 *
 * A MBOX_NOTIFY_THREAD registration is not detached when notified: it is
 * marked @fired and the thread waiting in MBOXIO_NOTIFY_WAIT (libmbox-mq
 * starts one per registration) takes it. That closes the window between
 * the registration and the thread's wait without keeping any record of
 * past notifications: a registration notified before its thread waits is
 * still there, fired, when the thread comes.
 *
 * Waiters in MBOXIO_NOTIFY_WAIT sleep on @mb->notify_wq until
 * @mb->notify_gen changes; every change to the registration (set, fired,
 * removed) bumps it under @mb->lock, and a wakeup follows once the lock
 * is dropped. They then look again under the lock, so they never follow
 * a pointer to a registration that may be gone.
 */

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/wait.h>

#include "mbox.h"

/**
 * struct mbox_notify - a process's registration for arrival notification
 * @id:		MBOX_NOTIFY_THREAD: the token its thread waits with;
 *		immutable.
 * @owner:	the registrant's thread group (reference held); immutable.
 * @exec_id:	the registrant's self_exec_id at registration: no signal
 *		goes to the program it has exec'd since; immutable.
 * @how:	MBOX_NOTIFY_NONE, _SIGNAL or _THREAD; immutable.
 * @signo:	the signal, or 0 for none; immutable.
 * @value:	the signal's si_value; immutable.
 * @fired:	MBOX_NOTIFY_THREAD: notified, its thread has not taken it
 *		yet. Under mb->lock.
 */
struct mbox_notify {
	u64 id;
	struct pid *owner;
	u64 exec_id;
	u32 how;
	int signo;
	u64 value;
	bool fired;
};

static atomic64_t mbox_notify_ids = ATOMIC64_INIT(0);

static void mbox_notify_free(struct mbox_notify *n)
{
	if (n) {
		put_pid(n->owner);
		kfree(n);
	}
}

/* The registration changed: waiters in MBOXIO_NOTIFY_WAIT look again. */
static void mbox_notify_changed(struct mbox *mb)
{
	lockdep_assert_held(&mb->lock);
	WRITE_ONCE(mb->notify_gen, mb->notify_gen + 1);
}

/* Whether @n is the calling process's. */
static bool mbox_notify_ours(const struct mbox_notify *n)
{
	return n && n->owner == task_tgid(current);
}

/**
 * mbox_notify_set() - register the calling process, or remove it
 * @mb:		the mailbox
 * @args:	a validated struct mboxio_notify
 * @token:	set to the registration's token (MBOX_NOTIFY_THREAD), else 0
 *
 * Return: 0; -EBUSY if a process is registered already; -ENOMEM.
 */
int mbox_notify_set(struct mbox *mb, const struct mboxio_notify *args,
		    u64 *token)
{
	struct mbox_notify *n = NULL, *old = NULL;
	int err = 0;

	*token = 0;
	if (args->how != MBOX_NOTIFY_REMOVE) {
		n = kzalloc(sizeof(*n), GFP_KERNEL_ACCOUNT);
		if (!n)
			return -ENOMEM;
		n->owner = get_pid(task_tgid(current));
		n->exec_id = current->self_exec_id;
		n->how = args->how;
		n->signo = args->signo;
		n->value = args->value;
		if (n->how == MBOX_NOTIFY_THREAD)
			n->id = atomic64_inc_return(&mbox_notify_ids);
	}

	spin_lock(&mb->lock);
	if (!n) {
		if (mbox_notify_ours(mb->notify)) {
			old = mb->notify;
			mb->notify = NULL;
			mbox_notify_changed(mb);
		}
	} else if (mb->notify) {
		err = -EBUSY;
	} else {
		mb->notify = n;
		mbox_notify_changed(mb);
		*token = n->id;
	}
	spin_unlock(&mb->lock);

	if (err) {
		mbox_notify_free(n);	/* nothing changed: nobody to wake */
		return err;
	}
	if (old) {
		mbox_notify_free(old);
		wake_up_all(&mb->notify_wq);
	}
	return 0;
}

/**
 * mbox_notify_take() - a message arrived to an empty mailbox: notify
 * @mb:		the mailbox, locked; nobody waits to receive
 * @wq:		the wakeups to issue once @mb->lock is dropped; the
 *		notification goes with them (mbox_notify_deliver())
 * @back:	NULL for a message the current task sent; a message given
 *		back (a released lease) to report as from its sender: its
 *		pid and the effective uid it carries
 */
void mbox_notify_take(struct mbox *mb, struct mbox_wakeups *wq,
		      const struct mbox_msg *back)
{
	struct mbox_notify *n = mb->notify;

	lockdep_assert_held(&mb->lock);
	if (!n || n->fired)
		return;
	mbox_notify_changed(mb);
	wq->notify_wake = true;
	if (n->how == MBOX_NOTIFY_THREAD) {
		n->fired = true;	/* its thread takes it */
		return;
	}
	mb->notify = NULL;
	wq->notify = n;
	if (back) {
		wq->notify_pid = get_pid(back->pid);
		wq->notify_uid = back->uid;
	}
}

/*
 * Send @n's signal, as the sending task, to the registrant: to a thread
 * that does not block it, as a signal to the process would go (a module
 * cannot queue one to the process itself), else to the first thread. The
 * look at each thread's blocked set is a racy hint, as the kernel's own
 * choice of a thread is; whichever thread gets it may take it.
 */
static void mbox_notify_signal(const struct mbox_notify *n,
			       struct pid *from, kuid_t from_uid)
{
	struct task_struct *p, *t, *target;
	struct kernel_siginfo info;

	clear_siginfo(&info);
	info.si_signo = n->signo;
	info.si_code = SI_MESGQ;
	info.si_ptr = u64_to_user_ptr(n->value);
	/* As we see it: the signal code maps it into the target's. */
	info.si_uid = from_kuid_munged(current_user_ns(),
				       from ? from_uid : current_uid());

	rcu_read_lock();
	p = pid_task(n->owner, PIDTYPE_TGID);
	if (!p || p->self_exec_id != n->exec_id) {
		rcu_read_unlock();
		return;
	}
	target = p;
	for_each_thread(p, t) {
		/* A hint, as in the comment above: a racy read is fine. */
		if (!data_race(sigismember(&t->blocked, n->signo))) {
			target = t;
			break;
		}
	}
	info.si_pid = from ? pid_nr_ns(from, task_active_pid_ns(target)) :
		      task_tgid_nr_ns(current, task_active_pid_ns(target));
	get_task_struct(target);
	rcu_read_unlock();

	send_sig_info(n->signo, &info, target);
	put_task_struct(target);
}

/**
 * mbox_notify_deliver() - what mbox_notify_take() decided, without the lock
 * @wq: the wakeups being flushed
 */
void mbox_notify_deliver(struct mbox_wakeups *wq)
{
	struct mbox_notify *n = wq->notify;

	wq->notify = NULL;
	if (n && n->how == MBOX_NOTIFY_SIGNAL && n->signo)
		mbox_notify_signal(n, wq->notify_pid, wq->notify_uid);
	mbox_notify_free(n);
	put_pid(wq->notify_pid);
	wq->notify_pid = NULL;
	if (wq->notify_wake) {
		wq->notify_wake = false;
		wake_up_all(&wq->mb->notify_wq);
	}
}

/**
 * mbox_notify_wait() - wait for a MBOX_NOTIFY_THREAD registration to fire
 * @mb:		the mailbox
 * @token:	the registration's token
 *
 * Return: 0 once it fired (it is used up: the caller runs the
 * notification); -ENOENT if @token names no such registration of the
 * calling process, or it was removed meanwhile; -ERESTARTSYS.
 */
int mbox_notify_wait(struct mbox *mb, u64 token)
{
	struct mbox_notify *n;
	u64 gen;
	int err;

	for (;;) {
		spin_lock(&mb->lock);
		n = mb->notify;
		if (!token || !mbox_notify_ours(n) || n->id != token) {
			spin_unlock(&mb->lock);
			return -ENOENT;
		}
		if (n->fired) {
			mb->notify = NULL;
			mbox_notify_changed(mb);
			spin_unlock(&mb->lock);
			mbox_notify_free(n);
			wake_up_all(&mb->notify_wq);
			return 0;
		}
		gen = mb->notify_gen;
		spin_unlock(&mb->lock);

		err = wait_event_interruptible(mb->notify_wq,
					       READ_ONCE(mb->notify_gen) != gen);
		if (err)
			return err;
	}
}

/**
 * mbox_notify_flush() - a file of @mb is being closed by the current task
 * @mb:	the mailbox
 *
 * As for a POSIX message queue, a registrant that closes any descriptor
 * of the mailbox loses its registration (also when it exits).
 */
void mbox_notify_flush(struct mbox *mb)
{
	struct mbox_notify *n = NULL;

	/* Nothing registered (the usual case): no lock. */
	if (!data_race(mb->notify))
		return;
	spin_lock(&mb->lock);
	if (mbox_notify_ours(mb->notify)) {
		n = mb->notify;
		mb->notify = NULL;
		mbox_notify_changed(mb);
	}
	spin_unlock(&mb->lock);
	if (n) {
		mbox_notify_free(n);
		wake_up_all(&mb->notify_wq);
	}
}

/**
 * mbox_notify_destroy() - free the registration of a mailbox being freed
 * @mb:	the mailbox; nobody can reach it any more
 */
void mbox_notify_destroy(struct mbox *mb)
{
	mbox_notify_free(mb->notify);
	mb->notify = NULL;
}
