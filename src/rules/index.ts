/**
 * Falconer's Falco rules engine: loads rules files the way Falco 0.42 does (reader → collector →
 * compiler), with Falco's codes, positions, JSON document and text. This module is the whole
 * public surface; everything else under src/rules is internal.
 */
export {
  validateRuleFiles,
  formatFalcoJson,
  formatFalcoText,
  falcoExitCode,
  DEFAULT_LIMITS,
} from './validate.ts';
export type { RuleFile, RulesLimits, ValidateOptions, RulesValidation, FileValidation } from './validate.ts';
export type { RuleDiagnostic } from './diagnostics.ts';
export { falcoValidateCommand } from './falco-command.ts';
export type { RuleFileBytes, FalcoCommandOutput } from './falco-command.ts';
export {
  falcoProfile,
  falcoVersionOfImageTag,
  DEFAULT_FALCO_VERSION,
  MODELLED_FALCO_VERSIONS,
} from './falco-versions.ts';
export type { FalcoProfile, ModelledFalcoVersion } from './falco-versions.ts';
export { parseFalcoValidationOutput } from './falco-output.ts';
export type { ParsedFalcoValidation, ParsedFileValidation } from './falco-output.ts';
export type { FalcoLoadResult, FalcoLoadMessage, FalcoLocation } from './falco-json.ts';
export { ERROR_CODES, WARNING_CODES, ENGINE_VERSION } from './codes.ts';
export type { ErrorCode, WarningCode, LoadCode } from './codes.ts';
export { listFieldClasses, catalogSources } from './fields/catalog.ts';
export { parseFieldListing } from './fields/listing.ts';
export type { FieldClassData, FieldData } from './fields/types.ts';
