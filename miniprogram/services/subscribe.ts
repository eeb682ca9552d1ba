/**
 * Subscription messages (订阅消息): template ids from the WeChat admin console, one per notice kind, matching
 * the functions' `TPL_*` settings. Consent is asked when it makes sense — at the tap that submits a claim.
 */
export const SUBSCRIBE_TEMPLATES = {
  /** 申报审核结果通知 (TPL_CLAIM_DECIDED). Replace with the id the admin console gives. */
  claimDecided: 'claim-decided-template-id',
} as const;

/**
 * Asks for consent to one notice. Must be called synchronously inside a tap handler (WeChat refuses
 * otherwise); the answer never blocks what the tap does.
 */
export function askSubscription(templateId: string): void {
  if (!templateId || typeof wx.requestSubscribeMessage !== 'function') return;
  wx.requestSubscribeMessage({
    tmplIds: [templateId],
    success: () => undefined,
    fail: () => undefined,
  } as WechatMiniprogram.RequestSubscribeMessageOption);
}
