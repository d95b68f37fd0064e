import type { ObjectFinding } from "../../findings/finding.ts";
import { ALL_CONTAINER_LISTS, containersOf, podSpecOf, type ContainerList } from "../pod-spec.ts";
import { findingOf, isRecord, type PolicyRule } from "../rule.ts";
import { containerPattern } from "./images.ts";

function securityContextOf(holder: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  return isRecord(holder.securityContext) ? holder.securityContext : {};
}

export const runAsNonRoot: PolicyRule = {
  id: "run-as-non-root",
  severity: "error",
  title: "Containers run as a non-root user",
  rationale:
    "A process running as root inside a container is one kernel or runtime bug away from root on the node, and can write wherever the image lets root write.",
  hint: "Set securityContext.runAsNonRoot: true (pod or container) and, if the image has no numeric USER, a non-zero runAsUser.",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: () => undefined,
    // Per container, as Kubernetes decides: the container's runAsUser (else the pod's) must not be 0,
    // and without one, the container's runAsNonRoot (else the pod's) must be true. `not_null` keeps a
    // container's explicit false, which `||` would skip.
    containerDeny: (podSpec) => {
      const user = `not_null(element.securityContext.runAsUser, ${podSpec}.securityContext.runAsUser, \`-1\`)`;
      const nonRoot = `not_null(element.securityContext.runAsNonRoot, ${podSpec}.securityContext.runAsNonRoot, \`false\`)`;
      return {
        any: [
          { key: `{{ ${user} }}`, operator: "Equals", value: 0 },
          { key: `{{ ${user} }}:{{ ${nonRoot} }}`, operator: "Equals", value: "-1:false" },
        ],
      };
    },
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const podContext = securityContextOf(pod.spec);
    const podPath = [...pod.path, "securityContext"];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) {
      const own = securityContextOf(c.container);
      const ownPath = [...c.path, "securityContext"];
      // Kubernetes takes each setting from the container, else from the pod.
      const userFromPod = own.runAsUser === undefined;
      const user = userFromPod ? podContext.runAsUser : own.runAsUser;
      const nonRootFromPod = own.runAsNonRoot === undefined;
      const nonRoot = nonRootFromPod ? podContext.runAsNonRoot : own.runAsNonRoot;
      if (typeof user === "number" && user > 0) continue;
      if (user === 0) {
        const where = userFromPod ? " in the pod securityContext" : "";
        out.push(
          findingOf(runAsNonRoot, `${c.label} runs as root (runAsUser: 0${where})`, [
            ...(userFromPod ? podPath : ownPath),
            "runAsUser",
          ]),
        );
      } else if (nonRoot === true) {
        continue;
      } else if (nonRoot === false) {
        const where = nonRootFromPod ? " in the pod securityContext" : "";
        out.push(
          findingOf(
            runAsNonRoot,
            `${c.label} may run as root: runAsNonRoot is false${where} and no non-zero runAsUser is set`,
            [...(nonRootFromPod ? podPath : ownPath), "runAsNonRoot"],
          ),
        );
      } else {
        out.push(
          findingOf(runAsNonRoot, `${c.label} may run as root: set runAsNonRoot: true or a non-zero runAsUser`, [
            ...ownPath,
            "runAsNonRoot",
          ]),
        );
      }
    }
    return out;
  },
};

export const noPrivileged: PolicyRule = {
  id: "no-privileged",
  severity: "error",
  title: "Containers are not privileged",
  rationale: "A privileged container has every capability and the host's devices: it is root on the node.",
  hint: "Remove securityContext.privileged, or set it to false; grant only the capabilities the process needs.",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: () => [containerPattern({ "=(securityContext)": { "=(privileged)": false } })],
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) {
      const sc = securityContextOf(c.container);
      if (sc.privileged === undefined || sc.privileged === false) continue;
      out.push(
        findingOf(noPrivileged, `${c.label} is privileged (privileged: ${JSON.stringify(sc.privileged)})`, [
          ...c.path,
          "securityContext",
          "privileged",
        ]),
      );
    }
    return out;
  },
};

export const noPrivilegeEscalation: PolicyRule = {
  id: "no-privilege-escalation",
  severity: "error",
  title: "Containers set allowPrivilegeEscalation: false",
  rationale:
    "Without it, a process can gain more privileges than its parent (setuid binaries, file capabilities); Kubernetes allows escalation unless told otherwise.",
  hint: "Set securityContext.allowPrivilegeEscalation: false on every container.",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: () => [containerPattern({ securityContext: { allowPrivilegeEscalation: false } })],
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) {
      const value = securityContextOf(c.container).allowPrivilegeEscalation;
      if (value === false) continue;
      const path = [...c.path, "securityContext", "allowPrivilegeEscalation"];
      out.push(
        findingOf(
          noPrivilegeEscalation,
          value === undefined
            ? `${c.label} does not set allowPrivilegeEscalation: false`
            : `${c.label} allows privilege escalation (allowPrivilegeEscalation: ${JSON.stringify(value)})`,
          path,
        ),
      );
    }
    return out;
  },
};

// An ephemeral debug container usually needs to write; it is never part of the workload.
const ROOT_FS_LISTS: readonly ContainerList[] = ["containers", "initContainers"];

export const readOnlyRootFs: PolicyRule = {
  id: "read-only-root-fs",
  severity: "warning",
  title: "Containers have a read-only root filesystem",
  rationale:
    "A read-only root filesystem keeps an attacker from dropping tools or changing binaries, and makes every writable path an explicit volume.",
  hint: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process must write (/tmp, caches).",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: () => [containerPattern({ securityContext: { readOnlyRootFilesystem: true } }, ROOT_FS_LISTS)],
  },
  check(object) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, ROOT_FS_LISTS)) {
      const value = securityContextOf(c.container).readOnlyRootFilesystem;
      if (value === true) continue;
      out.push(
        findingOf(
          readOnlyRootFs,
          value === undefined
            ? `${c.label} has a writable root filesystem: set readOnlyRootFilesystem: true`
            : `${c.label} has a writable root filesystem (readOnlyRootFilesystem: ${JSON.stringify(value)})`,
          [...c.path, "securityContext", "readOnlyRootFilesystem"],
        ),
      );
    }
    return out;
  },
};
