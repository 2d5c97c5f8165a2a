export * from './constants.ts';
export * from './names.ts';
export * from './assertion.ts';
export * from './resource-spec.ts';
export * from './status.ts';
export * from './objects.ts';
export * from './dependency-ref.ts';
