CREATE TABLE `tax_carry_in` (
	`jurisdiction` text PRIMARY KEY NOT NULL,
	`year` integer NOT NULL,
	`amount` text NOT NULL,
	`long_term` text,
	`updated_at` integer NOT NULL
);
