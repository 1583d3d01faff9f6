import type { ErrorRequestHandler } from 'express';
import type { Log } from '../log/Log';
import { HttpError } from '../http/HttpError';
import { errorDetail } from '../log/errorMessage';

/** The one place HTTP errors become responses. Internal details never reach the client. */
export function errorHandler(log: Log): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof HttpError) {
      res.set(error.headers);
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    // body-parser errors carry a status (413 too large, 400 malformed JSON).
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    if (status >= 400 && status < 500) {
      const message = status === 413 ? 'Request body is too large' : 'Malformed request body';
      res.status(status).json({ error: { code: status === 413 ? 'too_large' : 'bad_request', message } });
      return;
    }
    log(`internal error: ${errorDetail(error)}`, 'error');
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on the server' } });
  };
}
