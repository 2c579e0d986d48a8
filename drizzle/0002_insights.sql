CREATE TABLE "key_crs_reads" (
	"api_key_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"limits_read_at" timestamp with time zone,
	"limits_seen_used_at" timestamp with time zone,
	"window_start" timestamp with time zone,
	"window_end" timestamp with time zone,
	"window_requests" bigint DEFAULT 0 NOT NULL,
	"window_tokens" bigint DEFAULT 0 NOT NULL,
	"window_cost_micros" bigint DEFAULT 0 NOT NULL,
	"opus_cost_micros" bigint DEFAULT 0 NOT NULL,
	"opus_week_start" timestamp with time zone,
	"weekly_reset_day" integer DEFAULT 1 NOT NULL,
	"weekly_reset_hour" integer DEFAULT 0 NOT NULL,
	"models_read_at" timestamp with time zone,
	"models_seen_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "usage_daily_model" (
	"api_key_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"model" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_create_tokens" bigint DEFAULT 0 NOT NULL,
	"cache_read_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_daily_model_api_key_id_day_model_pk" PRIMARY KEY("api_key_id","day","model")
);
--> statement-breakpoint
CREATE TABLE "usage_hourly" (
	"api_key_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_hourly_api_key_id_hour_pk" PRIMARY KEY("api_key_id","hour")
);
--> statement-breakpoint
ALTER TABLE "key_crs_reads" ADD CONSTRAINT "key_crs_reads_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_daily_model" ADD CONSTRAINT "usage_daily_model_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_hourly" ADD CONSTRAINT "usage_hourly_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_daily_model_user_day_idx" ON "usage_daily_model" USING btree ("user_id","day");--> statement-breakpoint
CREATE INDEX "usage_hourly_user_hour_idx" ON "usage_hourly" USING btree ("user_id","hour");--> statement-breakpoint
CREATE INDEX "usage_hourly_hour_idx" ON "usage_hourly" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "api_keys_last_used_idx" ON "api_keys" USING btree ("last_used_at");--> statement-breakpoint
CREATE INDEX "api_keys_metered_idx" ON "api_keys" USING btree ("id") WHERE ((limits->>'rateLimitWindow')::numeric > 0 or (limits->>'weeklyOpusCostLimit')::numeric > 0);