-- Events recorded before this column get 32 random hex digits (unique like a UUID); new ones a UUID from the engine.
ALTER TABLE `alert_events` ADD `delivery_key` text NOT NULL DEFAULT '';--> statement-breakpoint
UPDATE `alert_events` SET `delivery_key` = lower(hex(randomblob(16)));--> statement-breakpoint
CREATE UNIQUE INDEX `alert_events_delivery_key_idx` ON `alert_events` (`delivery_key`);
