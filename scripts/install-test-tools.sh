#!/usr/bin/env bash
# Installs the Python programs the ignored tests need (the OASIS STIX validator and the OASIS
# TAXII 2.1 reference server, medallion) into one virtual environment, and prints its bin/.
# Used by .ci/run and by the TAXII tests' own setup; safe to run again.
set -euo pipefail
venv="${TMPDIR:-/tmp}/attrib-ci-venv"
if [ ! -x "$venv/bin/stix2_validator" ] || [ ! -x "$venv/bin/medallion" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet stix2-validator 'medallion==3.0.0' >&2
fi
echo "$venv/bin"
