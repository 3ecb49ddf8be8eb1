/** NIP-89 handler announcements (kind 31990) as DVM registry entries: the SDK's reading. Pure. */
export { readAnnouncement, type DvmAnnouncement } from '../../sdk/dvm/announcement'
