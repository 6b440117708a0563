# dockwatch as a container. Run (see README):
#   docker run -d --name dockwatch -v /var/run/docker.sock:/var/run/docker.sock \
#     -v /proc:/host/proc:ro -v dockwatch-data:/var/lib/dockwatch IMAGE
#
# No registry is reachable where dockwatch is built and tested, so both base images are build
# arguments: any image with Maven + JDK 17 for the build, and any image with a Java 17 runtime,
# a POSIX sh with stat/grep, and setpriv (util-linux) to run. scripts/build-image.sh makes both
# from this machine's own JDK, Maven and Maven repository with `docker import`.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml application.properties ./
# the main sources only, and tests neither compiled nor run: a change to a test keeps the layer
# cache, so a rebuild takes seconds instead of a full Maven build
COPY src/main ./src/main
COPY routes ./routes
# offline first: a build image that carries its Maven repository needs no network at all
RUN mvn -B -q -o package -Dmaven.test.skip=true || mvn -B -q package -Dmaven.test.skip=true

FROM ${RUNTIME_IMAGE}
# A fixed non-root user, written straight into passwd/group so any base works (busybox or Debian,
# with or without useradd); the entrypoint adds the socket's group at start, whatever its GID.
RUN (grep -q '^dockwatch:' /etc/group || echo 'dockwatch:x:10001:' >> /etc/group) \
 && (grep -q '^dockwatch:' /etc/passwd || echo 'dockwatch:x:10001:10001:dockwatch:/var/lib/dockwatch:/bin/false' >> /etc/passwd) \
 && mkdir -p /var/lib/dockwatch/out /var/lib/dockwatch/state /opt/dockwatch \
 && chown -R 10001:10001 /var/lib/dockwatch
COPY --from=build /src/target/dockwatch.jar /opt/dockwatch/dockwatch.jar
COPY jvm.options /opt/dockwatch/jvm.options
COPY docker/entrypoint.sh docker/healthcheck.sh /opt/dockwatch/
# The HTTP server stays on the container's loopback unless you publish it: binding 0.0.0.0 asks
# for DOCKWATCH_HTTP_TOKEN as well (the status page shows container names and errors).
ENV DOCKWATCH_OUTPUT_DIR=/var/lib/dockwatch/out \
    DOCKWATCH_STATE_DIR=/var/lib/dockwatch/state \
    DOCKWATCH_HOST_PROC=/host/proc \
    MALLOC_ARENA_MAX=2
VOLUME ["/var/lib/dockwatch"]
EXPOSE 9876
# Liveness through wget or curl when the base has one (busybox's wget in the locally built base),
# else a small Java probe: a JVM every 30 s only where nothing cheaper exists.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["/opt/dockwatch/healthcheck.sh"]
ENTRYPOINT ["/opt/dockwatch/entrypoint.sh"]
