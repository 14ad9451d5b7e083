CREATE TABLE "agent_services" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"service_id" text NOT NULL,
	"active" boolean NOT NULL,
	CONSTRAINT "agent_services_tenant_id_user_id_service_id_pk" PRIMARY KEY("tenant_id","user_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"presence" text NOT NULL,
	"in_blocking_call" boolean DEFAULT false NOT NULL,
	"on_duty" boolean NOT NULL,
	"rona_until" bigint,
	"last_idle_at" bigint NOT NULL,
	"last_offered_at" bigint,
	CONSTRAINT "agents_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "bot_installations" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"reference" jsonb NOT NULL,
	"current_task_id" text,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "bot_installations_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"channel" text NOT NULL,
	"entry" text NOT NULL,
	"address" text,
	"customer" jsonb NOT NULL,
	"token_hash" text,
	"open" boolean DEFAULT true NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"current_task_id" text,
	"direct_user_id" text,
	"created_at" bigint NOT NULL,
	"last_customer_at" bigint,
	"ended_at" bigint
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"conversation_id" text,
	"user_id" text,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_seen" (
	"key" text PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"payload" jsonb NOT NULL,
	"due_at" bigint NOT NULL,
	"locked_until" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"seq" integer NOT NULL,
	"from" text NOT NULL,
	"text" text NOT NULL,
	"author" text,
	"author_user_id" text,
	"client_message_id" text,
	"external_id" text,
	"delivery_state" text,
	"delivery_error" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reporting_sessions" (
	"task_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"service_id" text NOT NULL,
	"channel" text NOT NULL,
	"outcome" text,
	"created_at" bigint NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_state" (
	"tenant_id" text NOT NULL,
	"service_id" text NOT NULL,
	"policy_state" jsonb NOT NULL,
	"wait_history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "service_state_tenant_id_service_id_pk" PRIMARY KEY("tenant_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_offers" (
	"tenant_id" text NOT NULL,
	"task_id" text NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "task_offers_task_id_user_id_pk" PRIMARY KEY("task_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"service_id" text NOT NULL,
	"state" text NOT NULL,
	"user_id" text,
	"data" jsonb NOT NULL,
	"workflow" jsonb,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"config" jsonb NOT NULL,
	"config_hash" text NOT NULL,
	"imported_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "conversations_tenant_address" ON "conversations" USING btree ("tenant_id","channel","address","open");--> statement-breakpoint
CREATE INDEX "events_user" ON "events" USING btree ("tenant_id","user_id","id");--> statement-breakpoint
CREATE INDEX "events_conversation" ON "events" USING btree ("conversation_id","id");--> statement-breakpoint
CREATE INDEX "jobs_due" ON "jobs" USING btree ("due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_kind_ref" ON "jobs" USING btree ("kind","ref");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_conversation_seq" ON "messages" USING btree ("conversation_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_client_id" ON "messages" USING btree ("conversation_id","from","client_message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_external_id" ON "messages" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "reporting_tenant_created" ON "reporting_sessions" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "task_offers_user" ON "task_offers" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "tasks_tenant_service_state" ON "tasks" USING btree ("tenant_id","service_id","state");--> statement-breakpoint
CREATE INDEX "tasks_tenant_user_state" ON "tasks" USING btree ("tenant_id","user_id","state");--> statement-breakpoint
CREATE INDEX "tasks_conversation" ON "tasks" USING btree ("conversation_id");