{{/* Labels on every object. */}}
{{- define "bosun.labels" -}}
{{ include "bosun.selectorLabels" . }}
app.kubernetes.io/part-of: bosun
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* Labels selecting the webhook pods. */}}
{{- define "bosun.selectorLabels" -}}
app.kubernetes.io/name: {{ .Values.name }}
app.kubernetes.io/component: webhook
{{- end }}

{{/* The image reference; the tag defaults to the appVersion. */}}
{{- define "bosun.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The ServiceAccount as an RBAC subject. */}}
{{- define "bosun.subjects" -}}
- kind: ServiceAccount
  name: {{ .Values.name }}
  namespace: {{ .Release.Namespace }}
{{- end }}

{{/* cert-manager's CA injection (the Certificate has the webhook's name). */}}
{{- define "bosun.webhookAnnotations" -}}
{{- if .Values.tls.certManager.enabled }}
annotations:
  cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ .Values.name }}
{{- end }}
{{- end }}

{{/* The CA bundle of clientConfig when cert-manager does not inject it. */}}
{{- define "bosun.caBundle" -}}
{{- if not .Values.tls.certManager.enabled }}
caBundle: {{ .Values.tls.caBundle }}
{{- end }}
{{- end }}

{{/* Parts of every webhook entry outside clientConfig. */}}
{{- define "bosun.webhookMatch" -}}
admissionReviewVersions:
  - v1
sideEffects: None
matchPolicy: Equivalent
timeoutSeconds: {{ .Values.webhook.timeoutSeconds }}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values:
        - {{ .Release.Namespace }}
        {{- with .Values.webhook.excludeNamespaces }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- with .Values.webhook.argoControllerUsername }}
matchConditions:
  - name: not-the-argo-controller
    expression: "request.userInfo.username != '{{ . }}'"
{{- end }}
{{- end }}
