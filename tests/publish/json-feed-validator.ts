// Validates JSON Feed documents against the published 1.1 schema (jsonfeed-schema, draft-07) with ajv.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import schema from 'jsonfeed-schema/schema-v1.1.json' with { type: 'json' };

// ajv-formats is CommonJS with `exports.default`: TypeScript (NodeNext) types the default import as the module
// object, while at run time it may be either; take the plugin from wherever it is.
type FormatsPlugin = (ajv: Ajv) => Ajv;
const formatsModule = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsModule.default ?? formatsModule;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** The schema errors of a document (empty when valid). */
export function jsonFeedErrors(doc: unknown): ErrorObject[] {
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}
