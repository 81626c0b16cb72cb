CREATE TABLE `copy_follows` (
	`id` text PRIMARY KEY NOT NULL,
	`leader_id` text NOT NULL,
	`follower_venue_id` text NOT NULL,
	`settings` text NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`leader_start_at` integer NOT NULL,
	`ended_at` integer,
	`day_key` text,
	`day_start_pnl` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `copy_follows_leader_idx` ON `copy_follows` (`leader_id`);--> statement-breakpoint
CREATE TABLE `copy_leader_cursors` (
	`leader_id` text PRIMARY KEY NOT NULL,
	`last_fill_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `copy_leader_fills` (
	`leader_id` text NOT NULL,
	`trade_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`price` text NOT NULL,
	`amount` text NOT NULL,
	`timestamp` integer NOT NULL,
	`position_before` text NOT NULL,
	`via` text NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`leader_id`, `trade_id`)
);
--> statement-breakpoint
CREATE INDEX `copy_leader_fills_time_idx` ON `copy_leader_fills` (`leader_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `copy_leader_positions` (
	`leader_id` text NOT NULL,
	`symbol` text NOT NULL,
	`amount` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`leader_id`, `symbol`)
);
--> statement-breakpoint
CREATE TABLE `copy_records` (
	`id` text PRIMARY KEY NOT NULL,
	`follow_id` text NOT NULL,
	`leader_id` text NOT NULL,
	`leader_trade_id` text NOT NULL,
	`leader_symbol` text NOT NULL,
	`side` text NOT NULL,
	`leader_amount` text NOT NULL,
	`leader_price` text NOT NULL,
	`leader_at` integer NOT NULL,
	`follower_venue_id` text NOT NULL,
	`follower_symbol` text,
	`intended_amount` text,
	`follower_amount` text,
	`order_type` text,
	`order_price` text,
	`follower_filled` text NOT NULL,
	`follower_cost` text NOT NULL,
	`client_order_id` text,
	`status` text NOT NULL,
	`rule` text,
	`reason` text,
	`error` text,
	`detected_ms` real,
	`decided_ms` real,
	`submitted_ms` real,
	`via` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `copy_records_follow_trade_idx` ON `copy_records` (`follow_id`,`leader_trade_id`);--> statement-breakpoint
CREATE INDEX `copy_records_created_idx` ON `copy_records` (`created_at`);--> statement-breakpoint
CREATE INDEX `copy_records_status_idx` ON `copy_records` (`status`);--> statement-breakpoint
CREATE INDEX `copy_records_client_order_idx` ON `copy_records` (`client_order_id`);--> statement-breakpoint
CREATE TABLE `portfolio_sync_cursors` (
	`account` text NOT NULL,
	`phase` text NOT NULL,
	`market` text NOT NULL,
	`time` integer,
	`from_id` text,
	`fetched` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account`, `phase`, `market`)
);
--> statement-breakpoint
CREATE TABLE `portfolio_sync_runs` (
	`account` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`phase` text,
	`done` integer NOT NULL,
	`total` integer NOT NULL,
	`fetched` integer NOT NULL,
	`inserted` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`last_synced_at` integer,
	`error` text
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `trigger_kind` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `trigger_price` text;--> statement-breakpoint
-- The ledger now keys venue trades by market and id ("BTC/USDT#1001"): exchanges number trades per market.
-- The app's own fills recorded before keep their key in the new form, so a history sync finds them.
UPDATE `ledger_entries` SET `external_id` = `symbol` || '#' || `external_id` WHERE `kind` = 'trade' AND `source` = 'app' AND `symbol` IS NOT NULL AND `external_id` IS NOT NULL AND instr(`external_id`, '#') = 0;
