/** The router tests' worker plus a DVM built with the SDK, bound as the only internal DVM. */
export * from '../workers/test-worker'
export { default } from '../workers/test-worker'
export { HostedDvm } from './hosted-dvm'
