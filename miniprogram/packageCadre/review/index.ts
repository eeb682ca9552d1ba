/**
 * 申报审核 (cadres): not built yet. The page exists so the cadre subpackage has a real root; nothing links to it
 * until the review workflow lands, and it says so plainly if opened.
 */
Component({
  data: {},
  methods: {},
});
