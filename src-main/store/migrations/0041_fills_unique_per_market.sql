DROP INDEX `fills_venue_trade_idx`;--> statement-breakpoint
DROP INDEX `fills_paging_idx`;--> statement-breakpoint
DROP INDEX `fills_venue_paging_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `fills_venue_symbol_trade_idx` ON `fills` (`venue_id`,`symbol`,`trade_id`);--> statement-breakpoint
CREATE INDEX `fills_paging_idx` ON `fills` (`timestamp`,`venue_id`,`symbol`,`trade_id`);--> statement-breakpoint
CREATE INDEX `fills_venue_paging_idx` ON `fills` (`venue_id`,`timestamp`,`symbol`,`trade_id`);