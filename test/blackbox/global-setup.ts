/** Starts the shared relay instance for the black-box suite and hands its URLs to the tests. */
import type { TestProject } from 'vitest/node'
import { MAIN_VARS, startRelay } from './platform'

export default async function setup(project: TestProject) {
  const relay = await startRelay({ ...MAIN_VARS })
  project.provide('relayUrl', relay.url)
  project.provide('relayHttpUrl', relay.httpUrl)
  return async () => {
    await relay.stop()
  }
}
