CREATE TABLE `risk_transfer_values` (
	`venue_id` text NOT NULL,
	`key` text NOT NULL,
	`asset` text NOT NULL,
	`amount` text NOT NULL,
	`value` text NOT NULL,
	`valued_at` integer NOT NULL,
	PRIMARY KEY(`venue_id`, `key`)
);
