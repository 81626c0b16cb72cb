CREATE TABLE `risk_alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`metric` text NOT NULL,
	`account` text,
	`currency` text NOT NULL,
	`condition` text NOT NULL,
	`threshold` text NOT NULL,
	`peak` text,
	`note` text,
	`desktop` integer NOT NULL,
	`webhook_url` text,
	`email` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`repeat` integer DEFAULT false NOT NULL,
	`armed` integer DEFAULT true NOT NULL,
	`fire_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `risk_alert_rules_status_idx` ON `risk_alert_rules` (`status`);--> statement-breakpoint
ALTER TABLE `alert_events` ADD `kind` text DEFAULT 'price' NOT NULL;