DROP INDEX `fills_timestamp_idx`;--> statement-breakpoint
CREATE INDEX `fills_paging_idx` ON `fills` (`timestamp`,`venue_id`,`trade_id`);--> statement-breakpoint
CREATE INDEX `fills_venue_paging_idx` ON `fills` (`venue_id`,`timestamp`,`trade_id`);