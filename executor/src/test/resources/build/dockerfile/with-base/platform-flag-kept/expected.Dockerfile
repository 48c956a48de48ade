FROM --platform=$BUILDPLATFORM golang:1.22-bookworm AS build
RUN go build ./...
FROM gcr.io/distroless/static
COPY --from=build /go/bin/app /
