import { eventJsonSchema } from '@ipt/events';
import { Router } from 'express';
import { openApiDocument } from '../openapi.js';

/** The contract, machine-readable: JSON Schema of the catalog and the OpenAPI description. */
export function schemaRouter(): Router {
  const router = Router();
  const schema = eventJsonSchema();
  const openapi = openApiDocument();
  router.get('/v1/schema', (_req, res) => {
    res.type('application/schema+json').send(JSON.stringify(schema));
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  return router;
}
