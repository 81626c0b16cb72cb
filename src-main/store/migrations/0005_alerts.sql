CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` text NOT NULL,
	`at` integer NOT NULL,
	`venue_id` text NOT NULL,
	`symbol` text NOT NULL,
	`price` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`webhook` text,
	`webhook_detail` text
);
--> statement-breakpoint
CREATE INDEX `alert_events_at_idx` ON `alert_events` (`at`);--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`symbol` text NOT NULL,
	`condition` text NOT NULL,
	`price` text NOT NULL,
	`source` text NOT NULL,
	`note` text,
	`desktop` integer NOT NULL,
	`webhook_url` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_rules_status_idx` ON `alert_rules` (`status`);