import type { OutboundMessage, Platform, PlatformChannel, SendResult } from '../../types.js';
import type { PostOutcome } from '../http-post.js';

export interface PlatformRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** How a platform's robot is named: by a token the portal puts into the request URL. */
export interface PlatformToken {
  /** What a valid token looks like: it is put into a URL path or query, so nothing else gets through. */
  token: RegExp;
  /** The token inside the robot URL the platform shows its user (what people paste), if that is one. */
  tokenFromUrl(url: URL): string | undefined;
}

/** One chat platform: how its robot is named, what it is sent, and how its answer reads. */
export interface PlatformFormat<P extends Platform> extends PlatformToken {
  build(channel: PlatformChannel<P>, message: OutboundMessage, base: string, now: Date): PlatformRequest;
  classify(outcome: PostOutcome): SendResult;
}

export const USER_AGENT = 'ClaudeKeyPortal-Notifications/1';

export const jsonHeaders = (): Record<string, string> => ({
  'content-type': 'application/json; charset=utf-8',
  'user-agent': USER_AGENT,
});
