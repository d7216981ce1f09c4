#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, only those missing.
# Used by `make demo` and `make test`; runs apt-get only when something is absent.
set -eu
pkgs=(
  pkg-config cmake make gcc
  libncurses-dev libcurl4-openssl-dev libcjson-dev libsqlite3-dev libinih-dev
  libmpv-dev libvlc-dev libvlc-bin vlc-plugin-base libssl-dev libsndfile1-dev
  libcmocka-dev clang-14 libclang-rt-14-dev
  sqlite3 tmux openssl locales valgrind python3 espeak-ng sox lame groff-base
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Screen tests run the console in ru_RU and en_US UTF-8 locales; C.UTF-8 ships with libc.
if ! locale -a 2>/dev/null | grep -qi '^ru_RU\.utf8$'; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if [ -f /etc/locale.gen ]; then
    $SUDO sed -i -e 's/^# *\(ru_RU.UTF-8 UTF-8\)/\1/' -e 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    $SUDO locale-gen >/dev/null 2>&1 || true
  fi
fi
exit 0
