CREATE TABLE `rate_holds` (
	`venue_id` text NOT NULL,
	`scope` text NOT NULL,
	`until` integer NOT NULL,
	PRIMARY KEY(`venue_id`, `scope`)
);
