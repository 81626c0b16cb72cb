DROP INDEX `price_marks_pair_at_idx`;--> statement-breakpoint
ALTER TABLE `price_marks` ADD `venue` text;--> statement-breakpoint
CREATE UNIQUE INDEX `price_marks_pair_venue_at_idx` ON `price_marks` (`asset`,`quote`,ifnull(`venue`, ''),`at`);
