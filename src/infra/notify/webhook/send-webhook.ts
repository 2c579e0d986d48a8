import { networkFailure } from '../../../lib/network-error.js';
import { checkTarget, pinnedLookup, type Resolver, SsrfRefused } from '../ssrf/guard.js';
import {
  failed,
  type OutboundMessage,
  type Platform,
  type PlatformChannel,
  type SendResult,
  type WebhookChannel,
} from '../types.js';
import { classifyHttp } from './classify.js';
import { genericBody, genericHeaders } from './generic.js';
import { post } from './http-post.js';
import { dingtalk } from './platforms/dingtalk.js';
import { feishu } from './platforms/feishu.js';
import type { PlatformFormat } from './platforms/format.js';
import { slack } from './platforms/slack.js';
import { telegram } from './platforms/telegram.js';
import { wecom } from './platforms/wecom.js';

export interface WebhookOptions {
  /** The operator's base URL per platform: trusted, so not subject to the SSRF guard. */
  bases: Record<Platform, string>;
  allowPrivate: boolean;
  timeoutMs: number;
  resolve?: Resolver;
  clock?: () => Date;
}

export function createWebhookSender(opts: WebhookOptions) {
  const clock = opts.clock ?? (() => new Date());

  async function generic(channel: WebhookChannel, message: OutboundMessage) {
    let target: Awaited<ReturnType<typeof checkTarget>>;
    try {
      target = await checkTarget(channel.url, { allowPrivate: opts.allowPrivate, resolve: opts.resolve });
    } catch (e) {
      if (e instanceof SsrfRefused) return failed(`refused: ${e.message}`, false);
      // The name did not resolve (now): DNS failures are usually temporary, a wrong name ends in a pause.
      const code = (e as NodeJS.ErrnoException).code ?? 'EDNS';
      return failed(networkFailure(code) ?? `DNS lookup failed (${code})`, true);
    }
    const body = genericBody(message);
    const outcome = await post({
      url: target.url,
      headers: genericHeaders(message, channel.secret, body, clock()),
      body,
      timeoutMs: opts.timeoutMs,
      lookup: pinnedLookup(target.addresses),
    });
    return classifyHttp(outcome, clock().getTime());
  }

  async function deliver<P extends Platform>(
    format: PlatformFormat<P>,
    channel: PlatformChannel<P>,
    base: string,
    message: OutboundMessage,
  ): Promise<SendResult> {
    const req = format.build(channel, message, base, clock());
    return format.classify(await post({ ...req, timeoutMs: opts.timeoutMs }));
  }

  return {
    send(channel: WebhookChannel | PlatformChannel, message: OutboundMessage): Promise<SendResult> {
      const { bases } = opts;
      switch (channel.type) {
        case 'webhook':
          return generic(channel, message);
        case 'slack':
          return deliver(slack, channel, bases.slack, message);
        case 'feishu':
        case 'lark':
          return deliver(feishu, channel, bases[channel.type], message);
        case 'dingtalk':
          return deliver(dingtalk, channel, bases.dingtalk, message);
        case 'wecom':
          return deliver(wecom, channel, bases.wecom, message);
        case 'telegram':
          return deliver(telegram, channel, bases.telegram, message);
      }
    },
  };
}
