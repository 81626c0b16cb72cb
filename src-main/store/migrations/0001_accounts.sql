CREATE TABLE `account_secrets` (
	`account_id` text PRIMARY KEY NOT NULL,
	`ciphertext` blob NOT NULL,
	`iv` blob NOT NULL,
	`auth_tag` blob NOT NULL,
	`key_mode` text NOT NULL,
	`sealed_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`exchange` text NOT NULL,
	`label` text NOT NULL,
	`sandbox` integer DEFAULT false NOT NULL,
	`api_base_url` text,
	`key_hint` text NOT NULL,
	`can_trade` integer,
	`last_test_ok` integer,
	`last_test_kind` text,
	`last_test_message` text,
	`last_test_latency_ms` integer,
	`last_test_balances` integer,
	`last_test_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `accounts_exchange_idx` ON `accounts` (`exchange`);--> statement-breakpoint
CREATE TABLE `secrets_keyring` (
	`id` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`kdf` text,
	`kdf_salt` blob,
	`kdf_n` integer,
	`kdf_r` integer,
	`kdf_p` integer,
	`verifier_ciphertext` blob NOT NULL,
	`verifier_iv` blob NOT NULL,
	`verifier_tag` blob NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
