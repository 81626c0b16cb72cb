ALTER TABLE `ledger_entries` ADD `memo` text;--> statement-breakpoint
CREATE INDEX `ledger_entries_account_time_idx` ON `ledger_entries` (`account`,`timestamp`);--> statement-breakpoint
ALTER TABLE `portfolio_sync_runs` ADD `history_from` integer;--> statement-breakpoint
ALTER TABLE `portfolio_sync_runs` ADD `skipped` text DEFAULT '{}' NOT NULL;