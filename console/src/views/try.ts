/** Try it: send a job of a chosen kind to a chosen DVM (or any) and watch it travel. */
import type { InputType } from '../../../sdk/dvm/types'
import { REGISTERED_JOB_KINDS } from '../../../relay/marketplace/job-kinds'
import type { Dvm } from '../api'
import type { View } from '../app'
import { fill, h } from '../dom'
import { shortId, shortKey } from '../format'
import { jobRequestTemplate } from '../job-request'
import { hasExtension, pageSigner } from '../signer'
import { heading, kindLabel } from './common'
import { watchJob } from './job'

export const tryView: View = (main, app, _arg, query) => {
  const kind = h('select', { id: 'try-kind', name: 'kind' })
  const dvm = h('select', { id: 'try-dvm', name: 'dvm' })
  const input = h('textarea', { id: 'try-input', name: 'input', rows: 3, placeholder: 'What should the DVM work on?' })
  const inputType = h('select', { id: 'try-input-type', name: 'inputType' }, ['text', 'url', 'event', 'job'].map((t) => h('option', { value: t }, t)))
  const params = h('textarea', { id: 'try-params', name: 'params', rows: 2, placeholder: 'max_tokens=64', 'aria-describedby': 'try-params-help' })
  const signerNote = h('p', { class: 'note', id: 'try-signer' })
  const problems = h('div', { role: 'alert' })
  const send = h('button', { type: 'submit' }, 'Send job request')
  const out = h('div', { class: 'watch' }, h('p', { class: 'note' }, 'The job you send shows here: the request, each feedback as it comes, then the result.'))
  const field = (id: string, label: string, control: HTMLElement, help?: HTMLElement) => h('div', { class: 'field' }, h('label', { for: id }, label), control, help)
  const form = h(
    'form',
    { class: 'try', novalidate: true },
    field('try-kind', 'Job kind', kind),
    field('try-dvm', 'DVM', dvm),
    field('try-input', 'Input', input),
    field('try-input-type', 'Input type', inputType),
    field('try-params', 'Parameters (optional)', params, h('p', { class: 'help', id: 'try-params-help' }, 'One name=value per line, sent as param tags.')),
    signerNote,
    problems,
    send,
  )
  fill(main, heading('Try it', 'Send a job request to the marketplace and watch the feedback and the result arrive.'), h('div', { class: 'try-layout' }, form, out))

  let dvms: Dvm[] = []
  const fillDvms = () => {
    const k = Number(kind.value)
    const serving = dvms.filter((d) => d.kinds.includes(k))
    const wanted = dvm.value || query.get('dvm')
    fill(dvm, h('option', { value: '' }, 'Any DVM (the relay routes it)'), serving.map((d) => h('option', { value: d.pubkey }, `${d.name || 'unnamed'} (${shortKey(d.pubkey)})${d.live ? '' : ', not live'}`)))
    if (serving.some((d) => d.pubkey === wanted)) dvm.value = wanted as string
  }
  /** Kinds some registered DVM serves come first; the form is usable before the registry is read. */
  const fillKinds = (chosen: string) => {
    const served = [...new Set(dvms.flatMap((d) => d.kinds))].sort((a, b) => a - b)
    const others = REGISTERED_JOB_KINDS.map((k) => k.kind).filter((k) => !served.includes(k))
    fill(
      kind,
      served.length ? h('optgroup', { label: 'Served by a registered DVM' }, served.map((k) => h('option', { value: k }, kindLabel(k)))) : null,
      h('optgroup', { label: served.length ? 'Other job kinds' : 'Job kinds' }, others.map((k) => h('option', { value: k }, kindLabel(k)))),
    )
    kind.value = chosen || String(served[0] ?? 5050)
    if (!kind.value) kind.value = '5050' // a kind asked for that nothing lists
    fillDvms()
  }
  kind.addEventListener('change', () => {
    query.delete('dvm')
    fillDvms()
  })
  fillKinds(query.get('kind') ?? '5050')
  let touched = false
  form.addEventListener('input', () => (touched = true), { once: true })
  void app
    .dvms()
    .catch(() => [])
    .then((list) => {
      dvms = list
      fillKinds(touched ? kind.value : (query.get('kind') ?? ''))
    })

  signerNote.textContent = hasExtension()
    ? 'Signed by your browser extension (NIP-07); it may ask you to confirm.'
    : 'Signed with a throwaway key that lives in this page only (no NIP-07 extension found).'

  let stopWatch = () => {}
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    fill(problems)
    const built = jobRequestTemplate({ kind: Number(kind.value), input: input.value, inputType: inputType.value as InputType, params: params.value, dvm: dvm.value }, Date.now())
    if (!('template' in built)) return fill(problems, h('ul', { class: 'problem' }, built.problems.map((p) => h('li', {}, p))))
    if (app.relay.state !== 'open') return fill(problems, h('p', { class: 'problem' }, 'Not sent: the relay is unreachable. The banner at the top says when it is back.'))
    send.disabled = true
    try {
      const event = await (await pageSigner()).signEvent(built.template)
      stopWatch()
      const box = h('div')
      fill(out, h('p', {}, 'Sent as ', h('a', { href: `#/jobs/${event.id}` }, `job ${shortId(event.id)}`), '.'), box)
      // Watch before publishing, so no answer can come before the page listens.
      stopWatch = watchJob(box, app, event.id)
      const ok = await app.relay.publish(event)
      if (!ok.accepted) {
        stopWatch()
        fill(out, h('p', { class: 'problem', role: 'alert' }, `The relay refused the request: ${ok.message}`))
      }
    } catch (err) {
      fill(problems, h('p', { class: 'problem' }, `Could not sign the request: ${err instanceof Error ? err.message : String(err)}`))
    } finally {
      send.disabled = false
    }
  })
  return () => stopWatch()
}
