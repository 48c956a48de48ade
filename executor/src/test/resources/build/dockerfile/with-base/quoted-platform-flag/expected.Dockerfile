FROM --platform="linux/arm64" debian:12-slim
RUN uname -m
