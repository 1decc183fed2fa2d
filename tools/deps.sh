#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Install the Debian 12 packages cirtkit needs that are missing.
#
#   tools/deps.sh build    compiler, Meson and the libraries
#   tools/deps.sh check    the above, plus what the tests use
#   tools/deps.sh bench    the above, plus wrk for the benchmarks
#
# Runs apt-get only when something is missing, so it is quick to repeat.
set -eu

build="gcc libc6-dev pkg-config meson ninja-build libsqlite3-dev libpq-dev
       libmicrohttpd-dev libgnutls28-dev libjansson-dev libargon2-dev
       libssl-dev libpcre2-dev libunistring-dev libxml2-dev
       libcurl4-gnutls-dev libgmime-3.0-dev libidn2-dev libpsl-dev
       libmaxminddb-dev publicsuffix zlib1g-dev libjsmn-dev"
check="libcmocka-dev postgresql python3 openssl procps libxml2-utils
       python3-aiosmtpd libmaxmind-db-writer-perl"
bench="wrk"

case ${1:-build} in
build) want=$build ;;
check) want="$build $check" ;;
bench) want="$build $check $bench" ;;
*) echo "usage: tools/deps.sh build|check|bench" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root, or install these packages first:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
