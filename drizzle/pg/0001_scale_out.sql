CREATE SEQUENCE "public"."entries_pending_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"acquired_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "entries" ADD COLUMN "pending_seq" bigint;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "lease_holder" text;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "lease_until" bigint;--> statement-breakpoint
CREATE INDEX "entries_pending_idx" ON "entries" USING btree ("pending_seq") WHERE "entries"."pending_seq" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "sources_due_idx" ON "sources" USING btree (COALESCE("next_fetch_at", 0),"id");