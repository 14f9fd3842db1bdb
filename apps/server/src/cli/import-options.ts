/**
 * The options of `ipt import`, validated once: a bad flag stops the command before anything is
 * read or sent. The source key and the clinic secret never come from the command line (it lands
 * in shell history and `ps`): the key from `IPT_SOURCE_KEY`, the secret from a file.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ADAPTATIONS, MODALITIES } from '@ipt/protocol';
import { z } from 'zod';
import { ConfigError } from '../env.js';

export const IMPORT_USAGE = `usage:
  ipt import <events.ndjson> [--url URL] [--batch N] [--state FILE] [--rejections FILE]
  ipt import --fhir <bundle.json|resources.ndjson> --clinic CODE --secret-file FILE
             [--adaptation A] [--modality M] [--planned-sessions N] [same options]
The source key is read from IPT_SOURCE_KEY. Accepted ids are appended to the state file
(default <file>.accepted): run the same command again to resume, and they are skipped.`;

const options = z.object({
  file: z.string().min(1),
  fhir: z.boolean(),
  url: z.url({ error: '--url must be a URL, e.g. http://127.0.0.1:3000' }),
  key: z
    .string({ error: 'IPT_SOURCE_KEY must hold the source key (ipt_ingest_...)' })
    .regex(/^\S+$/, 'IPT_SOURCE_KEY must hold the source key (ipt_ingest_...)'),
  batch: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000, { error: '--batch must be 1 to 1000 (the contract allows 1000 events a request)' }),
  state: z.string().min(1),
  rejections: z.string().min(1),
  fhirMapping: z
    .object({
      clinic: z.string({ error: '--fhir needs --clinic, the clinic code of the events' }).min(1),
      secret: z.string(),
      programme: z.object({
        adaptation: z.enum(ADAPTATIONS).optional(),
        modality: z.enum(MODALITIES).optional(),
        plannedSessions: z.coerce.number().int().min(1).max(60).optional(),
      }),
    })
    .optional(),
});
export type ImportOptions = z.infer<typeof options>;

export function parseImportOptions(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ImportOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      fhir: { type: 'boolean', default: false },
      url: { type: 'string', default: `http://127.0.0.1:${env.PORT ?? 3000}` },
      batch: { type: 'string', default: '1000' },
      state: { type: 'string' },
      rejections: { type: 'string' },
      clinic: { type: 'string' },
      'secret-file': { type: 'string' },
      adaptation: { type: 'string' },
      modality: { type: 'string' },
      'planned-sessions': { type: 'string' },
    },
  });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw new ConfigError(`import needs exactly one file\n${IMPORT_USAGE}`);
  }
  const fhirOnly = ['clinic', 'secret-file', 'adaptation', 'modality', 'planned-sessions'] as const;
  if (!values.fhir && fhirOnly.some((flag) => values[flag] !== undefined)) {
    throw new ConfigError(`--${fhirOnly.find((f) => values[f] !== undefined)} is for --fhir only`);
  }
  const parsed = options.safeParse({
    file,
    fhir: values.fhir,
    url: values.url,
    key: env.IPT_SOURCE_KEY,
    batch: values.batch,
    state: values.state ?? `${file}.accepted`,
    rejections: values.rejections ?? `${file}.rejected.ndjson`,
    fhirMapping: values.fhir
      ? {
          clinic: values.clinic,
          secret: readSecret(values['secret-file']),
          programme: {
            adaptation: values.adaptation,
            modality: values.modality,
            plannedSessions: values['planned-sessions'],
          },
        }
      : undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new ConfigError(
      issue?.message.startsWith('-') || issue?.message.startsWith('IPT_')
        ? issue.message
        : `${where}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

function readSecret(path: string | undefined): string {
  if (path === undefined) {
    throw new ConfigError(
      '--fhir needs --secret-file: the clinic pseudonym secret (at least 32 bytes), kept at the clinic',
    );
  }
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`--secret-file ${path} cannot be read: ${(error as Error).message}`);
  }
}
