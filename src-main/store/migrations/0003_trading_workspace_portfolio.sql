CREATE TABLE `paper_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`label` text NOT NULL,
	`source_kind` text NOT NULL,
	`source_venue_id` text,
	`exchange` text NOT NULL,
	`api_base_url` text,
	`created_at` integer NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `paper_accounts_seq_unique` ON `paper_accounts` (`seq`);--> statement-breakpoint
CREATE TABLE `paper_balances` (
	`account_id` text NOT NULL,
	`asset` text NOT NULL,
	`free` text NOT NULL,
	`used` text NOT NULL,
	PRIMARY KEY(`account_id`, `asset`),
	FOREIGN KEY (`account_id`) REFERENCES `paper_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `paper_fills` (
	`account_id` text NOT NULL,
	`trade_id` text NOT NULL,
	`venue_order_id` text NOT NULL,
	`client_order_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`price` text NOT NULL,
	`amount` text NOT NULL,
	`fee` text NOT NULL,
	`fee_asset` text NOT NULL,
	`liquidity` text NOT NULL,
	`timestamp` integer NOT NULL,
	PRIMARY KEY(`account_id`, `trade_id`),
	FOREIGN KEY (`account_id`) REFERENCES `paper_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `paper_fills_symbol_idx` ON `paper_fills` (`account_id`,`symbol`,`timestamp`);--> statement-breakpoint
CREATE TABLE `paper_orders` (
	`account_id` text NOT NULL,
	`venue_order_id` text NOT NULL,
	`client_order_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`type` text NOT NULL,
	`price` text,
	`amount` text NOT NULL,
	`filled` text NOT NULL,
	`cost` text NOT NULL,
	`status` text NOT NULL,
	`time_in_force` text NOT NULL,
	`post_only` integer NOT NULL,
	`reserved` text NOT NULL,
	`reserved_asset` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `venue_order_id`),
	FOREIGN KEY (`account_id`) REFERENCES `paper_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `paper_orders_client_idx` ON `paper_orders` (`account_id`,`client_order_id`);--> statement-breakpoint
CREATE INDEX `paper_orders_status_idx` ON `paper_orders` (`account_id`,`status`);--> statement-breakpoint
CREATE TABLE `workspace_layouts` (
	`name` text PRIMARY KEY NOT NULL,
	`layout` text NOT NULL,
	`saved_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `fills` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`venue_id` text NOT NULL,
	`trade_id` text NOT NULL,
	`client_order_id` text,
	`venue_order_id` text NOT NULL,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`price` text NOT NULL,
	`amount` text NOT NULL,
	`cost` text NOT NULL,
	`fee_asset` text NOT NULL,
	`fee_amount` text NOT NULL,
	`liquidity` text NOT NULL,
	`timestamp` integer NOT NULL,
	`recorded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fills_venue_trade_idx` ON `fills` (`venue_id`,`trade_id`);--> statement-breakpoint
CREATE INDEX `fills_client_order_idx` ON `fills` (`client_order_id`);--> statement-breakpoint
CREATE INDEX `fills_venue_order_idx` ON `fills` (`venue_id`,`venue_order_id`);--> statement-breakpoint
CREATE INDEX `fills_timestamp_idx` ON `fills` (`timestamp`);--> statement-breakpoint
CREATE TABLE `orders` (
	`client_order_id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`venue_order_id` text,
	`symbol` text NOT NULL,
	`side` text NOT NULL,
	`type` text NOT NULL,
	`time_in_force` text NOT NULL,
	`post_only` integer NOT NULL,
	`amount` text NOT NULL,
	`price` text,
	`filled` text NOT NULL,
	`cost` text NOT NULL,
	`status` text NOT NULL,
	`origin_kind` text NOT NULL,
	`origin_ref` text,
	`error` text,
	`attempts` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_venue_status_idx` ON `orders` (`venue_id`,`status`);--> statement-breakpoint
CREATE INDEX `orders_created_at_idx` ON `orders` (`created_at`);--> statement-breakpoint
CREATE INDEX `orders_venue_order_idx` ON `orders` (`venue_id`,`venue_order_id`);--> statement-breakpoint
CREATE TABLE `risk_day_equity` (
	`venue_id` text NOT NULL,
	`day` text NOT NULL,
	`equity` text NOT NULL,
	`taken_at` integer NOT NULL,
	`breached_at` integer,
	PRIMARY KEY(`venue_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `risk_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`max_order_notional` text,
	`max_position_notional` text,
	`price_band_pct` text,
	`daily_loss_limit` text,
	`halted` integer DEFAULT false NOT NULL,
	`halted_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conditional_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text,
	`group_type` text NOT NULL,
	`venue_id` text NOT NULL,
	`symbol` text NOT NULL,
	`kind` text NOT NULL,
	`side` text NOT NULL,
	`amount` text NOT NULL,
	`trigger_source` text NOT NULL,
	`trigger_price` text,
	`limit_price` text,
	`trailing_unit` text,
	`trailing_value` text,
	`activation_price` text,
	`trailing_activated` integer DEFAULT false NOT NULL,
	`trailing_reference` text,
	`status` text NOT NULL,
	`reason` text,
	`cancel_cause` text,
	`client_order_id` text,
	`filled` text,
	`entry_client_order_id` text,
	`entry_filled` text,
	`placement` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conditional_orders_market_idx` ON `conditional_orders` (`venue_id`,`symbol`);--> statement-breakpoint
CREATE INDEX `conditional_orders_group_idx` ON `conditional_orders` (`group_id`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY NOT NULL,
	`account` text NOT NULL,
	`kind` text NOT NULL,
	`timestamp` integer NOT NULL,
	`symbol` text,
	`base` text NOT NULL,
	`quote` text,
	`side` text,
	`price` text,
	`amount` text NOT NULL,
	`fee_asset` text,
	`fee_amount` text,
	`source` text NOT NULL,
	`external_id` text,
	`content_hash` text,
	`import_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`import_id`) REFERENCES `ledger_imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_external_idx` ON `ledger_entries` (`account`,`external_id`) WHERE external_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_hash_idx` ON `ledger_entries` (`account`,`timestamp`,`content_hash`) WHERE content_hash is not null;--> statement-breakpoint
CREATE INDEX `ledger_entries_time_idx` ON `ledger_entries` (`timestamp`);--> statement-breakpoint
CREATE TABLE `ledger_imports` (
	`id` integer PRIMARY KEY NOT NULL,
	`account` text NOT NULL,
	`format` text NOT NULL,
	`file_name` text,
	`rows` integer NOT NULL,
	`inserted` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `price_marks` (
	`id` integer PRIMARY KEY NOT NULL,
	`asset` text NOT NULL,
	`quote` text NOT NULL,
	`price` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `price_marks_pair_at_idx` ON `price_marks` (`asset`,`quote`,`at`);