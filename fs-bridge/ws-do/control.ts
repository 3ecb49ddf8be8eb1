/**
 * Commands written to /cap/ws/control, in both of OANIX's spellings: {"url"} or {"open"} opens a
 * connection, {"id"} or {"close"} closes one. Pure.
 */
import { FsError } from '../../sdk/fs/error'

export type ControlCommand = { op: 'open'; url: string } | { op: 'close'; id: string }

export function parseControl(text: string): ControlCommand {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new FsError('invalid-argument', 'control takes JSON: {"url":"wss://…"} or {"id":"conn-N"}')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FsError('invalid-argument', 'control takes a JSON object')
  const o = value as Record<string, unknown>
  const url = o.url ?? o.open
  const id = o.id ?? o.close
  if (url !== undefined && id !== undefined) throw new FsError('invalid-argument', 'a control command either opens (url) or closes (id)')
  if (typeof url === 'string') return { op: 'open', url }
  if (typeof id === 'string') return { op: 'close', id }
  throw new FsError('invalid-argument', 'control takes {"url":"wss://…"} (or {"open":…}) or {"id":"conn-N"} (or {"close":…})')
}
