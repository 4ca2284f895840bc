import type { z } from 'zod';
import { packManifestSchema, type PackManifest } from '../../../common/pack-schema';
import type { IssueList, JsonPath } from './pack-issue';

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * zod drops unknown fields silently; authors want to hear about them (usually a typo) without being
 * blocked, so they are walked separately and reported as warnings.
 */
function reportUnknownFields(schema: z.ZodType, value: unknown, path: JsonPath, issues: IssueList): void {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      if (def.innerType) reportUnknownFields(def.innerType, value, path, issues);
      return;
    case 'object':
      if (!isPlainObject(value) || !def.shape) return;
      for (const [key, child] of Object.entries(value)) {
        const childSchema = def.shape[key];
        if (childSchema) reportUnknownFields(childSchema, child, [...path, key], issues);
        else issues.warning('schema-unknown-field', path, { field: key });
      }
      return;
    case 'array':
      if (Array.isArray(value) && def.element) value.forEach((item, i) => reportUnknownFields(def.element!, item, [...path, i], issues));
      return;
    case 'record':
      if (isPlainObject(value) && def.valueType) {
        for (const [key, child] of Object.entries(value)) reportUnknownFields(def.valueType, child, [...path, key], issues);
      }
      return;
    case 'union': {
      if (!def.discriminator || !isPlainObject(value)) return;
      const tag = value[def.discriminator];
      const option = def.options?.find((o) => defOf(defOf(o).shape?.[def.discriminator!] ?? o).values?.includes(tag));
      if (option) reportUnknownFields(option, value, path, issues);
      return;
    }
    default:
      return;
  }
}

function reportZodIssue(issue: z.core.$ZodIssue, issues: IssueList): void {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) issues.error('schema-required', path);
      else issues.error('schema-type', path, { expected: issue.expected });
      return;
    case 'invalid_value':
      issues.error('schema-value', path, { allowed: issue.values.map((v) => JSON.stringify(v)).join(', ') });
      return;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) issues.error('schema-empty-text', path);
      else issues.error('schema-too-small', path, { minimum: Number(issue.minimum) });
      return;
    case 'too_big':
      issues.error('schema-too-big', path, { maximum: Number(issue.maximum) });
      return;
    case 'invalid_format':
      if (issue.message.startsWith('format:')) issues.error(`format-${issue.message.slice(7)}` as 'format-id', path);
      else if (issue.format === 'url') issues.error('format-url', path);
      else issues.error('schema-invalid', path, { detail: issue.message });
      return;
    case 'unrecognized_keys':
      // Only localized texts are strict: an unknown key there is a language the kiosk cannot show.
      for (const key of issue.keys) issues.error('schema-unknown-locale', [...path, key], { field: key });
      return;
    case 'invalid_union':
      if (issue.discriminator === 'type') {
        issues.error('schema-unknown-type', path, { allowed: ['video', 'scenario', 'quiz', 'article'].join(', ') });
        return;
      }
      issues.error('schema-invalid', path, { detail: issue.message });
      return;
    default:
      issues.error('schema-invalid', path, { detail: issue.message });
  }
}

/** Checks pack.json against the schema; returns the parsed manifest only when it has no schema errors. */
export function checkSchema(raw: unknown, issues: IssueList): PackManifest | null {
  reportUnknownFields(packManifestSchema, raw, [], issues);
  const parsed = packManifestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) reportZodIssue(issue, issues);
  return null;
}
