import { describe, expect, it } from 'vitest'
import { publicBaseUrl, readDvmConfig } from './config'

describe('readDvmConfig', () => {
  it('does not serve without a back-end', () => {
    expect(readDvmConfig({}, 'CHAT', '@cf/m')).toEqual({ error: 'no back-end configured (set CHAT_BACKEND to openai or workers-ai)' })
  })

  it('reads an OpenAI-compatible back-end with its prefix, and the shared input limits', () => {
    const vars = {
      CHAT_BACKEND: 'openai', CHAT_BASE_URL: 'http://127.0.0.1:11434/v1', CHAT_MODEL: 'llama3.2', CHAT_MODELS: 'qwen2.5, llama3.2,,mistral',
      CHAT_API_KEY: 'ollama', CHAT_TIMEOUT: '5', CHAT_PRICE: '2000', CHAT_MAX_TOKENS: '512', DVM_MAX_INPUT_BYTES: '1000', DVM_FETCH_TIMEOUT: '3',
      CODEGEN_BACKEND: 'workers-ai', CODEGEN_PRICE: 'lots',
    }
    expect(readDvmConfig(vars, 'CHAT', '@cf/m')).toEqual({
      backend: { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'ollama', timeoutMs: 5000 },
      models: ['llama3.2', 'qwen2.5', 'mistral'],
      price: 2000,
      maxTokens: 512,
      limits: { maxBytes: 1000, fetchTimeoutMs: 3000 },
    })
  })

  it('defaults: OpenAI itself, free, the Workers AI model of the DVM', () => {
    expect(readDvmConfig({ X_BACKEND: 'openai', X_MODEL: 'gpt-4o-mini' }, 'X', '@cf/m')).toMatchObject({
      backend: { kind: 'openai', baseUrl: 'https://api.openai.com/v1', timeoutMs: 60000 }, models: ['gpt-4o-mini'], price: 0, maxTokens: 4096,
      limits: { maxBytes: 262144, fetchTimeoutMs: 10000 },
    })
    expect(readDvmConfig({ X_BACKEND: 'workers-ai' }, 'X', '@cf/m')).toMatchObject({ backend: { kind: 'workers-ai' }, models: ['@cf/m'] })
  })

  it('names the var that makes no sense', () => {
    expect(readDvmConfig({ X_BACKEND: 'gpt' }, 'X', '')).toEqual({ error: 'X_BACKEND: expected openai or workers-ai, got gpt' })
    expect(readDvmConfig({ X_BACKEND: 'openai' }, 'X', '')).toEqual({ error: 'X_MODEL: an openai back-end needs a model name' })
    expect(readDvmConfig({ X_BACKEND: 'workers-ai', X_PRICE: '-1' }, 'X', '@cf/m')).toEqual({ error: 'X_PRICE: expected a whole number of at least 0, got -1' })
    expect(readDvmConfig({ X_BACKEND: 'workers-ai', DVM_FETCH_TIMEOUT: '0' }, 'X', '@cf/m')).toEqual({ error: 'DVM_FETCH_TIMEOUT: expected a whole number of at least 1, got 0' })
    expect(readDvmConfig({ X_BACKEND: 'openai', X_MODEL: 'm', X_BASE_URL: 'localhost:11434' }, 'X', '')).toMatchObject({ error: expect.stringContaining('X_BASE_URL') })
    expect(readDvmConfig({ X_BACKEND: 'workers-ai', X_SECRET_KEY: 'abc' }, 'X', '@cf/m')).toEqual({ error: 'X_SECRET_KEY: expected 64 hex characters' })
  })

  it('keeps a configured secret key', () => {
    const key = 'AB'.repeat(32)
    expect(readDvmConfig({ X_BACKEND: 'workers-ai', X_SECRET_KEY: key }, 'X', '@cf/m')).toMatchObject({ secretKey: key.toLowerCase() })
  })
})

describe('publicBaseUrl', () => {
  it('is PUBLIC_URL, else RELAY_URL as http(s), else null', () => {
    expect(publicBaseUrl({ PUBLIC_URL: 'https://edge.example/', RELAY_URL: 'wss://other' })).toBe('https://edge.example')
    expect(publicBaseUrl({ RELAY_URL: 'wss://relay.example' })).toBe('https://relay.example')
    expect(publicBaseUrl({ RELAY_URL: 'ws://127.0.0.1:8787' })).toBe('http://127.0.0.1:8787')
    expect(publicBaseUrl({ PUBLIC_URL: '' })).toBeNull()
    expect(publicBaseUrl({ PUBLIC_URL: 'ftp://x' })).toBeNull()
  })
})
