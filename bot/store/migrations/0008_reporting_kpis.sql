ALTER TABLE "reporting_sessions" ADD COLUMN "user_id" text;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "queued_at" bigint;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "accepted_at" bigint;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "queue_ms" bigint;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "handling_ms" bigint;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "csat_rating" integer;--> statement-breakpoint
UPDATE "reporting_sessions" SET
  "user_id" = "data"->>'userId',
  "queued_at" = ("data"->>'queuedAt')::bigint,
  "accepted_at" = ("data"->>'acceptedAt')::bigint,
  "queue_ms" = ("data"->>'queueMs')::bigint,
  "handling_ms" = ("data"->>'handlingMs')::bigint,
  "csat_rating" = ("data"->'csat'->>'rating')::integer;
