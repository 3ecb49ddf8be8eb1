/**
 * An earlier job, from its result event: the answer, and the request it answered (carried in the
 * result's `request` tag, its signature checked). Results and requests encrypted between this
 * DVM and the customer are opened with the DVM's key; others' encrypted jobs stay closed.
 */
import { verifyEvent } from 'nostr-tools/pure'
import { cipherOf, type NostrEvent, type Signer } from '../sdk/nostr/signer'
import { decryptRequest } from '../sdk/dvm/encryption'
import { encryptionOf, readJob } from '../sdk/dvm/request'
import { JobError, type Job } from '../sdk/dvm/types'

const isEncrypted = (e: NostrEvent) => e.tags.some((t) => t[0] === 'encrypted')

/** The result's content, decrypted when it was encrypted by this DVM. */
export async function answerOf(requestId: string, result: NostrEvent, signer: Signer): Promise<string> {
  if (!isEncrypted(result)) return result.content
  const customer = result.tags.find((t) => t[0] === 'p')?.[1]
  if (result.pubkey !== (await signer.getPublicKey()) || !customer) throw new JobError(`the result of job ${requestId} is encrypted for someone else`)
  try {
    return await cipherOf(signer, encryptionOf(result.content)).decrypt(customer, result.content)
  } catch {
    throw new JobError(`the result of job ${requestId} could not be decrypted`)
  }
}

/** The request a result answers, read as a job (decrypted when it was encrypted to this DVM). */
export async function requestOf(requestId: string, result: NostrEvent, signer: Signer): Promise<Job> {
  let request: NostrEvent | undefined
  try {
    request = JSON.parse(result.tags.find((t) => t[0] === 'request')?.[1] ?? '')
  } catch {
    // handled below
  }
  if (!request || request.id !== requestId || !verifyEvent(request)) throw new JobError(`the result of job ${requestId} does not carry its signed request`)
  if (!isEncrypted(request)) return readJob(request).job
  const hidden = await decryptRequest(signer, request)
  if ('error' in hidden) throw new JobError(`job ${requestId} is encrypted for someone else`)
  return readJob(request, hidden).job
}
