// The text pdf.js (pdfjs-dist) takes out of a PDF, page by page: what browsers' viewers read.
// Usage: node tests/pdfjs_text.mjs file.pdf [more.pdf ...]
// With several files, each file's text is followed by a NUL character (one node start for all).
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

async function textOf(file) {
  const data = new Uint8Array(readFileSync(file));
  const pdf = await getDocument({ data, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join(""));
  }
  await pdf.destroy();
  return pages.join("\f");
}

const files = process.argv.slice(2);
for (const file of files) {
  process.stdout.write(await textOf(file));
  if (files.length > 1) process.stdout.write("\0");
}
