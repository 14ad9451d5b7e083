ALTER TABLE "agents" ADD COLUMN "presence_since" bigint;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "presence_checked_at" bigint;