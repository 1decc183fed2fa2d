#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Configure (once) and build cirtkit with warnings as errors.
#
#   tools/build.sh          build/       the normal build
#   tools/build.sh asan     build-asan/  AddressSanitizer + UBSan
set -eu
cd "$(dirname "$0")/.."

case ${1:-release} in
release)
	dir=build
	[ -f "$dir/build.ninja" ] ||
		meson setup "$dir" -Dwerror=true -Dbuildtype=debugoptimized \
			>/dev/null
	;;
asan)
	dir=build-asan
	[ -f "$dir/build.ninja" ] ||
		meson setup "$dir" -Dwerror=true -Dbuildtype=debug \
			-Doptimization=1 -Db_sanitize=address,undefined \
			-Db_lundef=false \
			-Dc_args="-fno-sanitize-recover=all -fno-omit-frame-pointer" \
			>/dev/null
	;;
*)
	echo "usage: tools/build.sh [release|asan]" >&2
	exit 2
	;;
esac
ninja -C "$dir" >/dev/null
