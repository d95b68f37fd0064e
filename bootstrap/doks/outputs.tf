# No kubeconfig here: `doctl kubernetes cluster kubeconfig save` fetches short-lived credentials instead.

output "cluster_id" {
  description = "The DOKS cluster's id."
  value       = digitalocean_kubernetes_cluster.this.id
}

output "endpoint" {
  description = "The cluster's API server URL."
  value       = digitalocean_kubernetes_cluster.this.endpoint
}

output "database_private_hosts" {
  description = "Each managed database's private host name in the VPC; its addresses go into clusters/doks/cluster.ts (DOKS.databases)."
  value       = { for key, db in digitalocean_database_cluster.this : key => db.private_host }
}
