-- Counts imports taken back out, so the running app's live portfolio sees rows removed by the CLI.
ALTER TABLE `ledger_import_ids` ADD `removals` integer DEFAULT 0 NOT NULL;