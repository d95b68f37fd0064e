import type { ObjectFinding } from "../../findings/finding.ts";
import { ALL_CONTAINER_LISTS, containersOf, podSpecOf } from "../pod-spec.ts";
import { findingOf, isRecord, type PolicyRule } from "../rule.ts";
import { containerPattern } from "./images.ts";

const securityContextOf = (holder: Readonly<Record<string, unknown>>) => (isRecord(holder.securityContext) ? holder.securityContext : {});

/** The capability a container may add under the restricted Pod Security Standard. */
const ADDABLE = ["NET_BIND_SERVICE"];

export const capabilitiesDropped: PolicyRule = {
  id: "capabilities-dropped",
  severity: "warning",
  title: "Containers drop all capabilities and add none but NET_BIND_SERVICE",
  rationale:
    "The runtime's default capabilities include NET_RAW (spoofed packets, ARP poisoning on the node's network) and others a service never needs; the restricted Pod Security Standard drops them all.",
  hint: 'Set securityContext.capabilities.drop: ["ALL"] on each container, and add back only NET_BIND_SERVICE if it binds a port below 1024.',
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: () => undefined,
    // A pattern cannot say "the list contains ALL": deny conditions per container can.
    containerDeny: () => ({
      any: [
        { key: "{{ element.securityContext.capabilities.drop[].to_upper(@) || `[]` }}", operator: "AllNotIn", value: ["ALL"] },
        { key: "{{ element.securityContext.capabilities.add[].to_upper(@) || `[]` }}", operator: "AnyNotIn", value: ADDABLE },
      ],
    }),
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) {
      const capabilities = isRecord(securityContextOf(c.container).capabilities) ? (securityContextOf(c.container).capabilities as Record<string, unknown>) : {};
      const drop = Array.isArray(capabilities.drop) ? capabilities.drop.map((d) => String(d).toUpperCase()) : [];
      const add = Array.isArray(capabilities.add) ? capabilities.add.map((d) => String(d).toUpperCase()) : [];
      const base = [...c.path, "securityContext", "capabilities"];
      if (!drop.includes("ALL")) out.push(findingOf(capabilitiesDropped, `${c.label} does not drop ALL capabilities`, [...base, "drop"]));
      const extra = add.filter((a) => !ADDABLE.includes(a));
      if (extra.length > 0) out.push(findingOf(capabilitiesDropped, `${c.label} adds capabilities ${extra.join(", ")}`, [...base, "add"]));
    }
    return out;
  },
};

export const noRootGroup: PolicyRule = {
  id: "no-root-group",
  severity: "warning",
  title: "Containers do not run with the root group",
  rationale: "A process in group 0 can read and write every file the image leaves group-root-owned, and many images do; a non-root user does not undo that.",
  hint: "Set runAsGroup to a non-zero group (pod or container securityContext), or leave it out.",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: () => [{ "=(securityContext)": { "=(runAsGroup)": ">0" }, ...containerPattern({ "=(securityContext)": { "=(runAsGroup)": ">0" } }) }],
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: ObjectFinding[] = [];
    if (securityContextOf(pod.spec).runAsGroup === 0) out.push(findingOf(noRootGroup, "pod runs as group 0 (runAsGroup: 0 in the pod securityContext)", [...pod.path, "securityContext", "runAsGroup"]));
    for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) {
      if (securityContextOf(c.container).runAsGroup === 0) out.push(findingOf(noRootGroup, `${c.label} runs as group 0 (runAsGroup: 0)`, [...c.path, "securityContext", "runAsGroup"]));
    }
    return out;
  },
};

export const noHostPort: PolicyRule = {
  id: "no-host-port",
  severity: "error",
  title: "Containers do not bind host ports",
  rationale: "A hostPort opens the port on the node's own address, past NetworkPolicies and Services, and lets only one such pod run per node.",
  hint: "Remove hostPort (or set it to 0) and expose the port through a Service.",
  kyverno: { expressible: true, scope: "all", patterns: () => [containerPattern({ "=(ports)": [{ "=(hostPort)": 0 }] })] },
  check(object) {
    return portsOf(object)
      .filter(({ port }) => port.hostPort !== undefined && port.hostPort !== 0)
      .map(({ label, port, path }) => findingOf(noHostPort, `${label} binds host port ${JSON.stringify(port.hostPort)}`, [...path, "hostPort"]));
  },
};

export const noSshPort: PolicyRule = {
  id: "no-ssh-port",
  severity: "warning",
  title: "Containers do not expose SSH (port 22)",
  rationale: "An SSH server in a container is a second way in that bypasses the API server's audit log and RBAC; use kubectl exec or debug containers.",
  hint: "Remove the containerPort 22 and the SSH server from the image.",
  kyverno: { expressible: true, scope: "all", patterns: () => [containerPattern({ "=(ports)": [{ "=(containerPort)": "!22" }] })] },
  check(object) {
    return portsOf(object)
      .filter(({ port }) => port.containerPort === 22)
      .map(({ label, path }) => findingOf(noSshPort, `${label} exposes port 22 (SSH)`, [...path, "containerPort"]));
  },
};

/** Sysctls the kubelet allows by default: namespaced and isolated from the node (the baseline Pod Security Standard). */
export const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];

export const noUnsafeSysctls: PolicyRule = {
  id: "no-unsafe-sysctls",
  severity: "error",
  title: "Pods set only safe sysctls",
  rationale: "An unsafe sysctl changes the node's kernel for every pod on it, and the kubelet refuses such a pod unless the node allows it, so it never starts.",
  hint: `Remove the sysctl; the safe ones are ${SAFE_SYSCTLS.join(", ")}.`,
  kyverno: { expressible: true, scope: "all", patterns: () => [{ "=(securityContext)": { "=(sysctls)": [{ "=(name)": SAFE_SYSCTLS.join(" | ") }] } }] },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const sysctls = securityContextOf(pod.spec).sysctls;
    if (!Array.isArray(sysctls)) return [];
    const out: ObjectFinding[] = [];
    sysctls.forEach((s, i) => {
      if (isRecord(s) && !SAFE_SYSCTLS.includes(String(s.name))) out.push(findingOf(noUnsafeSysctls, `pod sets the unsafe sysctl ${String(s.name)}`, [...pod.path, "securityContext", "sysctls", i, "name"]));
    });
    return out;
  },
};

/** Each port a container of the object's pod declares, with the container's label and the port's path. */
function portsOf(object: Parameters<typeof podSpecOf>[0]): { label: string; port: Record<string, unknown>; path: (string | number)[] }[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  return containersOf(pod, ALL_CONTAINER_LISTS).flatMap((c) =>
    (Array.isArray(c.container.ports) ? c.container.ports : []).flatMap((port, i) => (isRecord(port) ? [{ label: c.label, port, path: [...c.path, "ports", i] }] : [])),
  );
}
