/** The platform's worker plus the router tests' DVMs. */
export { default, RelayDurableObject, FileServiceDO, EdgeWsFs, FsBridgeDurableObject } from '../../relay/worker'
export { TestDvm } from './test-dvm'
export { CodegenDvm, ChatDvm, ImageDvm } from '../../dvms'
