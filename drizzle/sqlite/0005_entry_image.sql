ALTER TABLE `entries` ADD `image_url` text;--> statement-breakpoint
ALTER TABLE `entries` ADD `image_width` integer;--> statement-breakpoint
ALTER TABLE `entries` ADD `image_height` integer;