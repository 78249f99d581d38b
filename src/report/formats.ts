// The registry of output formats: one pure function per format, `(report, options) => string`.
import type { Report } from "./index.js";
import { formatJson } from "./json.js";
import { formatJunit } from "./junit.js";
import { formatMarkdown } from "./markdown.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";

export interface FormatOptions {
  color: boolean;
}

export const FORMATS = {
  text: (report: Report, options: FormatOptions) => formatText(report, options),
  json: (report: Report) => formatJson(report),
  sarif: (report: Report, options: FormatOptions) => formatSarif(report, options),
  junit: (report: Report) => formatJunit(report),
  markdown: (report: Report) => formatMarkdown(report),
} satisfies Record<string, (report: Report, options: FormatOptions) => string>;

export type FormatName = keyof typeof FORMATS;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}
