CREATE TABLE `app_lock` (
	`id` text PRIMARY KEY NOT NULL,
	`verifier` blob NOT NULL,
	`salt` blob NOT NULL,
	`kdf_n` integer NOT NULL,
	`kdf_r` integer NOT NULL,
	`kdf_p` integer NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`retry_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`door` text NOT NULL,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`detail` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_action_idx` ON `audit_log` (`action`);