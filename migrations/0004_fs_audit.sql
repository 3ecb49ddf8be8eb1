CREATE TABLE `fs_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`request_id` text NOT NULL,
	`pubkey` text NOT NULL,
	`ns` text,
	`op` text,
	`path` text,
	`target` text,
	`allowed` integer NOT NULL,
	`code` text
);
--> statement-breakpoint
CREATE INDEX `fs_audit_ns` ON `fs_audit` (`ns`,`id`);