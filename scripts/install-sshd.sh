#!/usr/bin/env bash
# Installs the OpenSSH server and client that the access tests run against (Debian/Ubuntu).
# Idempotent: does nothing when sshd, ssh and ssh-keygen are already present.
set -euo pipefail

if [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1; then
    echo "openssh-server and openssh-client already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq openssh-server openssh-client
# sshd needs its privilege-separation directory even when it is not run as a service.
$SUDO mkdir -p /run/sshd
echo "installed: $(/usr/sbin/sshd -V 2>&1 | head -n 1 || true)"
