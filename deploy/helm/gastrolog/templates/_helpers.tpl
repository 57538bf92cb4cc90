{{/* Names and labels shared by every template. */}}

{{- define "gastrolog.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "gastrolog.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "gastrolog.selectorLabels" -}}
app.kubernetes.io/name: {{ include "gastrolog.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "gastrolog.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "gastrolog.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Receiver ports from config.receivers[].listen, one per enabled URL with a port: a list of
{name, port, protocol}; udp:// is UDP, every other scheme TCP. Returned as YAML (fromYamlArray).
*/}}
{{- define "gastrolog.receiverPorts" -}}
{{- $ports := list }}
{{- range $r := (.Values.config.receivers | default list) }}
{{- if ne (toString $r.enabled) "false" }}
{{- range $url := ($r.listen | default list) }}
{{- if regexMatch "^[a-z]+://[^/]*:[0-9]+/?$" $url }}
{{- $scheme := regexReplaceAll "^([a-z]+)://.*$" $url "${1}" }}
{{- $port := regexReplaceAll "^.*:([0-9]+)/?$" $url "${1}" | atoi }}
{{- $proto := ternary "UDP" "TCP" (eq $scheme "udp") }}
{{- $ports = append $ports (dict "name" (printf "%s-%d" (ternary "udp" "tcp" (eq $scheme "udp")) $port) "port" $port "protocol" $proto) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml $ports }}
{{- end }}
