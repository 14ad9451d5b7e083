CREATE TABLE "teams_queue" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"task_id" text,
	"payload" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"done_at" bigint,
	"activity_id" text,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "teams_queue_user" ON "teams_queue" USING btree ("tenant_id","user_id","done_at","id");--> statement-breakpoint
CREATE INDEX "teams_queue_task" ON "teams_queue" USING btree ("task_id","user_id","kind");