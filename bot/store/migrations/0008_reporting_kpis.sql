CREATE TABLE "reporting_daily" (
	"tenant_id" text NOT NULL,
	"day" integer NOT NULL,
	"service_id" text NOT NULL,
	"channel" text NOT NULL,
	"user_id" text NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"offered" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"handled" integer DEFAULT 0 NOT NULL,
	"abandoned" integer DEFAULT 0 NOT NULL,
	"missed" integer DEFAULT 0 NOT NULL,
	"declined" integer DEFAULT 0 NOT NULL,
	"transferred" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"timed_out" integer DEFAULT 0 NOT NULL,
	"inactive" integer DEFAULT 0 NOT NULL,
	"closed_hours" integer DEFAULT 0 NOT NULL,
	"nobody_available" integer DEFAULT 0 NOT NULL,
	"within" integer DEFAULT 0 NOT NULL,
	"abandoned_within" integer DEFAULT 0 NOT NULL,
	"wait_count" integer DEFAULT 0 NOT NULL,
	"wait_sum" bigint DEFAULT 0 NOT NULL,
	"wait_max" bigint,
	"handle_count" integer DEFAULT 0 NOT NULL,
	"handle_sum" bigint DEFAULT 0 NOT NULL,
	"csat_count" integer DEFAULT 0 NOT NULL,
	"csat_sum" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "reporting_daily_tenant_id_day_service_id_channel_user_id_pk" PRIMARY KEY("tenant_id","day","service_id","channel","user_id")
);
--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "user_id" text;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "queued_at" bigint;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "accepted_at" bigint;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "queue_ms" bigint;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "handling_ms" bigint;--> statement-breakpoint
ALTER TABLE "reporting_sessions" ADD COLUMN "csat_rating" integer;--> statement-breakpoint
CREATE INDEX "reporting_open" ON "reporting_sessions" USING btree ("tenant_id","created_at") WHERE outcome is null;--> statement-breakpoint
UPDATE "reporting_sessions" SET
  "user_id" = "data"->>'userId',
  "queued_at" = ("data"->>'queuedAt')::bigint,
  "accepted_at" = ("data"->>'acceptedAt')::bigint,
  "queue_ms" = ("data"->>'queueMs')::bigint,
  "handling_ms" = ("data"->>'handlingMs')::bigint,
  "csat_rating" = ("data"->'csat'->>'rating')::integer;
--> statement-breakpoint
-- The sums of the sessions that ended before this release, against the default threshold (20 s).
INSERT INTO "reporting_daily"
SELECT tenant_id, (created_at / 86400000)::int, service_id, channel, coalesce(user_id, ''),
  count(*),
  count(*) FILTER (WHERE queued_at IS NOT NULL),
  count(*) FILTER (WHERE accepted_at IS NOT NULL),
  count(*) FILTER (WHERE outcome = 'handled'),
  count(*) FILTER (WHERE outcome = 'abandoned'),
  count(*) FILTER (WHERE outcome = 'missed'),
  count(*) FILTER (WHERE outcome = 'declined'),
  count(*) FILTER (WHERE outcome = 'transferred'),
  count(*) FILTER (WHERE outcome = 'failed'),
  count(*) FILTER (WHERE outcome = 'timedOut'),
  count(*) FILTER (WHERE outcome = 'inactive'),
  count(*) FILTER (WHERE outcome = 'closedHours'),
  count(*) FILTER (WHERE outcome = 'nobodyAvailable'),
  count(*) FILTER (WHERE accepted_at IS NOT NULL AND queued_at IS NOT NULL AND accepted_at - queued_at <= 20000),
  count(*) FILTER (WHERE outcome = 'abandoned' AND queued_at IS NOT NULL AND coalesce(queue_ms, 0) <= 20000),
  count(queue_ms) FILTER (WHERE queued_at IS NOT NULL),
  coalesce(sum(queue_ms) FILTER (WHERE queued_at IS NOT NULL), 0),
  max(queue_ms) FILTER (WHERE queued_at IS NOT NULL),
  count(handling_ms) FILTER (WHERE accepted_at IS NOT NULL),
  coalesce(sum(handling_ms) FILTER (WHERE accepted_at IS NOT NULL), 0),
  count(csat_rating),
  coalesce(sum(csat_rating), 0)
FROM "reporting_sessions" WHERE outcome IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
