{{/*
Expand the name of the chart.
*/}}
{{- define "leadhandoff.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
Truncated at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If the release name contains the chart name it is used as the full name.
*/}}
{{- define "leadhandoff.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "leadhandoff.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "leadhandoff.labels" -}}
helm.sh/chart: {{ include "leadhandoff.chart" . }}
{{ include "leadhandoff.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/component: api
app.kubernetes.io/part-of: leadhandoff
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "leadhandoff.selectorLabels" -}}
app.kubernetes.io/name: {{ include "leadhandoff.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The image reference; the tag defaults to the chart's appVersion.
*/}}
{{- define "leadhandoff.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/*
The Secret this release owns for inline values (connection strings and source secrets given in values).
*/}}
{{- define "leadhandoff.secretName" -}}
{{- include "leadhandoff.fullname" . }}
{{- end }}

{{/*
The ConfigMap holding an inline policy.
*/}}
{{- define "leadhandoff.policyConfigMapName" -}}
{{- printf "%s-policy" (include "leadhandoff.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
"true" when some value must be rendered into the release's Secret: an inline connection string without an
existingSecret, or a source with inline secrets and no existingSecret. Empty otherwise.
*/}}
{{- define "leadhandoff.hasInlineSecrets" -}}
{{- $inline := false }}
{{- if and .Values.storage.connectionString (not .Values.storage.existingSecret) }}
{{- $inline = true }}
{{- end }}
{{- if and (eq .Values.bus.transport "RabbitMq") .Values.bus.connectionString (not .Values.bus.existingSecret) }}
{{- $inline = true }}
{{- end }}
{{- range $id, $source := .Values.sources }}
{{- if and $source.secrets (not $source.existingSecret) }}
{{- $inline = true }}
{{- end }}
{{- end }}
{{- if $inline }}true{{ end }}
{{- end }}

{{/*
The key of the n-th inline secret of a source in the release's Secret. Called with (list $id $index).
*/}}
{{- define "leadhandoff.sourceSecretKey" -}}
{{- printf "source-%s-secret-%d" (index . 0) (index . 1) }}
{{- end }}

{{/*
"true" when a policy file is mounted (inline content or an existing ConfigMap).
*/}}
{{- define "leadhandoff.hasPolicy" -}}
{{- if or .Values.policy.content .Values.policy.existingConfigMap }}true{{ end }}
{{- end }}

{{/*
Fail the render on settings the API would reject at start-up anyway, so the mistake is reported by helm with the
value's name instead of by a crash-looping pod.
*/}}
{{- define "leadhandoff.validate" -}}
{{- $provider := .Values.storage.provider }}
{{- if not (has $provider (list "Postgres" "Sqlite")) }}
{{- fail (printf "storage.provider must be Postgres or Sqlite, not %q" $provider) }}
{{- end }}
{{- if and (eq $provider "Postgres") (not (or .Values.storage.existingSecret .Values.storage.connectionString)) }}
{{- fail "storage.provider=Postgres needs storage.existingSecret (preferred) or storage.connectionString" }}
{{- end }}
{{- if and (eq $provider "Sqlite") (gt (int .Values.replicaCount) 1) }}
{{- fail "storage.provider=Sqlite keeps one database file per pod: use Postgres, or set replicaCount to 1" }}
{{- end }}
{{- $transport := .Values.bus.transport }}
{{- if not (has $transport (list "RabbitMq" "InMemory")) }}
{{- fail (printf "bus.transport must be RabbitMq or InMemory, not %q" $transport) }}
{{- end }}
{{- if and (eq $transport "RabbitMq") (not (or .Values.bus.existingSecret .Values.bus.connectionString)) }}
{{- fail "bus.transport=RabbitMq needs bus.existingSecret (preferred) or bus.connectionString" }}
{{- end }}
{{- if and .Values.adapters.enabled (ne $transport "RabbitMq") }}
{{- fail "adapters.enabled needs bus.transport=RabbitMq: with InMemory the adapters run inside the API pods" }}
{{- end }}
{{- range $id, $source := .Values.sources }}
{{- if or (not (regexMatch "^[A-Za-z0-9][A-Za-z0-9_-]*$" $id)) (contains "__" $id) }}
{{- fail (printf "sources.%s: a source id may use letters, digits, '-' and '_' (not '__') and must start with a letter or digit" $id) }}
{{- end }}
{{- if not $source.kind }}
{{- fail (printf "sources.%s.kind is required (standard, hubspot, marketo, mautic, rdstation, activecampaign, pardot)" $id) }}
{{- end }}
{{- if $source.existingSecret }}
{{- if not $source.secretKeys }}
{{- fail (printf "sources.%s.existingSecret is set: list the keys that hold its secrets in sources.%s.secretKeys" $id $id) }}
{{- end }}
{{- else if not $source.secrets }}
{{- fail (printf "sources.%s needs its signing secrets: existingSecret with secretKeys (preferred), or secrets" $id) }}
{{- end }}
{{- end }}
{{- if and (include "leadhandoff.hasPolicy" .) (not .Values.policy.fileName) }}
{{- fail "policy.fileName is required when policy.content or policy.existingConfigMap is set" }}
{{- end }}
{{- end }}

{{/*
Labels of the CRM adapter worker: a name of its own, so the API's Service selector never matches its pods.
*/}}
{{- define "leadhandoff.adapters.selectorLabels" -}}
app.kubernetes.io/name: {{ printf "%s-adapters" (include "leadhandoff.name" .) | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "leadhandoff.adapters.labels" -}}
helm.sh/chart: {{ include "leadhandoff.chart" . }}
{{ include "leadhandoff.adapters.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/component: adapters
app.kubernetes.io/part-of: leadhandoff
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
