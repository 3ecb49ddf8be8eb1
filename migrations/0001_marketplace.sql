CREATE TABLE `dvm_activity` (
	`pubkey` text PRIMARY KEY NOT NULL,
	`last_seen` integer NOT NULL,
	`heartbeat_until` integer
);
--> statement-breakpoint
CREATE TABLE `dvms` (
	`pubkey` text NOT NULL,
	`d` text NOT NULL,
	`event_id` text NOT NULL,
	`kinds` text NOT NULL,
	`name` text NOT NULL,
	`about` text NOT NULL,
	`price` integer,
	`metadata` text NOT NULL,
	`internal` text,
	`announced_at` integer NOT NULL,
	PRIMARY KEY(`pubkey`, `d`)
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` integer NOT NULL,
	`customer` text NOT NULL,
	`status` text NOT NULL,
	`targets` text NOT NULL,
	`assigned` text NOT NULL,
	`provider` text,
	`waiting_for` text,
	`deadline` integer,
	`offers` integer NOT NULL,
	`received_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`first_feedback_at` integer,
	`result_at` integer,
	`history` text NOT NULL,
	`results` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_received` ON `jobs` (`received_at`);--> statement-breakpoint
CREATE INDEX `jobs_deadline` ON `jobs` (`deadline`);--> statement-breakpoint
CREATE INDEX `jobs_waiting` ON `jobs` (`waiting_for`);--> statement-breakpoint
CREATE INDEX `jobs_status_kind` ON `jobs` (`status`,`kind`);