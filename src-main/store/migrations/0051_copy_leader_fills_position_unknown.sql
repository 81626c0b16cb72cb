PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_copy_leader_fills` (
	`leader_id` text NOT NULL,
	`trade_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`price` text NOT NULL,
	`amount` text NOT NULL,
	`timestamp` integer NOT NULL,
	`position_before` text,
	`via` text NOT NULL,
	`seen_at` integer NOT NULL,
	`order_id` text,
	PRIMARY KEY(`leader_id`, `symbol`, `trade_id`)
);
--> statement-breakpoint
INSERT INTO `__new_copy_leader_fills`("leader_id", "trade_id", "symbol", "side", "price", "amount", "timestamp", "position_before", "via", "seen_at", "order_id") SELECT "leader_id", "trade_id", "symbol", "side", "price", "amount", "timestamp", "position_before", "via", "seen_at", "order_id" FROM `copy_leader_fills`;--> statement-breakpoint
DROP TABLE `copy_leader_fills`;--> statement-breakpoint
ALTER TABLE `__new_copy_leader_fills` RENAME TO `copy_leader_fills`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `copy_leader_fills_time_idx` ON `copy_leader_fills` (`leader_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `copy_leader_fills_order_idx` ON `copy_leader_fills` (`leader_id`,`order_id`);