CREATE TABLE "audit_seals" (
	"number" bigint PRIMARY KEY NOT NULL,
	"from_sequence" bigint NOT NULL,
	"to_sequence" bigint NOT NULL,
	"row_count" integer NOT NULL,
	"rows_digest" text NOT NULL,
	"row_manifest" "bytea" NOT NULL,
	"previous_hash" text NOT NULL,
	"hash" text NOT NULL,
	"canonical_version" smallint NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_seals_range_check" CHECK (from_sequence >= 1 and to_sequence >= from_sequence and row_count >= 1),
	CONSTRAINT "audit_seals_count_check" CHECK (row_count <= to_sequence - from_sequence + 1 and octet_length(row_manifest) = 40 * row_count),
	CONSTRAINT "audit_seals_digest_check" CHECK (rows_digest ~ '^[0-9a-f]{64}$' and previous_hash ~ '^[0-9a-f]{64}$' and hash ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_seals_previous_hash_key" ON "audit_seals" USING btree ("previous_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_seals_hash_key" ON "audit_seals" USING btree ("hash");--> statement-breakpoint
-- The audit is append-only (issue 8): rows and seals are inserted, never updated, deleted or truncated,
-- whoever connects. A superuser can still disable the triggers; the seals' hash chain is what detects it.
-- The grant-level guard (the application role gets INSERT and SELECT only) comes with row-level security.
CREATE FUNCTION "parcours_refuse_audit_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "parcours_refuse_audit_change"();--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "parcours_refuse_audit_change"();--> statement-breakpoint
CREATE TRIGGER "audit_seals_append_only" BEFORE UPDATE OR DELETE ON "audit_seals" FOR EACH ROW EXECUTE FUNCTION "parcours_refuse_audit_change"();--> statement-breakpoint
CREATE TRIGGER "audit_seals_no_truncate" BEFORE TRUNCATE ON "audit_seals" FOR EACH STATEMENT EXECUTE FUNCTION "parcours_refuse_audit_change"();
