import { z } from 'zod';

/**
 * A response schema made strict all the way down: every object refuses fields it does not declare. Response schemas
 * are allow-lists that strip unknown fields when Fastify serialises; a pre-serialised answer never passes through
 * them, so a test parses it with this to see that it holds nothing the schema does not document.
 * A kind of schema this does not know fails loudly rather than being checked loosely.
 */
export function strictSchema(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape).map(([k, v]) => [k, strictSchema(v as z.ZodType)]));
    return z.strictObject(shape);
  }
  if (schema instanceof z.ZodArray) return z.array(strictSchema(schema.element as z.ZodType));
  if (schema instanceof z.ZodUnion) {
    const options = (schema.options as z.ZodType[]).map(strictSchema);
    return z.union(options as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  }
  if (schema instanceof z.ZodNullable) return strictSchema(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodOptional) return strictSchema(schema.unwrap() as z.ZodType).optional();
  if (schema instanceof z.ZodRecord) {
    return z.record(schema.keyType as z.ZodString, strictSchema(schema.valueType as z.ZodType));
  }
  const leaves = [z.ZodString, z.ZodNumber, z.ZodBoolean, z.ZodNull, z.ZodEnum, z.ZodLiteral, z.ZodUnknown];
  if (leaves.some((kind) => schema instanceof kind)) return schema;
  throw new Error(`strictSchema: no strict form for a ${schema.constructor.name}`);
}
