/**
 * `ipt import`: loads a file of events into a server through the public ingest endpoint, as a
 * source would send them. NDJSON of v1 events is streamed a batch at a time; a FHIR export is
 * mapped first (pseudonymised at this machine, with the clinic's secret). After every batch the
 * accepted ids are appended to the state file, so a run cut short is resumed by running it again
 * (those ids are skipped; the ingest would store them once anyway). Rejections and unmappable
 * resources go to the report file, one JSON line each. Exit 0 only when everything was accepted.
 */
import { appendFileSync, createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  type CatalogEvent,
  createEventSender,
  createPseudonymizer,
  IngestError,
  mapFhir,
  parseFhirInput,
} from '@ipt-outcomes/source';
import type { ImportOptions } from './import-options.js';
import { progressBar } from './progress.js';

/** One line of the report: an event the ingest refused, a line that is not JSON, or a resource. */
type ReportLine =
  | { line: number; id: string | null; errors: { path: string; message: string }[] }
  | { resource: string; message: string };

export interface ImportSummary {
  readonly total: number;
  readonly skipped: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly unmappable: number;
}

/** Events to send, with the line they came from (1-based; 0 for mapped FHIR). */
interface Item {
  readonly line: number;
  readonly event: unknown;
  readonly id: string | null;
}

export async function runImport(
  options: ImportOptions,
  stderr: NodeJS.WriteStream = process.stderr,
): Promise<ImportSummary> {
  if (!existsSync(options.file)) throw new Error(`${options.file} does not exist`);
  const done = readState(options.state);
  writeFileSync(options.rejections, '');
  const report = (line: ReportLine) =>
    appendFileSync(options.rejections, `${JSON.stringify(line)}\n`);
  const sender = createEventSender<{ id: string }>({
    url: new URL('/v1/events', options.url),
    apiKey: options.key,
  });

  let unmappable = 0;
  let total: number;
  let items: AsyncIterable<Item> | Iterable<Item>;
  if (options.fhir) {
    const mapping = options.fhirMapping;
    if (mapping === undefined) throw new Error('--fhir without its mapping options');
    const { events, problems } = mapFhir(parseFhirInput(readFileSync(options.file, 'utf8')), {
      clinicId: mapping.clinic,
      pseudonymizer: createPseudonymizer(mapping.secret),
      programme: mapping.programme,
    });
    for (const problem of problems) report(problem);
    unmappable = problems.length;
    total = events.length;
    items = events.map((event: CatalogEvent) => ({ line: 0, event, id: event.id }));
  } else {
    total = await countLines(options.file);
    items = ndjsonItems(options.file, report);
  }

  const bar = progressBar(`import ${options.file}`, total, stderr);
  let seen = 0;
  let skipped = 0;
  let accepted = 0;
  let rejected = 0;
  let batch: Item[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const sending = batch;
    batch = [];
    const result = await sender.send(sending.map((item) => item.event as { id: string }));
    const refused = new Set(result.rejected.map((r) => r.index));
    for (const r of result.rejected) {
      report({ line: sending[r.index]?.line ?? 0, id: r.id, errors: r.errors });
    }
    const ids = sending.filter((_, index) => !refused.has(index)).map((item) => item.id);
    // Appended only after the ingest acknowledged the batch: a crash before this line resends it.
    if (ids.length > 0) appendFileSync(options.state, `${ids.join('\n')}\n`);
    accepted += ids.length;
    rejected += refused.size;
    bar.update(seen, `events, ${accepted} accepted, ${rejected} rejected`);
  };
  try {
    for await (const item of items) {
      seen += 1;
      if (item.id === null) {
        rejected += 1;
        continue;
      }
      if (done.has(item.id)) {
        skipped += 1;
        continue;
      }
      batch.push(item);
      if (batch.length >= options.batch) await flush();
    }
    await flush();
  } catch (error) {
    if (error instanceof IngestError) {
      stderr.write('\n');
      throw new Error(
        `${error.message}. ${accepted} events were accepted before it; run the same command again to resume.`,
        { cause: error },
      );
    }
    throw error;
  }
  bar.finish(
    `${accepted} accepted, ${skipped} skipped (accepted before), ${rejected} rejected${options.fhir ? `, ${unmappable} resources not mapped` : ''}`,
  );
  return { total, skipped, accepted, rejected, unmappable };
}

function readState(path: string): Set<string> {
  if (!existsSync(path)) return new Set();
  return new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line !== ''),
  );
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Infinity,
  })) {
    if (line.trim() !== '') count += 1;
  }
  return count;
}

/** Streams the file: a line that is not a JSON object with a string id is reported, not sent. */
async function* ndjsonItems(file: string, report: (line: ReportLine) => void): AsyncIterable<Item> {
  let line = 0;
  for await (const text of createInterface({
    input: createReadStream(file),
    crlfDelay: Infinity,
  })) {
    line += 1;
    if (text.trim() === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (error) {
      report({
        line,
        id: null,
        errors: [{ path: '', message: `not JSON: ${(error as Error).message}` }],
      });
      yield { line, event: null, id: null };
      continue;
    }
    const id = (event as { id?: unknown } | null)?.id;
    if (typeof event !== 'object' || event === null || typeof id !== 'string') {
      report({
        line,
        id: null,
        errors: [{ path: 'id', message: 'each line must be an event object with its id' }],
      });
      yield { line, event: null, id: null };
      continue;
    }
    yield { line, event, id };
  }
}
