CREATE TABLE `sim_state` (
	`id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`saved_at` integer NOT NULL
);
