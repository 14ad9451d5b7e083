CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"at" bigint NOT NULL,
	"actor" text NOT NULL,
	"actor_name" text,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"revision" integer,
	"summary" text NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_revisions" (
	"tenant_id" text NOT NULL,
	"revision" integer NOT NULL,
	"config" jsonb NOT NULL,
	"source" text NOT NULL,
	"actor" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "tenant_revisions_tenant_id_revision_pk" PRIMARY KEY("tenant_id","revision")
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_tenant_idx" ON "audit_log" USING btree ("tenant_id","id");--> statement-breakpoint
-- Tenants imported before revisions existed: their configuration becomes revision 1 (its secret is sealed at the next start).
INSERT INTO "tenant_revisions" ("tenant_id", "revision", "config", "source", "actor", "created_at")
SELECT "id", 1, "config", 'import', 'file', "imported_at" FROM "tenants";
