ALTER TABLE `copy_leader_fills` ADD `order_id` text;--> statement-breakpoint
CREATE INDEX `copy_leader_fills_order_idx` ON `copy_leader_fills` (`leader_id`,`order_id`);