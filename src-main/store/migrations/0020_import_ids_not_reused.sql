-- Import ids are never reused: the last one handed out is kept here (one row), seeded from the highest
-- import id stored. ledger_imports itself is not rebuilt (dropping it would cascade to the ledger entries).
CREATE TABLE `ledger_import_ids` (
	`id` integer PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `ledger_import_ids` (`id`, `last`) SELECT 1, coalesce(max(`id`), 0) FROM `ledger_imports`;
