import { accountLimits, parseLimitsChange } from '../../lib/domain/limits/limits.js';
import { ProvisioningError } from '../../lib/domain/provisioning.js';
import { getLimitSettings, setLimits } from '../../lib/store/account-limits.js';
import { getAccount } from '../../lib/store/provisioning.js';
import type { AdminContext } from './actions.js';

/**
 * `account limits <accountId> [--countries US,CA|default] [--daily-quota N|default]`: sets an
 * account's destination countries and daily quota (docs/operations.md, "Limits"), then shows what
 * applies. Running sends see a change within the functions' cache time (60 s).
 */
export async function accountLimitsCommand(
  { table }: AdminContext,
  accountId: string,
  input: { countries?: string; dailyQuota?: string },
): Promise<{ accountId: string; countries: string[]; countriesFrom: string; dailyQuota: number }> {
  const change = parseLimitsChange(input);
  if (!(await getAccount(table, accountId))) throw new ProvisioningError('not-found', `Account ${accountId} does not exist`);
  if (change.countries !== undefined || change.dailyQuota !== undefined) await setLimits(table, accountId, change);
  const settings = await getLimitSettings(table, accountId);
  const limits = accountLimits(settings);
  return {
    accountId,
    countries: [...limits.countries].sort(),
    countriesFrom: settings.countries ? 'set' : "the account's endpoints",
    dailyQuota: limits.dailyQuota,
  };
}
