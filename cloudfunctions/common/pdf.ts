/**
 * pdfkit with a CJK font, loaded on first use: like exceljs (./excel.ts), it lives in a side bundle `pdf.js`
 * beside the function (with the font file), so a cold start loads `index.js` alone.
 */
import type PDFKit from 'pdfkit';

export interface PdfKit {
  PDFDocument: typeof PDFKit;
  /** A TrueType font with Simplified Chinese, embedded as a subset. */
  fontPath: string;
}

export async function loadPdf(): Promise<PdfKit> {
  // The side bundle is CommonJS: its exports object is the namespace's `default` (from source: the module itself).
  const mod = (await import('./pdf-kit')) as unknown as { default?: PdfKit } & PdfKit;
  return mod.default?.fontPath ? mod.default : mod;
}
