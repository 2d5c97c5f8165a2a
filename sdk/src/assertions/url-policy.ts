import { ClockworkError, UsageError } from '../api/index.ts';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

type Ip = ipaddr.IPv4 | ipaddr.IPv6;
interface Range {
  ip: Ip;
  bits: number;
}
interface SensitiveRange extends Range {
  what: string;
}

/** An assertion URL the policy refuses; the message says why and how an installer allows it. */
export class UrlNotAllowedError extends ClockworkError {
  constructor(message: string) {
    super(message);
  }
}

/** A malformed `--allow-assertion-urls` or `--cluster-cidrs` entry. */
export class UrlPolicyEntryError extends UsageError {
  constructor(entry: string, flag: string) {
    super(`${flag}: "${entry}" is neither a host name (db.example.com, *.example.com), an IP address nor a CIDR (10.1.0.0/16)`);
  }
}

export const URL_POLICY_FLAG = '--allow-assertion-urls';

/** Ranges no URL check reaches unless an entry names them (an entry no wider than the range). */
const ALWAYS_SENSITIVE: [string, string][] = [
  ['127.0.0.0/8', 'loopback'],
  ['::1/128', 'loopback'],
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['fe80::/10', 'link-local'],
  ['0.0.0.0/8', 'unspecified'],
  ['::/128', 'unspecified'],
  ['224.0.0.0/4', 'multicast'],
  ['ff00::/8', 'multicast'],
];

/** Where clusters put their Pod and Service ranges, when the installer does not say. */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];

export interface UrlPolicyOptions {
  /** Host names (`db.example.com`, `*.example.com`), addresses and CIDRs URL checks may reach; empty: URL checks are off. */
  allow: readonly string[];
  /** The API server's addresses: refused unless named. */
  apiServer: readonly string[];
  /** The cluster's Pod and Service ranges: refused unless named (default: every private range). */
  clusterCidrs?: readonly string[];
  /** Name resolution (injected by tests). */
  lookup?: (host: string) => Promise<LookupAddress[]>;
}

/**
 * Which URLs the operator's `url` checks may reach. Off unless the installer lists hosts or
 * ranges; then a URL is allowed when its host name is listed, or every address it resolves to is
 * in a listed range. Loopback, link-local, the API server and the cluster's ranges stay refused
 * unless an entry names them: a listed host name, or a range no wider than theirs
 * (`0.0.0.0/0` does not open 169.254.169.254; `169.254.169.254/32` does). The check happens in
 * the connection's own name lookup, so the address checked is the address connected to.
 */
export class UrlPolicy {
  readonly #hosts: string[];
  readonly #suffixes: string[];
  readonly #ranges: Range[];
  readonly #sensitive: SensitiveRange[];
  readonly #resolve: (host: string) => Promise<LookupAddress[]>;

  constructor(o: UrlPolicyOptions) {
    this.#hosts = [];
    this.#suffixes = [];
    this.#ranges = [];
    for (const raw of o.allow.map((e) => e.trim().toLowerCase()).filter(Boolean)) {
      const range = parseRange(raw);
      if (range) this.#ranges.push(range);
      else if (/^\*\.[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(raw)) this.#suffixes.push(raw.slice(1));
      else if (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(raw)) this.#hosts.push(raw.replace(/\.$/, ''));
      else throw new UrlPolicyEntryError(raw, URL_POLICY_FLAG);
    }
    const cluster = (o.clusterCidrs?.length ? o.clusterCidrs : PRIVATE_RANGES).map((c) => {
      const range = parseRange(c.trim());
      if (!range) throw new UrlPolicyEntryError(c, '--cluster-cidrs');
      return { ...range, what: "in the cluster's Pod and Service ranges" };
    });
    const apiServer = o.apiServer.flatMap((a) => {
      const range = parseRange(a);
      return range ? [{ ...range, what: 'the API server' }] : [];
    });
    this.#sensitive = [...ALWAYS_SENSITIVE.map(([c, what]) => ({ ...parseRange(c)!, what })), ...apiServer, ...cluster];
    this.#resolve = o.lookup ?? ((host) => new Promise((resolve, reject) => dnsLookup(host, { all: true }, (e, addresses) => (e ? reject(e) : resolve(addresses)))));
  }

  /** True when no URL can pass: the installer allowed none. */
  get off(): boolean {
    return this.#hosts.length + this.#suffixes.length + this.#ranges.length === 0;
  }

  /**
   * Checks what can be checked before connecting, and returns the name lookup to connect with
   * (it refuses addresses the policy does not allow).
   * @throws UrlNotAllowedError
   */
  prepare(url: URL): { lookup: LookupFunction } {
    if (this.off) throw new UrlNotAllowedError(`assertion URLs are off in this operator (its installer can allow hosts with ${URL_POLICY_FLAG})`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlNotAllowedError(`only http and https URLs are allowed`);
    if (url.username || url.password) throw new UrlNotAllowedError('URLs with credentials are not allowed');
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
    const named = this.#hostNamed(host);
    const literal = parseRange(host);
    if (literal) {
      const refusal = this.#refusal(literal.ip, named, host);
      if (refusal) throw new UrlNotAllowedError(refusal);
    }
    const lookup: LookupFunction = (hostname, options, callback) => {
      const wantAll = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
      this.#resolve(hostname).then(
        (addresses) => {
          const refusals: string[] = [];
          const allowed = addresses.filter((a) => {
            const refusal = this.#refusal(ipaddr.process(a.address), this.#hostNamed(hostname), hostname);
            if (refusal) refusals.push(refusal);
            return !refusal;
          });
          if (allowed.length === 0) {
            callback(Object.assign(new UrlNotAllowedError(refusals[0] ?? `${hostname} has no address`), { code: 'EURLNOTALLOWED' }), '', 4);
            return;
          }
          if (wantAll) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
          else callback(null, allowed[0]!.address, allowed[0]!.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, '', 4),
      );
    };
    return { lookup };
  }

  #hostNamed(host: string): boolean {
    const h = host.toLowerCase().replace(/\.$/, '');
    return this.#hosts.includes(h);
  }

  #wildcardNamed(host: string): boolean {
    const h = host.toLowerCase().replace(/\.$/, '');
    return this.#suffixes.some((s) => h.endsWith(s) && h.length > s.length);
  }

  /** Why an address may not be reached for this host, or undefined. A listed host name vouches for its addresses. */
  #refusal(address: Ip, hostNamed: boolean, host?: string): string | undefined {
    const ip = normalize(address);
    if (hostNamed) return undefined;
    const covering = this.#ranges.filter((r) => r.ip.kind() === ip.kind() && ip.match(r.ip, r.bits));
    const wildcard = host !== undefined && this.#wildcardNamed(host);
    if (covering.length === 0 && !wildcard) return `${ip.toString()} is not allowed by ${URL_POLICY_FLAG}`;
    for (const s of this.#sensitive) {
      if (s.ip.kind() !== ip.kind() || !ip.match(s.ip, s.bits)) continue;
      if (!covering.some((r) => r.bits >= s.bits)) return `${ip.toString()} is ${s.what}: ${URL_POLICY_FLAG} must name it (a host name, or a range no wider than ${s.ip.toString()}/${s.bits})`;
    }
    return undefined;
  }
}

function normalize(ip: Ip): Ip {
  return ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? (ip as ipaddr.IPv6).toIPv4Address() : ip;
}

/** `10.0.0.0/8`, `10.1.2.3` or `::1` as a range; undefined for anything else. */
function parseRange(text: string): Range | undefined {
  try {
    if (text.includes('/')) {
      if (!(ipaddr.IPv4.isValidCIDRFourPartDecimal(text) || ipaddr.IPv6.isValidCIDR(text))) return undefined;
      const [ip, bits] = ipaddr.parseCIDR(text);
      return { ip: normalize(ip), bits: ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() ? bits - 96 : bits };
    }
    if (!(ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text))) return undefined;
    const ip = normalize(ipaddr.parse(text));
    return { ip, bits: ip.kind() === 'ipv4' ? 32 : 128 };
  } catch {
    return undefined;
  }
}
