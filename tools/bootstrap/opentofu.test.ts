import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { DOKS } from "../../clusters/doks/cluster.ts";
import { REPO_ROOT } from "../testing/temp-workspace.ts";

// HashiCorp's own HCL parser (Go, compiled to WebAssembly): the files are read as OpenTofu reads them.
const { parse } = createRequire(import.meta.url)("@cdktf/hcl2json") as { parse(file: string, text: string): Promise<Record<string, any>> };

const DIR = path.join(REPO_ROOT, "bootstrap/doks");
type Hcl = Record<string, any>;
let tf: Hcl;
let lock: Hcl;
let tfvars: Hcl;

/** Every .tf file of the folder, merged per top-level block type (as OpenTofu merges a module's files). */
async function parseModule(): Promise<Hcl> {
  const merged: Hcl = {};
  for (const file of readdirSync(DIR).filter((f) => f.endsWith(".tf")).sort()) {
    const parsed = await parse(file, readFileSync(path.join(DIR, file), "utf8"));
    for (const [type, blocks] of Object.entries(parsed)) {
      if (Array.isArray(blocks)) merged[type] = [...(merged[type] ?? []), ...blocks];
      else merged[type] = { ...merged[type], ...(blocks as object) };
    }
  }
  return merged;
}

beforeAll(async () => {
  tf = await parseModule();
  lock = await parse(".terraform.lock.hcl", readFileSync(path.join(DIR, ".terraform.lock.hcl"), "utf8"));
  tfvars = await parse("cluster.auto.tfvars", readFileSync(path.join(DIR, "cluster.auto.tfvars"), "utf8"));
});

describe("bootstrap/doks (OpenTofu)", () => {
  it("pins the provider exactly, as the lock file records it with well-formed checksums", () => {
    const [terraform] = tf.terraform;
    expect(terraform.required_version).toBe(">= 1.8.0");
    const provider = terraform.required_providers[0].digitalocean;
    expect(provider.source).toBe("digitalocean/digitalocean");
    expect(provider.version).toMatch(/^\d+\.\d+\.\d+$/);
    const [locked] = lock.provider["registry.opentofu.org/digitalocean/digitalocean"];
    expect(locked.version).toBe(provider.version);
    expect(locked.constraints).toBe(provider.version);
    const hashes: string[] = locked.hashes;
    expect(hashes.filter((h) => /^h1:[A-Za-z0-9+/]{43}=$/.test(h)).length).toBeGreaterThanOrEqual(1);
    // One zh: (SHA-256 of a release zip, from the provider's SHA256SUMS) per published platform.
    expect(hashes.filter((h) => /^zh:[0-9a-f]{64}$/.test(h)).length).toBeGreaterThanOrEqual(10);
    expect(hashes.every((h) => /^(h1:[A-Za-z0-9+/]{43}=|zh:[0-9a-f]{64})$/.test(h))).toBe(true);
    expect([...hashes].sort()).toEqual(hashes);
  });

  it("keeps the state in a Spaces bucket set by variables, and out of git", () => {
    const s3 = tf.terraform[0].backend.s3[0];
    expect(s3.bucket).toBe("${var.state_bucket}");
    expect(s3.key).toBe("${var.state_key}");
    expect(s3.endpoints.s3).toBe("https://${var.state_region}.digitaloceanspaces.com");
    expect(s3.skip_credentials_validation && s3.skip_requesting_account_id && s3.skip_region_validation).toBe(true);
    for (const file of ["terraform.tfstate", "terraform.tfstate.backup", ".terraform/providers/x", "tfplan"]) {
      expect(execFileSync("git", ["check-ignore", `bootstrap/doks/${file}`], { cwd: REPO_ROOT, encoding: "utf8" }).trim()).toBe(`bootstrap/doks/${file}`);
    }
  });

  it("types and validates every variable, and declares every variable the generated tfvars sets", () => {
    const variables: Record<string, Hcl[]> = tf.variable;
    for (const [name, [variable]] of Object.entries(variables)) {
      expect(variable.type, `variable ${name} has no type`).toBeDefined();
      expect(variable.description, `variable ${name} has no description`).toBeTruthy();
      // Every variable but `databases`' default-free facts is validated; databases too.
      expect(variable.validation?.length ?? 0, `variable ${name} has no validation`).toBeGreaterThan(0);
    }
    for (const name of Object.keys(tfvars)) expect(Object.keys(variables)).toContain(name);
  });

  it("outputs the cluster id and endpoint, and no kubeconfig", () => {
    const outputs: Record<string, Hcl[]> = tf.output;
    expect(outputs.cluster_id[0].value).toBe("${digitalocean_kubernetes_cluster.this.id}");
    expect(outputs.endpoint[0].value).toBe("${digitalocean_kubernetes_cluster.this.endpoint}");
    expect(JSON.stringify(outputs)).not.toMatch(/kube_config|raw_config|token|client_key/);
  });

  it("creates the pools, VPC and databases that clusters/doks/cluster.ts declares (through the generated tfvars)", () => {
    // A pool size or count changed in cluster.ts without `npm run generate` fails here.
    expect(tfvars.node_pools).toEqual(
      DOKS.nodePools.map((p) => ({
        name: p.name,
        size: p.size,
        node_count: p.count,
        labels: p.labels,
        taints: "taints" in p ? p.taints.map((t) => ({ ...t })) : [],
      })),
    );
    expect(tfvars.node_pools.map((p: Hcl) => `${p.node_count}x ${p.size}`)).toEqual(["3x s-4vcpu-8gb", "2x c-4"]);
    expect(tfvars.vpc).toEqual({ name: DOKS.vpc.name, ip_range: DOKS.vpc.ipRange });
    expect(tfvars.region).toBe(DOKS.region);
    expect(tfvars.databases).toEqual({
      postgres: { name: "platform-pg", engine: "pg", version: "17", size: "db-s-2vcpu-4gb", node_count: 3 },
      redis: { name: "platform-valkey", engine: "valkey", version: "8", size: "db-s-1vcpu-2gb", node_count: 2 },
    });
    // The resources take every name and size from the variables: none is written in the HCL itself.
    const cluster = tf.resource.digitalocean_kubernetes_cluster.this[0];
    expect(cluster.name).toBe("${var.cluster_name}");
    expect(cluster.node_pool[0].size).toBe("${local.default_pool.size}");
    expect(cluster.node_pool[0].node_count).toBe("${local.default_pool.node_count}");
    const pool = tf.resource.digitalocean_kubernetes_node_pool.extra[0];
    expect(pool.size).toBe("${each.value.size}");
    expect(pool.node_count).toBe("${each.value.node_count}");
    expect(pool.dynamic.taint[0].for_each).toBe("${each.value.taints}");
    const db = tf.resource.digitalocean_database_cluster.this[0];
    expect(db.private_network_uuid).toBe("${digitalocean_vpc.platform.id}");
    expect(JSON.stringify(tf.resource)).not.toMatch(/s-4vcpu-8gb|"c-4"|db-s-/);
  });
});
