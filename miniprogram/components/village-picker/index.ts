/**
 * The bar at the top of a cadre page that names the village it works on and, when the person reaches more
 * than one, lets them switch (a native selector). Raises `change` with `{ value: index }`; the page keeps the
 * index (behaviors/village-scope).
 */
Component({
  properties: {
    names: { type: Array, value: [] as string[] },
    index: { type: Number, value: 0 },
    /** Also name the village when there is only one to choose. */
    showSingle: { type: Boolean, value: false },
  },

  methods: {
    onChange(e: WechatMiniprogram.PickerChange) {
      this.triggerEvent('change', { value: Number(e.detail.value) });
    },
  },
});
