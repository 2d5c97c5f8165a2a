#!/usr/bin/env node
// Writes argocd-cm-patch.yaml from health.lua (`make argocd-health`); a test checks it is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export function renderArgocdPatch(lua: string): string {
  const header = [
    '# Merge into the argocd-cm ConfigMap (namespace argocd):',
    '#   kubectl -n argocd patch configmap argocd-cm --patch-file deploy/argocd/argocd-cm-patch.yaml',
    '# Generated from deploy/argocd/health.lua, the same script for both kinds.',
  ].join('\n');
  const data = { 'resource.customizations.health.clockwork.dev_Resource': lua, 'resource.customizations.health.clockwork.dev_Composite': lua };
  return `${header}\n${stringify({ data }, { lineWidth: 0 })}`;
}

if (import.meta.main) {
  const dir = import.meta.dirname;
  writeFileSync(join(dir, 'argocd-cm-patch.yaml'), renderArgocdPatch(readFileSync(join(dir, 'health.lua'), 'utf8')));
}
