# syntax=docker/dockerfile:1.4
FROM debian:12 AS gen
COPY <<EOF /out/Dockerfile
FROM alpine:3.19 AS inner
EOF
RUN <<-SCRIPT
	set -e
	cat /out/Dockerfile
	SCRIPT
FROM busybox:1.36 AS final
COPY --from=gen /out /out
