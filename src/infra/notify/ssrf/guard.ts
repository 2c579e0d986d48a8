import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { type AddressClass, classifyAddress, isAllowedAddress } from './address-policy.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (the system resolver by default; tests pass their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export interface GuardOptions {
  /** WEBHOOK_ALLOW_PRIVATE: private, loopback, link-local, CGNAT and unique-local addresses, and plain http. */
  allowPrivate: boolean;
  resolve?: Resolver;
}

/** A user-given URL the guard refused: permanent, since the same URL will be refused again. */
export class SsrfRefused extends Error {
  constructor(
    message: string,
    readonly addressClass?: AddressClass,
  ) {
    super(message);
    this.name = 'SsrfRefused';
  }
}

export interface CheckedTarget {
  url: URL;
  /** The addresses checked; the connection may only go to these (see `pinnedLookup`). */
  addresses: ResolvedAddress[];
}

/**
 * Checks a user-given webhook URL and resolves its host once. The caller connects with `pinnedLookup(addresses)`,
 * so the address connected to is one that was checked: a DNS answer that changes between the check and the
 * connection (DNS rebinding) is never asked for. Any refused address in the answer refuses the whole URL, so a
 * host cannot mix a public address with a private one and hope the connection picks the latter.
 */
export async function checkTarget(raw: string, opts: GuardOptions): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SsrfRefused('not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && opts.allowPrivate)) {
    throw new SsrfRefused(opts.allowPrivate ? 'only http and https URLs' : 'only https URLs');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    judge(host, opts.allowPrivate);
    return { url, addresses: [{ address: host, family: isIP(host) === 6 ? 6 : 4 }] };
  }
  const addresses = await (opts.resolve ?? systemResolver)(host);
  if (addresses.length === 0) throw new SsrfRefused(`${host} has no address`);
  for (const a of addresses) judge(a.address, opts.allowPrivate, host);
  return { url, addresses };
}

function judge(address: string, allowPrivate: boolean, host?: string): void {
  const cls = classifyAddress(address);
  if (cls === undefined) throw new SsrfRefused(`not an IP address: ${address}`);
  if (!isAllowedAddress(cls, allowPrivate)) {
    const where = host ? `${host} resolves to ${address}` : address;
    throw new SsrfRefused(`${where}: ${cls.replace('_', '-')} addresses are not allowed for webhooks`, cls);
  }
}

/**
 * A `lookup` for http.request that answers with the checked addresses only, never asking DNS again. Node calls it
 * with `all: true` when it races IPv4 and IPv6 (autoSelectFamily), with a family when the caller asked for one.
 */
export function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const list = addresses.filter((a) => !options.family || a.family === options.family);
    if (list.length === 0) {
      const err: NodeJS.ErrnoException = new Error(`no checked address for ${hostname}`);
      err.code = 'ENOTFOUND';
      callback(err, '', 0);
      return;
    }
    if (options.all) callback(null, list);
    else callback(null, list[0].address, list[0].family);
  };
}
