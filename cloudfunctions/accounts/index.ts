/**
 * The `accounts` cloud function: the town, its villages and groups, families and members (with spreadsheet
 * import), linking a WeChat user to a member by invite code, and roles. One file per action prefix.
 */
import type { AccountsApi } from '../../miniprogram/contract/accounts';
import { cloudRouter } from '../common/cloud-router';
import { familiesActions } from './families';
import { invitesActions } from './invites';
import { rolesActions } from './roles';
import { sessionActions } from './session';
import { townActions } from './town';
import { villagesActions } from './villages';

export const accountsActions = {
  ...sessionActions,
  ...townActions,
  ...villagesActions,
  ...familiesActions,
  ...invitesActions,
  ...rolesActions,
};

export const main = cloudRouter<AccountsApi>(accountsActions);
