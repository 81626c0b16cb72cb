CREATE TABLE `account_exchange_accounts` (
	`account_id` text NOT NULL,
	`sandbox` integer NOT NULL,
	`api_base_url` text NOT NULL,
	`exchange_account` text NOT NULL,
	`learnt_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `sandbox`, `api_base_url`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- The exchange account recorded so far belongs to the environment the account connects to now.
INSERT INTO `account_exchange_accounts` (`account_id`, `sandbox`, `api_base_url`, `exchange_account`, `learnt_at`)
  SELECT `id`, `sandbox`, coalesce(`api_base_url`, ''), `exchange_account`, `updated_at` FROM `accounts` WHERE `exchange_account` IS NOT NULL;
--> statement-breakpoint
ALTER TABLE `accounts` DROP COLUMN `exchange_account`;