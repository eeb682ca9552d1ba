/**
 * The `shop` cloud function: shops and goods with recorded stock movements, points cards and QR codes, the
 * counter (identify, redeem, cancel), the village fund pools with settlements and health, wishes (心愿定制),
 * champions, statistics and the family report. One action router; every action validates its input with zod.
 */
import { loadProfile } from '../common/access';
import { cloud } from '../common/cloud';
import type { ShopApi } from '../../miniprogram/contract/shop';
import { createRouter } from '../common/router';
import { cardsActions } from './cards';
import { counterActions } from './counter';
import { fundActions } from './fund';
import { shopsActions } from './shops';
import { wishesActions } from './wishes';
import { championsActions } from './champions';
import { reportActions } from './report';
import { statsActions } from './stats';

export const actions = {
  ...shopsActions,
  ...cardsActions,
  ...counterActions,
  ...fundActions,
  ...wishesActions,
  ...championsActions,
  ...statsActions,
  ...reportActions,
};

export const main = createRouter<ShopApi>(actions, {
  getWXContext: () => cloud.getWXContext(),
  env: process.env,
  loadProfile,
});
