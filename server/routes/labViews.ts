/** What the labs API sends, shared with the landing page (no Node imports: web/tsconfig.json checks it). */

/** One lab of GET /api/labs. */
export interface LabSummary {
  id: string;
  title: string;
  summary: string;
}
