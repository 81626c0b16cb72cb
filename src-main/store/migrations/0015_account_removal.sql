CREATE TABLE `removed_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`exchange` text NOT NULL,
	`label` text NOT NULL,
	`removed_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `alert_rules` ADD `reason` text;