/**
 * The `shop` cloud function: shops and goods with recorded stock movements, points cards and QR codes, the
 * counter (identify, redeem, cancel), the village fund pools with settlements and health, wishes (心愿定制),
 * champions, statistics and the family report. One action router; every action validates its input with zod.
 */
import type { ShopApi } from '../../miniprogram/contract/shop';
import { cardsActions } from './cards';
import { counterActions } from './counter';
import { fundActions } from './fund';
import { shopsActions } from './shops';
import { wishesActions } from './wishes';
import { championsActions } from './champions';
import { reportActions } from './report';
import { statsActions } from './stats';
import { cloudRouter } from '../common/cloud-router';

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

export const main = cloudRouter<ShopApi>(actions);
