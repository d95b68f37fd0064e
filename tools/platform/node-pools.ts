import type { NodeTaint } from "../model/cluster.ts";

/** The taint of node pools reserved for monitoring (DOKS' monitoring pool); only the monitoring components tolerate it. */
export const MONITORING_TAINT = { key: "platform.acme.dev/monitoring", value: "true", effect: "NoSchedule" } as const satisfies NodeTaint;

/** The toleration, as a pod spec (and most charts' `tolerations` value) takes it. */
export const MONITORING_TOLERATIONS: { key: string; operator: "Equal"; value: string; effect: "NoSchedule" }[] = [
  { key: MONITORING_TAINT.key, operator: "Equal", value: MONITORING_TAINT.value, effect: MONITORING_TAINT.effect },
];

/** The label of kind's ingress node (the control plane, whose ports 80/443 are the host's): the kind config sets it, ingress-nginx selects it. */
export const INGRESS_NODE_LABELS = { "ingress-ready": "true" } as const;
