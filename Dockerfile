# dockwatch as a container: docker run -v /var/run/docker.sock:/var/run/docker.sock:ro ...
#
# No registry is reachable where dockwatch is built and tested, so both base images are build
# arguments: any image with Maven + JDK 17 for the build, and any Debian-like image with a
# Java 17 runtime (and setpriv, from util-linux) to run. scripts/build-image.sh makes both from
# this machine's own JDK and Maven with `docker import` when the defaults are not available.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
COPY routes ./routes
RUN mvn -B -q -o package -DskipTests 2>/dev/null || mvn -B -q package -DskipTests

FROM ${RUNTIME_IMAGE}
# a fixed non-root user; the entrypoint adds the socket's group at start, whatever its GID on the host
RUN (getent group dockwatch || groupadd -r -g 10001 dockwatch) \
 && (getent passwd dockwatch || useradd -r -u 10001 -g dockwatch -d /var/lib/dockwatch dockwatch) \
 && mkdir -p /var/lib/dockwatch/out /var/lib/dockwatch/state /etc/dockwatch \
 && chown -R dockwatch:dockwatch /var/lib/dockwatch
COPY --from=build /src/target/dockwatch.jar /opt/dockwatch/dockwatch.jar
COPY jvm.options /opt/dockwatch/jvm.options
COPY docker/entrypoint.sh /opt/dockwatch/entrypoint.sh
ENV DOCKWATCH_OUTPUT_DIR=/var/lib/dockwatch/out \
    DOCKWATCH_STATE_DIR=/var/lib/dockwatch/state \
    DOCKWATCH_HOST_PROC=/host/proc \
    DOCKWATCH_HTTP_HOST=0.0.0.0 \
    MALLOC_ARENA_MAX=2
VOLUME ["/var/lib/dockwatch"]
EXPOSE 9876
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/9876 && printf 'GET /observe/health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200' <&3"]
ENTRYPOINT ["/opt/dockwatch/entrypoint.sh"]
