ALTER TABLE "job_state" ADD COLUMN "last_totals_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "job_state" ADD COLUMN "totals_due" boolean DEFAULT false NOT NULL;