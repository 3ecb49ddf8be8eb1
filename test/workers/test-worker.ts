/** The platform's worker plus the router tests' DVMs. */
export { default, RelayDurableObject } from '../../relay/worker'
export { TestDvm } from './test-dvm'
