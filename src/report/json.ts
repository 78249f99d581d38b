// The machine-readable report (schemas/report.v1.schema.json): the Report value itself.
import type { Report } from "./index.js";

export function formatJson(report: Report): string {
  return JSON.stringify(report, null, 2) + "\n";
}
