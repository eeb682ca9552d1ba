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
  const mod = (await import('./pdf-kit')) as unknown as { default?: PdfKit } & PdfKit;
  return mod.PDFDocument ? mod : (mod.default as PdfKit);
}
