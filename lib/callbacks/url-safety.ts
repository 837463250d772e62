import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a callback may go. In a deployed stage: https only, and only to a public address, checked when
 * subscribing and again, against DNS rebinding, on every delivery (the resolved addresses are checked,
 * and the request is pinned to one). Locally (`allowPrivate`) loopback and private receivers are
 * allowed, so tests and `npm start` can use a receiver on this machine.
 */
const specialIpv4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  specialIpv4.addSubnet(network, prefix, 'ipv4');

/**
 * IPv6 is judged by an allow-list, global unicast (2000::/3), less its special-purpose blocks: the IETF
 * protocol assignments (2001::/23, Teredo's 2001::/32 among them: a tunnel to any IPv4 address) and
 * the documentation prefixes. Everything else (loopback, ULA, link- and site-local, multicast,
 * discard, IPv4-compatible, local-use NAT64) is refused without naming each.
 */
const globalIpv6 = new BlockList();
globalIpv6.addSubnet('2000::', 3, 'ipv6');
const specialIpv6 = new BlockList();
for (const [network, prefix] of [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['3fff::', 20],
] as const)
  specialIpv6.addSubnet(network, prefix, 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address (a zone id dropped, a dotted IPv4 tail read as two groups). */
function ipv6Groups(address: string): number[] {
  const text = address
    .replace(/%.*$/, '')
    .replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`);
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  if (tail === undefined) return groups(head);
  const [h, t] = [groups(head), groups(tail)];
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/**
 * The IPv4 address an IPv6 address stands for, where it is one of the forms that carry one: mapped
 * (::ffff:0:0/96), translated (::ffff:0:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16). Such an
 * address reaches that IPv4 address, so it is judged as that address.
 */
function embeddedIpv4(g: number[]): string | undefined {
  const zero = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  const ipv4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  if (zero(0, 5) && g[5] === 0xffff) return ipv4(g[6]!, g[7]!);
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return ipv4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return ipv4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return ipv4(g[1]!, g[2]!);
  return undefined;
}

export const isPrivateAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return specialIpv4.check(address, 'ipv4');
  if (family !== 6) return true;
  const embedded = embeddedIpv4(ipv6Groups(address));
  if (embedded) return specialIpv4.check(embedded, 'ipv4');
  const bare = address.replace(/%.*$/, '');
  return !globalIpv6.check(bare, 'ipv6') || specialIpv6.check(bare, 'ipv6');
};

export class UnsafeUrlError extends Error {
  override readonly name: string = 'UnsafeUrlError';
}

/**
 * The name gave no address: a resolver failing for now (SERVFAIL, a timeout), or a name that does not
 * exist yet (a DNS change still propagating). A subscription refuses it; a delivery retries it like a
 * network error, never dead-letters it at once.
 */
export class UnresolvedHostError extends UnsafeUrlError {
  override readonly name = 'UnresolvedHostError';
}

export type Resolver = (hostname: string) => Promise<string[]>;
const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** The URL, parsed, with the address to connect to; throws UnsafeUrlError when it may not be called. */
export async function checkCallbackUrl(
  text: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
): Promise<{ url: URL; address: string }> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UnsafeUrlError(`'${text}' is not a URL`);
  }
  if (url.username || url.password) throw new UnsafeUrlError('a callback URL may not carry credentials');
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new UnsafeUrlError('a callback URL must be https');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await resolve(host).catch((error: NodeJS.ErrnoException) => {
        throw new UnresolvedHostError(`${host} does not resolve (${error.code ?? error.message})`);
      });
  if (addresses.length === 0) throw new UnresolvedHostError(`${host} does not resolve`);
  if (!allowPrivate && addresses.some(isPrivateAddress))
    throw new UnsafeUrlError(`${host} resolves to a private, loopback or link-local address`);
  return { url, address: addresses[0]! };
}
