DROP INDEX `events_pubkey_kind`;--> statement-breakpoint
CREATE INDEX `events_pubkey_kind` ON `events` (`pubkey`,`kind`,"created_at" DESC,`id`);