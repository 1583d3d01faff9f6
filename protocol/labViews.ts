/** What the labs API sends to the landing page. */

/** One lab of GET /api/labs. */
export interface LabSummary {
  id: string;
  title: string;
  summary: string;
}
