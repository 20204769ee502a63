#!/usr/bin/env bash
# Installs the real Telnet peers that spec/interop/** drives (see spec/fixtures/README.md).
# Idempotent and non-interactive: when every package is already installed it only checks and exits.
set -euo pipefail

PACKAGES=(
  python3-twisted   # reference Telnet implementation (twisted.conch.telnet), run with /usr/bin/python3
  libtelnet-utils   # telnet-client, telnet-proxy, telnet-chatd
  libtelnet-dev     # libtelnet headers (benchmark baseline)
  inetutils-telnet  # telnet
  inetutils-telnetd # telnetd, driven through socat
  socat             # hands each connection to telnetd
  tintin++          # MUD client (tt++)
  tf5               # MUD client (tf)
  tmux              # drives interactive clients
  iproute2          # ip link set lo up inside unshare -n
  coreutils         # stdbuf
  util-linux        # unshare
  procps            # ps, pkill-free process inspection
  haproxy           # TCP load balancer sending the PROXY protocol header (spec/interop/haproxy.spec.ts)
  chromium          # headless browser for spec/interop/browser.spec.ts (driven by puppeteer-core)
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed$'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-peers: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "install-peers: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo -E); fi
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-peers: done"
