# The `doks` cluster on DigitalOcean: a VPC, the node pools and the managed databases that
# clusters/doks/cluster.ts declares (through cluster.auto.tfvars). Then bootstrap/bootstrap.sh doks
# saves the kubeconfig context, installs Argo CD and applies clusters/doks/root.yaml.

data "digitalocean_kubernetes_versions" "this" {
  version_prefix = "${var.kubernetes_version}."
}

resource "digitalocean_vpc" "platform" {
  name     = var.vpc.name
  region   = var.region
  ip_range = var.vpc.ip_range
}

locals {
  default_pool = var.node_pools[0]
  extra_pools  = { for pool in slice(var.node_pools, 1, length(var.node_pools)) : pool.name => pool }
}

resource "digitalocean_kubernetes_cluster" "this" {
  name          = var.cluster_name
  region        = var.region
  version       = data.digitalocean_kubernetes_versions.this.latest_version
  vpc_uuid      = digitalocean_vpc.platform.id
  auto_upgrade  = false
  surge_upgrade = true
  ha            = true

  node_pool {
    name       = local.default_pool.name
    size       = local.default_pool.size
    node_count = local.default_pool.node_count
    labels     = local.default_pool.labels

    dynamic "taint" {
      for_each = local.default_pool.taints
      content {
        key    = taint.value.key
        value  = taint.value.value
        effect = taint.value.effect
      }
    }
  }
}

resource "digitalocean_kubernetes_node_pool" "extra" {
  for_each = local.extra_pools

  cluster_id = digitalocean_kubernetes_cluster.this.id
  name       = each.value.name
  size       = each.value.size
  node_count = each.value.node_count
  labels     = each.value.labels

  dynamic "taint" {
    for_each = each.value.taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }
}

resource "digitalocean_database_cluster" "this" {
  for_each = var.databases

  name                 = each.value.name
  engine               = each.value.engine
  version              = each.value.version
  size                 = each.value.size
  node_count           = each.value.node_count
  region               = var.region
  private_network_uuid = digitalocean_vpc.platform.id
}

# Only the cluster's nodes reach the databases.
resource "digitalocean_database_firewall" "this" {
  for_each = var.databases

  cluster_id = digitalocean_database_cluster.this[each.key].id
  rule {
    type  = "k8s"
    value = digitalocean_kubernetes_cluster.this.id
  }
}
