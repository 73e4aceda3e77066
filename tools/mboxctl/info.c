// SPDX-License-Identifier: GPL-2.0
/* mboxctl: mboxctl info: the module's version and limits, the per-user limits and usage. */
#include "mboxctl.h"

static void help_info(void)
{
	printf("Usage: %s info\n"
	       "Show the running module's ABI version and limits, the per-user\n"
	       "limits and what the caller's user (real uid) uses of them.\n", prog);
}

/* info.features as words; bits this mboxctl does not know, in hex. */
static void print_features(uint64_t features)
{
	static const struct {
		uint64_t bit;
		const char *word;
	} words[] = {
		{ MBOX_FEATURE_USER_LIMITS, "user_limits" },
		{ MBOX_FEATURE_SIZED_ARGS, "sized_args" },
		{ MBOX_FEATURE_CALL, "call" },
		{ MBOX_FEATURE_PRIORITY, "priority" },
		{ MBOX_FEATURE_LEASE, "lease" },
	};
	const char *sep = "";
	size_t i;

	printf("features:     ");
	if (!features)
		printf(" -");
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (features & words[i].bit) {
			printf("%s %s", sep, words[i].word);
			sep = ",";
			features &= ~words[i].bit;
		}
	}
	if (features)
		printf("%s %#llx", sep, (unsigned long long)features);
	putchar('\n');
}

int cmd_info(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mbox_usage usage;
	struct mbox_info info;

	while (next_opt(argc, argv, ":h", longs, help_info) != -1)
		;
	no_more_args(argv[0], argc, argv);

	if (mbox_get_info(&info) || mbox_get_usage(&usage))
		return fail(errno, "%s", MBOX_DEV);
	printf("abi_version:   %u\n", info.version);
	printf("name_max:      %u\n", info.name_max);
	printf("max_mailboxes: %u\n", info.max_mailboxes);
	printf("max_capacity:  %u\n", info.max_capacity);
	printf("max_msg_size:  %u\n", info.max_msg_size);
	printf("mailboxes:     %u\n", info.nr_mailboxes);
	print_features(info.features);
	printf("max_user_mailboxes: %u\n", usage.max_mailboxes);
	printf("max_user_bytes:     %llu\n", (unsigned long long)usage.max_bytes);
	printf("user_mailboxes:     %u\n", usage.mailboxes);
	printf("user_bytes:         %llu\n", (unsigned long long)usage.bytes);
	printf("user_unlimited:     %s\n", usage.unlimited ? "yes" : "no");
	return flush_stdout();
}
