# The remote state (set with TF_VAR_state_bucket etc.; see bootstrap/README.md).
variable "state_bucket" {
  description = "The Spaces bucket that holds the state (private, versioned)."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be a Spaces bucket name: 3-63 lowercase letters, digits and hyphens."
  }
}

variable "state_key" {
  description = "The state's object key in the bucket."
  type        = string
  default     = "doks/terraform.tfstate"
  validation {
    condition     = can(regex("^[A-Za-z0-9/_.-]+\\.tfstate$", var.state_key))
    error_message = "state_key must be a path ending in .tfstate."
  }
}

variable "state_region" {
  description = "The Spaces region of the state bucket, e.g. fra1."
  type        = string
  default     = "fra1"
  validation {
    condition     = can(regex("^[a-z]{3}[0-9]$", var.state_region))
    error_message = "state_region must be a DigitalOcean region slug such as fra1."
  }
}

# The cluster: cluster.auto.tfvars sets these from clusters/doks/cluster.ts (gitops generate).
variable "cluster_name" {
  description = "The DOKS cluster's name: the cluster's name in clusters/."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.cluster_name))
    error_message = "cluster_name must be a DNS-1123 label."
  }
}

variable "region" {
  description = "DigitalOcean region of the cluster, its VPC and databases."
  type        = string
  validation {
    condition     = can(regex("^[a-z]{3}[0-9]$", var.region))
    error_message = "region must be a DigitalOcean region slug such as fra1."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version (kubernetesVersion in cluster.ts); the newest DOKS patch release of it is used."
  type        = string
  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as 1.34."
  }
}

variable "vpc" {
  description = "The VPC the nodes and the databases share."
  type = object({
    name     = string
    ip_range = string
  })
  validation {
    condition     = can(cidrhost(var.vpc.ip_range, 0))
    error_message = "vpc.ip_range must be a CIDR such as 10.20.0.0/16."
  }
}

variable "node_pools" {
  description = "Node pools; the first is the cluster's default pool."
  type = list(object({
    name       = string
    size       = string
    node_count = number
    labels     = map(string)
    taints = list(object({
      key    = string
      value  = string
      effect = string
    }))
  }))
  validation {
    condition     = length(var.node_pools) > 0
    error_message = "node_pools must list at least one pool."
  }
  validation {
    condition     = alltrue([for pool in var.node_pools : pool.node_count >= 1 && floor(pool.node_count) == pool.node_count])
    error_message = "every pool's node_count must be a whole number, at least 1."
  }
  validation {
    condition     = alltrue(flatten([for pool in var.node_pools : [for taint in pool.taints : contains(["NoSchedule", "PreferNoSchedule", "NoExecute"], taint.effect)]]))
    error_message = "a taint's effect must be NoSchedule, PreferNoSchedule or NoExecute."
  }
}

variable "databases" {
  description = "Managed databases in the VPC: PostgreSQL (engine pg) and Valkey, which external-postgres and external-redis point at."
  type = map(object({
    name       = string
    engine     = string
    version    = string
    size       = string
    node_count = number
  }))
  default = {}
  validation {
    condition     = alltrue([for db in values(var.databases) : contains(["pg", "valkey"], db.engine)])
    error_message = "a database's engine must be pg or valkey."
  }
  validation {
    condition     = alltrue([for db in values(var.databases) : db.node_count >= 1 && db.node_count <= 3])
    error_message = "a database's node_count must be 1, 2 or 3."
  }
}
