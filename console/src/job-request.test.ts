import { describe, expect, it } from 'vitest'
import { jobRequestTemplate, type JobForm } from './job-request'

const form = (f: Partial<JobForm> = {}): JobForm => ({ kind: 5050, input: 'hello', inputType: 'text', params: '', dvm: '', ...f })
const dvm = 'a'.repeat(64)

describe('jobRequestTemplate', () => {
  it('builds a request with input, params and the DVM asked for', () => {
    const r = jobRequestTemplate(form({ params: 'max_tokens = 64\n\nmodel=x=y', dvm }), 1_700_000_000_500)
    expect(r).toEqual({
      problems: [],
      template: {
        kind: 5050,
        created_at: 1_700_000_000,
        content: '',
        tags: [['i', 'hello', 'text'], ['param', 'max_tokens', '64'], ['param', 'model', 'x=y'], ['p', dvm]],
      },
    })
  })

  it('leaves out an empty input where the kind allows it', () => {
    const r = jobRequestTemplate(form({ input: '  ' }), 0)
    expect('template' in r && r.template.tags).toEqual([])
  })

  it('names what is wrong instead', () => {
    expect(jobRequestTemplate(form({ kind: 1 }), 0).problems).toEqual(['the kind must be a job request kind, 5000 to 5999'])
    expect(jobRequestTemplate(form({ params: 'oops' }), 0).problems).toEqual(['"oops" is not name=value'])
    expect(jobRequestTemplate(form({ kind: 5001, input: '' }), 0).problems).toEqual(['kind 5001 (summarization) needs at least one i input'])
    expect(jobRequestTemplate(form({ inputType: 'event' }), 0).problems).toEqual(['a event input must be an event id'])
  })
})
