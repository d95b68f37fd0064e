# Pinned OpenTofu and provider; .terraform.lock.hcl holds the provider's checksums (see bootstrap/README.md).
terraform {
  # 1.8: variables in the backend block.
  required_version = ">= 1.8.0"

  required_providers {
    digitalocean = {
      source  = "digitalocean/digitalocean"
      version = "2.51.0"
    }
  }

  # The state holds the cluster's credentials: in a private DigitalOcean Spaces bucket (S3-compatible),
  # never on disk or in git. Keys: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (a Spaces access key).
  backend "s3" {
    bucket = var.state_bucket
    key    = var.state_key
    # Spaces ignores the region; the S3 backend wants one.
    region = "us-east-1"
    endpoints = {
      s3 = "https://${var.state_region}.digitaloceanspaces.com"
    }
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_region_validation      = true
    skip_s3_checksum            = true
  }
}

# The API token comes from DIGITALOCEAN_TOKEN, so that it never reaches the state.
provider "digitalocean" {}
