import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a callback may go. In a deployed stage: https only, and never an address inside a private,
 * loopback, link-local or otherwise special network, checked when subscribing and again, against DNS
 * rebinding, on every delivery (the resolved addresses are checked, and the request is pinned to one).
 * Locally (`allowPrivate`) loopback and private receivers are allowed, so tests and `npm start` can
 * use a receiver on this machine.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

export const isPrivateAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 0) return true;
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries (not listed as an IPv6 range:
  // BlockList would then match every IPv4 address against it).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
export async function checkCallbackUrl(text: string, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<{ url: URL; address: string }> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UnsafeUrlError(`'${text}' is not a URL`);
  }
  if (url.username || url.password) throw new UnsafeUrlError('a callback URL may not carry credentials');
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new UnsafeUrlError('a callback URL must be https');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolve(host).catch((error: NodeJS.ErrnoException) => {
    throw new UnresolvedHostError(`${host} does not resolve (${error.code ?? error.message})`);
  });
  if (addresses.length === 0) throw new UnresolvedHostError(`${host} does not resolve`);
  if (!allowPrivate && addresses.some(isPrivateAddress)) throw new UnsafeUrlError(`${host} resolves to a private, loopback or link-local address`);
  return { url, address: addresses[0]! };
}
