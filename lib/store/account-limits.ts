import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountLimitSettings } from '../domain/limits/limits.js';
import { ACCOUNT_LIMITS_SK, keys } from './keys.js';
import { call, type Table } from './table.js';

/** The attributes the send functions may read in an account's partition (IAM names the same ones). */
export const LIMITS_ATTRIBUTES = ['pk', 'sk', 'address', 'countries', 'dailyQuota'] as const;

/**
 * An account's limits and its endpoints' numbers, in one Query of the account's partition from its
 * endpoint listings to its limits item (`ENDPOINT#…` < `KEY#…` < `LIMITS`), projecting only
 * LIMITS_ATTRIBUTES: key records in between come back as their keys alone.
 */
export async function getLimitSettings(table: Table, accountId: string): Promise<AccountLimitSettings> {
  const pk = keys.accountLimits(accountId).pk;
  const settings: AccountLimitSettings & { endpointAddresses: string[] } = { endpointAddresses: [] };
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await call((options) =>
      table.client.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': 'ENDPOINT#', ':to': ACCOUNT_LIMITS_SK },
          Select: 'SPECIFIC_ATTRIBUTES',
          ProjectionExpression: LIMITS_ATTRIBUTES.join(', '),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
        options,
      ),
    );
    for (const item of Items) {
      if (item.sk === ACCOUNT_LIMITS_SK) {
        if (Array.isArray(item.countries)) settings.countries = item.countries.filter((c): c is string => typeof c === 'string');
        if (typeof item.dailyQuota === 'number') settings.dailyQuota = item.dailyQuota;
      } else if (typeof item.address === 'string') settings.endpointAddresses.push(item.address);
    }
    startKey = LastEvaluatedKey;
  } while (startKey);
  return settings;
}

/** What an operator changes (CLI `account limits`): a value sets, `null` goes back to the default. */
export interface LimitsChange {
  countries?: string[] | null;
  dailyQuota?: number | null;
}

export async function setLimits(table: Table, accountId: string, change: LimitsChange): Promise<void> {
  const set = ['#type = :type', 'accountId = :accountId'];
  const remove: string[] = [];
  const values: Record<string, unknown> = { ':type': 'AccountLimits', ':accountId': accountId };
  for (const name of ['countries', 'dailyQuota'] as const) {
    const value = change[name];
    if (value === null) remove.push(name);
    else if (value !== undefined) {
      set.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
  }
  await call((options) =>
    table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.accountLimits(accountId),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: values,
      }),
      options,
    ),
  );
}
