import {
  GROUP,
  KIND_COMPOSITE,
  KIND_RESOURCE,
  PLURAL_COMPOSITE,
  PLURAL_RESOURCE,
  VERSION,
  compositeSpecSchema,
  compositeStatusSchema,
  resourceSpecSchema,
  resourceStatusSchema,
} from '../api/index.ts';
import type { z } from 'zod';
import { structuralSchema, type JsonSchema } from './structural.ts';

interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'boolean';
  jsonPath: string;
  description?: string;
  priority?: number;
}

const readyCondition = (field: string) => `.status.conditions[?(@.type=="Ready")].${field}`;

const CONVENTIONS = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';
/**
 * The fields every Kubernetes object has, described as the built-in kinds describe them.
 * `metadata` may carry nothing but its type: the apiserver documents it (ObjectMeta).
 */
const objectFields = {
  apiVersion: { type: 'string', description: `APIVersion defines the versioned schema of this representation of an object: ${GROUP}/${VERSION}. More info: ${CONVENTIONS}#resources` },
  kind: { type: 'string', description: `Kind is the REST resource this object represents. More info: ${CONVENTIONS}#types-kinds` },
  metadata: { type: 'object' },
};

function crd(options: {
  kind: string;
  plural: string;
  shortName: string;
  spec: z.ZodType;
  status: z.ZodType;
  columns: PrinterColumn[];
  description: string;
}): JsonSchema {
  const singular = options.plural.replace(/s$/, '');
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${options.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: {
        kind: options.kind,
        listKind: `${options.kind}List`,
        plural: options.plural,
        singular,
        shortNames: [options.shortName],
        categories: ['clockwork'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: options.columns,
          schema: {
            openAPIV3Schema: {
              description: options.description,
              type: 'object',
              required: ['spec'],
              properties: {
                ...objectFields,
                spec: structuralSchema(options.spec),
                status: structuralSchema(options.status),
              },
            },
          },
        },
      ],
    },
  };
}

/** The two CRDs, generated from the zod schemas in sdk/src/api. */
export function clockworkCrds(): { file: string; crd: JsonSchema }[] {
  return [
    {
      file: `${GROUP}_${PLURAL_RESOURCE}.yaml`,
      crd: crd({
        kind: KIND_RESOURCE,
        plural: PLURAL_RESOURCE,
        shortName: 'cwr',
        spec: resourceSpecSchema,
        status: resourceStatusSchema,
        description: 'A container of a Clockwork stack: brought up once its dependencies are Ready, then checked by its assertions.',
        columns: [
          { name: 'Ready', type: 'string', jsonPath: readyCondition('status') },
          { name: 'Reason', type: 'string', jsonPath: readyCondition('reason') },
          { name: 'Assertions', type: 'string', jsonPath: '.status.assertionsSummary', description: 'passed/total' },
          { name: 'Composite', type: 'string', jsonPath: '.metadata.labels.clockwork\\.dev/composite' },
          { name: 'Restarts', type: 'integer', jsonPath: '.status.restarts', priority: 1 },
          { name: 'Image', type: 'string', jsonPath: '.spec.image', priority: 1 },
          { name: 'Message', type: 'string', jsonPath: readyCondition('message'), priority: 1 },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }),
    },
    {
      file: `${GROUP}_${PLURAL_COMPOSITE}.yaml`,
      crd: crd({
        kind: KIND_COMPOSITE,
        plural: PLURAL_COMPOSITE,
        shortName: 'cwc',
        spec: compositeSpecSchema,
        status: compositeStatusSchema,
        description: 'A group of Clockwork Resources and Composites deployed and torn down together.',
        columns: [
          { name: 'Ready', type: 'string', jsonPath: '.status.readySummary', description: 'ready/total descendants' },
          { name: 'Status', type: 'string', jsonPath: readyCondition('reason') },
          { name: 'Composite', type: 'string', jsonPath: '.metadata.labels.clockwork\\.dev/composite', priority: 1 },
          { name: 'Message', type: 'string', jsonPath: readyCondition('message'), priority: 1 },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }),
    },
  ];
}
