/** Node-only additions: a WebSocket implementation for the relay transports. */
import WebSocket from 'ws'

export { WebSocket }
export * from './index'
