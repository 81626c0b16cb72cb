ALTER TABLE `alert_rules` ADD `repeat` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `alert_rules` ADD `armed` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `alert_rules` ADD `fire_count` integer DEFAULT 0 NOT NULL;