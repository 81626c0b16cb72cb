-- A pending import's writer is known by a random token and a heartbeat stamped with each chunk (a pid
-- alone is reused by other processes). Columns added, tables not rebuilt.
ALTER TABLE `ledger_imports` ADD `owner_token` text;--> statement-breakpoint
ALTER TABLE `ledger_imports` ADD `heartbeat_at` integer;