ALTER TABLE "entries" ADD COLUMN "image_url" text;--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "image_width" integer;--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "image_height" integer;