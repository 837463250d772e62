import { inject } from 'vitest';
import { matches, type Call, type CallFilter, type FaultRule } from './fault-proxy.js';

export type { Call, CallFilter, FaultRule } from './fault-proxy.js';

/**
 * Faults between the functions and DynamoDB, for end-to-end tests: the stack's fault proxy, driven
 * through its control server (tests run in workers, the proxy in vitest's main process). Rules add
 * up until cleared and outlive the test that injected them, so every file that injects one has
 *
 *   afterEach(clearFaults);
 *
 * Rules match in the order injected; see `FaultRule` in ./fault-proxy.ts. For example, the put of a
 * message lands but its answer is lost on every attempt:
 *
 *   await injectFault({ operation: 'PutItem', keyPrefix: 'SESSION#', sortKeyPrefix: 'MESSAGE#', action: 'drop-response' });
 *
 * The tests' own `table` (./stack.ts) talks to DynamoDB directly and is never faulted.
 */
const { control } = inject('stack');

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${control}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

export const injectFault = async (rule: FaultRule): Promise<void> => void (await request('POST', '/faults', rule));

export const clearFaults = async (): Promise<void> => void (await request('DELETE', '/faults'));

/**
 * The functions' DynamoDB requests since the last `resetCalls`, in order, those matching `filter`
 * (operation, key and sort key prefixes) only; every forwarded request has had its answer by then.
 * Without a filter, the delivery pipeline's own calls (DELIVERY#, CARRIER#: dispatch and status
 * events; CALLBACKS#: callback events, all of which run in the background after every send) are left
 * out; a filter naming them shows them.
 */
export async function calls(filter?: CallFilter): Promise<Call[]> {
  const all = (await (await request('GET', '/calls')).json()) as Call[];
  return filter ? all.filter((call) => matches(filter, call)) : all.filter((call) => !isDeliveryCall(call));
}

export const DELIVERY_PREFIXES = ['DELIVERY#', 'CARRIER#', 'CALLBACKS#'];
const isDeliveryCall = (call: Call): boolean =>
  call.keys.length > 0 && call.keys.every((key) => DELIVERY_PREFIXES.some((prefix) => key.startsWith(prefix)));

export const resetCalls = async (): Promise<void> => void (await request('DELETE', '/calls'));
