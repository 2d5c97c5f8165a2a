import { z } from 'zod';

/** DNS-1123 label: what a Service name must be, so what a Resource name must be. */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(DNS_LABEL_PATTERN, {
    message: 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
  });

/** IANA service name: what a named container port must be. */
export const PORT_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME_MESSAGE = 'must be an IANA service name: at most 15 lowercase letters, digits and "-", with at least one letter';
export const portName = z
  .string()
  .min(1)
  .max(15)
  .regex(PORT_NAME_PATTERN, { message: PORT_NAME_MESSAGE })
  .refine((s) => /[a-z]/.test(s), { message: PORT_NAME_MESSAGE })
  .meta({ 'x-kubernetes-validations': [{ rule: "self.matches('[a-z]')", message: PORT_NAME_MESSAGE }] });

export const portNumber = z.number().int().min(1).max(65535);

/** A port given by number or by the name of one of the Resource's ports. */
export const portRef = z.union([portNumber, portName]).meta({
  'x-kubernetes-int-or-string': true,
  // A name is checked against the Resource's own port names by a rule on the spec; here only
  // what is cheap for the apiserver's CEL cost budget.
  'x-kubernetes-validations': [{ rule: 'type(self) == int ? (self >= 1 && self <= 65535) : (self.size() >= 1 && self.size() <= 15)', message: 'must be a port number (1-65535) or a port name' }],
});

export const ENV_NAME_PATTERN = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
export const envName = z
  .string()
  .min(1)
  .max(256)
  .regex(ENV_NAME_PATTERN, { message: 'must consist of letters, digits, "_", "-" or "." and not start with a digit' });

/** A Kubernetes quantity such as `100m`, `0.5` or `256Mi`. */
export const QUANTITY_PATTERN = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_MESSAGE = 'must be a Kubernetes quantity such as 250m or 256Mi';
export const quantity = z
  .union([z.number().int().nonnegative(), z.string().max(64).regex(QUANTITY_PATTERN, { message: QUANTITY_MESSAGE })])
  .meta({
    'x-kubernetes-int-or-string': true,
    'x-kubernetes-validations': [{ rule: `type(self) == int ? self >= 0 : (self.size() <= 64 && self.matches('${QUANTITY_PATTERN.source}'))`, message: QUANTITY_MESSAGE }],
  });

/** DNS-1123 subdomain: what a StorageClass name must be. */
export const DNS_SUBDOMAIN_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const dnsSubdomain = z
  .string()
  .min(1)
  .max(253)
  .regex(DNS_SUBDOMAIN_PATTERN, { message: 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and "."' });

/** A storage size: a whole or decimal number with an optional binary or decimal suffix. */
// Written for both regex engines (JavaScript and the apiserver's RE2 inside CEL strings): no backslashes.
const STORAGE_SIZE_SOURCE = '^[0-9]+([.][0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$';
export const STORAGE_SIZE_PATTERN = new RegExp(STORAGE_SIZE_SOURCE);
const STORAGE_SIZE_MESSAGE = 'must be a storage size greater than zero, such as 1Gi or 500Mi';
const STORAGE_SUFFIX: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** Bytes of a storage size (`1Gi` → 1073741824); undefined when it is not one. */
export function storageBytes(size: string): number | undefined {
  const match = STORAGE_SIZE_PATTERN.exec(size);
  if (!match) return undefined;
  return Number(size.slice(0, size.length - (match[2]?.length ?? 0))) * STORAGE_SUFFIX[match[2] ?? '']!;
}

export const storageSize = z
  .string()
  .max(64)
  .refine((s) => (storageBytes(s) ?? 0) > 0, { message: STORAGE_SIZE_MESSAGE })
  .meta({ 'x-kubernetes-validations': [{ rule: `self.matches('${STORAGE_SIZE_SOURCE}') && quantity(self).isGreaterThan(quantity('0'))`, message: STORAGE_SIZE_MESSAGE }] });
