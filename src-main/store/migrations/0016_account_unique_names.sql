-- Account names become unique (trimmed, any case). A database may already hold duplicates: the oldest of
-- each keeps its name, the later ones get " (2)", " (3)", ... and, where that name is taken too, their id.
CREATE TABLE `__account_label_dups` AS SELECT `id`, `label`, row_number() OVER (PARTITION BY lower(trim(`label`)) ORDER BY `created_at`, `id`) AS `n` FROM `accounts`;
--> statement-breakpoint
UPDATE `accounts` SET `label` = (SELECT d.`label` || ' (' || d.`n` || ')' FROM `__account_label_dups` d WHERE d.`id` = `accounts`.`id`) WHERE `id` IN (SELECT `id` FROM `__account_label_dups` WHERE `n` > 1);
--> statement-breakpoint
UPDATE `accounts` SET `label` = (SELECT d.`label` || ' (' || d.`id` || ')' FROM `__account_label_dups` d WHERE d.`id` = `accounts`.`id`) WHERE `id` IN (SELECT `id` FROM `__account_label_dups` WHERE `n` > 1) AND EXISTS (SELECT 1 FROM `accounts` o WHERE o.`id` <> `accounts`.`id` AND lower(trim(o.`label`)) = lower(trim(`accounts`.`label`)));
--> statement-breakpoint
DROP TABLE `__account_label_dups`;
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_label_unique_idx` ON `accounts` (lower(trim("label")));
