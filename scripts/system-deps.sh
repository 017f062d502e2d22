#!/usr/bin/env bash
# Install the Debian packages named as arguments when they are missing.
# As root on Debian: apt-get update, then apt-get install -y. Otherwise: say which are missing.
set -euo pipefail
[ "$#" -eq 0 ] && exit 0
if ! command -v dpkg-query >/dev/null; then
  # Not Debian/Ubuntu: check the programs themselves and say what to install.
  absent=()
  for package in "$@"; do
    case "$package" in  # (macOS has bash 3: no associative arrays)
      libreoffice-writer) program=soffice ;; graphviz) program=dot ;;
      poppler-utils) program=pdftoppm ;; chromium|pandoc) program=$package ;; *) continue ;;
    esac
    command -v "$program" >/dev/null || absent+=("$program")
  done
  fc-list 2>/dev/null | grep -q "Noto Serif CJK" || absent+=("Noto Serif CJK fonts")
  if [ "${#absent[@]}" -gt 0 ]; then
    echo "Not found: ${absent[*]}" >&2
    echo "This is not a Debian system, so nothing is installed automatically. On macOS:" >&2
    echo "  brew install --cask libreoffice chromium font-noto-serif-cjk-sc && brew install graphviz poppler" >&2
    echo "On Fedora: sudo dnf install libreoffice-writer graphviz poppler-utils chromium google-noto-serif-cjk-fonts" >&2
    echo "Without LibreOffice the Word files and the site still build; PDFs are skipped." >&2
  fi
  exit 0
fi
missing=()
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
