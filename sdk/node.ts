/** Node-only additions: a WebSocket implementation for the relay transports. */
import WebSocket from 'ws'

export { WebSocket }
export { runDvm, type RunDvmOptions, type RunningDvm } from './dvm/node'
export * from './index'
