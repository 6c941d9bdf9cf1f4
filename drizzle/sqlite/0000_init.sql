CREATE TABLE `entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` text NOT NULL,
	`key` text NOT NULL,
	`guid` text,
	`title` text NOT NULL,
	`link` text,
	`canonical_url` text,
	`summary` text DEFAULT '' NOT NULL,
	`content` text,
	`author` text,
	`categories` text DEFAULT '[]' NOT NULL,
	`published_at` integer NOT NULL,
	`updated_at` integer,
	`original_date` text,
	`content_hash` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`changed_at` integer NOT NULL,
	`story_id` integer,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`story_id`) REFERENCES `stories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entries_source_key_uq` ON `entries` (`source_id`,`key`);--> statement-breakpoint
CREATE INDEX `entries_published_idx` ON `entries` ("published_at" DESC,"id" DESC);--> statement-breakpoint
CREATE INDEX `entries_source_published_idx` ON `entries` (`source_id`,`published_at`);--> statement-breakpoint
CREATE INDEX `entries_story_idx` ON `entries` (`story_id`);--> statement-breakpoint
CREATE INDEX `entries_canonical_idx` ON `entries` (`canonical_url`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`feed_title` text,
	`site_url` text,
	`status` text DEFAULT 'new' NOT NULL,
	`etag` text,
	`last_modified` text,
	`body_hash` text,
	`last_fetched_at` integer,
	`last_success_at` integer,
	`last_error_kind` text,
	`last_error` text,
	`last_http_status` integer,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`next_fetch_at` integer,
	`permanent_redirect` text,
	`ttl_seconds` integer,
	`priority` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`representative_entry_id` integer,
	`title` text NOT NULL,
	`url` text,
	`summary` text DEFAULT '' NOT NULL,
	`published_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sources_count` integer DEFAULT 0 NOT NULL,
	`entries_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stories_published_idx` ON `stories` ("published_at" DESC,"id" DESC);--> statement-breakpoint
CREATE INDEX `stories_updated_idx` ON `stories` (`updated_at`);