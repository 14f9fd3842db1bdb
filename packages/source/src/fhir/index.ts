export { FHIR_EXTENSIONS, PHQ9_LOINC } from './codes.js';
export { type FhirEntry, FhirInputError, parseFhirInput } from './input.js';
export { type FhirMapping, type FhirMappingOptions, type FhirProblem, mapFhir } from './map.js';
