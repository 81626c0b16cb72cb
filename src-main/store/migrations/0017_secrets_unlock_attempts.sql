ALTER TABLE `secrets_keyring` ADD `failures` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `secrets_keyring` ADD `retry_at` integer;