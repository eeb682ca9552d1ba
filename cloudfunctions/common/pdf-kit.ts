/**
 * pdfkit and the poster's font, from source (scripts, tests). The build replaces this module by the side bundle
 * `pdf.js` beside the function, with the font file copied next to it (scripts/build-functions.ts).
 *
 * The font is Noto Sans SC Regular (SIL Open Font License 1.1: may be bundled and redistributed with software,
 * not sold by itself) from the npm package @expo-google-fonts/noto-sans-sc; pdfkit embeds only the glyphs a
 * poster uses (a subset), so a poster stays small.
 */
import PDFDocument from 'pdfkit';

export { PDFDocument };
export const fontPath =
  require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
