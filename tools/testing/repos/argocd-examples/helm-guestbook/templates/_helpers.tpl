{{- define "helm-guestbook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "helm-guestbook.fullname" -}}
{{- printf "%s-%s" .Release.Name (include "helm-guestbook.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
