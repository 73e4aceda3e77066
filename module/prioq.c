// SPDX-License-Identifier: GPL-2.0
/*
 * The priority queue of a mailbox's messages and waiting senders.
 *
 * Entries leave highest priority first and, within a priority, in the order
 * they were added: an entry always goes to its priority's tail (messages
 * put back, which belong ahead of those, are kept apart: mailbox.c). The
 * queue never allocates: every entry embeds its struct mbox_pq_node, so it
 * can be used under a spinlock.
 *
 * Shape. Each priority present has a level: its oldest entry, the level's
 * leader, is in an rbtree keyed by priority (leftmost the highest, cached),
 * and the leader's @link heads a list of the level's other entries, the
 * followers, in order. So the next entry is the cached leftmost node, a
 * new entry costs a tree search over the priorities present (one
 * comparison when all messages share one priority, as most workloads do)
 * and a list append, and removing a leader hands its tree node to its
 * first follower with rb_replace_node_cached(), in O(1). Only a level's
 * appearance or disappearance rebalances the tree.
 *
 * Locking: none of its own; the caller's (mbox->lock).
 */

#include <linux/list.h>
#include <linux/rbtree.h>

#include "mbox.h"

static struct mbox_pq_node *mbox_pq_entry(struct rb_node *rb)
{
	return rb_entry(rb, struct mbox_pq_node, rb);
}

/**
 * mbox_pq_init() - make @pq empty
 * @pq: the queue
 */
void mbox_pq_init(struct mbox_pq *pq)
{
	pq->levels = RB_ROOT_CACHED;
}

/**
 * mbox_pq_first() - the entry that leaves next
 * @pq: the queue
 *
 * Return: the oldest entry of the highest priority, or NULL if empty.
 */
struct mbox_pq_node *mbox_pq_first(const struct mbox_pq *pq)
{
	struct rb_node *rb = rb_first_cached(&pq->levels);

	return rb ? mbox_pq_entry(rb) : NULL;
}

/*
 * @n leads a new level: its tree node takes @n's place in the tree, and
 * it heads the level's followers (none yet).
 */
static void mbox_pq_lead(struct mbox_pq *pq, struct mbox_pq_node *n,
			 struct rb_node *parent, struct rb_node **at,
			 bool leftmost)
{
	INIT_LIST_HEAD(&n->link);
	rb_link_node(&n->rb, parent, at);
	rb_insert_color_cached(&n->rb, &pq->levels, leftmost);
}

/**
 * mbox_pq_add() - add an entry after every entry of its priority
 * @pq:		the queue
 * @n:		the entry, not in any queue, with its @prio set
 */
void mbox_pq_add(struct mbox_pq *pq, struct mbox_pq_node *n)
{
	struct rb_node **at = &pq->levels.rb_root.rb_node, *parent = NULL;
	struct mbox_pq_node *lead = NULL;
	bool leftmost = true;

	while (*at) {
		parent = *at;
		lead = mbox_pq_entry(parent);
		if (n->prio == lead->prio)
			break;
		if (n->prio > lead->prio) {
			at = &parent->rb_left;
		} else {
			at = &parent->rb_right;
			leftmost = false;
		}
		lead = NULL;
	}
	if (!lead) {
		mbox_pq_lead(pq, n, parent, at, leftmost);
		return;
	}

	RB_CLEAR_NODE(&n->rb);
	list_add_tail(&n->link, &lead->link);
}

/**
 * mbox_pq_del() - take an entry out of the queue, wherever it is
 * @pq:	the queue
 * @n:	an entry of @pq
 */
void mbox_pq_del(struct mbox_pq *pq, struct mbox_pq_node *n)
{
	struct mbox_pq_node *next;

	if (RB_EMPTY_NODE(&n->rb)) {	/* a follower */
		list_del_init(&n->link);
		return;
	}
	if (list_empty(&n->link)) {	/* the level's last entry */
		rb_erase_cached(&n->rb, &pq->levels);
		RB_CLEAR_NODE(&n->rb);
		return;
	}
	/* The first follower leads the level now. */
	next = list_first_entry(&n->link, struct mbox_pq_node, link);
	list_del(&next->link);
	if (list_empty(&n->link))
		INIT_LIST_HEAD(&next->link);
	else
		list_replace(&n->link, &next->link);
	INIT_LIST_HEAD(&n->link);
	rb_replace_node_cached(&n->rb, &next->rb, &pq->levels);
	RB_CLEAR_NODE(&n->rb);
}
