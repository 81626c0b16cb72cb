-- The ticket's idempotency keys for conditional orders: a resend whose answer was lost returns the legs it armed.
CREATE TABLE `conditional_idempotency_keys` (
	`venue_id` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`leg_ids` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`venue_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `conditional_idempotency_keys_created_at_idx` ON `conditional_idempotency_keys` (`created_at`);