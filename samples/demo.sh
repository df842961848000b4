#!/usr/bin/env bash
# The demo on the embedded default (H2, software keys, a local CA): creates a CA, issues the 1,000 sample
# devices, and verifies one certificate with OpenSSL. Everything goes under demo-out/ (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")/.."
export KEYLINE_CA_PASSPHRASE="${KEYLINE_CA_PASSPHRASE:-demo-passphrase-change-me}"
out=demo-out
if [ ! -f "$out/ca/ca.p12" ]; then
  ./keyline ca init --subject "CN=Acme Demo Device CA,O=Acme Devices,C=US" --key ec-p256 --out "$out/ca"
fi
./keyline run samples/manifest-1000.csv --ca "$out/ca" --out "$out/run" --profile samples/profile.yaml
./keyline status --out "$out/run"
if command -v openssl >/dev/null; then
  openssl verify -CAfile "$out/ca/ca.crt.pem" "$out/run/bundles/acme-sensor-00001/device.crt.pem"
  (cd "$out/run" && sha256sum --quiet -c SHA256SUMS && echo "SHA256SUMS: every bundle file matches")
fi
