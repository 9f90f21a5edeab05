#!/usr/bin/env bash
# Installs the programs the ignored tests need, beside Graphviz and Chromium (which .ci/run
# installs from Debian), into one directory, and prints its bin/ for PATH:
# - from PyPI, in a virtual environment of their own: the OASIS STIX validator and the OASIS
#   TAXII 2.1 reference server, medallion;
# - from npm: Microsoft's SARIF validator (the SARIF Multitool, a program built for Linux that
#   needs no .NET), as `sarif-multitool`.
# Used by .ci/run and by the TAXII tests' own setup; safe to run again.
set -euo pipefail
venv="${TMPDIR:-/tmp}/attrib-ci-venv"
if [ ! -x "$venv/bin/stix2_validator" ] || [ ! -x "$venv/bin/medallion" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet stix2-validator 'medallion==3.0.0' >&2
fi
multitool="$venv/sarif-multitool"
if [ ! -x "$venv/bin/sarif-multitool" ]; then
    rm -rf "$multitool"
    mkdir -p "$multitool"
    (cd "$multitool" && npm pack --silent @microsoft/sarif-multitool-linux@5.7.0 >/dev/null &&
        tar xzf microsoft-sarif-multitool-linux-5.7.0.tgz && rm microsoft-sarif-multitool-linux-5.7.0.tgz) >&2
    chmod u+x "$multitool/package/Sarif.Multitool"
    # Without ICU's libraries (which a bare machine lacks), .NET stops unless told to use its
    # invariant culture, which is all a validator needs.
    printf '#!/bin/sh\nDOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 exec "%s" "$@"\n' \
        "$multitool/package/Sarif.Multitool" >"$venv/bin/sarif-multitool"
    chmod +x "$venv/bin/sarif-multitool"
fi
echo "$venv/bin"
