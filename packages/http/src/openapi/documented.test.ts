// What a script writer reads: every field of an outcomes group is described in the OpenAPI
// document, and the README's GET /v1/outcomes row names every filter the endpoint takes.
import { readFileSync } from 'node:fs';
import { DATE_FILTER_NAMES, LIST_FILTER_NAMES } from '@ipt/analytics';
import { describe, expect, it } from 'vitest';
import { REST_READS } from '../routes/read-route.js';
import { openApiDocument } from './document.js';

type Schema = { properties?: Record<string, Schema>; description?: string; $ref?: string };

describe('the outcomes answer as documented', () => {
  it('describes every count and figure of a group, finished and paired included', () => {
    const schemas = (openApiDocument() as { components: { schemas: Record<string, Schema> } })
      .components.schemas;
    const answer = schemas.OutcomesAnswer as {
      properties: { groups: { items: Schema } };
    };
    const group = answer.properties.groups.items.properties ?? {};
    const undocumented = Object.entries(group)
      .filter(([, schema]) => schema.$ref === undefined && !schema.description)
      .map(([name]) => name);
    expect(Object.keys(group)).toEqual(expect.arrayContaining(['finished', 'paired', 'n']));
    expect(undocumented).toEqual([]);
    expect(group.finished?.description).toMatch(/finished courses/);
    expect(group.paired?.description).toMatch(/baseline and endpoint/);
  });

  it('is listed in the README with every filter it takes', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `GET /v1/outcomes`'));
    expect(row).toBeDefined();
    for (const name of [...LIST_FILTER_NAMES, ...DATE_FILTER_NAMES]) {
      expect(row, name).toContain(`\`${name}\``);
    }
  });
});

describe('the read API as documented', () => {
  it('has a path for every read with a REST form, and its parameters are those it reads', () => {
    const doc = openApiDocument() as {
      paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }>;
    };
    for (const read of REST_READS) {
      const operation = doc.paths[read.rest.path]?.get;
      expect(operation, read.rest.path).toBeDefined();
      const documented = (operation?.parameters ?? []).map((p) => p.name).sort();
      const read_ = [
        ...read.rest.params,
        ...(read.rest.cohortFilters ? [...LIST_FILTER_NAMES, ...DATE_FILTER_NAMES] : []),
        ...(read.basis === false ? [] : ['asOf', 'release']),
      ].sort();
      expect(documented, read.rest.path).toEqual(read_);
    }
  });

  it('lists no read path the server does not serve', () => {
    const doc = openApiDocument() as { paths: Record<string, { get?: { tags?: string[] } }> };
    const documented = Object.entries(doc.paths)
      .filter(([, item]) => item.get?.tags?.includes('read'))
      .map(([path]) => path)
      .sort();
    expect(documented).toEqual(REST_READS.map((r) => r.rest.path).sort());
  });
});
