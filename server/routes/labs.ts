import express from 'express';
import type { LabCatalog } from '../../labkit/catalog';
import { HttpError } from '../http/HttpError';
import { labPageText } from './labPageText';
import type { LabSummary } from '../../protocol/labViews';

/** The lab catalogue and each lab's instructions (Markdown), for the landing and lab pages. */
export function labsRouter(catalog: LabCatalog): express.Router {
  const router = express.Router();
  router.get('/labs', (_req, res) => {
    res.json({ labs: catalog.list().map(({ id, title, summary }) => ({ id, title, summary })) } satisfies {
      labs: LabSummary[];
    });
  });
  router.get('/labs/:labId', (req, res) => {
    const lab = catalog.get(req.params.labId);
    if (!lab) throw new HttpError(404, 'No such lab');
    res.json({
      id: lab.id,
      title: lab.title,
      summary: lab.summary,
      ...labPageText(lab),
      topology: {
        networks: lab.topology.networks,
        machines: lab.topology.machines.map(({ id, label, nics }) => ({ id, label, nics })),
      },
    });
  });
  return router;
}
