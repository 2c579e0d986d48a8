import type { Language } from '../../../infra/notify/types.js';
import type { AlertName, ChangeableLimit, LimitKind } from './events.js';

/**
 * What a message says, before any format: one section of an e-mail, the lines of a chat message. content.ts
 * decides its shape for every event (severity, facts, link); each language supplies only its words
 * (catalogue-en.ts, catalogue-zh-cn.ts), written as that language says things, not word for word.
 */
export interface Content {
  severity: 'info' | 'warning' | 'critical';
  subject: string;
  heading: string;
  intro: string;
  facts: Array<[label: string, value: string]>;
  action?: { label: string; url: string };
  note?: string;
}

/** A key's name as it appears in a sentence: “name” or 「name」. */
type Named = (key: string) => string;

export interface Catalogue {
  language: Language;
  /** Between a label and its value in text: ": " or the full-width "：". */
  colon: string;
  limits: Record<ChangeableLimit, string>;
  /** Units after a limit's figure, and the word for "no limit". */
  units: { none: string; tokens: string; requests: string; minutes: string };
  actions: { openKey: string; openAdmin: string; settings: string };
  usage: {
    crossed(key: string, limit: string, threshold: number): string;
    reached(key: string, limit: string): string;
    crossedIntro(limit: string, threshold: number): string;
    /** What happens once a limit is reached, per limit. */
    reachedIntro: Record<LimitKind, string>;
    used: string;
    usedValue(used: string, cap: string): string;
    window: string;
    resets: string;
  };
  expiring: { subject(key: string, step: '7d' | '1d'): string; intro: string; expires: string };
  expired: { subject: Named; intro: string; expired: string };
  disabled: { subject: Named; intro: string };
  limitsChanged: { subject: Named; intro: string };
  syncFailing: { subject(failures: string): string; heading: string; intro: string; failures: string };
  crsUnreachable: { subject: string; intro: string };
  crsCredentials: { subject: string; intro: string };
  alert: {
    names: Record<AlertName, string>;
    subject(name: string): string;
    intro: string;
    measured: string;
    route: string;
    namespace: string;
    latency(value: string, limit: string): string;
    atLeast(value: string, limit: string): string;
    atMost(value: string, limit: string): string;
  };
  channelTest: { subject: string; heading: string; intro: string };
  channelPaused: {
    subject(channel: string): string;
    intro: string;
    channel: string;
    failures: string;
    /** A channel's name when its owner gave it none: "Slack", "Webhook" … */
    types: Record<string, string>;
  };
  /** The page behind the one-click unsubscribe link (a GET confirms, a POST unsubscribes: RFC 8058). */
  unsubscribe: {
    title: string;
    confirm(address: string): string;
    button: string;
    done(address: string): string;
    invalid: string;
    settings: string;
  };
  /** Labels shared by the admin events. */
  admin: { since: string; error: string; lastError: string };
  footer: {
    why(audience: 'user' | 'admin', host: string): string;
    settings: string;
    unsubscribe: string;
  };
  digest: {
    subject(count: number): string;
    heading: string;
    intro(count: number): string;
    more(count: number): string;
    open: string;
  };
}
