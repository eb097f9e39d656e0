// JSON Schema for rule files. Unknown keys anywhere are errors: a misspelt key must never turn
// a condition into "always true" silently (peers.md §9).

const num = { type: 'number' } as const;
const numList = { type: 'array', items: num, minItems: 1 } as const;
const numMatch = {
  anyOf: [
    num,
    numList,
    {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { gte: num, gt: num, lte: num, lt: num, in: numList, not: numList },
    },
  ],
} as const;
const str = { type: 'string', minLength: 1 } as const;
const strMatch = {
  anyOf: [
    { type: 'string' },
    { type: 'array', items: { type: 'string' }, minItems: 1 },
    {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        equals: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        contains: str,
        startswith: str,
        endswith: str,
        re: str,
        exists: { type: 'boolean' },
      },
    },
  ],
} as const;
const outcome = { enum: ['succeeded', 'failed', 'unknown'] } as const;

export const RULE_SCHEMA = {
  $id: 'rdpdoctor/rule',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'needs', 'supports', 'refutes', 'remediation', 'references'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    title: str,
    summary: str,
    unconfirmed: { type: 'boolean' },
    appliesTo: { type: 'array', items: outcome, minItems: 1 },
    needs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { channel: str, provider: str, ids: { type: 'array', items: { type: 'integer' }, minItems: 1 } },
      },
    },
    thresholds: {
      type: 'object',
      additionalProperties: false,
      properties: { likely: { type: 'number', exclusiveMinimum: 0 }, ruledOut: { type: 'number', exclusiveMinimum: 0 } },
    },
    supports: { type: 'array', items: { $ref: '#/$defs/item' } },
    refutes: { type: 'array', items: { $ref: '#/$defs/item' } },
    remediation: { type: 'array', items: str, minItems: 1 },
    references: { type: 'array', items: str, minItems: 1 },
    collectNext: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['log', 'host'],
        properties: { log: str, host: { enum: ['client', 'server', 'gateway', 'dc'] }, enable: str },
      },
    },
  },
  $defs: {
    item: {
      type: 'object',
      additionalProperties: false,
      required: ['when', 'weight', 'says'],
      properties: {
        when: { $ref: '#/$defs/cond' },
        weight: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
        says: str,
        unconfirmed: { type: 'boolean' },
        decisive: { type: 'boolean' },
      },
    },
    selector: {
      type: 'object',
      additionalProperties: false,
      properties: {
        side: { enum: ['client', 'server', 'gateway', 'any'] },
        in: { enum: ['events', 'context', 'any'] },
        channel: str,
        provider: str,
        id: { anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' }, minItems: 1 }] },
        where: { type: 'object', minProperties: 1 },
        within: str,
        at: { type: 'array', items: { enum: ['before', 'during', 'after'] }, minItems: 1, uniqueItems: true },
      },
    },
    cond: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        codes: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            disconnectReason: numMatch,
            extendedReason: numMatch,
            source: { type: 'array', items: { enum: ['log', 'rdcman', 'user', 'server', 'none'] }, minItems: 1 },
            missing: { type: 'array', items: { enum: ['disconnectReason', 'extendedReason'] }, minItems: 1 },
          },
        },
        event: { $ref: '#/$defs/selector' },
        absent: { $ref: '#/$defs/selector' },
        sequence: { type: 'array', items: { $ref: '#/$defs/selector' }, minItems: 2 },
        maxGap: str,
        outcome: { anyOf: [outcome, { type: 'array', items: outcome, minItems: 1 }] },
        coverage: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { client: { type: 'boolean' }, server: { type: 'boolean' } },
        },
        fact: { type: 'object', minProperties: 1, additionalProperties: strMatch },
        setting: { type: 'object', minProperties: 1, additionalProperties: strMatch },
        target: strMatch,
        all: { type: 'array', items: { $ref: '#/$defs/cond' }, minItems: 1 },
        any: { type: 'array', items: { $ref: '#/$defs/cond' }, minItems: 1 },
        not: { $ref: '#/$defs/cond' },
      },
    },
  },
} as const;
