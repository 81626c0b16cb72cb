ALTER TABLE `alert_rules` ADD `webhook_ciphertext` blob;--> statement-breakpoint
ALTER TABLE `alert_rules` ADD `webhook_iv` blob;--> statement-breakpoint
ALTER TABLE `alert_rules` ADD `webhook_tag` blob;--> statement-breakpoint
ALTER TABLE `alert_rules` ADD `webhook_key_mode` text;--> statement-breakpoint
ALTER TABLE `alert_rules` ADD `webhook_mask` text;--> statement-breakpoint
ALTER TABLE `risk_alert_rules` ADD `webhook_ciphertext` blob;--> statement-breakpoint
ALTER TABLE `risk_alert_rules` ADD `webhook_iv` blob;--> statement-breakpoint
ALTER TABLE `risk_alert_rules` ADD `webhook_tag` blob;--> statement-breakpoint
ALTER TABLE `risk_alert_rules` ADD `webhook_key_mode` text;--> statement-breakpoint
ALTER TABLE `risk_alert_rules` ADD `webhook_mask` text;