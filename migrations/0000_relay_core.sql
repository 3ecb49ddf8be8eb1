CREATE TABLE `deleted_addresses` (
	`address` text PRIMARY KEY NOT NULL,
	`until` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deleted_events` (
	`id` text NOT NULL,
	`pubkey` text NOT NULL,
	PRIMARY KEY(`id`, `pubkey`)
);
--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`pubkey` text NOT NULL,
	`kind` integer NOT NULL,
	`created_at` integer NOT NULL,
	`address` text,
	`expires_at` integer,
	`raw` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_created` ON `events` ("created_at" DESC,`id`);--> statement-breakpoint
CREATE INDEX `events_pubkey` ON `events` (`pubkey`,"created_at" DESC,`id`);--> statement-breakpoint
CREATE INDEX `events_kind` ON `events` (`kind`,"created_at" DESC,`id`);--> statement-breakpoint
CREATE INDEX `events_pubkey_kind` ON `events` (`pubkey`,`kind`,"created_at" DESC);--> statement-breakpoint
CREATE INDEX `events_address` ON `events` (`address`) WHERE "events"."address" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `events_expires` ON `events` (`expires_at`) WHERE "events"."expires_at" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `tags` (
	`event_id` text NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`event_id`, `name`, `value`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tags_value` ON `tags` (`name`,`value`,"created_at" DESC,`event_id`);