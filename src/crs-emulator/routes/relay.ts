import { type Env, fail, ok, type Reply, type Req, type Route } from '../context.js';
import { SONNET } from '../pricing.js';

let seq = 0;

/**
 * POST /api/v1/messages: authenticates the key like CRS's relay, then answers a canned Anthropic message and
 * records deterministic usage: input = ceil(UTF-8 bytes of JSON(messages) / 4), output = max_tokens (100).
 */
export const relayRoutes: Route[] = [{ method: 'POST', pattern: '/api/v1/messages', auth: false, handler: relay }];

function relayKey(req: Req): string | undefined {
  const h = req.headers;
  const x = h['x-api-key'] ?? h['api-key'] ?? h['x-goog-api-key'];
  if (typeof x === 'string' && x) return x.trim();
  const m = /^bearer\s+(.+)$/i.exec(h.authorization ?? '');
  if (m) return m[1].trim();
  return req.query.get('key') ?? undefined;
}

function relay(env: Env, req: Req): Reply {
  const plaintext = relayKey(req);
  if (!plaintext) {
    return fail(401, {
      error: 'Missing API key',
      message: 'Please provide an API key in the x-api-key header or Authorization header',
    });
  }
  const auth = env.store.keys.authenticate(plaintext, env.now());
  if ('error' in auth) return fail(401, { error: 'Invalid API key', message: auth.error });
  const key = auth.key;
  if (key.permissions.length > 0 && !key.permissions.includes('claude')) {
    return fail(403, { error: 'Permission denied', message: 'This API key does not have permission to access Claude' });
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (!Array.isArray(body.messages)) {
    return fail(400, { type: 'error', error: { type: 'invalid_request_error', message: 'messages: Field required' } });
  }
  const model = typeof body.model === 'string' && body.model ? body.model : SONNET;
  // A blacklist when enabled (CRS's semantics, docs/crs.md §4.3).
  if (key.enableModelRestriction && key.restrictedModels.includes(model)) {
    return fail(403, { error: { type: 'forbidden', message: '暂无该模型访问权限' } });
  }
  const refused = env.store.windowRefusal(key);
  if (refused) {
    return fail(429, {
      error: 'Rate limit exceeded',
      message: `${refused} limit of the current ${key.rateLimitWindow}-minute window reached`,
    });
  }
  const maxTokens =
    Number.isInteger(body.max_tokens) && (body.max_tokens as number) > 0 ? (body.max_tokens as number) : 100;
  const inputTokens = Math.ceil(Buffer.byteLength(JSON.stringify(body.messages), 'utf8') / 4);
  env.store.relayUse(key, { model, inputTokens, outputTokens: maxTokens });
  return ok({
    id: `msg_emu_${(++seq).toString(36).padStart(8, '0')}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: 'Hello from the CRS emulator.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: inputTokens,
      output_tokens: maxTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  });
}
