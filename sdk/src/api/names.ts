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
