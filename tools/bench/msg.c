// SPDX-License-Identifier: GPL-2.0
/*
 * The message format. Every message, even an 8-byte one, starts with an
 * 8-byte header: sequence number, producer, flags and a check value over
 * them and the message size. Messages of 16 bytes or more end with an 8-byte
 * trailer derived from the same fields, so a payload that was cut short,
 * not copied to the end, or left over from an earlier message is caught.
 * The bytes between stay as the sender's buffer was first filled; checking
 * them all would measure memory bandwidth, not the mechanism.
 */
#include <string.h>

#include "bench.h"

struct msg_hdr {
	uint32_t seq;
	uint8_t src;
	uint8_t flags;
	uint16_t check;
};

_Static_assert(sizeof(struct msg_hdr) == 8, "the header must fit an 8-byte message");

static uint16_t hdr_check(const struct msg_hdr *h, size_t size)
{
	uint32_t x = h->seq * 2654435761u;

	x ^= (uint32_t)h->src << 24 ^ (uint32_t)h->flags << 16 ^ (uint32_t)size;
	return (uint16_t)(x ^ x >> 16 ^ 0x5a5a);
}

static uint64_t trailer(const struct msg_hdr *h, size_t size)
{
	uint64_t x = (uint64_t)h->seq << 32 | (uint64_t)h->src << 8 | h->flags;

	return (x ^ (uint64_t)size) * 0x9e3779b97f4a7c15ull;
}

void msg_stamp(void *buf, size_t size, const struct msg_id *id)
{
	struct msg_hdr h = {
		.seq = id->seq, .src = (uint8_t)id->src, .flags = (uint8_t)id->flags,
	};

	h.check = hdr_check(&h, size);
	memcpy(buf, &h, sizeof(h));
	if (size >= 2 * sizeof(h)) {
		uint64_t t = trailer(&h, size);

		memcpy((char *)buf + size - sizeof(t), &t, sizeof(t));
	}
}

int msg_check(const void *buf, size_t len, size_t size, struct msg_id *id,
	      const char **why)
{
	struct msg_hdr h;

	if (len != size) {
		*why = "wrong message length";
		return -1;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.check != hdr_check(&h, size) || h.flags & ~MSG_STOP) {
		*why = "corrupt message header";
		return -1;
	}
	if (size >= 2 * sizeof(h)) {
		uint64_t t;

		memcpy(&t, (const char *)buf + size - sizeof(t), sizeof(t));
		if (t != trailer(&h, size)) {
			*why = "message trailer does not match its header";
			return -1;
		}
	}
	id->seq = h.seq;
	id->src = h.src;
	id->flags = h.flags;
	return 0;
}
