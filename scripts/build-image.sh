#!/usr/bin/env bash
# Builds dockwatch's container image on a machine where no registry is reachable.
#
# The Dockerfile takes its two base images as build arguments. Here both are made from this
# machine's own files and imported with `docker import` (skipped when they already exist):
#
#   build base    busybox-static + this machine's JDK 17 + Maven + a copy of ~/.m2/repository,
#                 so `mvn -o package` works inside the build stage without a network
#   runtime base  busybox-static (sh, stat, grep, id, chown…) + util-linux's setpriv + a JRE
#                 jlinked from the JDK with just the modules the collector uses, and the
#                 libraries all of them link to (found with ldd)
#
# Then `docker build` runs the Dockerfile as it would anywhere: Maven builds the jar in the build
# stage, the runtime stage runs it as a non-root user.
#
# Usage: scripts/build-image.sh [IMAGE]              (default dockwatch:local)
#        REBUILD_BASES=1 scripts/build-image.sh       (make the base images again)
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${1:-dockwatch:local}"
JDK="${JDK:-/usr/lib/jvm/java-17-openjdk-amd64}"
MAVEN_HOME_DIR="${MAVEN_HOME_DIR:-/usr/share/maven}"
M2_REPO="${M2_REPO:-$HOME/.m2/repository}"
BUILD_BASE="${BUILD_BASE:-dockwatch-local/build-base:jdk17-maven}"
# -r2: bases made before the root folder's mode was fixed (0700) are not reused
RUNTIME_BASE="${RUNTIME_BASE:-dockwatch-local/runtime-base:jre17-r2}"
# What the shaded jar needs (jdeps, plus jdk.httpserver for /observe, jdk.crypto.ec for TLS to
# remote daemons, jdk.net for short TCP keepalive to them, jdk.unsupported for SIGTERM
# handling): ~60 MB instead of the JDK's 260 MB.
JRE_MODULES="java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.scripting,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs"

root=""
trap '[ -n "$root" ] && rm -rf "$root"' EXIT

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Copies ELF files' shared libraries (and the loader) into a root, at the same paths.
copy_libs() {
  local root="$1"; shift
  local f lib
  for f in "$@"; do
    ldd "$f" 2>/dev/null | awk '/=> \// {print $3} /^[[:space:]]*\/[^ ]+ \(/ {print $1}' | while read -r lib; do
      [ -e "$root$lib" ] || cp -L --parents "$lib" "$root"
    done
  done
}

# busybox-static with its applets, util-linux's setpriv (busybox's lacks --groups by name), /tmp, users.
base_rootfs() {
  local root="$1"
  # mktemp -d made it 0700, and tar records "." with that mode: overlay2 hides it, but on other
  # storage drivers (vfs, as on a swarm test node) the non-root user could not even find /bin/sh
  chmod 755 "$root"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    case "$applet" in busybox|setpriv) ;; *) ln -sf busybox "$root/bin/$applet" ;; esac
  done
  mkdir -p "$root/usr/bin"
  cp -L /usr/bin/setpriv "$root/usr/bin/setpriv"
  copy_libs "$root" /usr/bin/setpriv
  echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
}

elf_files() { find "$1" -type f \( -name '*.so' -o -perm -u+x \) -exec sh -c 'head -c4 "$1" | grep -q ELF && echo "$1"' _ {} \; ; }

if [ -n "${REBUILD_BASES:-}" ] || ! have_image "$RUNTIME_BASE"; then
  echo "build-image: making $RUNTIME_BASE from $JDK (jlink) and busybox-static"
  root="$(mktemp -d)"
  base_rootfs "$root"
  "$JDK/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress=2 --output "$root/opt/java"
  # shellcheck disable=SC2046
  copy_libs "$root" $(elf_files "$root/opt/java")
  tar -C "$root" -c . | docker import \
    -c 'ENV PATH=/opt/java/bin:/usr/bin:/bin JAVA_HOME=/opt/java' -c 'CMD ["sh"]' - "$RUNTIME_BASE" >/dev/null
  rm -rf "$root"
fi

if [ -n "${REBUILD_BASES:-}" ] || ! have_image "$BUILD_BASE"; then
  echo "build-image: making $BUILD_BASE from $JDK, $MAVEN_HOME_DIR and $M2_REPO"
  root="$(mktemp -d)"
  base_rootfs "$root"
  mkdir -p "$root/opt" "$root/root/.m2"
  mkdir -p "$root/opt/jdk"
  # dereferenced (Debian's JDK links into /etc and /usr/share), without what a build never reads
  tar -C "$JDK" --exclude=./lib/src.zip --exclude=./man --exclude=./docs -chf - . | tar -C "$root/opt/jdk" -xf -
  cp -rL "$MAVEN_HOME_DIR" "$root/opt/maven"
  cp -r "$M2_REPO" "$root/root/.m2/repository"
  # shellcheck disable=SC2046
  copy_libs "$root" $(elf_files "$root/opt/jdk")
  tar -C "$root" -c . | docker import \
    -c 'ENV PATH=/opt/jdk/bin:/opt/maven/bin:/usr/bin:/bin JAVA_HOME=/opt/jdk' -c 'CMD ["sh"]' - "$BUILD_BASE" >/dev/null
  rm -rf "$root"
fi

echo "build-image: building $IMAGE"
docker build -q --build-arg BUILD_IMAGE="$BUILD_BASE" --build-arg RUNTIME_IMAGE="$RUNTIME_BASE" -t "$IMAGE" . >/dev/null
echo "build-image: $IMAGE ready"
