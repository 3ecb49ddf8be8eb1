import type { EdgeEnv } from '../env'

// The edge services' bindings, for tests that reach them through `env` from cloudflare:test.
declare global {
  namespace Cloudflare {
    interface Env extends EdgeEnv {}
  }
}
