/**
 * 隐私授权 prompt: shown when WeChat asks for privacy authorisation (before choosing photos). The villager can
 * read the guide (wx.openPrivacyContract), agree (the platform's agreePrivacyAuthorization button) or decline.
 */
import { answerPrivacy, setPrivacyPrompt } from '../../services/privacy';

Component({
  data: {
    visible: false,
  },

  lifetimes: {
    attached() {
      setPrivacyPrompt(() => this.setData({ visible: true }));
    },
    detached() {
      setPrivacyPrompt(null);
      answerPrivacy(false);
    },
  },

  pageLifetimes: {
    show() {
      setPrivacyPrompt(() => this.setData({ visible: true }));
    },
  },

  methods: {
    onOpenContract() {
      wx.openPrivacyContract({});
    },

    onAgree(event: WechatMiniprogram.CustomEvent) {
      this.setData({ visible: false });
      answerPrivacy(true, (event.currentTarget as { id?: string }).id || 'privacy-agree');
    },

    onDisagree() {
      this.setData({ visible: false });
      answerPrivacy(false);
    },
  },
});
