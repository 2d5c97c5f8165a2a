{{/*
Names are fixed, as in deploy/: the operator's Lease is clockwork-operator whatever the release is
called, and `clockwork apply` looks for it.
*/}}
{{- define "clockwork.name" -}}clockwork-operator{{- end -}}

{{/* Labels of every object: the kustomize install's, plus Helm's own. */}}
{{- define "clockwork.labels" -}}
app.kubernetes.io/part-of: clockwork
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The operator's Pods. */}}
{{- define "clockwork.selectorLabels" -}}
app.kubernetes.io/name: {{ include "clockwork.name" . }}
{{- end -}}

{{- define "clockwork.namespaced" -}}
{{- if eq .Values.rbac.scope "namespace" -}}true{{- else if ne .Values.rbac.scope "cluster" -}}{{- fail (printf "rbac.scope must be cluster or namespace, not %q" .Values.rbac.scope) -}}{{- end -}}
{{- end -}}
