#!/usr/bin/env bash
# make build: compiles and packages every module without running the tests
# (services/<name>/target/<name>.jar + services/<name>/target/libs/).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

find_jdk
ensure_maven
build_project
