import type { Extension } from './resources.js';

/** The extensions of a resource, by URL (FHIR_EXTENSIONS), as the value types the mapping reads. */
export function extension(
  list: readonly Extension[] | undefined,
  url: string,
): Extension | undefined {
  return list?.find((e) => e.url === url);
}
export function code(list: readonly Extension[] | undefined, url: string): string | undefined {
  return extension(list, url)?.valueCode;
}
export function integer(list: readonly Extension[] | undefined, url: string): number | undefined {
  return extension(list, url)?.valueInteger;
}
