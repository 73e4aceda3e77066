// SPDX-License-Identifier: GPL-2.0
/*
 * IPC namespaces: each has its own mailbox names, count and listing, as it
 * has its own POSIX message queues.
 *
 * A module cannot follow an IPC namespace's life the way ipc/mqueue.c
 * does: put_ipc_ns() is not exported (so it may hold no reference) and
 * there is no hook on creation or destruction. What it can see is the
 * namespace's mqueue filesystem, which the kernel mounts for every IPC
 * namespace (ipc_ns->mq_mnt) and shuts down when it frees the namespace
 * (free_ipc_ns() -> mq_put_mnt() -> kern_unmount()). So each struct
 * mbox_ns is an fsnotify mark, of a group of our own and with no events,
 * on the root inode of that mqueue mount. A mark lives on an inode without
 * keeping its filesystem mounted, and the kernel detaches every mark of a
 * superblock when it shuts down (fsnotify_sb_delete()), telling the
 * mark's group (->freeing_mark). That is our namespace destructor: it runs
 * before the namespace's memory is freed, so a namespace pointer is never
 * compared after a new namespace could have taken its address.
 *
 * An entry is found by its mqueue superblock, a pointer compared with the
 * one current's namespace has, never followed: a superblock with one of
 * our marks attached is not freed (the mark pins its root inode until the
 * shutdown detaches it), so no other namespace's superblock can have its
 * address while the entry is alive. (The namespace's own address could be
 * reused sooner: a mount of its mqueue filesystem made from userspace
 * keeps the superblock after the namespace is freed. Its names then stay
 * until that mount goes too.) The owner user namespace, which we do follow
 * (ns_capable(), id mappings), is held with a reference of our own.
 *
 * Lifetime. An mbox_ns is reference counted (@ref): one for
 * mbox_namespaces while it is listed, one per mailbox created in it, one
 * per open /proc/driver/mbox of it. The last one drops our reference to
 * the mark, whose last one (fsnotify's, once it is detached) frees the
 * entry (->free_mark). When the namespace
 * dies, the reaper (a work item) unlinks every name it had, exactly as
 * MBOXIO_UNLINK would (mailboxes still open keep working until their last
 * fd is closed, as mq does), and takes it off the list.
 *
 * Locking: mbox_registry_lock (registry.c) protects mbox_namespaces and
 * every mbox_ns's @node, @all and @nr. @dead is written once, without it.
 *
 * An in-tree version would instead hook create_ipc_ns() and
 * free_ipc_ns(), keep a pointer in struct ipc_namespace and need neither
 * the mark nor the reaper.
 */

#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/ipc_namespace.h>
#include <linux/mount.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>

#include "mbox.h"

/* An IPC namespace's mqueue mount is how mbox learns that it goes. */
#if !defined(CONFIG_POSIX_MQUEUE) || !defined(CONFIG_FSNOTIFY)
#error "mbox needs CONFIG_POSIX_MQUEUE and CONFIG_FSNOTIFY"
#endif

static LIST_HEAD(mbox_namespaces);
static struct fsnotify_group *mbox_ns_group;

static void mbox_ns_reap(struct work_struct *work);
static DECLARE_WORK(mbox_ns_reaper, mbox_ns_reap);

static struct mbox_ns *mbox_ns_of(struct fsnotify_mark *mark)
{
	return container_of(mark, struct mbox_ns, mark);
}

/* Our marks ask for no events; nothing is ever delivered. */
static int mbox_ns_event(struct fsnotify_mark *mark, u32 mask,
			 struct inode *inode, struct inode *dir,
			 const struct qstr *name, u32 cookie)
{
	return 0;
}

/* The namespace's mqueue superblock is shutting down: the namespace goes. */
static void mbox_ns_freeing(struct fsnotify_mark *mark,
			    struct fsnotify_group *group)
{
	WRITE_ONCE(mbox_ns_of(mark)->dead, true);
	schedule_work(&mbox_ns_reaper);
}

/* The last reference is gone (fsnotify calls this after an SRCU grace). */
static void mbox_ns_free(struct fsnotify_mark *mark)
{
	struct mbox_ns *ns = mbox_ns_of(mark);

	put_user_ns(ns->user_ns);
	kfree(ns);
}

static const struct fsnotify_ops mbox_ns_ops = {
	.handle_inode_event	= mbox_ns_event,
	.freeing_mark		= mbox_ns_freeing,
	.free_mark		= mbox_ns_free,
};

/**
 * mbox_ns_get() - take a reference to a namespace's mailboxes
 * @ns: an mbox_ns the caller holds, or found under mbox_registry_lock
 */
void mbox_ns_get(struct mbox_ns *ns)
{
	kref_get(&ns->ref);
}

/* No user is left: it is off the list, and its mark detached. */
static void mbox_ns_release(struct kref *ref)
{
	fsnotify_put_mark(&container_of(ref, struct mbox_ns, ref)->mark);
}

/**
 * mbox_ns_put() - drop a reference from mbox_ns_get()
 * @ns: the namespace's mailboxes, or NULL
 */
void mbox_ns_put(struct mbox_ns *ns)
{
	if (ns)
		kref_put(&ns->ref, mbox_ns_release);
}

/**
 * mbox_ns_current() - the mailboxes of the calling task's IPC namespace
 * @create:	make the entry if the namespace has none yet
 *
 * Called with mbox_registry_lock held; the entry stays valid while it is.
 *
 * Return: the entry, NULL if there is none and @create is false, or
 * ERR_PTR(-ENOMEM).
 */
struct mbox_ns *mbox_ns_current(bool create)
{
	struct ipc_namespace *ipc = current->nsproxy->ipc_ns;
	struct super_block *sb = ipc->mq_mnt->mnt_sb;
	struct mbox_ns *ns;
	int err;

	lockdep_assert_held(&mbox_registry_lock);
	list_for_each_entry(ns, &mbox_namespaces, node)
		if (ns->sb == sb && !READ_ONCE(ns->dead))
			return ns;
	if (!create)
		return NULL;

	ns = kzalloc(sizeof(*ns), GFP_KERNEL_ACCOUNT);
	if (!ns)
		return ERR_PTR(-ENOMEM);
	kref_init(&ns->ref);	/* the list's */
	ns->sb = sb;
	ns->user_ns = get_user_ns(ipc->user_ns);
	INIT_LIST_HEAD(&ns->all);
	fsnotify_init_mark(&ns->mark, mbox_ns_group);
	err = fsnotify_add_inode_mark(&ns->mark, d_inode(sb->s_root), 0);
	if (err) {
		/* Never attached: the last put frees it. */
		fsnotify_put_mark(&ns->mark);
		return ERR_PTR(err);
	}
	list_add_tail(&ns->node, &mbox_namespaces);
	return ns;
}

/*
 * Unlink the names of every namespace that has died, one mailbox at a
 * time (mbox_put() must run without the registry lock), then forget the
 * namespace itself.
 */
static void mbox_ns_reap(struct work_struct *work)
{
	struct mbox_ns *ns, *gone;
	struct mbox *mb;

	for (;;) {
		mb = NULL;
		gone = NULL;
		mutex_lock(&mbox_registry_lock);
		list_for_each_entry(ns, &mbox_namespaces, node) {
			if (!READ_ONCE(ns->dead))
				continue;
			mb = mbox_unhash_one(ns);
			if (!mb) {
				list_del_init(&ns->node);
				gone = ns;
			}
			break;
		}
		mutex_unlock(&mbox_registry_lock);
		if (mb)
			mbox_put(mb);		/* the name's reference */
		else if (gone)
			mbox_ns_put(gone);	/* the list's reference */
		else
			break;
	}
}

int mbox_ns_init(void)
{
	mbox_ns_group = fsnotify_alloc_group(&mbox_ns_ops, 0);
	return PTR_ERR_OR_ZERO(mbox_ns_group);
}

/*
 * Every mailbox holds a module reference, so none is left: only entries
 * of namespaces (alive, or dead and not reaped yet) remain.
 */
void mbox_ns_exit(void)
{
	struct mbox_ns *ns, *tmp;
	LIST_HEAD(all);

	flush_work(&mbox_ns_reaper);
	mutex_lock(&mbox_registry_lock);
	list_splice_init(&mbox_namespaces, &all);
	mutex_unlock(&mbox_registry_lock);
	list_for_each_entry_safe(ns, tmp, &all, node) {
		list_del_init(&ns->node);
		fsnotify_destroy_mark(&ns->mark, mbox_ns_group);
		mbox_ns_put(ns);
	}
	flush_work(&mbox_ns_reaper);
	fsnotify_put_group(mbox_ns_group);
	/* Our ->free_mark is module code: wait until every mark is freed. */
	fsnotify_wait_marks_destroyed();
}
