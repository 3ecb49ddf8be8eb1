import type { D1Migration } from 'cloudflare:test'
import type { RelayEnv } from '../../relay/do/relay-do'

declare global {
  namespace Cloudflare {
    interface Env extends RelayEnv {
      TEST_MIGRATIONS: D1Migration[]
    }
  }
}
