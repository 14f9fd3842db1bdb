import { eventJsonSchema } from '@ipt/events';
import { Router } from 'express';
import { requireAcceptable } from '../infra/http-error.js';
import { openApiDocument } from '../openapi/document.js';

/** The contract, machine-readable: JSON Schema of the catalog and the OpenAPI description. */
export function schemaRouter(): Router {
  const router = Router();
  const schema = eventJsonSchema();
  router.get('/v1/schema', (req, res) => {
    requireAcceptable((t) => req.accepts(t), ['application/schema+json', 'application/json']);
    res.type('application/schema+json').send(JSON.stringify(schema));
  });
  router.get('/openapi.json', (req, res) => {
    requireAcceptable((t) => req.accepts(t), ['application/json']);
    res.json(openApiDocument(`${req.protocol}://${req.get('host') ?? '127.0.0.1'}`));
  });
  return router;
}
