-- A large import is written in chunks as a 'pending' import that readers ignore until it is complete;
-- rows already stored stay visible (default 'complete'). Columns added, tables not rebuilt.
ALTER TABLE `ledger_import_ids` ADD `revealed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `ledger_imports` ADD `state` text DEFAULT 'complete' NOT NULL;--> statement-breakpoint
ALTER TABLE `ledger_imports` ADD `owner_pid` integer;