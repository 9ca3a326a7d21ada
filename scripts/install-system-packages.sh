#!/usr/bin/env bash
# Installs the Debian packages Tally runs for real, when they are missing:
#   browsers  -> chromium, firefox-esr   (npm run browsers)
#   services  -> prometheus              (npm run services)
# As root it runs apt-get; otherwise it prints the exact command and exits 1.
set -euo pipefail

declare -A CHECK=(
  [chromium]=/usr/lib/chromium/chromium
  [firefox-esr]=/usr/bin/firefox-esr
  [prometheus]=/usr/bin/prometheus
)
# Prometheus's recommended packages pull in a node exporter and more that Tally does not use.
declare -A NO_RECOMMENDS=([prometheus]=1)

packages=()
for group in "$@"; do
  case "$group" in
    browsers) packages+=(chromium firefox-esr) ;;
    services) packages+=(prometheus) ;;
    *) echo "install-system-packages: unknown group '$group' (browsers, services)" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  if [[ -x "${CHECK[$package]}" ]]; then echo "$package: installed (${CHECK[$package]})"; else missing+=("$package"); fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

plain=(); lean=()
for package in "${missing[@]}"; do
  if [[ -n "${NO_RECOMMENDS[$package]:-}" ]]; then lean+=("$package"); else plain+=("$package"); fi
done
commands=("apt-get update")
[[ ${#plain[@]} -gt 0 ]] && commands+=("apt-get install -y ${plain[*]}")
[[ ${#lean[@]} -gt 0 ]] && commands+=("apt-get install -y --no-install-recommends ${lean[*]}")

if [[ $(id -u) -ne 0 ]]; then
  echo "missing: ${missing[*]}. Install them as root:" >&2
  for command in "${commands[@]}"; do echo "  sudo $command" >&2; done
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
for command in "${commands[@]}"; do
  echo "+ $command"
  $command -qq >/dev/null
done
for package in "${missing[@]}"; do
  [[ -x "${CHECK[$package]}" ]] || { echo "install-system-packages: $package installed but ${CHECK[$package]} is missing" >&2; exit 1; }
  echo "$package: installed (${CHECK[$package]})"
done
