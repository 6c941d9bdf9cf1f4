CREATE TABLE `fetch_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`fetched_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`http_status` integer,
	`error_kind` text,
	`new_entries` integer DEFAULT 0 NOT NULL,
	`updated_entries` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `fetch_history_source_idx` ON `fetch_history` (`source_id`,"fetched_at" DESC);--> statement-breakpoint
CREATE INDEX `entries_image_idx` ON `entries` (`image_url`) WHERE "entries"."image_url" IS NOT NULL;