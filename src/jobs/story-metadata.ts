/**
 * Background job: fetch a story's article page (time-limited, size-capped, only from the site's
 * allowed origins, only from public addresses) and store its title, author, description, image and
 * publication time. A page that cannot be fetched leaves the story as it is: usable, just without
 * those details.
 *
 * The allowed origins come from publisher admins, and the DNS of those origins from whoever runs
 * it, so an allowed origin can still name 127.0.0.1, the private network or the cloud metadata
 * service (169.254.169.254). Every connection, including each redirect hop, is therefore made only
 * to an address that `isPublicAddress` accepts: literal addresses are checked before connecting,
 * names on the addresses DNS actually returned, which are the ones the socket then connects to.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { addAbortSignal } from 'node:stream';
import { parsePageMetadata } from '../domain/metadata.ts';
import type { Store } from '../store/db.ts';
import { getSite } from '../store/sites.ts';
import { getStory, markMetadataAttempted, setStoryMetadata } from '../store/stories.ts';
import { adoptScrapedSection } from '../store/qa.ts';
import type { JobHandler } from './worker.ts';

export const STORY_METADATA_JOB = 'story.metadata';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export interface FetchOptions {
  /**
   * Also connect to loopback, private, link-local and other non-public addresses. Off by default;
   * for tests that serve pages from 127.0.0.1.
   */
  allowPrivateAddresses?: boolean;
}

const DEFAULT_LIMITS: FetchLimits = { timeoutMs: 5000, maxBytes: 512 * 1024, maxRedirects: 3 };

// ---------------------------------------------------------------------------------------------
// Which addresses are public

interface Cidr {
  bytes: number[];
  bits: number;
}

/** The four bytes of a dotted-quad IPv4 address, or undefined. */
function ipv4Bytes(address: string): number[] | undefined {
  if (!net.isIPv4(address)) return undefined;
  return address.split('.').map(Number);
}

/** The sixteen bytes of an IPv6 address (zone id ignored, dotted IPv4 tail allowed), or undefined. */
function ipv6Bytes(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? '';
  if (!net.isIPv6(text)) return undefined;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const groupsOf = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((group) => parseInt(group, 16));
  const before = groupsOf(head);
  const after = rest === undefined ? [] : groupsOf(rest);
  const groups = [
    ...before,
    ...new Array<number>(8 - before.length - after.length).fill(0),
    ...after,
  ];
  if (groups.length !== 8 || groups.some((group) => !(group >= 0 && group <= 0xffff))) {
    return undefined;
  }
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

function cidr(text: string): Cidr {
  const [address = '', bits = ''] = text.split('/');
  const bytes = ipv4Bytes(address) ?? ipv6Bytes(address);
  if (!bytes) throw new Error(`bad CIDR range ${text}`);
  return { bytes, bits: Number(bits) };
}

function inRange(bytes: number[], range: Cidr): boolean {
  if (bytes.length !== range.bytes.length) return false;
  for (let bit = 0; bit < range.bits; bit += 8) {
    const mask = (0xff << (8 - Math.min(8, range.bits - bit))) & 0xff;
    const i = bit / 8;
    if (((bytes[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** IPv4 ranges that are not on the public internet (IANA special-purpose registry, RFC 6890). */
const IPV4_NON_PUBLIC = [
  '0.0.0.0/8', // "this network", includes the unspecified 0.0.0.0
  '10.0.0.0/8', // private
  '100.64.0.0/10', // shared address space (carrier-grade NAT)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, includes cloud metadata services
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation (TEST-NET-1)
  '192.88.99.0/24', // 6to4 relay anycast (deprecated)
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation (TEST-NET-2)
  '203.0.113.0/24', // documentation (TEST-NET-3)
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, includes the broadcast address 255.255.255.255
].map(cidr);

/** Only global unicast (2000::/3) can be public; everything else in IPv6 is not. */
const IPV6_GLOBAL_UNICAST = cidr('2000::/3');
/** The parts of 2000::/3 that are not public. */
const IPV6_NON_PUBLIC = [
  '2001::/23', // IETF protocol assignments, includes Teredo (2001::/32) and benchmarking
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation
].map(cidr);
/** IPv6 ranges that carry an IPv4 address, judged by that address: [range, offset of the IPv4]. */
const IPV6_WITH_IPV4: [Cidr, number][] = [
  [cidr('::ffff:0:0/96'), 12], // IPv4-mapped: ::ffff:127.0.0.1 is 127.0.0.1
  [cidr('64:ff9b::/96'), 12], // NAT64, the well-known prefix
  [cidr('2002::/16'), 2], // 6to4
];

/**
 * Whether a connection to this IP address would reach the public internet: false for loopback,
 * private, carrier-grade NAT, link-local, unique-local, multicast, unspecified, documentation and
 * reserved addresses, for IPv4 addresses wrapped in IPv6, and for anything that is not an IP address.
 */
export function isPublicAddress(address: string): boolean {
  const v4 = ipv4Bytes(address);
  if (v4) return !IPV4_NON_PUBLIC.some((range) => inRange(v4, range));
  const v6 = ipv6Bytes(address);
  if (!v6) return false;
  for (const [range, offset] of IPV6_WITH_IPV4) {
    if (inRange(v6, range)) return isPublicAddress(v6.slice(offset, offset + 4).join('.'));
  }
  if (!inRange(v6, IPV6_GLOBAL_UNICAST)) return false;
  return !IPV6_NON_PUBLIC.some((range) => inRange(v6, range));
}

export class NonPublicAddressError extends Error {
  constructor(host: string, addresses: string[]) {
    const where =
      addresses.length === 1 && addresses[0] === host ? host : `${host} (${addresses.join(', ')})`;
    super(`refusing to connect to ${where}: not a public address`);
    this.name = 'NonPublicAddressError';
  }
}

/** dns.lookup for sockets that hands out only public addresses, and fails if there is none. */
export const publicLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const usable = addresses.filter((entry) => isPublicAddress(entry.address));
    const [first] = usable;
    if (!first) {
      const all = addresses.map((entry) => entry.address);
      return callback(new NonPublicAddressError(hostname, all), '');
    }
    if (options.all) callback(null, usable);
    else callback(null, first.address, first.family);
  });
};

// ---------------------------------------------------------------------------------------------
// Fetching

/** Starts a GET and resolves with the response head. */
function get(
  target: URL,
  signal: AbortSignal,
  options: FetchOptions,
): Promise<http.IncomingMessage> {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateAddresses && net.isIP(host) && !isPublicAddress(host)) {
    // Sockets do not look literal addresses up, so publicLookup never sees them.
    return Promise.reject(new NonPublicAddressError(host, [host]));
  }
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request({
      protocol: target.protocol,
      hostname: host,
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers: { accept: 'text/html', 'user-agent': 'Parley metadata reader' },
      // A connection of its own each time, so none made under other rules is reused.
      agent: false,
      signal,
      ...(!options.allowPrivateAddresses && { lookup: publicLookup }),
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end();
  });
}

/** Reads at most `maxBytes` of the body, stopping early once </head> has arrived. */
async function readCapped(
  response: http.IncomingMessage,
  maxBytes: number,
  signal: AbortSignal,
): Promise<string> {
  addAbortSignal(signal, response);
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for await (const value of response as AsyncIterable<Buffer>) {
    const chunk = value.subarray(0, maxBytes - bytes);
    bytes += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
    // Leaving the loop destroys the response, which closes the connection.
    if (bytes >= maxBytes || /<\/head>/i.test(text)) break;
  }
  return text;
}

export async function fetchPage(
  url: string,
  allowedOrigins: string[],
  limits: FetchLimits = DEFAULT_LIMITS,
  options: FetchOptions = {},
): Promise<string> {
  let current = url;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const failed = (error: unknown): Error => {
    if (error instanceof NonPublicAddressError) return error;
    if (signal.aborted)
      return new Error(`fetching ${current} timed out after ${limits.timeoutMs} ms`);
    const message = error instanceof Error ? error.message : String(error);
    return new Error(`fetching ${current} failed: ${message}`, { cause: error });
  };
  for (let hop = 0; hop <= limits.maxRedirects; hop++) {
    const target = new URL(current);
    if (!allowedOrigins.includes(target.origin)) {
      throw new Error(`refusing to fetch ${current}: not on an allowed origin`);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new Error(`refusing to fetch ${current}: not http or https`);
    }
    const response = await get(target, signal, options).catch((error: unknown) => {
      throw failed(error);
    });
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.destroy();
      current = new URL(location, current).href;
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      throw new Error(`fetching ${current} answered ${status}`);
    }
    return readCapped(response, limits.maxBytes, signal).catch((error: unknown) => {
      throw failed(error);
    });
  }
  throw new Error(`too many redirects from ${url}`);
}

export function storyMetadataJob(
  store: Store,
  limits: FetchLimits = DEFAULT_LIMITS,
  options: FetchOptions = {},
): JobHandler {
  return async (payload, job) => {
    const { storyId } = payload as { storyId: string };
    const story = await getStory(store.db, storyId);
    if (!story) return;
    const site = await getSite(store.db, story.siteId);
    if (!site) return;
    try {
      const html = await fetchPage(story.url, site.allowedOrigins, limits, options);
      const meta = parsePageMetadata(html, story.url);
      await setStoryMetadata(store.db, story.id, meta);
      // The page's section, unless the widget gave one; a new story in one of the site's Q&A
      // sections becomes a Q&A (docs/qa.md).
      if (meta.section) await adoptScrapedSection(store.db, story.id, meta.section);
    } catch (error) {
      if (job.attempts >= job.maxAttempts) await markMetadataAttempted(store.db, story.id);
      throw error;
    }
  };
}
