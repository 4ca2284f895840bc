import { z } from 'zod';
import { packManifestSchema } from '../../common/pack-schema';

type JsonObject = { [key: string]: unknown };

/**
 * Editors complete property names from `properties`, not from `propertyNames`; localized texts get an
 * explicit entry per language so authors are offered "zh-CN" and "en".
 */
function spellOutLocaleKeys(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(spellOutLocaleKeys);
  if (typeof node !== 'object' || node === null) return;
  const object = node as JsonObject;
  const names = (object.propertyNames as { enum?: string[] } | undefined)?.enum;
  if (names && object.additionalProperties && !object.properties) {
    object.properties = Object.fromEntries(names.map((n) => [n, object.additionalProperties]));
    object.additionalProperties = false;
    delete object.propertyNames;
  }
  for (const value of Object.values(object)) spellOutLocaleKeys(value);
}

/** The published JSON Schema of pack.json (exhibits/pack.schema.json), generated from the one zod schema. */
export function packJsonSchema(): JsonObject {
  const schema = z.toJSONSchema(packManifestSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonObject;
  spellOutLocaleKeys(schema);
  return {
    $schema: schema.$schema,
    title: 'Exhibit Kiosk content pack (pack.json)',
    description: 'Generated from electron/common/pack-schema.ts by `kiosk pack schema`; do not edit by hand.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

export function packJsonSchemaText(): string {
  return `${JSON.stringify(packJsonSchema(), null, 2)}\n`;
}
