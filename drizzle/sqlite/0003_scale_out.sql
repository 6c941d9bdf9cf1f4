CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL,
	`acquired_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `entries` ADD `pending_seq` integer;--> statement-breakpoint
CREATE INDEX `entries_pending_idx` ON `entries` (`pending_seq`) WHERE "entries"."pending_seq" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `sources` ADD `lease_holder` text;--> statement-breakpoint
ALTER TABLE `sources` ADD `lease_until` integer;--> statement-breakpoint
CREATE INDEX `sources_due_idx` ON `sources` (COALESCE("next_fetch_at", 0),`id`);