ALTER TABLE "agents" ADD COLUMN "wrap_up_until" bigint;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "prefs" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "last_agent_at" bigint;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "customer_read_seq" integer DEFAULT 0 NOT NULL;