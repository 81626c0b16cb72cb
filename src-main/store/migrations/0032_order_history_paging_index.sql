DROP INDEX `orders_updated_at_idx`;--> statement-breakpoint
CREATE INDEX `orders_history_idx` ON `orders` (`updated_at`,`client_order_id`);--> statement-breakpoint
CREATE INDEX `orders_venue_history_idx` ON `orders` (`venue_id`,`updated_at`,`client_order_id`);