# The `doks` cluster on DigitalOcean: a VPC, a primary node pool (3x s-4vcpu-8gb) and a monitoring pool
# (2x c-4), then Argo CD is installed with bootstrap/argocd-install.sh and handed clusters/doks/root.yaml.
terraform {
  required_version = ">= 1.6"
  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = "~> 2.44"
    }
  }
}

variable "region" {
  type    = string
  default = "fra1"
}

variable "kubernetes_version_prefix" {
  description = "Kubernetes minor version; keep it equal to kubernetesVersion in clusters/doks/cluster.ts"
  type        = string
  default     = "1.34."
}

data "digitalocean_kubernetes_versions" "this" {
  version_prefix = var.kubernetes_version_prefix
}

resource "digitalocean_vpc" "platform" {
  name     = "platform-doks"
  region   = var.region
  ip_range = "10.20.0.0/16"
}

resource "digitalocean_kubernetes_cluster" "doks" {
  name          = "doks"
  region        = var.region
  version       = data.digitalocean_kubernetes_versions.this.latest_version
  vpc_uuid      = digitalocean_vpc.platform.id
  auto_upgrade  = false
  surge_upgrade = true
  ha            = true

  node_pool {
    name       = "primary"
    size       = "s-4vcpu-8gb"
    node_count = 3
    labels     = { "platform.acme.dev/pool" = "primary" }
  }
}

resource "digitalocean_kubernetes_node_pool" "monitoring" {
  cluster_id = digitalocean_kubernetes_cluster.doks.id
  name       = "monitoring"
  size       = "c-4"
  node_count = 2
  labels     = { "platform.acme.dev/pool" = "monitoring" }
  taint {
    key    = "platform.acme.dev/monitoring"
    value  = "true"
    effect = "NoSchedule"
  }
}

output "cluster_id" {
  value = digitalocean_kubernetes_cluster.doks.id
}

output "endpoint" {
  value = digitalocean_kubernetes_cluster.doks.endpoint
}
