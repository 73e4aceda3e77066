// SPDX-License-Identifier: GPL-2.0
/*
 * The name table: one global namespace of mailbox names, the count of
 * mailboxes against max_mailboxes, and the permission checks done when a
 * name is opened or unlinked.
 *
 * Locking. mbox_registry_lock (a mutex) protects mbox_names, every
 * mailbox's @hnode, @linked and @counted, and serialises changes of
 * mbox_nr (read locklessly for MBOXIO_INFO). A linked mailbox holds a
 * reference for its name, so a lookup under the mutex may take another
 * reference without kref_get_unless_zero(). The mutex is never held while
 * dropping a reference: the final mbox_put() calls back into
 * mbox_uncount(). Lock order: mbox_registry_lock, then mbox->lock (though
 * nothing here needs the latter).
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/fs.h>
#include <linux/stringhash.h>
#include <linux/uaccess.h>

#include "mbox.h"

static DEFINE_MUTEX(mbox_registry_lock);
static DEFINE_HASHTABLE(mbox_names, 7);
static atomic_t mbox_nr = ATOMIC_INIT(0);

static bool mbox_name_char_valid(char c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '-';
}

/**
 * mbox_name_from_user() - copy in and check a mailbox name
 * @name: buffer of MBOX_NAME_MAX + 1 bytes
 * @uptr: user pointer to a NUL-terminated name
 *
 * Return: 0, -EFAULT, or -EINVAL for a null pointer or a name that is not
 * 1..MBOX_NAME_MAX bytes of [A-Za-z0-9._-].
 */
int mbox_name_from_user(char *name, u64 uptr)
{
	long len, i;

	if (!uptr)
		return -EINVAL;
	len = strncpy_from_user(name, u64_to_user_ptr(uptr), MBOX_NAME_MAX + 1);
	if (len < 0)
		return len;
	if (len == 0 || len > MBOX_NAME_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!mbox_name_char_valid(name[i]))
			return -EINVAL;
	return 0;
}

static u32 mbox_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

static struct mbox *mbox_find(const char *name)
{
	struct mbox *mb;

	lockdep_assert_held(&mbox_registry_lock);
	hash_for_each_possible(mbox_names, mb, hnode, mbox_name_hash(name))
		if (!strcmp(mb->name, name))
			return mb;
	return NULL;
}

/**
 * mbox_register() - count a new mailbox and give it its name
 * @mb:		a mailbox from mbox_new(), not yet visible to anyone
 * @name:	its validated name, or NULL for an anonymous mailbox
 *
 * The name takes a reference of its own, dropped by unlink.
 *
 * Return: 0, -EEXIST if the name is taken, or -ENOSPC if max_mailboxes
 * mailboxes exist.
 */
int mbox_register(struct mbox *mb, const char *name)
{
	int err = 0;

	mutex_lock(&mbox_registry_lock);
	if (name && mbox_find(name)) {
		err = -EEXIST;
		goto out_unlock;
	}
	if (atomic_read(&mbox_nr) >= mbox_limit(&mbox_max_mailboxes)) {
		err = -ENOSPC;
		goto out_unlock;
	}
	atomic_inc(&mbox_nr);
	mb->counted = true;
	if (name) {
		strscpy(mb->name, name, sizeof(mb->name));
		mbox_get(mb);
		hash_add(mbox_names, &mb->hnode, mbox_name_hash(name));
		WRITE_ONCE(mb->linked, true);
	}
out_unlock:
	mutex_unlock(&mbox_registry_lock);
	return err;
}

/* Take @mb out of the name table; return whether it was there. */
static bool mbox_unhash(struct mbox *mb)
{
	lockdep_assert_held(&mbox_registry_lock);
	if (!mb->linked)
		return false;
	hash_del(&mb->hnode);
	WRITE_ONCE(mb->linked, false);
	return true;
}

/**
 * mbox_unregister() - undo mbox_register()'s name for a create that failed
 * @mb: the mailbox; the caller still holds its own reference
 *
 * Someone may have unlinked (and even re-created) the name meanwhile, so
 * the mailbox is matched by identity, not by name.
 */
void mbox_unregister(struct mbox *mb)
{
	bool unhashed;

	mutex_lock(&mbox_registry_lock);
	unhashed = mbox_unhash(mb);
	mutex_unlock(&mbox_registry_lock);
	if (unhashed)
		mbox_put(mb);
}

/**
 * mbox_uncount() - give back a mailbox's max_mailboxes slot
 * @mb: a mailbox being freed
 */
void mbox_uncount(struct mbox *mb)
{
	if (mb->counted)
		atomic_dec(&mbox_nr);
}

/**
 * mbox_count() - how many mailboxes exist
 *
 * Return: the number, for MBOXIO_INFO.
 */
unsigned int mbox_count(void)
{
	return atomic_read(&mbox_nr);
}

/*
 * File-style access check against the mailbox's owner, group and mode,
 * by effective ids, as mq_open() does for its queues.
 */
static int mbox_permission(const struct mbox *mb, u32 fd_flags)
{
	umode_t mode = mb->mode;
	umode_t want = 0;	/* MAY_READ and MAY_WRITE are the r and w bits */

	if (fd_flags & MBOX_FD_RECV)
		want |= MAY_READ;
	if (fd_flags & MBOX_FD_SEND)
		want |= MAY_WRITE;

	if (uid_eq(current_euid(), mb->uid))
		mode >>= 6;
	else if (in_egroup_p(mb->gid))
		mode >>= 3;
	if ((mode & want) == want || capable(CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

/**
 * mbox_lookup() - find a named mailbox for MBOXIO_OPEN
 * @name:	validated name
 * @fd_flags:	MBOX_FD_* asked for, checked against the mode
 *
 * Return: the mailbox with a new reference, or ERR_PTR(-ENOENT) or
 * ERR_PTR(-EACCES).
 */
struct mbox *mbox_lookup(const char *name, u32 fd_flags)
{
	struct mbox *mb;
	int err;

	mutex_lock(&mbox_registry_lock);
	mb = mbox_find(name);
	if (!mb) {
		err = -ENOENT;
		goto out_unlock;
	}
	err = mbox_permission(mb, fd_flags);
	if (err)
		goto out_unlock;
	mbox_get(mb);
out_unlock:
	mutex_unlock(&mbox_registry_lock);
	return err ? ERR_PTR(err) : mb;
}

/**
 * mbox_unlink() - remove a name (MBOXIO_UNLINK)
 * @name: validated name
 *
 * Only the owner may unlink, as with a file in a sticky directory such as
 * /dev/mqueue. Open fds keep the mailbox alive.
 *
 * Return: 0, -ENOENT or -EACCES.
 */
int mbox_unlink(const char *name)
{
	struct mbox *mb;
	int err = 0;

	mutex_lock(&mbox_registry_lock);
	mb = mbox_find(name);
	if (!mb)
		err = -ENOENT;
	else if (!uid_eq(current_euid(), mb->uid) && !capable(CAP_DAC_OVERRIDE))
		err = -EACCES;
	else
		mbox_unhash(mb);
	mutex_unlock(&mbox_registry_lock);
	if (!err)
		mbox_put(mb);
	return err;
}
