-- The ticket's idempotency keys: a resend of an order whose answer was lost returns that order, not a second one.
CREATE TABLE `order_idempotency_keys` (
	`venue_id` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`client_order_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`venue_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `order_idempotency_keys_created_at_idx` ON `order_idempotency_keys` (`created_at`);