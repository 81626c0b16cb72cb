CREATE TABLE `alert_email` (
	`id` integer PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`port` integer NOT NULL,
	`security` text NOT NULL,
	`username` text,
	`password_ciphertext` blob,
	`password_iv` blob,
	`password_tag` blob,
	`password_key_mode` text,
	`from_address` text NOT NULL,
	`to_address` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `alert_events` ADD `email` text;--> statement-breakpoint
ALTER TABLE `alert_events` ADD `email_detail` text;--> statement-breakpoint
ALTER TABLE `alert_rules` ADD `email` integer DEFAULT false NOT NULL;