#!/usr/bin/env bash
# Checks the tools and their versions, and that the current kube context is cluster <cluster> (any other is refused). Changes nothing.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
parse_args "bootstrap/preflight.sh" "Checks the tools and their versions, and that the current kube context is cluster <cluster> (any other is refused). Changes nothing." "$@"
load_facts
step_preflight
summary
