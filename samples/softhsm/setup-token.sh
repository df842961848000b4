#!/usr/bin/env bash
# Sets up a SoftHSM2 token for the Keyline HSM demo, in a folder of its own (default: ./demo-hsm):
#   DIR/softhsm2.conf   SoftHSM configuration (tokens under DIR/tokens); export SOFTHSM2_CONF to use it
#   DIR/hsm.yaml        Keyline's --hsm file: module, token label, pin-file
#   DIR/user.pin        the user PIN (mode 0600); the SO PIN is printed once and not kept
#   DIR/wrap.key        the demo's AES-256 wrapping key (mode 0600), also imported into the token as
#                       "keyline-wrap", so that device keys exported wrapped can be unwrapped with openssl.
#                       A real wrapping key is shared only between HSMs (the factory's and the injection
#                       station's), by key ceremony; it never sits in a file.
# Then:
#   export SOFTHSM2_CONF=DIR/softhsm2.conf
#   ./keyline ca init --hsm DIR/hsm.yaml --subject "CN=Acme HSM Device CA,O=Acme,C=US" --out hsm-ca
#   ./keyline run samples/manifest-1000.csv --ca hsm-ca --out hsm-run
#   ./keyline run samples/manifest-1000.csv --ca hsm-ca --out hsm-keys --keys hsm     # device keys kept in the token
set -euo pipefail
dir="$(mkdir -p "${1:-demo-hsm}" && cd "${1:-demo-hsm}" && pwd)"
label="${KEYLINE_DEMO_TOKEN:-keyline-demo}"
module=/usr/lib/softhsm/libsofthsm2.so
command -v softhsm2-util >/dev/null && command -v pkcs11-tool >/dev/null && [ -f "$module" ] || {
  echo "setup-token: SoftHSM2 is not installed: apt-get install -y softhsm2 opensc" >&2; exit 2; }
[ -e "$dir/hsm.yaml" ] && { echo "setup-token: $dir already holds a demo token; remove the folder to start again" >&2; exit 2; }

mkdir -p "$dir/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$dir/tokens" > "$dir/softhsm2.conf"
export SOFTHSM2_CONF="$dir/softhsm2.conf"

umask 077
user_pin="$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
so_pin="$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$user_pin" > "$dir/user.pin"
softhsm2-util --init-token --free --label "$label" --so-pin "$so_pin" --pin "$user_pin" >/dev/null
head -c 32 /dev/urandom > "$dir/wrap.key"
pkcs11-tool --module "$module" --token-label "$label" --login --pin "$user_pin" --write-object "$dir/wrap.key" \
  --type secrkey --key-type AES:32 --label keyline-wrap --usage-wrap --sensitive >/dev/null 2>&1
umask 022
cat > "$dir/hsm.yaml" <<YAML
# Keyline HSM configuration (see hsm-bridge/README.md)
library: $module
token-label: $label
pin-file: user.pin
sessions: 4
YAML

echo "SoftHSM token \"$label\" ready in $dir (SO PIN, shown once: $so_pin)"
echo "  export SOFTHSM2_CONF=$dir/softhsm2.conf"
echo "  ./keyline ca init --hsm $dir/hsm.yaml --subject \"CN=Acme HSM Device CA,O=Acme,C=US\" --out hsm-ca"
echo "  ./keyline run samples/manifest-1000.csv --ca hsm-ca --out hsm-run"
echo "  ./keyline run samples/manifest-1000.csv --ca hsm-ca --out hsm-keys --keys hsm   # device keys kept in the token"
echo "  (a profile with hsm-device-keys: wrap and hsm-wrapping-key: keyline-wrap exports them wrapped instead)"
